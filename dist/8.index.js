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
 * Files shipped with the action (the chart, the CloudFormation template) sit at the top of the
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
/* harmony import */ var _agent_identity_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(67604);
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
/* harmony export */   A7: () => (/* binding */ BOUNDARY_POLICY_NAME),
/* harmony export */   Ii: () => (/* binding */ ROLE_PREFIX),
/* harmony export */   Lr: () => (/* binding */ IRSA_AUDIENCE),
/* harmony export */   T9: () => (/* binding */ boundaryArnFor),
/* harmony export */   WD: () => (/* binding */ ROLE_POLICY_NAME),
/* harmony export */   bm: () => (/* binding */ STACK_NAME),
/* harmony export */   cc: () => (/* binding */ TEMPLATE_FILE),
/* harmony export */   iw: () => (/* binding */ USER_NAME),
/* harmony export */   xl: () => (/* binding */ POLICY_NAME)
/* harmony export */ });
/**
 * The names of what cloud services provisions. Fixed, not derived from inputs: the script this
 * action replaces used the same ones, and the action adopts what it left behind.
 */
const STACK_NAME = 'CloudAEyeServiceAccountStack';
const USER_NAME = 'CloudAEyeServiceAccount';
const POLICY_NAME = 'CloudAEyeServiceAccountPolicy';
const TEMPLATE_FILE = 'templates/cloudaeye-service-account.json';
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
 * Every role the action makes for an agent starts with this, which the deploy policies scope role
 * writes to (and ECS's PassRole already allows). A name prefix, not an IAM path: IAM authorises a
 * call on a role that does not exist yet against the ARN without a path, so a path-scoped GetRole
 * would be refused where it should answer "no such role".
 */
const ROLE_PREFIX = 'CloudAEye';
/** The inline policy on an agent role: the same document as the user's managed policy. */
const ROLE_POLICY_NAME = 'CloudAEyeCloudWatchRead';
/**
 * The audience of the service account token the EKS Pod Identity webhook projects, in every
 * partition (the webhook's default, which the chart does not change).
 */
const IRSA_AUDIENCE = 'sts.amazonaws.com';


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

//# sourceMappingURL=8.index.js.map