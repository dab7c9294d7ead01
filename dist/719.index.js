export const id = 719;
export const ids = [719];
export const modules = {

/***/ 38719:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  observeCloudServices: () => (/* binding */ observeCloudServices)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-sts/dist-cjs/index.js
var dist_cjs = __webpack_require__(71695);
// EXTERNAL MODULE: ./src/aws/errors.ts
var errors = __webpack_require__(99378);
// EXTERNAL MODULE: ./src/errors.ts
var src_errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/cloud-services/agent-identity.ts + 1 modules
var agent_identity = __webpack_require__(53083);
// EXTERNAL MODULE: ./src/cloud-services/resources/access-key.ts
var access_key = __webpack_require__(37976);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-cloudwatch-logs/dist-cjs/index.js
var client_cloudwatch_logs_dist_cjs = __webpack_require__(70303);
;// CONCATENATED MODULE: ./src/cloud-services/resources/log-groups.ts
/** The log groups the agent's identity may list: their count tells the user what it will see. */


/** The service's largest page, so an account with many groups costs few calls. */
const PAGE_SIZE = 50;
async function listLogGroupNames(logs) {
    const names = [];
    try {
        for await (const page of (0,client_cloudwatch_logs_dist_cjs/* paginateDescribeLogGroups */.BSi)({ client: logs, pageSize: PAGE_SIZE }, {})) {
            for (const group of page.logGroups ?? [])
                if (group.logGroupName)
                    names.push(group.logGroupName);
        }
    }
    catch (error) {
        throw (0,errors/* explainAwsFailure */.vt)(error, 'log groups of the region');
    }
    return names;
}

// EXTERNAL MODULE: ./src/cloud-services/resources/oidc-provider.ts
var oidc_provider = __webpack_require__(55639);
// EXTERNAL MODULE: ./src/cloud-services/resources/pod-identity.ts
var pod_identity = __webpack_require__(29884);
;// CONCATENATED MODULE: ./src/cloud-services/observe.ts








async function observeCloudServices(clients, config, mode, serviceAccount, cluster) {
    const auth = config.cloudServicesAuth;
    const kind = auth === 'access-key' ? agent_identity/* AGENT_USER */.sz : agent_identity/* AGENT_ROLE */.vm;
    const identityName = (0,agent_identity/* agentIdentityName */.b6)(config.agentName, config.clusterName, config.region);
    const target = { clusterName: config.clusterName, namespace: config.namespace, serviceAccount };
    const [caller, logGroups, described, identity, keys, association] = await Promise.all([
        clients.sts.send(new dist_cjs/* GetCallerIdentityCommand */.zI({})).catch(error => {
            throw (0,errors/* explainAwsFailure */.vt)(error, 'the workflow identity');
        }),
        mode === 'remove' ? undefined : listLogGroupNames(clients.logs),
        auth === 'access-key' ? undefined : cluster(),
        (0,agent_identity/* findAgentIdentity */.BC)(clients.iam, kind, identityName),
        auth === 'access-key' ? (0,access_key/* listAgentKeys */.c)(clients.iam, identityName) : [],
        auth === 'pod-identity' ? (0,pod_identity/* findPodIdentityAssociation */.iZ)(clients.eks, target) : undefined
    ]);
    const accountId = caller.Account ?? '';
    const partition = caller.Arn?.split(':')[1] ?? 'aws';
    // Removing needs no agent in the cluster to hand out credentials.
    if (described && auth === 'pod-identity' && mode !== 'remove') {
        await (0,pod_identity/* checkPodIdentityAgent */.DJ)(clients.eks, described, config.region);
    }
    const provider = described && auth === 'irsa'
        ? await (0,oidc_provider/* findOidcProvider */.UC)(clients.iam, clusterIssuer(described), accountId, partition)
        : undefined;
    return {
        accountId,
        partition,
        logGroups,
        kind,
        identityName,
        identity,
        provider,
        clusterArn: described?.arn,
        association,
        keys
    };
}
/** The cluster's OIDC issuer, which IAM must trust for the agent's tokens. */
function clusterIssuer(cluster) {
    const issuer = cluster.identity?.oidc?.issuer;
    if (!issuer) {
        throw new src_errors/* ActionError */.lZ(`EKS cluster '${cluster.name}' has no OIDC issuer, which cloud-services-auth: irsa needs. ` +
            'Every EKS cluster has one; check that cluster and aws-region name an EKS cluster.');
    }
    return issuer;
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

//# sourceMappingURL=719.index.js.map