export const id = 906;
export const ids = [906];
export const modules = {

/***/ 53906:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   removeCloudServices: () => (/* binding */ removeCloudServices)
/* harmony export */ });
/* harmony import */ var _agent_identity_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(53083);
/* harmony import */ var _resources_pod_identity_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(29884);


async function removeCloudServices(config, report, clients, observed, plan) {
    for (const step of plan.steps) {
        if (step.action !== 'delete') {
            report.recordKept(step);
        }
        else if (step.resource === 'Pod Identity association' && plan.associationId) {
            const status = await (0,_resources_pod_identity_js__WEBPACK_IMPORTED_MODULE_1__/* .deletePodIdentityAssociation */ .Mo)(clients.eks, config.clusterName, plan.associationId);
            report.record({ kind: step.resource, id: step.id, status, note: step.reason });
        }
        else if (plan.deleteIdentity) {
            const status = await (0,_agent_identity_js__WEBPACK_IMPORTED_MODULE_0__/* .removeAgentIdentity */ .M9)(clients.iam, observed.kind, observed.identityName);
            report.record({ kind: step.resource, id: step.id, status, note: step.reason });
        }
    }
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

//# sourceMappingURL=906.index.js.map