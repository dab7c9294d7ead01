export const id = 700;
export const ids = [700,947,76];
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

/***/ 96076:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  EVEN_IF_CANCELLED: () => (/* binding */ EVEN_IF_CANCELLED),
  clientConfig: () => (/* binding */ clientConfig),
  credentialChainConfig: () => (/* binding */ credentialChainConfig),
  instrument: () => (/* binding */ instrument)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(46058);
// EXTERNAL MODULE: ./node_modules/@smithy/node-http-handler/dist-cjs/index.js
var dist_cjs = __webpack_require__(61279);
;// CONCATENATED MODULE: ./src/version.ts
/** Sent in the AWS user agent, so CloudTrail shows which release made a call. */
const ACTION_VERSION = '1.0.0';

// EXTERNAL MODULE: ./src/aws/proxy.ts + 5 modules
var proxy = __webpack_require__(17164);
;// CONCATENATED MODULE: ./src/aws/clients.ts
/**
 * Settings every AWS client of the action shares, and the instrumentation that names each call by
 * its IAM action: errors then say which permission was refused, and the debug log (and the tests)
 * see every call the action made.
 */




const TIMEOUTS = { connectionTimeout: 5_000, requestTimeout: 30_000 };
/**
 * Bounded retries with the SDK's standard mode (throttling, 5xx, timeouts) and timeouts on every
 * request, so a dead connection cannot hang a pipeline. Requests honour the proxy settings (proxy.ts). With `signal`, a cancelled step also ends
 * the requests in flight instead of waiting out their timeouts and retries.
 */
function clientConfig(region, signal) {
    // Behind a proxy (HTTPS_PROXY/HTTP_PROXY, NO_PROXY, or the http-proxy input), every client's
    // requests go through agents that honour it; without one, the SDK keeps its own agents.
    const handlerOptions = { ...TIMEOUTS, ...(0,proxy/* proxyAgents */.Hd)() };
    return {
        region,
        maxAttempts: 5,
        retryMode: 'standard',
        customUserAgent: `metrics-agent-action/${ACTION_VERSION}`,
        requestHandler: signal ? new CancellableHttpHandler(handlerOptions, signal) : handlerOptions
    };
}
/**
 * Settings for the STS client that the SDK's default credential chain makes on its own (web
 * identity, a profile's role) where no client of the action lends it its request handler: in the
 * credential plugin helm and the rollout watch run. Behind a proxy, that exchange must take the
 * proxy like every other AWS call, or it fails where only the proxy reaches STS. Without a proxy,
 * nothing: the SDK's defaults stay.
 */
function credentialChainConfig() {
    const agents = (0,proxy/* proxyAgents */.Hd)();
    return agents
        ? { clientConfig: { requestHandler: new dist_cjs.NodeHttpHandler({ ...TIMEOUTS, ...agents }) } }
        : {};
}
/**
 * Send options for cleanup that must still reach AWS after the step was cancelled (deleting a key
 * this run made): their own signal, which never aborts, replaces the run's.
 */
const EVEN_IF_CANCELLED = { abortSignal: new AbortController().signal };
/** The SDK's Node handler, with the run's cancellation as every request's abort signal. */
class CancellableHttpHandler extends dist_cjs.NodeHttpHandler {
    cancellation;
    constructor(options, cancellation) {
        super(options);
        this.cancellation = cancellation;
    }
    handle(...[request, options]) {
        const handlerOptions = {
            ...options,
            abortSignal: options?.abortSignal ?? this.cancellation
        };
        return super.handle(request, handlerOptions);
    }
}
function instrument(client, servicePrefix, log) {
    client.middlewareStack.add((next, context) => async (args) => {
        const action = `${servicePrefix}:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
        log.calls.push(action);
        core/* debug */.Yz(`AWS call ${action}`);
        try {
            return await next(args);
        }
        catch (error) {
            if (error && typeof error === 'object')
                error.iamAction = action;
            throw error;
        }
    }, { step: 'initialize', name: 'cloudaeyeCallLog' });
    return client;
}


/***/ }),

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
    service: (region, cluster, name) => consoleLink(region, `/ecs/v2/clusters/${cluster}/services/${name}?region=${region}`),
    task: (region, cluster, taskId) => consoleLink(region, `/ecs/v2/clusters/${cluster}/tasks/${taskId}?region=${region}`),
    // IAM is global; any regional console host of the partition opens it.
    iamUser: (region, name) => consoleLink(region, `/iam/home#/users/details/${encodeURIComponent(name)}`),
    iamRole: (region, name) => consoleLink(region, `/iam/home#/roles/details/${encodeURIComponent(name)}`)
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

/***/ 53083:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  vm: () => (/* binding */ AGENT_ROLE),
  sz: () => (/* binding */ AGENT_USER),
  b6: () => (/* binding */ agentIdentityName),
  O5: () => (/* binding */ applyAgentIdentity),
  BC: () => (/* binding */ findAgentIdentity),
  ZK: () => (/* binding */ planAgentIdentity),
  rG: () => (/* binding */ planAgentIdentityRemoval),
  tT: () => (/* binding */ recordAgentIdentity),
  M9: () => (/* binding */ removeAgentIdentity)
});

// UNUSED EXPORTS: ensureAgentIdentity

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
    },
    async delete(iam, name) {
        await ignoreMissing(iam.send(new dist_cjs/* DeleteRolePolicyCommand */.Tt({ RoleName: name, PolicyName: names/* AGENT_POLICY_NAME */.nJ })));
        await iam.send(new dist_cjs/* DeleteRoleCommand */.$kI({ RoleName: name }));
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
    },
    async delete(iam, name) {
        // IAM refuses to delete a user that still has keys; the agent's keys go with its user.
        const keys = await iam.send(new dist_cjs/* ListAccessKeysCommand */.Qxm({ UserName: name }));
        for (const key of keys.AccessKeyMetadata ?? []) {
            await ignoreMissing(iam.send(new dist_cjs/* DeleteAccessKeyCommand */.yq0({ UserName: name, AccessKeyId: key.AccessKeyId })));
        }
        await ignoreMissing(iam.send(new dist_cjs/* DeleteUserPolicyCommand */.QJ2({ UserName: name, PolicyName: names/* AGENT_POLICY_NAME */.nJ })));
        await iam.send(new dist_cjs/* DeleteUserCommand */.O56({ UserName: name }));
    }
};
async function ignoreMissing(request) {
    try {
        await request;
    }
    catch (error) {
        if (!isMissing(error))
            throw error;
    }
}
/** The identity and its agent policy, or undefined when there is none of that name. */
async function findAgentIdentity(iam, kind, name) {
    try {
        const found = await find(iam, kind, name);
        if (!found)
            return undefined;
        const policy = await kind.getPolicy(iam, name).catch(error => {
            if (isMissing(error))
                return undefined;
            throw error;
        });
        return { ...found, policy };
    }
    catch (error) {
        throw (0,errors/* explainAwsFailure */.vt)(error, `IAM ${kind.noun} ${name}`);
    }
}
function planAgentIdentity(kind, observed, spec) {
    const resource = `IAM ${kind.noun}`;
    const none = { trust: false, policy: false, tags: [] };
    if (!observed) {
        return { step: { resource, id: spec.name, action: 'create', reason: 'missing' }, drift: none };
    }
    checkOwnedAndCapped(kind, observed, spec);
    const drift = {
        trust: spec.trust !== undefined && !samePolicyDocument(observed.trust, spec.trust),
        policy: !samePolicyDocument(observed.policy, desiredPolicyDocument()),
        tags: asTags(spec.tags).filter(({ Key, Value }) => observed.tags.find(tag => tag.Key === Key)?.Value !== Value)
    };
    const changes = [
        ...(drift.trust ? [{ field: 'trust policy', after: 'the agent only' }] : []),
        ...(drift.policy ? [{ field: names/* AGENT_POLICY_NAME */.nJ, after: 'CloudWatch read' }] : []),
        ...drift.tags.map(tag => ({
            field: `tag ${tag.Key}`,
            before: observed.tags.find(found => found.Key === tag.Key)?.Value,
            after: tag.Value
        }))
    ];
    const step = changes.length > 0
        ? { resource, id: spec.name, action: 'update', reason: 'drifted', changes }
        : { resource, id: spec.name, action: 'keep', reason: 'as it should be' };
    return { step, drift };
}
/** The identity as `spec` describes it, making only the calls that something differs calls for. */
async function ensureAgentIdentity(iam, kind, spec) {
    const observed = await findAgentIdentity(iam, kind, spec.name);
    return applyAgentIdentity(iam, kind, spec, observed, planAgentIdentity(kind, observed, spec));
}
/** Carries out the plan; a racing run that created the identity first is settled instead. */
async function applyAgentIdentity(iam, kind, spec, observed, plan) {
    const what = `IAM ${kind.noun} ${spec.name}`;
    try {
        if (!observed) {
            const created = await create(iam, kind, spec);
            if (created)
                return created;
            const raced = await findAgentIdentity(iam, kind, spec.name);
            if (!raced)
                throw new src_errors/* ActionError */.lZ(`${what} vanished while it was being created.`);
            return await settle(iam, kind, raced, spec, planAgentIdentity(kind, raced, spec).drift);
        }
        return await settle(iam, kind, observed, spec, plan.drift);
    }
    catch (error) {
        throw (0,errors/* explainAwsFailure */.vt)(error, what);
    }
}
/** What remove does to the identity: only one the action made is deleted. */
function planAgentIdentityRemoval(kind, name, observed) {
    const resource = `IAM ${kind.noun}`;
    if (!observed)
        return { resource, id: name, action: 'keep', reason: 'absent' };
    if (!madeByAction(observed)) {
        return { resource, id: name, action: 'keep', reason: "not tagged as the action's" };
    }
    return { resource, id: name, action: 'delete', reason: 'made by the action' };
}
/**
 * Deletes an identity the action made, after its policy (and a user's keys); `absent` when it is
 * already gone. The caller has planned it: `step.action` is `delete`.
 */
async function removeAgentIdentity(iam, kind, name) {
    try {
        await kind.delete(iam, name);
        return 'deleted';
    }
    catch (error) {
        if (isMissing(error))
            return 'absent';
        throw (0,errors/* explainAwsFailure */.vt)(error, `IAM ${kind.noun} ${name}`);
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
const madeByAction = (found) => found.tags.find(tag => tag.Key === inputs/* MANAGED_BY_TAG */.dS)?.Value === inputs/* MANAGED_BY */.Kf;
function checkOwnedAndCapped(kind, found, spec) {
    const boundary = (0,names/* boundaryArnFor */.T9)(spec.partition);
    if (!madeByAction(found)) {
        throw new src_errors/* ActionError */.lZ(`IAM ${kind.noun} ${found.arn} exists but was not made by this action (it has no tag ` +
            `${inputs/* MANAGED_BY_TAG */.dS}=${inputs/* MANAGED_BY */.Kf}), so it is left alone. Rename or delete it, or give ` +
            'another agent-name.');
    }
    if (found.boundary !== boundary) {
        throw new src_errors/* ActionError */.lZ(`IAM ${kind.noun} ${found.arn} has lost its permissions boundary ${boundary}, which caps ` +
            'the agent at CloudWatch read; the deploy policy may change only a capped identity. ' +
            `Restore it: aws iam put-${kind.noun}-permissions-boundary --${kind.noun}-name ` +
            `${spec.name} --permissions-boundary ${boundary}`);
    }
}
async function settle(iam, kind, found, spec, drift) {
    const { name } = spec;
    checkOwnedAndCapped(kind, found, spec);
    const changes = [];
    if (drift.trust) {
        await kind.updateTrust(iam, name, JSON.stringify(spec.trust));
        changes.push('trust policy');
    }
    if (drift.policy) {
        await kind.putPolicy(iam, name, JSON.stringify(desiredPolicyDocument()));
        changes.push('CloudWatch read policy');
    }
    if (drift.tags.length > 0) {
        await kind.tag(iam, name, drift.tags);
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


/***/ }),

/***/ 3055:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   w: () => (/* binding */ fieldChanges)
/* harmony export */ });
/* unused harmony export MASKED */
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(57975);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_util__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(27194);
/**
 * The field-by-field difference between what exists and what a run wants, for a plan: a task
 * definition's fields, a helm release's values. Secrets never appear: a field the caller names as
 * secret shows `***`, and every value is redacted of the run's registered secrets as well.
 */


const MASKED = '***';
/**
 * `before` and `after` are flattened into dotted paths (`cloudaeye.endpoint`); lists compare as a
 * whole. `isSecret` names the paths whose values are secrets.
 */
function fieldChanges(before, after, isSecret = () => false) {
    const old = flatten(before ?? {});
    const now = flatten(after);
    const paths = [...new Set([...old.keys(), ...now.keys()])].sort();
    const show = (path, value) => value === undefined ? undefined : isSecret(path) ? MASKED : (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E)(JSON.stringify(value));
    return paths
        .filter(path => !(0,node_util__WEBPACK_IMPORTED_MODULE_0__.isDeepStrictEqual)(old.get(path), now.get(path)))
        .map(path => ({
        field: path,
        before: show(path, old.get(path)),
        after: show(path, now.get(path))
    }));
}
function flatten(value, prefix = '', into = new Map()) {
    for (const [key, field] of Object.entries(value)) {
        const path = prefix ? `${prefix}.${key}` : key;
        if (typeof field === 'object' && field !== null && !Array.isArray(field)) {
            flatten(field, path, into);
        }
        else
            into.set(path, field);
    }
    return into;
}


/***/ })

};

//# sourceMappingURL=700.index.js.map