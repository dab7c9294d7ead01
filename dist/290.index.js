export const id = 290;
export const ids = [290,947];
export const modules = {

/***/ 20904:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   t: () => (/* binding */ consoleLinks)
/* harmony export */ });
/* harmony import */ var _partition_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(72947);
/**
 * Links into the AWS console for the job summary. Only the partitions below have a console reachable
 * from the public internet; for the others (the isolated aws-iso* partitions and any the SDK adds
 * later) there is no link rather than one that cannot open.
 */

const CONSOLE_DOMAINS = {
    aws: 'console.aws.amazon.com',
    'aws-cn': 'console.amazonaws.cn',
    'aws-us-gov': 'console.amazonaws-us-gov.com'
};
function consoleLink(region, path) {
    const domain = CONSOLE_DOMAINS[(0,_partition_js__WEBPACK_IMPORTED_MODULE_0__.partitionOf)(region).name];
    return domain ? `https://${region}.${domain}${path}` : undefined;
}
const consoleLinks = {
    securityGroup: (region, id) => consoleLink(region, `/ec2/home?region=${region}#SecurityGroup:groupId=${id}`),
    subnets: (region, vpcId) => consoleLink(region, `/vpcconsole/home?region=${region}#subnets:vpcId=${vpcId}`),
    taskDefinition: (region, family, revision) => consoleLink(region, `/ecs/v2/task-definitions/${family}/${revision}?region=${region}`),
    task: (region, cluster, taskId) => consoleLink(region, `/ecs/v2/clusters/${cluster}/tasks/${taskId}?region=${region}`),
    stack: (region, stackId) => consoleLink(region, `/cloudformation/home?region=${region}#/stacks/stackinfo?stackId=${encodeURIComponent(stackId)}`),
    // IAM is global; any regional console host of the partition opens it.
    iamUser: (region, name) => consoleLink(region, `/iam/home#/users/details/${name}`),
    iamRole: (region, name) => consoleLink(region, `/iam/home#/roles/details/${encodeURIComponent(name)}`),
    iamPolicy: (region, arn) => consoleLink(region, `/iam/home#/policies/details/${encodeURIComponent(arn)}`)
};


/***/ }),

/***/ 72947:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   partitionOf: () => (/* binding */ partitionOf)
/* harmony export */ });
/* harmony import */ var _aws_sdk_core_client__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5152);
/**
 * The AWS partition of a region, read from the partition table the installed AWS SDK resolves its own
 * endpoints with, so hosts built here agree with the SDK's for every partition it knows (an unknown
 * region falls back to `aws`, as in the SDK).
 */

function partitionOf(region) {
    const { name, dnsSuffix } = (0,_aws_sdk_core_client__WEBPACK_IMPORTED_MODULE_0__.partition)(region);
    return { name, dnsSuffix };
}


/***/ }),

/***/ 67604:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   b6: () => (/* binding */ agentIdentityName),
/* harmony export */   kS: () => (/* binding */ ensureAgentIdentity),
/* harmony export */   tT: () => (/* binding */ recordAgentIdentity),
/* harmony export */   vm: () => (/* binding */ AGENT_ROLE)
/* harmony export */ });
/* unused harmony export AGENT_USER */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(46058);
/* harmony import */ var _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(16764);
/* harmony import */ var _aws_console_links_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(20904);
/* harmony import */ var _aws_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(99378);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(83916);
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(30926);
/* harmony import */ var _names_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(9468);
/* harmony import */ var _policy_document_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(39108);
/**
 * The agent's IAM identity of one cluster, a role (irsa, ECS task role) or a user (access-key):
 * found by its name, created when missing, brought back to the trust, policy and tags it should
 * have when it drifted. Every write is one the deploy policies allow only on an identity capped by
 * the CloudWatch read-only boundary, and one the action did not make is never touched.
 */









/** IAM's limit on a role or user name. */
const MAX_NAME = 64;
const DESCRIPTION = 'CloudAEye metrics agent: reads CloudWatch. Managed by metrics-agent-action.';
const isMissing = (error) => /^NoSuchEntity(Exception)?$/.test((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .errorCode */ .CA)(error) ?? '');
const alreadyExists = (error) => /^EntityAlreadyExists(Exception)?$/.test((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .errorCode */ .CA)(error) ?? '');
/**
 * `CloudAEye@<cluster>.<region>` on EKS and `CloudAEye.ecs@<cluster>.<region>` on ECS, with
 * `-<agent>` after the prefix for an agent not of the default name: IAM is global, so the region
 * is part of the name; the platform keeps an EKS and an ECS cluster of one name apart (an agent
 * name has no dot), and the agent name two agents of one cluster. A name over IAM's 64
 * characters keeps its start and ends in a digest of the whole, so it stays readable and unique.
 */
function agentIdentityName(agentName, clusterName, region, platform = 'eks') {
    const agent = agentName === _inputs_js__WEBPACK_IMPORTED_MODULE_5__/* .DEFAULT_AGENT_NAME */ .Mo ? '' : `-${agentName}`;
    const onEcs = platform === 'ecs' ? '.ecs' : '';
    const full = `${_names_js__WEBPACK_IMPORTED_MODULE_7__/* .ROLE_PREFIX */ .Ii}${agent}${onEcs}@${clusterName}.${region}`;
    if (full.length <= MAX_NAME)
        return full;
    const digest = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(full).digest('hex').slice(0, 10);
    return `${full.slice(0, MAX_NAME - digest.length - 1)}-${digest}`;
}
const asTags = (tags) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
const AGENT_ROLE = {
    noun: 'role',
    async get(iam, name) {
        const role = (await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_8__/* .GetRoleCommand */ .kbp({ RoleName: name }))).Role;
        return (role && {
            arn: role.Arn ?? '',
            tags: role.Tags ?? [],
            boundary: role.PermissionsBoundary?.PermissionsBoundaryArn,
            trust: role.AssumeRolePolicyDocument
        });
    },
    async create(iam, spec) {
        const answer = await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_8__/* .CreateRoleCommand */ .IS({
            RoleName: spec.name,
            AssumeRolePolicyDocument: JSON.stringify(spec.trust),
            PermissionsBoundary: (0,_names_js__WEBPACK_IMPORTED_MODULE_7__/* .boundaryArnFor */ .T9)(spec.partition),
            Description: DESCRIPTION,
            Tags: asTags(spec.tags)
        }));
        return answer.Role?.Arn ?? '';
    },
    async getPolicy(iam, name) {
        const answer = await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_8__/* .GetRolePolicyCommand */ .WHQ({ RoleName: name, PolicyName: _names_js__WEBPACK_IMPORTED_MODULE_7__/* .ROLE_POLICY_NAME */ .WD }));
        return answer.PolicyDocument;
    },
    async putPolicy(iam, name, document) {
        await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_8__/* .PutRolePolicyCommand */ .pMt({
            RoleName: name,
            PolicyName: _names_js__WEBPACK_IMPORTED_MODULE_7__/* .ROLE_POLICY_NAME */ .WD,
            PolicyDocument: document
        }));
    },
    async tag(iam, name, tags) {
        await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_8__/* .TagRoleCommand */ .Wcv({ RoleName: name, Tags: tags }));
    },
    async updateTrust(iam, name, document) {
        await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_8__/* .UpdateAssumeRolePolicyCommand */ .tuH({ RoleName: name, PolicyDocument: document }));
    }
};
const AGENT_USER = {
    noun: 'user',
    async get(iam, name) {
        const user = (await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_8__/* .GetUserCommand */ .T3b({ UserName: name }))).User;
        return (user && {
            arn: user.Arn ?? '',
            tags: user.Tags ?? [],
            boundary: user.PermissionsBoundary?.PermissionsBoundaryArn
        });
    },
    async create(iam, spec) {
        const answer = await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_8__/* .CreateUserCommand */ .nMY({
            UserName: spec.name,
            PermissionsBoundary: (0,_names_js__WEBPACK_IMPORTED_MODULE_7__/* .boundaryArnFor */ .T9)(spec.partition),
            Tags: asTags(spec.tags)
        }));
        return answer.User?.Arn ?? '';
    },
    async getPolicy(iam, name) {
        const answer = await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_8__/* .GetUserPolicyCommand */ .bcb({ UserName: name, PolicyName: _names_js__WEBPACK_IMPORTED_MODULE_7__/* .ROLE_POLICY_NAME */ .WD }));
        return answer.PolicyDocument;
    },
    async putPolicy(iam, name, document) {
        await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_8__/* .PutUserPolicyCommand */ .CkV({
            UserName: name,
            PolicyName: _names_js__WEBPACK_IMPORTED_MODULE_7__/* .ROLE_POLICY_NAME */ .WD,
            PolicyDocument: document
        }));
    },
    async tag(iam, name, tags) {
        await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_8__/* .TagUserCommand */ .pkA({ UserName: name, Tags: tags }));
    },
    async updateTrust() {
        throw new Error('an IAM user has no trust policy');
    }
};
/** The identity as `spec` describes it, making only the calls that something differs calls for. */
async function ensureAgentIdentity(iam, kind, spec) {
    const what = `IAM ${kind.noun} ${spec.name}`;
    try {
        const existing = await find(iam, kind, spec.name);
        if (!existing) {
            const created = await create(iam, kind, spec);
            if (created)
                return created;
        }
        const found = existing ?? (await find(iam, kind, spec.name));
        if (!found)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`${what} vanished while it was being created.`);
        return await settle(iam, kind, found, spec);
    }
    catch (error) {
        throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .explainAwsFailure */ .vt)(error, what);
    }
}
async function find(iam, kind, name) {
    try {
        return await kind.get(iam, name);
    }
    catch (error) {
        if (isMissing(error))
            return undefined;
        throw error;
    }
}
/** Undefined when a racing run created it first: the caller then settles theirs. */
async function create(iam, kind, spec) {
    let arn;
    try {
        arn = await kind.create(iam, spec);
    }
    catch (error) {
        if (alreadyExists(error))
            return undefined;
        throw error;
    }
    await kind.putPolicy(iam, spec.name, JSON.stringify((0,_policy_document_js__WEBPACK_IMPORTED_MODULE_6__/* .desiredPolicyDocument */ .yj)()));
    return { name: spec.name, arn, status: 'created', changes: [] };
}
async function settle(iam, kind, found, spec) {
    const { name, partition } = spec;
    const boundary = (0,_names_js__WEBPACK_IMPORTED_MODULE_7__/* .boundaryArnFor */ .T9)(partition);
    if (found.tags.find(tag => tag.Key === _inputs_js__WEBPACK_IMPORTED_MODULE_5__/* .MANAGED_BY_TAG */ .dS)?.Value !== _inputs_js__WEBPACK_IMPORTED_MODULE_5__/* .MANAGED_BY */ .Kf) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`IAM ${kind.noun} ${found.arn} exists but was not made by this action (it has no tag ` +
            `${_inputs_js__WEBPACK_IMPORTED_MODULE_5__/* .MANAGED_BY_TAG */ .dS}=${_inputs_js__WEBPACK_IMPORTED_MODULE_5__/* .MANAGED_BY */ .Kf}), so it is left alone. Rename or delete it, or give ` +
            'another agent-name.');
    }
    if (found.boundary !== boundary) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`IAM ${kind.noun} ${found.arn} has lost its permissions boundary ${boundary}, which caps ` +
            'the agent at CloudWatch read; the deploy policy may change only a capped identity. ' +
            `Restore it: aws iam put-${kind.noun}-permissions-boundary --${kind.noun}-name ${name} ` +
            `--permissions-boundary ${boundary}`);
    }
    const changes = [];
    if (spec.trust && !(0,_policy_document_js__WEBPACK_IMPORTED_MODULE_6__/* .samePolicyDocument */ .sB)(found.trust, spec.trust)) {
        await kind.updateTrust(iam, name, JSON.stringify(spec.trust));
        changes.push('trust policy');
    }
    const policy = await kind.getPolicy(iam, name).catch(error => {
        if (isMissing(error))
            return undefined;
        throw error;
    });
    if (!(0,_policy_document_js__WEBPACK_IMPORTED_MODULE_6__/* .samePolicyDocument */ .sB)(policy, (0,_policy_document_js__WEBPACK_IMPORTED_MODULE_6__/* .desiredPolicyDocument */ .yj)())) {
        await kind.putPolicy(iam, name, JSON.stringify((0,_policy_document_js__WEBPACK_IMPORTED_MODULE_6__/* .desiredPolicyDocument */ .yj)()));
        changes.push('CloudWatch read policy');
    }
    const drifted = Object.entries(spec.tags).filter(([key, value]) => found.tags.find(tag => tag.Key === key)?.Value !== value);
    if (drifted.length > 0) {
        await kind.tag(iam, name, asTags(Object.fromEntries(drifted)));
        changes.push('tags');
    }
    return { name, arn: found.arn, status: changes.length ? 'updated' : 'unchanged', changes };
}
/** The identity's row in the summary, its output, and what a re-run brought back, in the log. */
function recordAgentIdentity(report, region, kind, identity, note) {
    if (identity.changes.length > 0) {
        _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(`IAM ${kind.noun} ${identity.name}: brought back ${identity.changes.join(', ')}.`);
    }
    const isRole = kind.noun === 'role';
    report.record({
        kind: `IAM ${kind.noun}`,
        id: identity.name,
        status: identity.status,
        note,
        link: isRole
            ? _aws_console_links_js__WEBPACK_IMPORTED_MODULE_2__/* .consoleLinks */ .t.iamRole(region, identity.name)
            : _aws_console_links_js__WEBPACK_IMPORTED_MODULE_2__/* .consoleLinks */ .t.iamUser(region, identity.name)
    });
    report.output(isRole ? 'role-arn' : 'iam-user-arn', identity.arn);
}


/***/ }),

/***/ 13290:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  CloudServices: () => (/* binding */ CloudServices)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(46058);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-cloudformation/dist-cjs/index.js
var dist_cjs = __webpack_require__(3805);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-cloudwatch-logs/dist-cjs/index.js
var client_cloudwatch_logs_dist_cjs = __webpack_require__(70303);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-eks/dist-cjs/index.js
var client_eks_dist_cjs = __webpack_require__(24524);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-iam/dist-cjs/index.js
var client_iam_dist_cjs = __webpack_require__(16764);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-sts/dist-cjs/index.js
var client_sts_dist_cjs = __webpack_require__(71695);
// EXTERNAL MODULE: ./src/aws/clients.ts + 1 modules
var clients = __webpack_require__(96076);
// EXTERNAL MODULE: ./src/aws/console-links.ts
var console_links = __webpack_require__(20904);
// EXTERNAL MODULE: ./src/aws/errors.ts
var errors = __webpack_require__(99378);
// EXTERNAL MODULE: ./src/errors.ts
var src_errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/secrets.ts
var secrets = __webpack_require__(27194);
;// CONCATENATED MODULE: ./src/cloud-services/access-key.ts
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
async function ensureAccessKey(iam, userName, held, madeEarlier) {
    if (held)
        (0,secrets/* registerSecret */.c)(held.secretAccessKey);
    const keys = await listKeys(iam, userName);
    const heldKey = held && keys.find(key => key.AccessKeyId === held.accessKeyId);
    if (held && heldKey?.Status === 'Active') {
        return {
            accessKeyId: held.accessKeyId,
            secretAccessKey: held.secretAccessKey,
            status: 'reused'
        };
    }
    if (madeEarlier)
        return madeEarlier;
    if (keys.length >= MAX_ACCESS_KEYS)
        throw keyLimitError(userName, keys, held?.accessKeyId);
    let created;
    try {
        created = await iam.send(new client_iam_dist_cjs/* CreateAccessKeyCommand */.hN({ UserName: userName }));
    }
    catch (error) {
        // Another run made a key between our listing and our create: report the keys as they are now.
        if (/^LimitExceeded(Exception)?$/.test((0,errors/* errorCode */.CA)(error) ?? '')) {
            const now = await listKeys(iam, userName);
            throw keyLimitError(userName, now, held?.accessKeyId, error);
        }
        throw (0,errors/* explainAwsFailure */.vt)(error, `access key of IAM user ${userName}`);
    }
    const accessKeyId = created.AccessKey?.AccessKeyId;
    const secretAccessKey = created.AccessKey?.SecretAccessKey;
    if (secretAccessKey)
        (0,secrets/* registerSecret */.c)(secretAccessKey);
    if (!accessKeyId || !secretAccessKey) {
        throw new src_errors/* ActionError */.l(`iam:CreateAccessKey for IAM user ${userName} returned no key`);
    }
    return { accessKeyId, secretAccessKey, status: 'created' };
}
async function listKeys(iam, userName) {
    try {
        const answer = await iam.send(new client_iam_dist_cjs/* ListAccessKeysCommand */.Qxm({ UserName: userName }));
        return answer.AccessKeyMetadata ?? [];
    }
    catch (error) {
        throw (0,errors/* explainAwsFailure */.vt)(error, `access keys of IAM user ${userName}`);
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
    return new src_errors/* ActionError */.l(`IAM user ${userName} already has ${keys.length} access keys, the most IAM allows, and the ` +
        `agent holds none of them that is active, so no key can be created for it. Keys: ` +
        `${described.map(text => `(${text})`).join('; ')}; ${which}. Delete a key that nothing ` +
        `uses, then re-run: aws iam delete-access-key --user-name ${userName} --access-key-id ` +
        `${example}`, cause === undefined ? undefined : { cause });
}

// EXTERNAL MODULE: ./src/cloud-services/agent-identity.ts
var agent_identity = __webpack_require__(67604);
// EXTERNAL MODULE: ./src/cloud-services/names.ts
var names = __webpack_require__(9468);
// EXTERNAL MODULE: ./src/cloud-services/policy-document.ts
var policy_document = __webpack_require__(39108);
;// CONCATENATED MODULE: ./src/cloud-services/identity.ts
/**
 * The agent's IAM user and policy when they exist outside CloudFormation: the script this action
 * replaces made them by hand, and a stack cannot take over resources that already exist. They are
 * then managed directly, to the same end state the stack would give.
 */





/** IAM keeps at most this many versions of a managed policy. */
const MAX_POLICY_VERSIONS = 5;
const isMissing = (error) => /^NoSuchEntity(Exception)?$/.test((0,errors/* errorCode */.CA)(error) ?? '');
const alreadyExists = (error) => /^EntityAlreadyExists(Exception)?$/.test((0,errors/* errorCode */.CA)(error) ?? '');
function policyArnFor(accountId, partition = 'aws') {
    return `arn:${partition}:iam::${accountId}:policy/${names/* POLICY_NAME */.xl}`;
}
/** The user and policy by their fixed names; either is undefined when it does not exist. */
async function findIdentity(iam, accountId, partition = 'aws') {
    const [user, policy] = await Promise.all([getUser(iam), getPolicy(iam, accountId, partition)]);
    return { user, policy };
}
async function getUser(iam) {
    try {
        return (await iam.send(new client_iam_dist_cjs/* GetUserCommand */.T3b({ UserName: names/* USER_NAME */.iw }))).User;
    }
    catch (error) {
        if (isMissing(error))
            return undefined;
        throw (0,errors/* explainAwsFailure */.vt)(error, `IAM user ${names/* USER_NAME */.iw}`);
    }
}
async function getPolicy(iam, accountId, partition) {
    try {
        const arn = policyArnFor(accountId, partition);
        return (await iam.send(new client_iam_dist_cjs/* GetPolicyCommand */.s4W({ PolicyArn: arn }))).Policy;
    }
    catch (error) {
        if (isMissing(error))
            return undefined;
        throw (0,errors/* explainAwsFailure */.vt)(error, `IAM policy ${names/* POLICY_NAME */.xl}`);
    }
}
/**
 * Creates what is missing, brings the policy's default version to the template's document and
 * attaches the policy to the user. A run that finds everything right changes nothing.
 */
async function adoptIdentity(iam, accountId, found, tags, partition = 'aws') {
    const tagList = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    const desired = (0,policy_document/* desiredPolicyDocument */.yj)();
    // The user and the policy do not depend on each other until the attachment.
    const [user, policy] = await Promise.all([
        settleUser(iam, found.user, tagList, (0,names/* boundaryArnFor */.T9)(partition)),
        settlePolicy(iam, found.policy, desired, tagList, accountId, partition)
    ]);
    const attachedArns = user.status === 'created' ? [] : await attachedPolicyArns(iam);
    let attached = false;
    if (!attachedArns.includes(policy.arn)) {
        await attempt(`${names/* POLICY_NAME */.xl} on user ${names/* USER_NAME */.iw}`, () => iam.send(new client_iam_dist_cjs/* AttachUserPolicyCommand */.sGv({ UserName: names/* USER_NAME */.iw, PolicyArn: policy.arn })));
        attached = true;
    }
    return {
        userArn: user.arn,
        policyArn: policy.arn,
        user: user.status,
        policy: policy.status,
        attached
    };
}
async function settleUser(iam, existing, tags, boundary) {
    if (existing?.Arn)
        return { arn: existing.Arn, status: await settleBoundary(iam, existing, boundary) };
    try {
        const created = await iam.send(new client_iam_dist_cjs/* CreateUserCommand */.nMY({
            UserName: names/* USER_NAME */.iw,
            PermissionsBoundary: boundary,
            Tags: tags.length ? tags : undefined
        }));
        return { arn: created.User?.Arn ?? '', status: 'created' };
    }
    catch (error) {
        // Another run made it between our look and our create: use theirs.
        if (alreadyExists(error)) {
            const user = await getUser(iam);
            if (user?.Arn)
                return { arn: user.Arn, status: await settleBoundary(iam, user, boundary) };
        }
        throw (0,errors/* explainAwsFailure */.vt)(error, `IAM user ${names/* USER_NAME */.iw}`);
    }
}
/**
 * A user made by hand has no boundary, or another one: it gets the agent's, which the deploy
 * policy requires before it may attach the agent's policy to the user.
 */
async function settleBoundary(iam, user, boundary) {
    if (user.PermissionsBoundary?.PermissionsBoundaryArn === boundary)
        return 'reused';
    await attempt(`permissions boundary of IAM user ${names/* USER_NAME */.iw}`, () => iam.send(new client_iam_dist_cjs/* PutUserPermissionsBoundaryCommand */.YqB({ UserName: names/* USER_NAME */.iw, PermissionsBoundary: boundary })));
    return 'updated';
}
async function settlePolicy(iam, existing, desired, tags, accountId, partition) {
    let policy = existing;
    if (!policy) {
        try {
            const created = await iam.send(new client_iam_dist_cjs/* CreatePolicyCommand */.Mrm({
                PolicyName: names/* POLICY_NAME */.xl,
                PolicyDocument: JSON.stringify(desired),
                Description: (0,policy_document/* desiredPolicyDescription */.xB)(),
                Tags: tags.length ? tags : undefined
            }));
            return { arn: created.Policy?.Arn ?? policyArnFor(accountId, partition), status: 'created' };
        }
        catch (error) {
            if (!alreadyExists(error))
                throw (0,errors/* explainAwsFailure */.vt)(error, `IAM policy ${names/* POLICY_NAME */.xl}`);
            // Made by a run racing this one: bring theirs up to date like any existing policy.
            policy = await getPolicy(iam, accountId, partition);
            if (!policy)
                throw (0,errors/* explainAwsFailure */.vt)(error, `IAM policy ${names/* POLICY_NAME */.xl}`);
        }
    }
    const arn = policy.Arn ?? policyArnFor(accountId, partition);
    const updated = await bringPolicyUpToDate(iam, arn, policy.DefaultVersionId, desired);
    return { arn, status: updated ? 'updated' : 'unchanged' };
}
/** Makes the desired document the default version; false when it already was. */
async function bringPolicyUpToDate(iam, arn, defaultVersionId, desired) {
    const what = `IAM policy ${names/* POLICY_NAME */.xl}`;
    let versions;
    let defaultId = defaultVersionId;
    if (!defaultId) {
        versions = await listVersions(iam, arn);
        defaultId = versions.find(version => version.IsDefaultVersion)?.VersionId;
    }
    if (defaultId) {
        const current = await attempt(what, () => iam.send(new client_iam_dist_cjs/* GetPolicyVersionCommand */.G45({ PolicyArn: arn, VersionId: defaultId })));
        if ((0,policy_document/* samePolicyDocument */.sB)(current.PolicyVersion?.Document, desired))
            return false;
    }
    versions ??= await listVersions(iam, arn);
    if (versions.length >= MAX_POLICY_VERSIONS)
        await deleteOldestVersion(iam, arn, versions);
    try {
        await iam.send(new client_iam_dist_cjs/* CreatePolicyVersionCommand */.WZZ({
            PolicyArn: arn,
            PolicyDocument: JSON.stringify(desired),
            SetAsDefault: true
        }));
    }
    catch (error) {
        if (/^LimitExceeded(Exception)?$/.test((0,errors/* errorCode */.CA)(error) ?? '')) {
            throw new src_errors/* ActionError */.l(`Could not add a version to IAM policy ${names/* POLICY_NAME */.xl}: it already has the most versions ` +
                `IAM allows (${MAX_POLICY_VERSIONS}), most likely because another run added one at the ` +
                `same time. Re-run the workflow, or delete a version that is not the default: ` +
                `aws iam delete-policy-version --policy-arn ${arn} --version-id <version>`, { cause: error });
        }
        throw (0,errors/* explainAwsFailure */.vt)(error, what);
    }
    return true;
}
async function listVersions(iam, arn) {
    const answer = await attempt(`IAM policy ${names/* POLICY_NAME */.xl}`, () => iam.send(new client_iam_dist_cjs/* ListPolicyVersionsCommand */.D6R({ PolicyArn: arn })));
    return answer.Versions ?? [];
}
/** Room for one more version: the oldest that is not the default goes, as IAM requires. */
async function deleteOldestVersion(iam, arn, versions) {
    const oldest = versions
        .filter(version => !version.IsDefaultVersion && version.VersionId)
        .sort(olderFirst)[0];
    if (!oldest?.VersionId)
        return;
    try {
        await iam.send(new client_iam_dist_cjs/* DeletePolicyVersionCommand */.$Pb({ PolicyArn: arn, VersionId: oldest.VersionId }));
    }
    catch (error) {
        if (/^DeleteConflict(Exception)?$/.test((0,errors/* errorCode */.CA)(error) ?? '')) {
            throw new src_errors/* ActionError */.l(`Could not delete version ${oldest.VersionId} of IAM policy ${names/* POLICY_NAME */.xl} to make room ` +
                `for the current document (IAM keeps ${MAX_POLICY_VERSIONS}): IAM refused with a ` +
                `conflict, most likely because it became the default meanwhile. Re-run the workflow, or ` +
                `delete a version that is not the default: ` +
                `aws iam delete-policy-version --policy-arn ${arn} --version-id <version>`, { cause: error });
        }
        throw (0,errors/* explainAwsFailure */.vt)(error, `version ${oldest.VersionId} of IAM policy ${names/* POLICY_NAME */.xl}`);
    }
}
/** By creation time; the version number breaks ties between versions made in the same second. */
function olderFirst(a, b) {
    const time = (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0);
    return time || versionNumber(a) - versionNumber(b);
}
const versionNumber = (version) => Number(/\d+/.exec(version.VersionId ?? '')?.[0] ?? 0);
async function attachedPolicyArns(iam) {
    const arns = [];
    try {
        for await (const page of (0,client_iam_dist_cjs/* paginateListAttachedUserPolicies */.RC9)({ client: iam }, { UserName: names/* USER_NAME */.iw })) {
            for (const policy of page.AttachedPolicies ?? [])
                if (policy.PolicyArn)
                    arns.push(policy.PolicyArn);
        }
    }
    catch (error) {
        throw (0,errors/* explainAwsFailure */.vt)(error, `policies attached to IAM user ${names/* USER_NAME */.iw}`);
    }
    return arns;
}
async function attempt(what, call) {
    try {
        return await call();
    }
    catch (error) {
        throw (0,errors/* explainAwsFailure */.vt)(error, what);
    }
}

;// CONCATENATED MODULE: ./src/cloud-services/log-groups.ts
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

// EXTERNAL MODULE: ./src/cloud-services/trust-policies.ts
var trust_policies = __webpack_require__(60017);
;// CONCATENATED MODULE: ./src/cloud-services/oidc-provider.ts
/**
 * The IAM OIDC provider of an EKS cluster's issuer, which lets IAM trust the cluster's service
 * account tokens. It is one per issuer and account, and often exists already (eksctl, Terraform,
 * the console): it is found by the ARN the issuer gives it, and registered only when missing.
 */



const oidc_provider_isMissing = (error) => /^NoSuchEntity(Exception)?$/.test((0,errors/* errorCode */.CA)(error) ?? '');
const oidc_provider_alreadyExists = (error) => /^EntityAlreadyExists(Exception)?$/.test((0,errors/* errorCode */.CA)(error) ?? '');
function providerArnFor(issuer, accountId, partition) {
    return `arn:${partition}:iam::${accountId}:oidc-provider/${issuerHostOf(issuer)}`;
}
function issuerHostOf(issuer) {
    return issuer.replace(/^https:\/\//, '').replace(/\/+$/, '');
}
/**
 * The provider for `issuer`, with the audience the agent's token carries. A provider someone else
 * registered without that audience gets it added, which only lets the tokens of this audience in.
 */
async function ensureOidcProvider(iam, issuer, accountId, partition, tags) {
    const arn = providerArnFor(issuer, accountId, partition);
    const issuerHost = issuerHostOf(issuer);
    const what = `the IAM OIDC provider of issuer ${issuer}`;
    try {
        const existing = await getProvider(iam, arn);
        if (!existing) {
            try {
                await iam.send(new client_iam_dist_cjs/* CreateOpenIDConnectProviderCommand */.QJe({
                    Url: issuer,
                    ClientIDList: [names/* IRSA_AUDIENCE */.Lr],
                    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))
                }));
                return { arn, issuerHost, status: 'created' };
            }
            catch (error) {
                // A racing run, or another cluster sharing the issuer, registered it first.
                if (!oidc_provider_alreadyExists(error))
                    throw error;
            }
        }
        const audiences = existing?.ClientIDList ?? (await getProvider(iam, arn))?.ClientIDList ?? [];
        if (audiences.includes(names/* IRSA_AUDIENCE */.Lr))
            return { arn, issuerHost, status: 'reused' };
        await iam.send(new client_iam_dist_cjs/* AddClientIDToOpenIDConnectProviderCommand */.gST({
            OpenIDConnectProviderArn: arn,
            ClientID: names/* IRSA_AUDIENCE */.Lr
        }));
        return { arn, issuerHost, status: 'updated' };
    }
    catch (error) {
        throw (0,errors/* explainAwsFailure */.vt)(error, what);
    }
}
async function getProvider(iam, arn) {
    try {
        return await iam.send(new client_iam_dist_cjs/* GetOpenIDConnectProviderCommand */.cCT({ OpenIDConnectProviderArn: arn }));
    }
    catch (error) {
        if (oidc_provider_isMissing(error))
            return undefined;
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/cloud-services/pod-identity.ts
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
        const answer = await eks.send(new client_eks_dist_cjs/* DescribeAddonCommand */.BFv({ clusterName, addonName: POD_IDENTITY_ADDON }));
        status = answer.addon?.status ?? 'ACTIVE';
    }
    catch (error) {
        if ((0,errors/* errorCode */.CA)(error) !== 'ResourceNotFoundException') {
            throw (0,errors/* explainAwsFailure */.vt)(error, `add-on ${POD_IDENTITY_ADDON} of EKS cluster ${clusterName}`);
        }
    }
    if (status && WORKING_ADDON.has(status))
        return;
    throw new src_errors/* ActionError */.l(`cloud-services-auth: pod-identity needs the EKS Pod Identity agent in cluster ` +
        `'${clusterName}', and its add-on ${POD_IDENTITY_ADDON} is ` +
        `${status ? status.toLowerCase().replace(/_/g, ' ') : 'not installed'}. Install it: aws eks ` +
        `create-addon --cluster-name ${clusterName} --addon-name ${POD_IDENTITY_ADDON} ` +
        `--region ${region}, or use cloud-services-auth: irsa, which needs no add-on.`);
}
/** The ServiceAccount associated with the role: created, pointed at the role, or left as it is. */
async function ensurePodIdentityAssociation(eks, target, requestToken) {
    const what = `the Pod Identity association of ${target.namespace}/${target.serviceAccount}`;
    try {
        const existing = await findAssociation(eks, target);
        if (!existing) {
            try {
                const created = await eks.send(new client_eks_dist_cjs/* CreatePodIdentityAssociationCommand */.FHt({ ...target, clientRequestToken: requestToken }));
                return { associationId: created.association?.associationId ?? '', status: 'created' };
            }
            catch (error) {
                // A racing run associated the ServiceAccount first: settle theirs.
                if ((0,errors/* errorCode */.CA)(error) !== 'ResourceInUseException')
                    throw error;
            }
        }
        const association = existing ?? (await findAssociation(eks, target));
        if (!association)
            throw new src_errors/* ActionError */.l(`${what} vanished while it was being created.`);
        if (association.roleArn === target.roleArn) {
            return { associationId: association.associationId, status: 'unchanged' };
        }
        await eks.send(new client_eks_dist_cjs/* UpdatePodIdentityAssociationCommand */.Tr6({
            clusterName: target.clusterName,
            associationId: association.associationId,
            roleArn: target.roleArn
        }));
        return { associationId: association.associationId, status: 'updated' };
    }
    catch (error) {
        throw (0,errors/* explainAwsFailure */.vt)(error, what);
    }
}
async function findAssociation(eks, target) {
    const { clusterName, namespace, serviceAccount } = target;
    const listed = await eks.send(new client_eks_dist_cjs/* ListPodIdentityAssociationsCommand */.pp8({ clusterName, namespace, serviceAccount }));
    const associationId = listed.associations?.[0]?.associationId;
    if (!associationId)
        return undefined;
    const described = await eks.send(new client_eks_dist_cjs/* DescribePodIdentityAssociationCommand */.$tu({ clusterName, associationId }));
    return { associationId, roleArn: described.association?.roleArn };
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(57975);
// EXTERNAL MODULE: ./src/action-files.ts
var action_files = __webpack_require__(64775);
// EXTERNAL MODULE: ./src/poll.ts
var poll = __webpack_require__(29810);
;// CONCATENATED MODULE: ./src/cloud-services/stack.ts
/**
 * The CloudFormation stack that owns the agent's IAM user and policy: found, created from the
 * template shipped with the action, brought up to date when that template changed, and waited for.
 */









const ABOUT = `stack ${names/* STACK_NAME */.bm}`;
/** Settled states whose resources exist and which UpdateStack accepts. */
const USABLE = new Set([
    'CREATE_COMPLETE',
    'UPDATE_COMPLETE',
    'UPDATE_ROLLBACK_COMPLETE',
    'IMPORT_COMPLETE',
    'IMPORT_ROLLBACK_COMPLETE'
]);
const DELETE_IT = `delete the stack ${names/* STACK_NAME */.bm}`;
const RECREATE = `remove the cause, ${DELETE_IT} (a failed create cannot be updated), then re-run.`;
const RETAIN = `${DELETE_IT}, retaining what CloudFormation cannot delete, then re-run.`;
/** What the user does about a stack that settled in each failed state. */
const FIXES = {
    CREATE_FAILED: RECREATE,
    ROLLBACK_COMPLETE: RECREATE,
    ROLLBACK_FAILED: RETAIN,
    DELETE_FAILED: RETAIN,
    DELETE_COMPLETE: 'remove the cause, then re-run: the failed stack was deleted, so it is created anew.',
    UPDATE_ROLLBACK_COMPLETE: 'remove the cause, then re-run; the stack keeps its previous template.',
    UPDATE_ROLLBACK_FAILED: 'continue its rollback (continue-update-rollback), then re-run.',
    UPDATE_FAILED: 'roll it back (rollback-stack) or remove the cause, then re-run.',
    REVIEW_IN_PROGRESS: `execute the change set that created the stack, or ${DELETE_IT}; then re-run.`
};
const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded']);
/** The stack as it is now, or undefined when it does not exist. */
async function findStack(cfn) {
    try {
        const answer = await cfn.send(new dist_cjs/* DescribeStacksCommand */.Y47({ StackName: names/* STACK_NAME */.bm }));
        return answer.Stacks?.[0];
    }
    catch (error) {
        if (stack_isMissing(error))
            return undefined;
        throw (0,errors/* explainAwsFailure */.vt)(error, ABOUT);
    }
}
/** CloudFormation has no NotFound code: a missing stack is a ValidationError that says so. */
function stack_isMissing(error) {
    return (0,errors/* errorCode */.CA)(error) === 'ValidationError' && /does not exist/.test(messageOf(error));
}
function messageOf(error) {
    return error instanceof Error ? error.message : String(error);
}
/**
 * Brings the stack to the shipped template: create it when `existing` is undefined; wait for one
 * in progress (a racing run's); leave a complete one alone unless its template differs, then
 * update it and wait.
 */
async function ensureStack(cfn, existing, options) {
    const templateBody = await (0,promises_.readFile)((0,action_files/* actionFile */.V)(names/* TEMPLATE_FILE */.cc), 'utf8');
    const deadline = options.clock.now() + options.timeoutMs;
    const wait = (stack) => waitForStack(cfn, stack, deadline, options.clock);
    let stack = existing;
    // Each pass acts on what it last read. A racing run can create, change or lose the stack in
    // between, so a pass may end by re-reading; three passes cover create-lost-race-then-wait.
    for (let pass = 0; pass < 3; pass++) {
        if (!stack || stack.StackStatus === 'DELETE_COMPLETE') {
            const stackId = await createStack(cfn, templateBody, options);
            if (!stackId) {
                stack = await findStack(cfn);
                continue;
            }
            const created = await wait({ StackId: stackId, StackStatus: 'CREATE_IN_PROGRESS' });
            if (created.StackStatus !== 'CREATE_COMPLETE')
                throw await stackFailure(cfn, created);
            return outcome(created, 'created');
        }
        if (inProgress(stack)) {
            core/* info */.pq(`Stack ${names/* STACK_NAME */.bm} is ${stack.StackStatus}: waiting for it to settle`);
            stack = await wait(stack);
            continue;
        }
        if (!USABLE.has(stack.StackStatus ?? ''))
            throw await stackFailure(cfn, stack);
        if (await templateMatches(cfn, stack, templateBody))
            return outcome(stack, 'unchanged');
        if (!(await updateStack(cfn, stack, templateBody, options)))
            return outcome(stack, 'unchanged');
        const updated = await wait({ ...stack, StackStatus: 'UPDATE_IN_PROGRESS' });
        if (updated.StackStatus !== 'UPDATE_COMPLETE')
            throw await stackFailure(cfn, updated);
        return outcome(updated, 'updated');
    }
    throw new src_errors/* ActionError */.l(`Stack ${names/* STACK_NAME */.bm} kept changing while this run worked on it (another run or a person ` +
        `is changing it); re-run once they are done.`);
}
/** What CreateStack and UpdateStack both send. */
function stackChange(templateBody, options) {
    return {
        TemplateBody: templateBody,
        // The deploy policy allows a stack write only with the template's resource types declared, so
        // that its holder cannot put anything else (a role, an inline policy) into the stack.
        ResourceTypes: resourceTypesOf(templateBody),
        Capabilities: [dist_cjs/* Capability */.nSK.CAPABILITY_NAMED_IAM],
        Tags: Object.entries(options.tags).map(([Key, Value]) => ({ Key, Value }))
    };
}
function resourceTypesOf(templateBody) {
    const template = JSON.parse(templateBody);
    return [...new Set(Object.values(template.Resources ?? {}).map(resource => resource.Type))].sort();
}
/**
 * Its StackId, or undefined when a stack of that name exists now (a racing run's), to be waited
 * for and adopted. CloudFormation answers a lost race with AlreadyExistsException, but a create
 * that fails for any reason is followed by a look: the failure is only reported when no stack of
 * that name came to be, whatever error the lost race produced.
 */
async function createStack(cfn, templateBody, options) {
    core/* info */.pq(`Creating stack ${names/* STACK_NAME */.bm}`);
    try {
        const answer = await cfn.send(new dist_cjs/* CreateStackCommand */.O_S({
            StackName: names/* STACK_NAME */.bm,
            ...stackChange(templateBody, options),
            // ROLLBACK would keep a ROLLBACK_COMPLETE stack that cannot be updated and blocks a new
            // create until someone deletes it; DELETE lets the re-run after a fix converge. The
            // reasons are not lost: the events stay readable by stack ID and are reported.
            OnFailure: 'DELETE',
            ClientRequestToken: options.requestToken.slice(0, 128)
        }));
        return answer.StackId;
    }
    catch (error) {
        if ((0,errors/* errorCode */.CA)(error) === 'AlreadyExistsException')
            return undefined;
        const racing = await findStack(cfn).catch(() => undefined);
        if (racing && racing.StackStatus !== 'DELETE_COMPLETE') {
            core/* info */.pq(`Creating stack ${names/* STACK_NAME */.bm} failed (${messageOf(error)}), but another run created it ` +
                `meanwhile (${racing.StackStatus}): using that one.`);
            return undefined;
        }
        throw (0,errors/* explainAwsFailure */.vt)(error, ABOUT);
    }
}
/** False when CloudFormation finds nothing to change. */
async function updateStack(cfn, stack, templateBody, options) {
    core/* info */.pq(`Stack ${names/* STACK_NAME */.bm} has an older template: updating it`);
    try {
        await cfn.send(new dist_cjs/* UpdateStackCommand */.zPv({
            StackName: stack.StackId,
            ...stackChange(templateBody, options),
            // Its own token: CloudFormation stamps it on every event of the operation, which keeps
            // this update's events apart from a create's when failures are read back.
            ClientRequestToken: `${options.requestToken.slice(0, 121)}-update`
        }));
        return true;
    }
    catch (error) {
        const nothingToDo = /No updates are to be performed/i.test(messageOf(error));
        if ((0,errors/* errorCode */.CA)(error) === 'ValidationError' && nothingToDo)
            return false;
        throw (0,errors/* explainAwsFailure */.vt)(error, ABOUT);
    }
}
/** Compared as parsed JSON, so formatting and key order are not a change. */
async function templateMatches(cfn, stack, templateBody) {
    const answer = await cfn
        .send(new dist_cjs/* GetTemplateCommand */._JK({ StackName: stack.StackId, TemplateStage: 'Original' }))
        .catch(error => Promise.reject((0,errors/* explainAwsFailure */.vt)(error, ABOUT)));
    try {
        return (0,external_node_util_.isDeepStrictEqual)(JSON.parse(answer.TemplateBody ?? ''), JSON.parse(templateBody));
    }
    catch {
        // A YAML template, or none: not the one this action ships.
        return false;
    }
}
/** REVIEW_IN_PROGRESS waits for a person to execute a change set, so waiting would not end it. */
function inProgress(stack) {
    const status = stack.StackStatus ?? '';
    return status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';
}
/** Polls by stack ID, which keeps answering after a failed create deleted the stack. */
async function waitForStack(cfn, known, deadline, clock) {
    let latest = known;
    const { value: stack, elapsedMs } = await (0,poll/* pollUntil */.g3)({
        clock,
        timeoutMs: Math.max(0, deadline - clock.now()),
        probe: async () => {
            try {
                const answer = await cfn.send(new dist_cjs/* DescribeStacksCommand */.Y47({ StackName: known.StackId }));
                latest = answer.Stacks?.[0] ?? { ...latest, StackStatus: 'DELETE_COMPLETE' };
            }
            catch (error) {
                if (stack_isMissing(error))
                    latest = { ...latest, StackStatus: 'DELETE_COMPLETE' };
                // The SDK has retried already; a long wait can afford to skip a look rather than fail.
                else if (!THROTTLING.has((0,errors/* errorCode */.CA)(error) ?? ''))
                    throw (0,errors/* explainAwsFailure */.vt)(error, ABOUT);
            }
            return latest;
        },
        done: stack => !inProgress(stack),
        progress: (stack, elapsedMs) => core/* info */.pq(`Stack ${names/* STACK_NAME */.bm}: ${stack.StackStatus} (${(0,poll/* formatElapsed */.C7)(elapsedMs)})`)
    });
    if (inProgress(stack)) {
        throw new src_errors/* ActionError */.l(`Stack ${names/* STACK_NAME */.bm} is still ${stack.StackStatus} after ${(0,poll/* formatElapsed */.C7)(elapsedMs)}, past ` +
            `the wait timeout ('wait-timeout'). CloudFormation carries on without this run: a re-run ` +
            `waits for it. Raise 'wait-timeout', or follow the stack's events in the console.`);
    }
    return stack;
}
function outcome(stack, status) {
    const output = (key) => {
        const value = stack.Outputs?.find(output => output.OutputKey === key)?.OutputValue;
        if (value)
            return value;
        throw new src_errors/* ActionError */.l(`Stack ${names/* STACK_NAME */.bm} has no output ${key}, so it was not made from this action's template. ` +
            `Delete it (or give it that output), then re-run.`);
    };
    const [userArn, policyArn] = [output('UserArn'), output('PolicyArn')];
    return { stackId: stack.StackId ?? '', userArn, policyArn, status };
}
/** One line: the state, each failed resource with CloudFormation's reason, and the fix. */
async function stackFailure(cfn, stack) {
    const status = stack.StackStatus ?? 'in an unknown state';
    const failures = await latestFailures(cfn, stack);
    const why = failures.length > 0
        ? failures.join('; ')
        : stack.StackStatusReason || 'CloudFormation gave no reason';
    const fix = FIXES[status] ?? `bring the stack to a *_COMPLETE state or delete it, then re-run.`;
    return new src_errors/* ActionError */.l(oneLine(`Stack ${names/* STACK_NAME */.bm} is ${status}: ${why}. To fix: ${fix}`));
}
/** Enough pages for one attempt of a two-resource stack many times over. */
const MAX_EVENT_PAGES = 10;
/**
 * The *_FAILED resource events of the stack's latest operation, oldest first. Events come newest
 * first; the operation began at the stack's own CREATE/UPDATE_IN_PROGRESS event, and all its
 * events carry the same client request token when one was given.
 */
async function latestFailures(cfn, stack) {
    const failures = [];
    const StackName = stack.StackId ?? names/* STACK_NAME */.bm;
    let attempt;
    let NextToken;
    try {
        pages: for (let page = 0; page < MAX_EVENT_PAGES; page++) {
            const answer = await cfn.send(new dist_cjs/* DescribeStackEventsCommand */.Ie9({ StackName, NextToken }));
            for (const event of answer.StackEvents ?? []) {
                attempt ??= event;
                const token = attempt.ClientRequestToken;
                if (token && event.ClientRequestToken !== token)
                    break pages;
                if (isStackEvent(event, stack)) {
                    if (startsOperation(event))
                        break pages;
                }
                else if (event.ResourceStatus?.endsWith('_FAILED')) {
                    failures.push(`${event.LogicalResourceId} (${event.ResourceType}) ${event.ResourceStatus}: ` +
                        `${event.ResourceStatusReason || 'no reason given'}`);
                }
            }
            NextToken = answer.NextToken;
            if (!NextToken)
                break;
        }
    }
    catch (error) {
        // The failure itself matters more than a refused look at its events.
        const unread = `its events could not be read: ${messageOf((0,errors/* explainAwsFailure */.vt)(error, ABOUT))}`;
        return [`${stack.StackStatusReason ?? 'no reason given'} (${unread})`];
    }
    return [...new Set(failures.reverse())];
}
function isStackEvent(event, stack) {
    return (event.ResourceType === 'AWS::CloudFormation::Stack' &&
        (event.PhysicalResourceId === stack.StackId || event.LogicalResourceId === names/* STACK_NAME */.bm));
}
/**
 * Not DELETE_IN_PROGRESS: a create that fails with OnFailure DELETE goes on to delete, and the
 * reasons sit before that event.
 */
function startsOperation(event) {
    return ['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'IMPORT_IN_PROGRESS'].includes(event.ResourceStatus ?? '');
}
/** A reason can span lines; the step's error line must not. */
function oneLine(text) {
    return text.replace(/\s+/g, ' ').trim();
}

;// CONCATENATED MODULE: ./src/cloud-services/cloud-services.ts
/**
 * Cloud services: the AWS identity the agent uses to read CloudWatch.
 * - irsa: the cluster's IAM OIDC provider and a role trusted by the agent's ServiceAccount alone.
 * - access-key: the stack (or, for what the old script made by hand, the IAM resources
 *   themselves) first; the access key last, once the agent's release has been read, since a key
 *   the release already holds is kept.
 */



















class CloudServices {
    config;
    report;
    iam;
    cfn;
    logs;
    sts;
    eks;
    identity = {};
    /** The key this run made, while the agent may still get it. */
    createdKey;
    clock;
    constructor(config, report, { clock, callLog, signal }) {
        this.config = config;
        this.report = report;
        this.clock = clock;
        const settings = (0,clients/* clientConfig */.yO)(config.region, signal);
        this.iam = (0,clients/* instrument */.wV)(new client_iam_dist_cjs/* IAMClient */.h8v(settings), 'iam', callLog);
        this.cfn = (0,clients/* instrument */.wV)(new dist_cjs/* CloudFormationClient */.m1N(settings), 'cloudformation', callLog);
        this.logs = (0,clients/* instrument */.wV)(new client_cloudwatch_logs_dist_cjs/* CloudWatchLogsClient */.TFr(settings), 'logs', callLog);
        this.sts = (0,clients/* instrument */.wV)(new client_sts_dist_cjs/* STSClient */.iM(settings), 'sts', callLog);
        this.eks = (0,clients/* instrument */.wV)(new client_eks_dist_cjs/* EKSClient */.JQJ(settings), 'eks', callLog);
    }
    /** The identity settled by provisionIdentity, for the agent's release. */
    get agentIdentity() {
        return this.identity;
    }
    /**
     * irsa and pod-identity: the role for `serviceAccount` in the release namespace. access-key:
     * the user and its policy, through the stack unless the old script made them by hand.
     */
    async provisionIdentity(serviceAccount) {
        const auth = this.config.cloudServicesAuth;
        const withRole = auth !== 'access-key';
        const [stack, caller, logGroups, cluster] = await Promise.all([
            withRole ? undefined : findStack(this.cfn),
            this.sts.send(new client_sts_dist_cjs/* GetCallerIdentityCommand */.zI({})).catch(error => {
                throw (0,errors/* explainAwsFailure */.vt)(error, 'the workflow identity');
            }),
            listLogGroupNames(this.logs),
            withRole ? this.describeCluster() : undefined
        ]);
        const accountId = caller.Account ?? '';
        const partition = caller.Arn?.split(':')[1] ?? 'aws';
        if (cluster && auth === 'irsa') {
            await this.settleIrsaRole(clusterIssuer(cluster), serviceAccount, accountId, partition);
        }
        else if (cluster) {
            await this.settlePodIdentity(cluster, serviceAccount, accountId, partition);
        }
        else if (stack) {
            await this.settleStack(stack);
        }
        else {
            const found = await findIdentity(this.iam, accountId, partition);
            if (found.user || found.policy)
                await this.adopt(found, accountId, partition);
            else
                await this.settleStack(undefined);
        }
        this.report.note(`The agent can read CloudWatch metrics and ${logGroups.length} log group(s) in ${this.config.region}.`);
        core/* debug */.Yz(`Log groups: ${logGroups.join(', ')}`);
    }
    async describeCluster() {
        const name = this.config.clusterName;
        const answer = await this.eks.send(new client_eks_dist_cjs/* DescribeClusterCommand */.hV5({ name })).catch(error => {
            throw (0,errors/* explainAwsFailure */.vt)(error, `EKS cluster ${name}`);
        });
        if (!answer.cluster)
            throw new src_errors/* ActionError */.l(`EKS cluster '${name}' was described as nothing.`);
        return answer.cluster;
    }
    async settlePodIdentity(cluster, serviceAccount, accountId, partition) {
        const { region, clusterName, namespace, agentName, tags } = this.config;
        // Before the role: without the agent in the cluster, nothing is worth creating.
        await checkPodIdentityAgent(this.eks, cluster, region);
        const role = await (0,agent_identity/* ensureAgentIdentity */.kS)(this.iam, agent_identity/* AGENT_ROLE */.vm, {
            name: (0,agent_identity/* agentIdentityName */.b6)(agentName, clusterName, region),
            trust: (0,trust_policies/* podIdentityTrust */.UL)(accountId, cluster.arn ?? '', namespace, serviceAccount),
            tags,
            partition
        });
        (0,agent_identity/* recordAgentIdentity */.tT)(this.report, region, agent_identity/* AGENT_ROLE */.vm, role, `only ServiceAccount ${namespace}/${serviceAccount} of ${clusterName} may assume it`);
        const association = await ensurePodIdentityAssociation(this.eks, { clusterName, namespace, serviceAccount, roleArn: role.arn }, requestToken());
        this.report.record({
            kind: 'Pod Identity association',
            id: association.associationId,
            status: association.status,
            note: `ServiceAccount ${namespace}/${serviceAccount} gets ${role.name}`
        });
        this.identity = { roleArn: role.arn, podIdentity: true };
    }
    async settleIrsaRole(issuer, serviceAccount, accountId, partition) {
        const { region, clusterName, namespace, agentName, tags } = this.config;
        const provider = await ensureOidcProvider(this.iam, issuer, accountId, partition, tags);
        this.report.record({
            kind: 'IAM OIDC provider',
            id: provider.issuerHost,
            status: provider.status,
            note: provider.status === 'reused' ? 'already registered' : `for ${clusterName}'s issuer`
        });
        const role = await (0,agent_identity/* ensureAgentIdentity */.kS)(this.iam, agent_identity/* AGENT_ROLE */.vm, {
            name: (0,agent_identity/* agentIdentityName */.b6)(agentName, clusterName, region),
            trust: (0,trust_policies/* irsaTrust */.Ih)(provider, namespace, serviceAccount),
            tags,
            partition
        });
        (0,agent_identity/* recordAgentIdentity */.tT)(this.report, region, agent_identity/* AGENT_ROLE */.vm, role, `only ServiceAccount ${namespace}/${serviceAccount} of ${clusterName} may assume it`);
        this.identity = { roleArn: role.arn };
    }
    async settleStack(existing) {
        // ensureStack also answers a racing run's stack: it waits for theirs instead of creating one.
        const outcome = await ensureStack(this.cfn, existing, {
            tags: this.config.tags,
            clock: this.clock,
            timeoutMs: this.config.waitTimeoutMs,
            requestToken: requestToken()
        });
        this.report.record({
            kind: 'CloudFormation stack',
            id: names/* STACK_NAME */.bm,
            status: outcome.status,
            link: console_links/* consoleLinks */.t.stack(this.config.region, outcome.stackId)
        });
        this.recordIdentity(outcome.userArn, outcome.policyArn, outcome.status, outcome.status, 'in the stack');
        this.report.output('stack-id', outcome.stackId);
    }
    async adopt(found, accountId, partition) {
        core/* info */.pq(`${names/* USER_NAME */.iw} or ${names/* POLICY_NAME */.xl} exists outside CloudFormation (made by hand or by an older ` +
            `tool): managing them directly, without the stack.`);
        const adopted = await adoptIdentity(this.iam, accountId, found, this.config.tags, partition);
        if (adopted.user === 'updated') {
            core/* info */.pq(`Gave IAM user ${names/* USER_NAME */.iw} the permissions boundary ${names/* BOUNDARY_POLICY_NAME */.A7}: the deploy ` +
                `policy attaches the agent's policy only to a user capped at CloudWatch read.`);
        }
        // Attaching an unchanged policy to the user is still a change worth reporting.
        const policyStatus = adopted.policy === 'unchanged' && adopted.attached ? 'updated' : adopted.policy;
        this.recordIdentity(adopted.userArn, adopted.policyArn, adopted.user, policyStatus, 'managed outside CloudFormation');
    }
    recordIdentity(userArn, policyArn, userStatus, policyStatus, note) {
        this.report.record({
            kind: 'IAM user',
            id: names/* USER_NAME */.iw,
            status: userStatus,
            note,
            link: console_links/* consoleLinks */.t.iamUser(this.config.region, names/* USER_NAME */.iw)
        });
        this.report.record({
            kind: 'IAM policy',
            id: names/* POLICY_NAME */.xl,
            status: policyStatus,
            note,
            link: console_links/* consoleLinks */.t.iamPolicy(this.config.region, policyArn)
        });
        this.report.output('iam-user-arn', userArn);
        this.report.output('policy-arn', policyArn);
    }
    /**
     * The key the agent holds, kept while it is active; else the key this run made on an earlier
     * pass; else a new one. A key this run made that the agent will not get (a racing run's key
     * won) is deleted.
     */
    async agentKey(held) {
        const key = await ensureAccessKey(this.iam, names/* USER_NAME */.iw, held, this.createdKey);
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
    /** Deletes a key nothing holds; a failure is a warning, since the agent is not affected. */
    async deleteKey(accessKeyId, why) {
        try {
            await this.iam.send(new client_iam_dist_cjs/* DeleteAccessKeyCommand */.yq0({ UserName: names/* USER_NAME */.iw, AccessKeyId: accessKeyId }), clients/* EVEN_IF_CANCELLED */.fD);
            core/* info */.pq(`Deleted access key ${accessKeyId}: ${why}.`);
            this.report.record({
                kind: 'Access key',
                id: accessKeyId,
                status: 'stopped',
                note: `deleted: ${why}`
            });
        }
        catch (error) {
            core/* warning */.$e(`Could not delete access key ${accessKeyId} (${why}): ` +
                `${String((0,errors/* explainAwsFailure */.vt)(error, 'the unused key').message)}`);
        }
    }
    close() {
        for (const client of [this.iam, this.cfn, this.logs, this.sts, this.eks])
            client.destroy();
    }
}
/** The cluster's OIDC issuer, which IAM must trust for the agent's tokens. */
function clusterIssuer(cluster) {
    const issuer = cluster.identity?.oidc?.issuer;
    if (!issuer) {
        throw new src_errors/* ActionError */.l(`EKS cluster '${cluster.name}' has no OIDC issuer, which cloud-services-auth: irsa needs. ` +
            'Every EKS cluster has one; check that cluster and aws-region name an EKS cluster.');
    }
    return issuer;
}
/**
 * Same across an SDK retry of CreateStack or CreatePodIdentityAssociation, new for every run; CloudFormation allows 128
 * characters of [a-zA-Z][-a-zA-Z0-9]*.
 */
function requestToken() {
    const run = process.env.GITHUB_RUN_ID;
    const attempt = process.env.GITHUB_RUN_ATTEMPT ?? '1';
    return run ? `metrics-agent-action-${run}-${attempt}` : `metrics-agent-action-${Date.now()}`;
}


/***/ }),

/***/ 39108:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   sB: () => (/* binding */ samePolicyDocument),
/* harmony export */   xB: () => (/* binding */ desiredPolicyDescription),
/* harmony export */   yj: () => (/* binding */ desiredPolicyDocument)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _action_files_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(64775);
/* harmony import */ var _names_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9468);
/**
 * The policy document the agent's identity should carry. The CloudFormation template is the one
 * source: the stack and the adoption of a hand-made policy must never drift apart.
 */



/** Read afresh on each call: callers may change what they get without touching anyone else's. */
function managedPolicy() {
    const template = JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)((0,_action_files_js__WEBPACK_IMPORTED_MODULE_1__/* .actionFile */ .V)(_names_js__WEBPACK_IMPORTED_MODULE_2__/* .TEMPLATE_FILE */ .cc), 'utf8'));
    const policy = Object.values(template.Resources ?? {}).find(resource => resource.Type === 'AWS::IAM::ManagedPolicy');
    if (!policy?.Properties?.PolicyDocument) {
        throw new Error(`${_names_js__WEBPACK_IMPORTED_MODULE_2__/* .TEMPLATE_FILE */ .cc} has no AWS::IAM::ManagedPolicy with a PolicyDocument`);
    }
    return policy.Properties;
}
function desiredPolicyDocument() {
    return managedPolicy().PolicyDocument;
}
/** The description the template gives the policy, for one created outside the stack. */
function desiredPolicyDescription() {
    return managedPolicy().Description;
}
/** Fields whose value IAM treats as a set: a lone string means the same as a one-element list. */
const SET_VALUED = new Set(['Action', 'NotAction', 'Resource', 'NotResource']);
/**
 * Whether two documents grant the same thing, so that an equal one causes no new policy version.
 * IAM hands documents back URL-encoded (RFC 3986) and may reorder keys; statement order is kept,
 * since it is how the author wrote the policy and a reordering is worth a new version.
 */
function samePolicyDocument(a, b) {
    const left = normalise(a);
    const right = normalise(b);
    return left !== undefined && right !== undefined && left === right;
}
/** A canonical JSON text of the document, or undefined when it is not a readable document. */
function normalise(document) {
    const parsed = typeof document === 'string' ? parseDocumentText(document) : document;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
        return undefined;
    const { Statement, ...rest } = parsed;
    const statements = Statement === undefined ? [] : Array.isArray(Statement) ? Statement : [Statement];
    return canonicalJson({ ...rest, Statement: statements.map(normaliseStatement) });
}
function parseDocumentText(text) {
    const trimmed = text.trim();
    try {
        // A decoded document starts with a brace; decoding it again could break a literal '%'.
        return JSON.parse(trimmed.startsWith('{') ? trimmed : decodeURIComponent(trimmed));
    }
    catch {
        return undefined;
    }
}
function normaliseStatement(statement) {
    if (!statement || typeof statement !== 'object' || Array.isArray(statement))
        return statement;
    const result = {};
    for (const [key, value] of Object.entries(statement)) {
        result[key] = SET_VALUED.has(key) ? asSortedList(value) : value;
    }
    return result;
}
function asSortedList(value) {
    const list = Array.isArray(value) ? value : [value];
    return list.every(item => typeof item === 'string') ? [...new Set(list)].sort() : list;
}
/** JSON with object keys sorted at every level, so key order cannot make two documents differ. */
function canonicalJson(value) {
    if (Array.isArray(value))
        return `[${value.map(canonicalJson).join(',')}]`;
    if (value && typeof value === 'object') {
        const entries = Object.entries(value)
            .filter(([, item]) => item !== undefined)
            .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
        return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
    }
    return JSON.stringify(value);
}


/***/ }),

/***/ 60017:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hg: () => (/* binding */ ecsTaskTrust),
/* harmony export */   Ih: () => (/* binding */ irsaTrust),
/* harmony export */   UL: () => (/* binding */ podIdentityTrust)
/* harmony export */ });
/* harmony import */ var _names_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9468);
/**
 * Who may become the agent: the trust policies of the roles the action makes for it.
 */

/**
 * irsa: the cluster's OIDC provider may hand the role to exactly one ServiceAccount's tokens,
 * issued for STS. Nothing else in the cluster, and no other cluster, can become the agent.
 */
function irsaTrust(provider, namespace, serviceAccount) {
    return {
        Version: '2012-10-17',
        Statement: [
            {
                Sid: 'TheAgentServiceAccountOfOneCluster',
                Effect: 'Allow',
                Principal: { Federated: provider.arn },
                Action: 'sts:AssumeRoleWithWebIdentity',
                Condition: {
                    StringEquals: {
                        [`${provider.issuerHost}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
                        [`${provider.issuerHost}:aud`]: _names_js__WEBPACK_IMPORTED_MODULE_0__/* .IRSA_AUDIENCE */ .Lr
                    }
                }
            }
        ]
    };
}
/**
 * ECS: the agent's task role, assumable by ECS tasks on behalf of this account in this region only
 * (aws:SourceAccount and aws:SourceArn, as AWS advises against the confused deputy).
 */
function ecsTaskTrust(accountId, partition, region) {
    return {
        Version: '2012-10-17',
        Statement: [
            {
                Sid: 'EcsTasksOfThisAccountAndRegion',
                Effect: 'Allow',
                Principal: { Service: 'ecs-tasks.amazonaws.com' },
                Action: 'sts:AssumeRole',
                Condition: {
                    StringEquals: { 'aws:SourceAccount': accountId },
                    ArnLike: { 'aws:SourceArn': `arn:${partition}:ecs:${region}:${accountId}:*` }
                }
            }
        ]
    };
}
/**
 * EKS Pod Identity: EKS assumes the role for pods, tagging the session with the pod's cluster,
 * namespace and ServiceAccount; only the agent's ServiceAccount of this cluster matches.
 */
function podIdentityTrust(accountId, clusterArn, namespace, serviceAccount) {
    return {
        Version: '2012-10-17',
        Statement: [
            {
                Sid: 'TheAgentServiceAccountOfOneCluster',
                Effect: 'Allow',
                Principal: { Service: 'pods.eks.amazonaws.com' },
                Action: ['sts:AssumeRole', 'sts:TagSession'],
                Condition: {
                    StringEquals: {
                        'aws:SourceAccount': accountId,
                        'aws:RequestTag/eks-cluster-arn': clusterArn,
                        'aws:RequestTag/kubernetes-namespace': namespace,
                        'aws:RequestTag/kubernetes-service-account': serviceAccount
                    }
                }
            }
        ]
    };
}


/***/ })

};

//# sourceMappingURL=290.index.js.map