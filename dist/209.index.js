export const id = 209;
export const ids = [209,947];
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

/***/ 21209:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  CloudServices: () => (/* binding */ CloudServices)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(46058);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-cloudwatch-logs/dist-cjs/index.js
var dist_cjs = __webpack_require__(70303);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-eks/dist-cjs/index.js
var client_eks_dist_cjs = __webpack_require__(24524);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-iam/dist-cjs/index.js
var client_iam_dist_cjs = __webpack_require__(16764);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-sts/dist-cjs/index.js
var client_sts_dist_cjs = __webpack_require__(71695);
// EXTERNAL MODULE: ./src/aws/clients.ts + 1 modules
var clients = __webpack_require__(96076);
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
    return { accessKeyId, secretAccessKey, status: 'created', userKeyIds };
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

// EXTERNAL MODULE: ./src/cloud-services/agent-identity.ts + 1 modules
var agent_identity = __webpack_require__(53083);
;// CONCATENATED MODULE: ./src/cloud-services/log-groups.ts
/** The log groups the agent's identity may list: their count tells the user what it will see. */


/** The service's largest page, so an account with many groups costs few calls. */
const PAGE_SIZE = 50;
async function listLogGroupNames(logs) {
    const names = [];
    try {
        for await (const page of (0,dist_cjs/* paginateDescribeLogGroups */.BSi)({ client: logs, pageSize: PAGE_SIZE }, {})) {
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
// EXTERNAL MODULE: ./src/cloud-services/names.ts
var names = __webpack_require__(9468);
;// CONCATENATED MODULE: ./src/cloud-services/oidc-provider.ts
/**
 * The IAM OIDC provider of an EKS cluster's issuer, which lets IAM trust the cluster's service
 * account tokens. It is one per issuer and account, and often exists already (eksctl, Terraform,
 * the console): it is found by the ARN the issuer gives it, and registered only when missing.
 */



const isMissing = (error) => /^NoSuchEntity(Exception)?$/.test((0,errors/* errorCode */.CA)(error) ?? '');
const alreadyExists = (error) => /^EntityAlreadyExists(Exception)?$/.test((0,errors/* errorCode */.CA)(error) ?? '');
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
                if (!alreadyExists(error))
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
        if (isMissing(error))
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

;// CONCATENATED MODULE: ./src/cloud-services/cloud-services.ts
/**
 * Cloud services: the AWS identity the agent uses to read CloudWatch, one per cluster.
 * - irsa: the cluster's IAM OIDC provider and a role trusted by the agent's ServiceAccount alone.
 * - pod-identity: the same role, trusted by EKS Pod Identity and associated with the
 *   ServiceAccount.
 * - access-key: the cluster's IAM user first; its access key last, once the agent's release has
 *   been read, since a key the release already holds is kept.
 */















class CloudServices {
    config;
    report;
    iam;
    logs;
    sts;
    eks;
    identity = {};
    /** The key this run made, while the agent may still get it. */
    createdKey;
    /**
     * The name of this cluster's agent identity: its role (irsa, pod-identity) or its IAM user, whose
     * keys the agent gets (access-key).
     */
    identityName;
    /** access-key: the keys that user has, as agentKey last listed them. */
    userKeyIds = new Set();
    constructor(config, report, { callLog, signal }) {
        this.config = config;
        this.report = report;
        this.identityName = (0,agent_identity/* agentIdentityName */.b6)(config.agentName, config.clusterName, config.region);
        const settings = (0,clients/* clientConfig */.yO)(config.region, signal);
        this.iam = (0,clients/* instrument */.wV)(new client_iam_dist_cjs/* IAMClient */.h8v(settings), 'iam', callLog);
        this.logs = (0,clients/* instrument */.wV)(new dist_cjs/* CloudWatchLogsClient */.TFr(settings), 'logs', callLog);
        this.sts = (0,clients/* instrument */.wV)(new client_sts_dist_cjs/* STSClient */.iM(settings), 'sts', callLog);
        this.eks = (0,clients/* instrument */.wV)(new client_eks_dist_cjs/* EKSClient */.JQJ(settings), 'eks', callLog);
    }
    /** The identity settled by provisionIdentity, for the agent's release. */
    get agentIdentity() {
        return this.identity;
    }
    /**
     * The identity of `serviceAccount` in the release namespace, or this cluster's user. `cluster`
     * is the run's one description of the EKS cluster, shared with cluster access.
     */
    async provisionIdentity(serviceAccount, cluster) {
        const auth = this.config.cloudServicesAuth;
        const [caller, logGroups, described] = await Promise.all([
            this.sts.send(new client_sts_dist_cjs/* GetCallerIdentityCommand */.zI({})).catch(error => {
                throw (0,errors/* explainAwsFailure */.vt)(error, 'the workflow identity');
            }),
            listLogGroupNames(this.logs),
            auth === 'access-key' ? undefined : cluster()
        ]);
        const accountId = caller.Account ?? '';
        const partition = caller.Arn?.split(':')[1] ?? 'aws';
        if (described && auth === 'irsa') {
            await this.settleIrsaRole(clusterIssuer(described), serviceAccount, accountId, partition);
        }
        else if (described) {
            await this.settlePodIdentity(described, serviceAccount, accountId, partition);
        }
        else {
            await this.settleUser(partition);
        }
        this.report.note(`The agent can read CloudWatch metrics and ${logGroups.length} log group(s) in ${this.config.region}.`);
        core/* debug */.Yz(`Log groups: ${logGroups.join(', ')}`);
    }
    async settlePodIdentity(cluster, serviceAccount, accountId, partition) {
        const { region, clusterName, namespace } = this.config;
        // Before the role: without the agent in the cluster, nothing is worth creating.
        await checkPodIdentityAgent(this.eks, cluster, region);
        const role = await this.settleRole((0,trust_policies/* podIdentityTrust */.UL)(accountId, cluster.arn ?? '', namespace, serviceAccount), serviceAccount, partition);
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
        const { clusterName, namespace, tags } = this.config;
        const provider = await ensureOidcProvider(this.iam, issuer, accountId, partition, tags);
        this.report.record({
            kind: 'IAM OIDC provider',
            id: provider.issuerHost,
            status: provider.status,
            note: provider.status === 'reused' ? 'already registered' : `for ${clusterName}'s issuer`
        });
        const role = await this.settleRole((0,trust_policies/* irsaTrust */.Ih)(provider, namespace, serviceAccount), serviceAccount, partition);
        this.identity = { roleArn: role.arn };
    }
    /** The cluster's agent role with `trust`, in the summary. */
    async settleRole(trust, serviceAccount, partition) {
        const { region, clusterName, namespace, tags } = this.config;
        const role = await (0,agent_identity/* ensureAgentIdentity */.kS)(this.iam, agent_identity/* AGENT_ROLE */.vm, {
            name: this.identityName,
            trust,
            tags,
            partition
        });
        (0,agent_identity/* recordAgentIdentity */.tT)(this.report, region, agent_identity/* AGENT_ROLE */.vm, role, `only ServiceAccount ${namespace}/${serviceAccount} of ${clusterName} may assume it`);
        return role;
    }
    /**
     * access-key: an IAM user of this cluster's own, so that every cluster has IAM's two keys per
     * user to itself: one the agent holds, one free for a rotation.
     */
    async settleUser(partition) {
        const { region, clusterName, tags } = this.config;
        const user = await (0,agent_identity/* ensureAgentIdentity */.kS)(this.iam, agent_identity/* AGENT_USER */.sz, {
            name: this.identityName,
            tags,
            partition
        });
        (0,agent_identity/* recordAgentIdentity */.tT)(this.report, region, agent_identity/* AGENT_USER */.sz, user, `the agent of ${clusterName} only; its key goes to the agent's Secret alone`);
    }
    /**
     * The key the agent holds, kept while it is active; else the key this run made on an earlier
     * pass; else a new one. A key this run made that the agent will not get (a racing run's key
     * won) is deleted.
     */
    async agentKey(held) {
        const { userKeyIds, ...key } = await ensureAccessKey(this.iam, this.identityName, held, this.createdKey);
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
                await this.deleteKey(accessKeyId, why, names/* SEED_USER_NAME */.QH, 'quietly if missing');
            }
            return;
        }
        // A key deleted by hand meanwhile is missing from both: nothing is left to do.
        const deleted = await this.deleteKey(accessKeyId, why, this.identityName, 'quietly if missing');
        if (!deleted)
            await this.deleteKey(accessKeyId, why, names/* SEED_USER_NAME */.QH, 'quietly if missing');
    }
    /**
     * Deletes a key nothing holds; true when it did. A failure is a warning, since the agent is not
     * affected.
     */
    async deleteKey(accessKeyId, why, userName = this.identityName, missing) {
        try {
            await this.iam.send(new client_iam_dist_cjs/* DeleteAccessKeyCommand */.yq0({ UserName: userName, AccessKeyId: accessKeyId }), clients/* EVEN_IF_CANCELLED */.fD);
        }
        catch (error) {
            if (missing && /^NoSuchEntity(Exception)?$/.test((0,errors/* errorCode */.CA)(error) ?? ''))
                return false;
            core/* warning */.$e(`Could not delete access key ${accessKeyId} of IAM user ${userName} (${why}): ` +
                `${String((0,errors/* explainAwsFailure */.vt)(error, 'the unused key').message)}`);
            return false;
        }
        core/* info */.pq(`Deleted access key ${accessKeyId}: ${why}.`);
        this.report.record({
            kind: 'Access key',
            id: accessKeyId,
            status: 'stopped',
            note: `deleted: ${why}`
        });
        return true;
    }
    close() {
        for (const client of [this.iam, this.logs, this.sts, this.eks])
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
 * Same across an SDK retry of CreatePodIdentityAssociation, new for every run (EKS allows 64
 * characters).
 */
function requestToken() {
    const run = process.env.GITHUB_RUN_ID;
    const attempt = process.env.GITHUB_RUN_ATTEMPT ?? '1';
    return run ? `metrics-agent-action-${run}-${attempt}` : `metrics-agent-action-${Date.now()}`;
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

//# sourceMappingURL=209.index.js.map