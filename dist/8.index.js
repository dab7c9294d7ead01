export const id = 8;
export const ids = [8];
export const modules = {

/***/ 64775:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   V: () => (/* binding */ actionFile)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(73136);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_url__WEBPACK_IMPORTED_MODULE_2__);
/**
 * Files shipped with the action (the chart, the agent's policy document) sit at the top of the
 * action beside dist/, and beside src/ in a checkout: look upwards from this module, so the bundle
 * and the tests find the same file.
 */



function actionFile(relativePath) {
    let directory = node_path__WEBPACK_IMPORTED_MODULE_1___default().dirname((0,node_url__WEBPACK_IMPORTED_MODULE_2__.fileURLToPath)(import.meta.url));
    for (;;) {
        const candidate = node_path__WEBPACK_IMPORTED_MODULE_1___default().join(directory, relativePath);
        if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(candidate))
            return candidate;
        const parent = node_path__WEBPACK_IMPORTED_MODULE_1___default().dirname(directory);
        if (parent === directory)
            throw new Error(`${relativePath} is missing from the action`);
        directory = parent;
    }
}


/***/ }),

/***/ 53083:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  vm: () => (/* binding */ AGENT_ROLE),
  sz: () => (/* binding */ AGENT_USER),
  b6: () => (/* binding */ agentIdentityName),
  kS: () => (/* binding */ ensureAgentIdentity),
  tT: () => (/* binding */ recordAgentIdentity)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(46058);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-iam/dist-cjs/index.js
var dist_cjs = __webpack_require__(16764);
// EXTERNAL MODULE: ./src/aws/console-links.ts
var console_links = __webpack_require__(20904);
// EXTERNAL MODULE: ./src/aws/errors.ts
var errors = __webpack_require__(99378);
// EXTERNAL MODULE: ./src/errors.ts
var src_errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/inputs.ts + 3 modules
var inputs = __webpack_require__(30926);
// EXTERNAL MODULE: ./src/cloud-services/names.ts
var names = __webpack_require__(9468);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./src/action-files.ts
var action_files = __webpack_require__(64775);
;// CONCATENATED MODULE: ./src/cloud-services/policy-document.ts
/**
 * The policy document every identity of the agent carries, shipped as a file, and how IAM's copy
 * of a document is compared with it.
 */



/** Read afresh on each call: callers may change what they get without touching anyone else's. */
function desiredPolicyDocument() {
    return JSON.parse((0,external_node_fs_.readFileSync)((0,action_files/* actionFile */.V)(names/* AGENT_POLICY_FILE */.q), 'utf8'));
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

;// CONCATENATED MODULE: ./src/cloud-services/agent-identity.ts
/**
 * The agent's IAM identity of one cluster, a role (irsa, ECS task role) or a user (access-key):
 * found by its name, created when missing, brought back to the trust, policy and tags it should
 * have when it drifted. Every write is one the deploy policies allow only on an identity capped by
 * the CloudWatch read-only boundary, and one the action did not make is never touched.
 */









/** IAM's limit on a role or user name. */
const MAX_NAME = 64;
const DESCRIPTION = 'CloudAEye metrics agent: reads CloudWatch. Managed by metrics-agent-action.';
const isMissing = (error) => /^NoSuchEntity(Exception)?$/.test((0,errors/* errorCode */.CA)(error) ?? '');
const alreadyExists = (error) => /^EntityAlreadyExists(Exception)?$/.test((0,errors/* errorCode */.CA)(error) ?? '');
/**
 * `CloudAEye@<cluster>.<region>` on EKS and `CloudAEye.ecs@<cluster>.<region>` on ECS, with
 * `-<agent>` after the prefix for an agent not of the default name: IAM is global, so the region
 * is part of the name; the platform keeps an EKS and an ECS cluster of one name apart (an agent
 * name has no dot), and the agent name two agents of one cluster. A name over IAM's 64
 * characters keeps its start and ends in a digest of the whole, so it stays readable and unique.
 */
function agentIdentityName(agentName, clusterName, region, platform = 'eks') {
    const agent = agentName === inputs/* DEFAULT_AGENT_NAME */.Mo ? '' : `-${agentName}`;
    const onEcs = platform === 'ecs' ? '.ecs' : '';
    const full = `${names/* ROLE_PREFIX */.Ii}${agent}${onEcs}@${clusterName}.${region}`;
    if (full.length <= MAX_NAME)
        return full;
    const digest = (0,external_node_crypto_.createHash)('sha256').update(full).digest('hex').slice(0, 10);
    return `${full.slice(0, MAX_NAME - digest.length - 1)}-${digest}`;
}
const asTags = (tags) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
const AGENT_ROLE = {
    noun: 'role',
    async get(iam, name) {
        const role = (await iam.send(new dist_cjs/* GetRoleCommand */.kbp({ RoleName: name }))).Role;
        return (role && {
            arn: role.Arn ?? '',
            tags: role.Tags ?? [],
            boundary: role.PermissionsBoundary?.PermissionsBoundaryArn,
            trust: role.AssumeRolePolicyDocument
        });
    },
    async create(iam, spec) {
        const answer = await iam.send(new dist_cjs/* CreateRoleCommand */.IS({
            RoleName: spec.name,
            AssumeRolePolicyDocument: JSON.stringify(spec.trust),
            PermissionsBoundary: (0,names/* boundaryArnFor */.T9)(spec.partition),
            Description: DESCRIPTION,
            Tags: asTags(spec.tags)
        }));
        return answer.Role?.Arn ?? '';
    },
    async getPolicy(iam, name) {
        const answer = await iam.send(new dist_cjs/* GetRolePolicyCommand */.WHQ({ RoleName: name, PolicyName: names/* AGENT_POLICY_NAME */.nJ }));
        return answer.PolicyDocument;
    },
    async putPolicy(iam, name, document) {
        await iam.send(new dist_cjs/* PutRolePolicyCommand */.pMt({
            RoleName: name,
            PolicyName: names/* AGENT_POLICY_NAME */.nJ,
            PolicyDocument: document
        }));
    },
    async tag(iam, name, tags) {
        await iam.send(new dist_cjs/* TagRoleCommand */.Wcv({ RoleName: name, Tags: tags }));
    },
    async updateTrust(iam, name, document) {
        await iam.send(new dist_cjs/* UpdateAssumeRolePolicyCommand */.tuH({ RoleName: name, PolicyDocument: document }));
    }
};
const AGENT_USER = {
    noun: 'user',
    async get(iam, name) {
        const user = (await iam.send(new dist_cjs/* GetUserCommand */.T3b({ UserName: name }))).User;
        return (user && {
            arn: user.Arn ?? '',
            tags: user.Tags ?? [],
            boundary: user.PermissionsBoundary?.PermissionsBoundaryArn
        });
    },
    async create(iam, spec) {
        const answer = await iam.send(new dist_cjs/* CreateUserCommand */.nMY({
            UserName: spec.name,
            PermissionsBoundary: (0,names/* boundaryArnFor */.T9)(spec.partition),
            Tags: asTags(spec.tags)
        }));
        return answer.User?.Arn ?? '';
    },
    async getPolicy(iam, name) {
        const answer = await iam.send(new dist_cjs/* GetUserPolicyCommand */.bcb({ UserName: name, PolicyName: names/* AGENT_POLICY_NAME */.nJ }));
        return answer.PolicyDocument;
    },
    async putPolicy(iam, name, document) {
        await iam.send(new dist_cjs/* PutUserPolicyCommand */.CkV({
            UserName: name,
            PolicyName: names/* AGENT_POLICY_NAME */.nJ,
            PolicyDocument: document
        }));
    },
    async tag(iam, name, tags) {
        await iam.send(new dist_cjs/* TagUserCommand */.pkA({ UserName: name, Tags: tags }));
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
            throw new src_errors/* ActionError */.l(`${what} vanished while it was being created.`);
        return await settle(iam, kind, found, spec);
    }
    catch (error) {
        throw (0,errors/* explainAwsFailure */.vt)(error, what);
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
    await kind.putPolicy(iam, spec.name, JSON.stringify(desiredPolicyDocument()));
    return { name: spec.name, arn, status: 'created', changes: [] };
}
async function settle(iam, kind, found, spec) {
    const { name, partition } = spec;
    const boundary = (0,names/* boundaryArnFor */.T9)(partition);
    if (found.tags.find(tag => tag.Key === inputs/* MANAGED_BY_TAG */.dS)?.Value !== inputs/* MANAGED_BY */.Kf) {
        throw new src_errors/* ActionError */.l(`IAM ${kind.noun} ${found.arn} exists but was not made by this action (it has no tag ` +
            `${inputs/* MANAGED_BY_TAG */.dS}=${inputs/* MANAGED_BY */.Kf}), so it is left alone. Rename or delete it, or give ` +
            'another agent-name.');
    }
    if (found.boundary !== boundary) {
        throw new src_errors/* ActionError */.l(`IAM ${kind.noun} ${found.arn} has lost its permissions boundary ${boundary}, which caps ` +
            'the agent at CloudWatch read; the deploy policy may change only a capped identity. ' +
            `Restore it: aws iam put-${kind.noun}-permissions-boundary --${kind.noun}-name ${name} ` +
            `--permissions-boundary ${boundary}`);
    }
    const changes = [];
    if (spec.trust && !samePolicyDocument(found.trust, spec.trust)) {
        await kind.updateTrust(iam, name, JSON.stringify(spec.trust));
        changes.push('trust policy');
    }
    const policy = await kind.getPolicy(iam, name).catch(error => {
        if (isMissing(error))
            return undefined;
        throw error;
    });
    if (!samePolicyDocument(policy, desiredPolicyDocument())) {
        await kind.putPolicy(iam, name, JSON.stringify(desiredPolicyDocument()));
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
        core/* info */.pq(`IAM ${kind.noun} ${identity.name}: brought back ${identity.changes.join(', ')}.`);
    }
    const isRole = kind.noun === 'role';
    report.record({
        kind: `IAM ${kind.noun}`,
        id: identity.name,
        status: identity.status,
        note,
        link: isRole
            ? console_links/* consoleLinks */.t.iamRole(region, identity.name)
            : console_links/* consoleLinks */.t.iamUser(region, identity.name)
    });
    report.output(isRole ? 'role-arn' : 'iam-user-arn', identity.arn);
}


/***/ }),

/***/ 13008:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   provideEcsTaskRole: () => (/* binding */ provideEcsTaskRole)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(16764);
/* harmony import */ var _aws_sdk_client_sts__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(71695);
/* harmony import */ var _aws_clients_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(96076);
/* harmony import */ var _aws_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(99378);
/* harmony import */ var _agent_identity_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(53083);
/* harmony import */ var _trust_policies_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(60017);
/**
 * Cloud services on ECS: the agent's task role, read CloudWatch and capped by the same boundary as
 * every identity the action makes. Only when the user gave no task-role-arn; theirs wins.
 */






/** The ARN of the task role the agent's task definition names. */
async function provideEcsTaskRole(config, report, { callLog, signal }) {
    const settings = (0,_aws_clients_js__WEBPACK_IMPORTED_MODULE_0__/* .clientConfig */ .yO)(config.region, signal);
    const iam = (0,_aws_clients_js__WEBPACK_IMPORTED_MODULE_0__/* .instrument */ .wV)(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_3__/* .IAMClient */ .h8v(settings), 'iam', callLog);
    const sts = (0,_aws_clients_js__WEBPACK_IMPORTED_MODULE_0__/* .instrument */ .wV)(new _aws_sdk_client_sts__WEBPACK_IMPORTED_MODULE_4__/* .STSClient */ .iM(settings), 'sts', callLog);
    try {
        const caller = await sts.send(new _aws_sdk_client_sts__WEBPACK_IMPORTED_MODULE_4__/* .GetCallerIdentityCommand */ .zI({})).catch(error => {
            throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .explainAwsFailure */ .vt)(error, 'the workflow identity');
        });
        const accountId = caller.Account ?? '';
        const partition = caller.Arn?.split(':')[1] ?? 'aws';
        const role = await (0,_agent_identity_js__WEBPACK_IMPORTED_MODULE_2__/* .ensureAgentIdentity */ .kS)(iam, _agent_identity_js__WEBPACK_IMPORTED_MODULE_2__/* .AGENT_ROLE */ .vm, {
            name: (0,_agent_identity_js__WEBPACK_IMPORTED_MODULE_2__/* .agentIdentityName */ .b6)(config.agentName, config.clusterName, config.region, 'ecs'),
            trust: (0,_trust_policies_js__WEBPACK_IMPORTED_MODULE_5__/* .ecsTaskTrust */ .Hg)(accountId, partition, config.region),
            tags: config.tags,
            partition
        });
        (0,_agent_identity_js__WEBPACK_IMPORTED_MODULE_2__/* .recordAgentIdentity */ .tT)(report, config.region, _agent_identity_js__WEBPACK_IMPORTED_MODULE_2__/* .AGENT_ROLE */ .vm, role, `only ECS tasks of ${accountId} in ${config.region} may assume it`);
        return role.arn;
    }
    finally {
        iam.destroy();
        sts.destroy();
    }
}


/***/ }),

/***/ 9468:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ii: () => (/* binding */ ROLE_PREFIX),
/* harmony export */   Lr: () => (/* binding */ IRSA_AUDIENCE),
/* harmony export */   QH: () => (/* binding */ SEED_USER_NAME),
/* harmony export */   T9: () => (/* binding */ boundaryArnFor),
/* harmony export */   nJ: () => (/* binding */ AGENT_POLICY_NAME),
/* harmony export */   q: () => (/* binding */ AGENT_POLICY_FILE)
/* harmony export */ });
/* unused harmony export BOUNDARY_POLICY_NAME */
/** The names of what cloud services provisions and of what the script it replaces left behind. */
/**
 * The IAM user the seed's script made and shared between clusters. The action makes none like it
 * any more; a key of it that an agent's release holds is deleted once the agent moved off it.
 */
const SEED_USER_NAME = 'CloudAEyeServiceAccount';
/** The read-only policy document every identity of the agent carries, inline. */
const AGENT_POLICY_FILE = 'templates/agent-cloudwatch-read.json';
const AGENT_POLICY_NAME = 'CloudAEyeCloudWatchRead';
/**
 * The permissions boundary on every identity the action makes for the agent: AWS's own CloudWatch
 * read-only policy. Nobody in the account can change it, so whoever may write the agent's policy
 * still cannot give the agent more than CloudWatch read.
 */
const BOUNDARY_POLICY_NAME = 'CloudWatchReadOnlyAccess';
function boundaryArnFor(partition) {
    return `arn:${partition}:iam::aws:policy/${BOUNDARY_POLICY_NAME}`;
}
/**
 * Every role and user the action makes for an agent starts with this, which the deploy policies
 * scope their writes to (and ECS's PassRole already allows). A name prefix, not an IAM path: IAM
 * authorises a call on an identity that does not exist yet against the ARN without a path, so a
 * path-scoped GetRole would be refused where it should answer "no such role".
 */
const ROLE_PREFIX = 'CloudAEye';
/**
 * The audience of the service account token the EKS Pod Identity webhook projects, in every
 * partition (the webhook's default, which the chart does not change).
 */
const IRSA_AUDIENCE = 'sts.amazonaws.com';


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

//# sourceMappingURL=8.index.js.map