export const id = 248;
export const ids = [248];
export const modules = {

/***/ 39248:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CloudServices: () => (/* binding */ CloudServices)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(46058);
/* harmony import */ var _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(16764);
/* harmony import */ var _aws_clients_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(96076);
/* harmony import */ var _aws_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(99378);
/* harmony import */ var _agent_identity_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(53083);
/* harmony import */ var _names_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(9468);
/* harmony import */ var _resources_access_key_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(37976);
/* harmony import */ var _resources_oidc_provider_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(55639);
/* harmony import */ var _resources_pod_identity_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(29884);
/**
 * Carries out the cloud-services part of a deploy plan: the OIDC provider, the role or user, the
 * association; then, once the agent's release has been read on each pass, the access key. Keys
 * made by this run that the agent did not get, and keys the agent moved off, are deleted here.
 */









class CloudServices {
    config;
    report;
    clients;
    observed;
    plan;
    /** The key this run made, while the agent may still get it. */
    createdKey;
    /** access-key: the keys that user has, as agentKey last listed them. */
    userKeyIds;
    constructor(config, report, clients, observed, plan) {
        this.config = config;
        this.report = report;
        this.clients = clients;
        this.observed = observed;
        this.plan = plan;
        this.userKeyIds = new Set(observed.keys.map(key => key.AccessKeyId ?? ''));
    }
    /** What the release is given, as planned. */
    get agentIdentity() {
        return this.plan.agentIdentity;
    }
    get identityName() {
        return this.observed.identityName;
    }
    /** The provider, the role or user, and the association, in that order, as planned. */
    async applyIdentity() {
        const { region, clusterName, namespace, tags } = this.config;
        const { iam, eks } = this.clients;
        if (this.plan.provider) {
            const provider = await (0,_resources_oidc_provider_js__WEBPACK_IMPORTED_MODULE_5__/* .applyOidcProvider */ .rm)(iam, this.plan.provider, tags);
            this.report.record({
                kind: 'IAM OIDC provider',
                id: provider.issuerHost,
                status: provider.status,
                note: provider.status === 'reused' ? 'already registered' : `for ${clusterName}'s issuer`
            });
        }
        const kind = this.observed.kind;
        const identity = await (0,_agent_identity_js__WEBPACK_IMPORTED_MODULE_3__/* .applyAgentIdentity */ .O5)(iam, kind, this.plan.spec, this.observed.identity, this.plan.identity);
        const association = this.plan.association;
        (0,_agent_identity_js__WEBPACK_IMPORTED_MODULE_3__/* .recordAgentIdentity */ .tT)(this.report, region, kind, identity, kind.noun === 'user'
            ? `the agent of ${clusterName} only; its key goes to the agent's Secret alone`
            : `only ServiceAccount ${namespace}/${this.plan.serviceAccount} of ${clusterName} may assume it`);
        if (association) {
            const settled = await (0,_resources_pod_identity_js__WEBPACK_IMPORTED_MODULE_6__/* .applyPodIdentityAssociation */ .f0)(eks, { clusterName, namespace, serviceAccount: this.plan.serviceAccount, roleArn: identity.arn }, this.observed.association, requestToken());
            this.report.record({
                kind: 'Pod Identity association',
                id: settled.associationId,
                status: settled.status,
                note: `ServiceAccount ${namespace}/${this.plan.serviceAccount} gets ${identity.name}`
            });
        }
        const logGroups = this.observed.logGroups ?? [];
        this.report.note(`The agent can read CloudWatch metrics and ${logGroups.length} log group(s) in ${region}.`);
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(`Log groups: ${logGroups.join(', ')}`);
    }
    /**
     * The key the agent holds, kept while it is active; else the key this run made on an earlier
     * pass; else a new one. The user's keys are listed again right before: a racing run may have
     * made one since the observation. A key this run made that the agent will not get (a racing
     * run's key won) is deleted.
     */
    async agentKey(held) {
        const { userKeyIds, ...key } = await (0,_resources_access_key_js__WEBPACK_IMPORTED_MODULE_4__/* .ensureAccessKey */ .o)(this.clients.iam, this.identityName, held, this.createdKey);
        this.userKeyIds = new Set(userKeyIds);
        if (this.createdKey && key.accessKeyId !== this.createdKey.accessKeyId) {
            await this.discardCreatedKey();
        }
        if (key.status === 'created')
            this.createdKey = key;
        this.report.record({
            kind: 'Access key',
            id: key.accessKeyId,
            status: key.status,
            note: 'delivered only to the agent Secret in the cluster'
        });
        this.report.output('access-key-id', key.accessKeyId);
        return key;
    }
    /**
     * After the release failed, or went to another run's key: a key made by this run reached
     * nothing, so it is deleted. Left in place, each failed run would add one until IAM's limit of
     * two blocks every run.
     */
    async discardCreatedKey() {
        if (!this.createdKey)
            return;
        const { accessKeyId } = this.createdKey;
        this.createdKey = undefined;
        await this.deleteKey(accessKeyId, 'made by this run, and the agent did not get it');
    }
    /**
     * After the agent moved to another identity (a role, or this cluster's own user): the key the
     * release held is deleted from whichever user has it, this cluster's or the seed's shared one.
     */
    async retireHeldKey(accessKeyId, why) {
        if (this.config.cloudServicesAuth === 'access-key') {
            // A key of this cluster's user that the agent no longer holds was made inactive by
            // someone, who decides whether it goes; a key of the seed's user is the one moved off.
            if (!this.userKeyIds.has(accessKeyId)) {
                await this.deleteKey(accessKeyId, why, _names_js__WEBPACK_IMPORTED_MODULE_7__/* .SEED_USER_NAME */ .QH, 'quietly if missing');
            }
            return;
        }
        // A key deleted by hand meanwhile is missing from both: nothing is left to do.
        const deleted = await this.deleteKey(accessKeyId, why, this.identityName, 'quietly if missing');
        if (!deleted)
            await this.deleteKey(accessKeyId, why, _names_js__WEBPACK_IMPORTED_MODULE_7__/* .SEED_USER_NAME */ .QH, 'quietly if missing');
    }
    /**
     * Deletes a key nothing holds; true when it did. A failure is a warning, since the agent is not
     * affected.
     */
    async deleteKey(accessKeyId, why, userName = this.identityName, missing) {
        try {
            await this.clients.iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_8__/* .DeleteAccessKeyCommand */ .yq0({ UserName: userName, AccessKeyId: accessKeyId }), _aws_clients_js__WEBPACK_IMPORTED_MODULE_1__.EVEN_IF_CANCELLED);
        }
        catch (error) {
            if (missing && /^NoSuchEntity(Exception)?$/.test((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorCode */ .CA)(error) ?? ''))
                return false;
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`Could not delete access key ${accessKeyId} of IAM user ${userName} (${why}): ` +
                `${String((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .explainAwsFailure */ .vt)(error, 'the unused key').message)}`);
            return false;
        }
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Deleted access key ${accessKeyId}: ${why}.`);
        this.report.record({
            kind: 'Access key',
            id: accessKeyId,
            status: 'stopped',
            note: `deleted: ${why}`
        });
        return true;
    }
}
/**
 * Same across an SDK retry of CreatePodIdentityAssociation, new for every run (EKS allows 64
 * characters).
 */
function requestToken() {
    const run = process.env.GITHUB_RUN_ID;
    const attempt = process.env.GITHUB_RUN_ATTEMPT ?? '1';
    return run ? `metrics-agent-action-${run}-${attempt}` : `metrics-agent-action-${Date.now()}`;
}


/***/ }),

/***/ 37976:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   c: () => (/* binding */ listAgentKeys),
/* harmony export */   o: () => (/* binding */ ensureAccessKey)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(16764);
/* harmony import */ var _aws_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(99378);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(83916);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(27194);
/**
 * The access key the agent signs its CloudWatch calls with. A key the agent already holds is kept
 * while it is active, so a re-run does not rotate credentials under a working agent. Keys are
 * never deleted here: a key this step did not make may be in use elsewhere.
 */




/** IAM allows a user two access keys. */
const MAX_ACCESS_KEYS = 2;
/**
 * The key to deliver: the held one while it is active, else `madeEarlier` (a key this run made
 * on an earlier pass, whose secret only this run knows), else a new one.
 */
async function ensureAccessKey(iam, userName, 
// Masked already: heldKey() masks the secret the moment it reads it from the release.
held, madeEarlier) {
    const keys = await listKeys(iam, userName);
    const userKeyIds = keys.map(key => key.AccessKeyId ?? '');
    const heldKey = held && keys.find(key => key.AccessKeyId === held.accessKeyId);
    if (held && heldKey?.Status === 'Active') {
        return {
            accessKeyId: held.accessKeyId,
            secretAccessKey: held.secretAccessKey,
            status: 'reused',
            userKeyIds
        };
    }
    if (madeEarlier)
        return { ...madeEarlier, userKeyIds };
    if (keys.length >= MAX_ACCESS_KEYS)
        throw keyLimitError(userName, keys, held?.accessKeyId);
    let created;
    try {
        created = await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_3__/* .CreateAccessKeyCommand */ .hN({ UserName: userName }));
    }
    catch (error) {
        // Another run made a key between our listing and our create: report the keys as they are now.
        if (/^LimitExceeded(Exception)?$/.test((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorCode */ .CA)(error) ?? '')) {
            const now = await listKeys(iam, userName);
            throw keyLimitError(userName, now, held?.accessKeyId, error);
        }
        throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .explainAwsFailure */ .vt)(error, `access key of IAM user ${userName}`);
    }
    const accessKeyId = created.AccessKey?.AccessKeyId;
    const secretAccessKey = created.AccessKey?.SecretAccessKey;
    if (secretAccessKey)
        (0,_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .registerSecret */ .c)(secretAccessKey);
    if (!accessKeyId || !secretAccessKey) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ(`iam:CreateAccessKey for IAM user ${userName} returned no key`);
    }
    return { accessKeyId, secretAccessKey, status: 'created', userKeyIds };
}
/** The user's keys; none when the user does not exist yet. */
async function listAgentKeys(iam, userName) {
    try {
        const answer = await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_3__/* .ListAccessKeysCommand */ .Qxm({ UserName: userName }));
        return answer.AccessKeyMetadata ?? [];
    }
    catch (error) {
        if (/^NoSuchEntity(Exception)?$/.test((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorCode */ .CA)(error) ?? ''))
            return [];
        throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .explainAwsFailure */ .vt)(error, `access keys of IAM user ${userName}`);
    }
}
async function listKeys(iam, userName) {
    try {
        const answer = await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_3__/* .ListAccessKeysCommand */ .Qxm({ UserName: userName }));
        return answer.AccessKeyMetadata ?? [];
    }
    catch (error) {
        throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .explainAwsFailure */ .vt)(error, `access keys of IAM user ${userName}`);
    }
}
/** Names the keys (IDs only, never secrets) and the fix; which key can go is the user's call. */
function keyLimitError(userName, keys, heldKeyId, cause) {
    const described = keys.map(key => [
        key.AccessKeyId,
        key.Status === 'Active' ? 'active' : (key.Status ?? 'unknown').toLowerCase(),
        key.CreateDate ? `created ${key.CreateDate.toISOString().slice(0, 10)}` : '',
        key.AccessKeyId === heldKeyId ? "the agent's current key" : ''
    ]
        .filter(Boolean)
        .join(', '));
    const inactive = keys.filter(key => key.Status !== 'Active').map(key => key.AccessKeyId);
    const which = inactive.length
        ? `${inactive.join(' and ')} ${inactive.length === 1 ? 'is' : 'are'} inactive and a likely ` +
            `candidate if nothing uses ${inactive.length === 1 ? 'it' : 'them'}`
        : 'both are active';
    const example = inactive[0] ?? keys[0]?.AccessKeyId ?? '<access-key-id>';
    return new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ(`IAM user ${userName} already has ${keys.length} access keys, the most IAM allows, and the ` +
        `agent holds none of them that is active, so no key can be created for it. Keys: ` +
        `${described.map(text => `(${text})`).join('; ')}; ${which}. Delete a key that nothing ` +
        `uses, then re-run: aws iam delete-access-key --user-name ${userName} --access-key-id ` +
        `${example}`, cause === undefined ? undefined : { cause });
}


/***/ }),

/***/ 29884:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DJ: () => (/* binding */ checkPodIdentityAgent),
/* harmony export */   Mo: () => (/* binding */ deletePodIdentityAssociation),
/* harmony export */   f0: () => (/* binding */ applyPodIdentityAssociation),
/* harmony export */   iZ: () => (/* binding */ findPodIdentityAssociation)
/* harmony export */ });
/* unused harmony export POD_IDENTITY_ADDON */
/* harmony import */ var _aws_sdk_client_eks__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(24524);
/* harmony import */ var _aws_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(99378);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(83916);
/**
 * EKS Pod Identity: the agent's ServiceAccount is associated with its role in EKS, and the Pod
 * Identity agent on each node hands the pods that role's credentials. The agent must run in the
 * cluster for that: the EKS add-on, or EKS Auto Mode, which has it built in.
 */



const POD_IDENTITY_ADDON = 'eks-pod-identity-agent';
/** Add-on states in which the agent runs or is about to. */
const WORKING_ADDON = new Set(['ACTIVE', 'CREATING', 'UPDATING', 'DEGRADED']);
/** Fails with the fix when nothing in the cluster would hand the pods their credentials. */
async function checkPodIdentityAgent(eks, cluster, region) {
    if (cluster.computeConfig?.enabled)
        return;
    const clusterName = cluster.name ?? '';
    let status;
    try {
        const answer = await eks.send(new _aws_sdk_client_eks__WEBPACK_IMPORTED_MODULE_2__/* .DescribeAddonCommand */ .BFv({ clusterName, addonName: POD_IDENTITY_ADDON }));
        status = answer.addon?.status ?? 'ACTIVE';
    }
    catch (error) {
        if ((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorCode */ .CA)(error) !== 'ResourceNotFoundException') {
            throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .explainAwsFailure */ .vt)(error, `add-on ${POD_IDENTITY_ADDON} of EKS cluster ${clusterName}`);
        }
    }
    if (status && WORKING_ADDON.has(status))
        return;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ(`cloud-services-auth: pod-identity needs the EKS Pod Identity agent in cluster ` +
        `'${clusterName}', and its add-on ${POD_IDENTITY_ADDON} is ` +
        `${status ? status.toLowerCase().replace(/_/g, ' ') : 'not installed'}. Install it: aws eks ` +
        `create-addon --cluster-name ${clusterName} --addon-name ${POD_IDENTITY_ADDON} ` +
        `--region ${region}, or use cloud-services-auth: irsa, which needs no add-on.`);
}
/** The association of the agent's ServiceAccount, if any (one per ServiceAccount). */
async function findPodIdentityAssociation(eks, target) {
    try {
        return await findAssociation(eks, target);
    }
    catch (error) {
        throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .explainAwsFailure */ .vt)(error, describeTarget(target));
    }
}
const describeTarget = (target) => `the Pod Identity association of ${target.namespace}/${target.serviceAccount}`;
/**
 * The ServiceAccount associated with the role: created, pointed at the role, or left as it is,
 * as observed. A racing run that associated it after the observation is settled instead.
 */
async function applyPodIdentityAssociation(eks, target, observed, requestToken) {
    const what = describeTarget(target);
    try {
        if (!observed) {
            try {
                const created = await eks.send(new _aws_sdk_client_eks__WEBPACK_IMPORTED_MODULE_2__/* .CreatePodIdentityAssociationCommand */ .FHt({ ...target, clientRequestToken: requestToken }));
                return { associationId: created.association?.associationId ?? '', status: 'created' };
            }
            catch (error) {
                if ((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorCode */ .CA)(error) !== 'ResourceInUseException')
                    throw error;
            }
        }
        const association = observed ?? (await findAssociation(eks, target));
        if (!association)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ(`${what} vanished while it was being created.`);
        if (association.roleArn === target.roleArn) {
            return { associationId: association.associationId, status: 'unchanged' };
        }
        await eks.send(new _aws_sdk_client_eks__WEBPACK_IMPORTED_MODULE_2__/* .UpdatePodIdentityAssociationCommand */ .Tr6({
            clusterName: target.clusterName,
            associationId: association.associationId,
            roleArn: target.roleArn
        }));
        return { associationId: association.associationId, status: 'updated' };
    }
    catch (error) {
        throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .explainAwsFailure */ .vt)(error, what);
    }
}
/** Deletes the association; `absent` when it is gone already. */
async function deletePodIdentityAssociation(eks, clusterName, associationId) {
    try {
        await eks.send(new _aws_sdk_client_eks__WEBPACK_IMPORTED_MODULE_2__/* .DeletePodIdentityAssociationCommand */ .FT2({ clusterName, associationId }));
        return 'deleted';
    }
    catch (error) {
        if ((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorCode */ .CA)(error) === 'ResourceNotFoundException')
            return 'absent';
        throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .explainAwsFailure */ .vt)(error, `Pod Identity association ${associationId}`);
    }
}
async function findAssociation(eks, target) {
    const { clusterName, namespace, serviceAccount } = target;
    const listed = await eks.send(new _aws_sdk_client_eks__WEBPACK_IMPORTED_MODULE_2__/* .ListPodIdentityAssociationsCommand */ .pp8({ clusterName, namespace, serviceAccount }));
    const associationId = listed.associations?.[0]?.associationId;
    if (!associationId)
        return undefined;
    const described = await eks.send(new _aws_sdk_client_eks__WEBPACK_IMPORTED_MODULE_2__/* .DescribePodIdentityAssociationCommand */ .$tu({ clusterName, associationId }));
    return { associationId, roleArn: described.association?.roleArn };
}


/***/ })

};

//# sourceMappingURL=248.index.js.map