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

/***/ 79038:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   dC: () => (/* binding */ recordAgentRole),
/* harmony export */   gH: () => (/* binding */ ensureAgentRole),
/* harmony export */   rr: () => (/* binding */ agentRoleName)
/* harmony export */ });
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
 * The agent's IAM role of one cluster: found by its name, created when missing, brought back to
 * the trust, policy and tags it should have when it drifted. Every write is one that the deploy
 * policy allows only on a role capped by the CloudWatch read-only boundary.
 */









/** IAM's limit on a role name. */
const MAX_ROLE_NAME = 64;
const isMissing = (error) => /^NoSuchEntity(Exception)?$/.test((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .errorCode */ .CA)(error) ?? '');
const alreadyExists = (error) => /^EntityAlreadyExists(Exception)?$/.test((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .errorCode */ .CA)(error) ?? '');
/**
 * `CloudAEye@<cluster>.<region>` on EKS and `CloudAEye.ecs@<cluster>.<region>` on ECS, with
 * `-<agent>` after the prefix for an agent not of the default name: IAM is global, so the region
 * is part of the name; the platform keeps an EKS and an ECS cluster of one name apart (an agent
 * name has no dot), and the agent name two agents of one cluster. A name over IAM's 64
 * characters keeps its start and ends in a digest of the whole, so it stays readable and unique.
 */
function agentRoleName(agentName, clusterName, region, platform = 'eks') {
    const agent = agentName === _inputs_js__WEBPACK_IMPORTED_MODULE_5__/* .DEFAULT_AGENT_NAME */ .Mo ? '' : `-${agentName}`;
    const onEcs = platform === 'ecs' ? '.ecs' : '';
    const full = `${_names_js__WEBPACK_IMPORTED_MODULE_7__/* .ROLE_PREFIX */ .Ii}${agent}${onEcs}@${clusterName}.${region}`;
    if (full.length <= MAX_ROLE_NAME)
        return full;
    const digest = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(full).digest('hex').slice(0, 10);
    return `${full.slice(0, MAX_ROLE_NAME - digest.length - 1)}-${digest}`;
}
/** The role's row in the summary, its output, and what a re-run brought back, in the log. */
function recordAgentRole(report, region, role, who) {
    if (role.changes.length > 0) {
        _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(`IAM role ${role.name}: brought back ${role.changes.join(', ')}.`);
    }
    report.record({
        kind: 'IAM role',
        id: role.name,
        status: role.status,
        note: `only ${who} may assume it`,
        link: _aws_console_links_js__WEBPACK_IMPORTED_MODULE_2__/* .consoleLinks */ .t.iamRole(region, role.name)
    });
    report.output('role-arn', role.arn);
}
/** The role as `spec` describes it, making only the calls that something differs calls for. */
async function ensureAgentRole(iam, spec) {
    const existing = await getRole(iam, spec.name);
    if (!existing) {
        const created = await createRole(iam, spec);
        if (created)
            return created;
    }
    const role = existing ?? (await getRole(iam, spec.name));
    if (!role)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`IAM role ${spec.name} vanished while it was being created.`);
    return await settleRole(iam, role, spec);
}
async function getRole(iam, name) {
    try {
        return (await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_8__/* .GetRoleCommand */ .kbp({ RoleName: name }))).Role;
    }
    catch (error) {
        if (isMissing(error))
            return undefined;
        throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .explainAwsFailure */ .vt)(error, `IAM role ${name}`);
    }
}
/** Undefined when a racing run created the role first: the caller then settles theirs. */
async function createRole(iam, spec) {
    let arn;
    try {
        const answer = await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_8__/* .CreateRoleCommand */ .IS({
            RoleName: spec.name,
            AssumeRolePolicyDocument: JSON.stringify(spec.trust),
            PermissionsBoundary: (0,_names_js__WEBPACK_IMPORTED_MODULE_7__/* .boundaryArnFor */ .T9)(spec.partition),
            Description: 'CloudAEye metrics agent: reads CloudWatch. Managed by metrics-agent-action.',
            Tags: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value }))
        }));
        arn = answer.Role?.Arn;
    }
    catch (error) {
        if (alreadyExists(error))
            return undefined;
        throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .explainAwsFailure */ .vt)(error, `IAM role ${spec.name}`);
    }
    await putPolicy(iam, spec.name);
    return { arn: arn ?? '', status: 'created', changes: [] };
}
async function settleRole(iam, role, spec) {
    const name = spec.name;
    if (role.Tags?.find(tag => tag.Key === _inputs_js__WEBPACK_IMPORTED_MODULE_5__/* .MANAGED_BY_TAG */ .dS)?.Value !== _inputs_js__WEBPACK_IMPORTED_MODULE_5__/* .MANAGED_BY */ .Kf) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`IAM role ${role.Arn} exists but was not made by this action (it has no tag ` +
            `${_inputs_js__WEBPACK_IMPORTED_MODULE_5__/* .MANAGED_BY_TAG */ .dS}=${_inputs_js__WEBPACK_IMPORTED_MODULE_5__/* .MANAGED_BY */ .Kf}), so it is left alone. Rename or delete it, or give ` +
            'another agent-name.');
    }
    if (role.PermissionsBoundary?.PermissionsBoundaryArn !== (0,_names_js__WEBPACK_IMPORTED_MODULE_7__/* .boundaryArnFor */ .T9)(spec.partition)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`IAM role ${role.Arn} has lost its permissions boundary ${(0,_names_js__WEBPACK_IMPORTED_MODULE_7__/* .boundaryArnFor */ .T9)(spec.partition)}, ` +
            'which caps the agent at CloudWatch read; the deploy policy may change only a capped ' +
            `role. Restore it: aws iam put-role-permissions-boundary --role-name ${name} ` +
            `--permissions-boundary ${(0,_names_js__WEBPACK_IMPORTED_MODULE_7__/* .boundaryArnFor */ .T9)(spec.partition)}`);
    }
    const changes = [];
    try {
        if (!(0,_policy_document_js__WEBPACK_IMPORTED_MODULE_6__/* .samePolicyDocument */ .sB)(role.AssumeRolePolicyDocument, spec.trust)) {
            await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_8__/* .UpdateAssumeRolePolicyCommand */ .tuH({
                RoleName: name,
                PolicyDocument: JSON.stringify(spec.trust)
            }));
            changes.push('trust policy');
        }
        if (!(await hasDesiredPolicy(iam, name))) {
            await putPolicy(iam, name);
            changes.push('CloudWatch read policy');
        }
        const tags = Object.entries(spec.tags).filter(([key, value]) => role.Tags?.find(tag => tag.Key === key)?.Value !== value);
        if (tags.length > 0) {
            await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_8__/* .TagRoleCommand */ .Wcv({
                RoleName: name,
                Tags: tags.map(([Key, Value]) => ({ Key, Value }))
            }));
            changes.push('tags');
        }
    }
    catch (error) {
        throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .explainAwsFailure */ .vt)(error, `IAM role ${name}`);
    }
    return { arn: role.Arn ?? '', status: changes.length ? 'updated' : 'unchanged', changes };
}
async function hasDesiredPolicy(iam, name) {
    try {
        const answer = await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_8__/* .GetRolePolicyCommand */ .WHQ({ RoleName: name, PolicyName: _names_js__WEBPACK_IMPORTED_MODULE_7__/* .ROLE_POLICY_NAME */ .WD }));
        return (0,_policy_document_js__WEBPACK_IMPORTED_MODULE_6__/* .samePolicyDocument */ .sB)(answer.PolicyDocument, (0,_policy_document_js__WEBPACK_IMPORTED_MODULE_6__/* .desiredPolicyDocument */ .yj)());
    }
    catch (error) {
        if (isMissing(error))
            return false;
        throw error;
    }
}
async function putPolicy(iam, name) {
    try {
        await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_8__/* .PutRolePolicyCommand */ .pMt({
            RoleName: name,
            PolicyName: _names_js__WEBPACK_IMPORTED_MODULE_7__/* .ROLE_POLICY_NAME */ .WD,
            PolicyDocument: JSON.stringify((0,_policy_document_js__WEBPACK_IMPORTED_MODULE_6__/* .desiredPolicyDocument */ .yj)())
        }));
    }
    catch (error) {
        throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .explainAwsFailure */ .vt)(error, `the CloudWatch read policy of IAM role ${name}`);
    }
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
/* harmony import */ var _agent_role_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(79038);
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
        const name = (0,_agent_role_js__WEBPACK_IMPORTED_MODULE_2__/* .agentRoleName */ .rr)(config.agentName, config.clusterName, config.region, 'ecs');
        const role = await (0,_agent_role_js__WEBPACK_IMPORTED_MODULE_2__/* .ensureAgentRole */ .gH)(iam, {
            name,
            trust: (0,_trust_policies_js__WEBPACK_IMPORTED_MODULE_5__/* .ecsTaskTrust */ .H)(accountId, partition, config.region),
            tags: config.tags,
            partition
        });
        (0,_agent_role_js__WEBPACK_IMPORTED_MODULE_2__/* .recordAgentRole */ .dC)(report, config.region, { ...role, name }, `ECS tasks of ${accountId}`);
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
/* harmony export */   H: () => (/* binding */ ecsTaskTrust),
/* harmony export */   I: () => (/* binding */ irsaTrust)
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


/***/ })

};

//# sourceMappingURL=8.index.js.map