export const id = 834;
export const ids = [834,947];
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

/***/ 59834:
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

;// CONCATENATED MODULE: ./src/cloud-services/names.ts
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

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./src/action-files.ts
var action_files = __webpack_require__(64775);
;// CONCATENATED MODULE: ./src/cloud-services/policy-document.ts
/**
 * The policy document the agent's identity should carry. The CloudFormation template is the one
 * source: the stack and the adoption of a hand-made policy must never drift apart.
 */



/** Read afresh on each call: callers may change what they get without touching anyone else's. */
function managedPolicy() {
    const template = JSON.parse((0,external_node_fs_.readFileSync)((0,action_files/* actionFile */.V)(TEMPLATE_FILE), 'utf8'));
    const policy = Object.values(template.Resources ?? {}).find(resource => resource.Type === 'AWS::IAM::ManagedPolicy');
    if (!policy?.Properties?.PolicyDocument) {
        throw new Error(`${TEMPLATE_FILE} has no AWS::IAM::ManagedPolicy with a PolicyDocument`);
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
    return `arn:${partition}:iam::${accountId}:policy/${POLICY_NAME}`;
}
/** The user and policy by their fixed names; either is undefined when it does not exist. */
async function findIdentity(iam, accountId, partition = 'aws') {
    const [user, policy] = await Promise.all([getUser(iam), getPolicy(iam, accountId, partition)]);
    return { user, policy };
}
async function getUser(iam) {
    try {
        return (await iam.send(new client_iam_dist_cjs/* GetUserCommand */.T3b({ UserName: USER_NAME }))).User;
    }
    catch (error) {
        if (isMissing(error))
            return undefined;
        throw (0,errors/* explainAwsFailure */.vt)(error, `IAM user ${USER_NAME}`);
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
        throw (0,errors/* explainAwsFailure */.vt)(error, `IAM policy ${POLICY_NAME}`);
    }
}
/**
 * Creates what is missing, brings the policy's default version to the template's document and
 * attaches the policy to the user. A run that finds everything right changes nothing.
 */
async function adoptIdentity(iam, accountId, found, tags, partition = 'aws') {
    const tagList = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    const desired = desiredPolicyDocument();
    // The user and the policy do not depend on each other until the attachment.
    const [user, policy] = await Promise.all([
        settleUser(iam, found.user, tagList, boundaryArnFor(partition)),
        settlePolicy(iam, found.policy, desired, tagList, accountId, partition)
    ]);
    const attachedArns = user.status === 'created' ? [] : await attachedPolicyArns(iam);
    let attached = false;
    if (!attachedArns.includes(policy.arn)) {
        await attempt(`${POLICY_NAME} on user ${USER_NAME}`, () => iam.send(new client_iam_dist_cjs/* AttachUserPolicyCommand */.sGv({ UserName: USER_NAME, PolicyArn: policy.arn })));
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
            UserName: USER_NAME,
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
        throw (0,errors/* explainAwsFailure */.vt)(error, `IAM user ${USER_NAME}`);
    }
}
/**
 * A user made by hand has no boundary, or another one: it gets the agent's, which the deploy
 * policy requires before it may attach the agent's policy to the user.
 */
async function settleBoundary(iam, user, boundary) {
    if (user.PermissionsBoundary?.PermissionsBoundaryArn === boundary)
        return 'reused';
    await attempt(`permissions boundary of IAM user ${USER_NAME}`, () => iam.send(new client_iam_dist_cjs/* PutUserPermissionsBoundaryCommand */.YqB({ UserName: USER_NAME, PermissionsBoundary: boundary })));
    return 'updated';
}
async function settlePolicy(iam, existing, desired, tags, accountId, partition) {
    let policy = existing;
    if (!policy) {
        try {
            const created = await iam.send(new client_iam_dist_cjs/* CreatePolicyCommand */.Mrm({
                PolicyName: POLICY_NAME,
                PolicyDocument: JSON.stringify(desired),
                Description: desiredPolicyDescription(),
                Tags: tags.length ? tags : undefined
            }));
            return { arn: created.Policy?.Arn ?? policyArnFor(accountId, partition), status: 'created' };
        }
        catch (error) {
            if (!alreadyExists(error))
                throw (0,errors/* explainAwsFailure */.vt)(error, `IAM policy ${POLICY_NAME}`);
            // Made by a run racing this one: bring theirs up to date like any existing policy.
            policy = await getPolicy(iam, accountId, partition);
            if (!policy)
                throw (0,errors/* explainAwsFailure */.vt)(error, `IAM policy ${POLICY_NAME}`);
        }
    }
    const arn = policy.Arn ?? policyArnFor(accountId, partition);
    const updated = await bringPolicyUpToDate(iam, arn, policy.DefaultVersionId, desired);
    return { arn, status: updated ? 'updated' : 'unchanged' };
}
/** Makes the desired document the default version; false when it already was. */
async function bringPolicyUpToDate(iam, arn, defaultVersionId, desired) {
    const what = `IAM policy ${POLICY_NAME}`;
    let versions;
    let defaultId = defaultVersionId;
    if (!defaultId) {
        versions = await listVersions(iam, arn);
        defaultId = versions.find(version => version.IsDefaultVersion)?.VersionId;
    }
    if (defaultId) {
        const current = await attempt(what, () => iam.send(new client_iam_dist_cjs/* GetPolicyVersionCommand */.G45({ PolicyArn: arn, VersionId: defaultId })));
        if (samePolicyDocument(current.PolicyVersion?.Document, desired))
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
            throw new src_errors/* ActionError */.l(`Could not add a version to IAM policy ${POLICY_NAME}: it already has the most versions ` +
                `IAM allows (${MAX_POLICY_VERSIONS}), most likely because another run added one at the ` +
                `same time. Re-run the workflow, or delete a version that is not the default: ` +
                `aws iam delete-policy-version --policy-arn ${arn} --version-id <version>`, { cause: error });
        }
        throw (0,errors/* explainAwsFailure */.vt)(error, what);
    }
    return true;
}
async function listVersions(iam, arn) {
    const answer = await attempt(`IAM policy ${POLICY_NAME}`, () => iam.send(new client_iam_dist_cjs/* ListPolicyVersionsCommand */.D6R({ PolicyArn: arn })));
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
            throw new src_errors/* ActionError */.l(`Could not delete version ${oldest.VersionId} of IAM policy ${POLICY_NAME} to make room ` +
                `for the current document (IAM keeps ${MAX_POLICY_VERSIONS}): IAM refused with a ` +
                `conflict, most likely because it became the default meanwhile. Re-run the workflow, or ` +
                `delete a version that is not the default: ` +
                `aws iam delete-policy-version --policy-arn ${arn} --version-id <version>`, { cause: error });
        }
        throw (0,errors/* explainAwsFailure */.vt)(error, `version ${oldest.VersionId} of IAM policy ${POLICY_NAME}`);
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
        for await (const page of (0,client_iam_dist_cjs/* paginateListAttachedUserPolicies */.RC9)({ client: iam }, { UserName: USER_NAME })) {
            for (const policy of page.AttachedPolicies ?? [])
                if (policy.PolicyArn)
                    arns.push(policy.PolicyArn);
        }
    }
    catch (error) {
        throw (0,errors/* explainAwsFailure */.vt)(error, `policies attached to IAM user ${USER_NAME}`);
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

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(57975);
// EXTERNAL MODULE: ./src/poll.ts
var poll = __webpack_require__(29810);
;// CONCATENATED MODULE: ./src/cloud-services/stack.ts
/**
 * The CloudFormation stack that owns the agent's IAM user and policy: found, created from the
 * template shipped with the action, brought up to date when that template changed, and waited for.
 */









const ABOUT = `stack ${STACK_NAME}`;
/** Settled states whose resources exist and which UpdateStack accepts. */
const USABLE = new Set([
    'CREATE_COMPLETE',
    'UPDATE_COMPLETE',
    'UPDATE_ROLLBACK_COMPLETE',
    'IMPORT_COMPLETE',
    'IMPORT_ROLLBACK_COMPLETE'
]);
const DELETE_IT = `delete the stack ${STACK_NAME}`;
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
        const answer = await cfn.send(new dist_cjs/* DescribeStacksCommand */.Y47({ StackName: STACK_NAME }));
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
    const templateBody = await (0,promises_.readFile)((0,action_files/* actionFile */.V)(TEMPLATE_FILE), 'utf8');
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
            core/* info */.pq(`Stack ${STACK_NAME} is ${stack.StackStatus}: waiting for it to settle`);
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
    throw new src_errors/* ActionError */.l(`Stack ${STACK_NAME} kept changing while this run worked on it (another run or a person ` +
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
    core/* info */.pq(`Creating stack ${STACK_NAME}`);
    try {
        const answer = await cfn.send(new dist_cjs/* CreateStackCommand */.O_S({
            StackName: STACK_NAME,
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
            core/* info */.pq(`Creating stack ${STACK_NAME} failed (${messageOf(error)}), but another run created it ` +
                `meanwhile (${racing.StackStatus}): using that one.`);
            return undefined;
        }
        throw (0,errors/* explainAwsFailure */.vt)(error, ABOUT);
    }
}
/** False when CloudFormation finds nothing to change. */
async function updateStack(cfn, stack, templateBody, options) {
    core/* info */.pq(`Stack ${STACK_NAME} has an older template: updating it`);
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
        progress: (stack, elapsedMs) => core/* info */.pq(`Stack ${STACK_NAME}: ${stack.StackStatus} (${(0,poll/* formatElapsed */.C7)(elapsedMs)})`)
    });
    if (inProgress(stack)) {
        throw new src_errors/* ActionError */.l(`Stack ${STACK_NAME} is still ${stack.StackStatus} after ${(0,poll/* formatElapsed */.C7)(elapsedMs)}, past ` +
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
        throw new src_errors/* ActionError */.l(`Stack ${STACK_NAME} has no output ${key}, so it was not made from this action's template. ` +
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
    return new src_errors/* ActionError */.l(oneLine(`Stack ${STACK_NAME} is ${status}: ${why}. To fix: ${fix}`));
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
    const StackName = stack.StackId ?? STACK_NAME;
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
        (event.PhysicalResourceId === stack.StackId || event.LogicalResourceId === STACK_NAME));
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
 * Cloud services: the AWS identity the agent uses to read CloudWatch. The stack (or, for what the
 * old script made by hand, the IAM resources themselves) is settled first; the access key last,
 * once the agent's release has been read, since a key the release already holds is kept.
 */













class CloudServices {
    config;
    report;
    iam;
    cfn;
    logs;
    sts;
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
    }
    /** The user and its policy, through the stack unless the old script made them by hand. */
    async provisionIdentity() {
        const [stack, caller, logGroups] = await Promise.all([
            findStack(this.cfn),
            this.sts.send(new client_sts_dist_cjs/* GetCallerIdentityCommand */.zI({})).catch(error => {
                throw (0,errors/* explainAwsFailure */.vt)(error, 'the workflow identity');
            }),
            listLogGroupNames(this.logs)
        ]);
        const accountId = caller.Account ?? '';
        const partition = caller.Arn?.split(':')[1] ?? 'aws';
        if (stack) {
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
            id: STACK_NAME,
            status: outcome.status,
            link: console_links/* consoleLinks */.t.stack(this.config.region, outcome.stackId)
        });
        this.recordIdentity(outcome.userArn, outcome.policyArn, outcome.status, outcome.status, 'in the stack');
        this.report.output('stack-id', outcome.stackId);
    }
    async adopt(found, accountId, partition) {
        core/* info */.pq(`${USER_NAME} or ${POLICY_NAME} exists outside CloudFormation (made by hand or by an older ` +
            `tool): managing them directly, without the stack.`);
        const adopted = await adoptIdentity(this.iam, accountId, found, this.config.tags, partition);
        if (adopted.user === 'updated') {
            core/* info */.pq(`Gave IAM user ${USER_NAME} the permissions boundary ${BOUNDARY_POLICY_NAME}: the deploy ` +
                `policy attaches the agent's policy only to a user capped at CloudWatch read.`);
        }
        // Attaching an unchanged policy to the user is still a change worth reporting.
        const policyStatus = adopted.policy === 'unchanged' && adopted.attached ? 'updated' : adopted.policy;
        this.recordIdentity(adopted.userArn, adopted.policyArn, adopted.user, policyStatus, 'managed outside CloudFormation');
    }
    recordIdentity(userArn, policyArn, userStatus, policyStatus, note) {
        this.report.record({
            kind: 'IAM user',
            id: USER_NAME,
            status: userStatus,
            note,
            link: console_links/* consoleLinks */.t.iamUser(this.config.region, USER_NAME)
        });
        this.report.record({
            kind: 'IAM policy',
            id: POLICY_NAME,
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
        const key = await ensureAccessKey(this.iam, USER_NAME, held, this.createdKey);
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
            await this.iam.send(new client_iam_dist_cjs/* DeleteAccessKeyCommand */.yq0({ UserName: USER_NAME, AccessKeyId: accessKeyId }), clients/* EVEN_IF_CANCELLED */.fD);
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
        for (const client of [this.iam, this.cfn, this.logs, this.sts])
            client.destroy();
    }
}
/**
 * Same across an SDK retry of CreateStack, new for every run; CloudFormation allows 128
 * characters of [a-zA-Z][-a-zA-Z0-9]*.
 */
function requestToken() {
    const run = process.env.GITHUB_RUN_ID;
    const attempt = process.env.GITHUB_RUN_ATTEMPT ?? '1';
    return run ? `metrics-agent-action-${run}-${attempt}` : `metrics-agent-action-${Date.now()}`;
}


/***/ })

};

//# sourceMappingURL=834.index.js.map