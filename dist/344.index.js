export const id = 344;
export const ids = [344];
export const modules = {

/***/ 55639:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MU: () => (/* binding */ providerAction),
/* harmony export */   UC: () => (/* binding */ findOidcProvider),
/* harmony export */   rm: () => (/* binding */ applyOidcProvider)
/* harmony export */ });
/* unused harmony exports providerArnFor, issuerHostOf */
/* harmony import */ var _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(16764);
/* harmony import */ var _aws_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(99378);
/* harmony import */ var _names_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9468);
/**
 * The IAM OIDC provider of an EKS cluster's issuer, which lets IAM trust the cluster's service
 * account tokens. It is one per issuer and account, and often exists already (eksctl, Terraform,
 * the console): it is found by the ARN the issuer gives it, and registered only when missing.
 * Remove never deletes it: other tools and roles of the account may trust it.
 */



const isMissing = (error) => /^NoSuchEntity(Exception)?$/.test((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorCode */ .CA)(error) ?? '');
const alreadyExists = (error) => /^EntityAlreadyExists(Exception)?$/.test((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorCode */ .CA)(error) ?? '');
function providerArnFor(issuer, accountId, partition) {
    return `arn:${partition}:iam::${accountId}:oidc-provider/${issuerHostOf(issuer)}`;
}
function issuerHostOf(issuer) {
    return issuer.replace(/^https:\/\//, '').replace(/\/+$/, '');
}
async function findOidcProvider(iam, issuer, accountId, partition) {
    const arn = providerArnFor(issuer, accountId, partition);
    try {
        const found = await getProvider(iam, arn);
        return { arn, issuer, issuerHost: issuerHostOf(issuer), audiences: found?.ClientIDList };
    }
    catch (error) {
        throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .explainAwsFailure */ .vt)(error, `the IAM OIDC provider of issuer ${issuer}`);
    }
}
/** `keep` when it trusts the agent's audience; `update` adds that audience to someone else's. */
function providerAction(provider) {
    if (!provider.audiences)
        return 'create';
    return provider.audiences.includes(_names_js__WEBPACK_IMPORTED_MODULE_1__/* .IRSA_AUDIENCE */ .Lr) ? 'keep' : 'update';
}
/**
 * Carries out the planned action. A provider someone else registered without the agent's
 * audience gets it added, which only lets the tokens of this audience in; one a racing run (or
 * another cluster sharing the issuer) registered after the observation is read again.
 */
async function applyOidcProvider(iam, provider, tags) {
    const { arn, issuer, issuerHost } = provider;
    try {
        let audiences = provider.audiences;
        if (!audiences) {
            try {
                await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_2__/* .CreateOpenIDConnectProviderCommand */ .QJe({
                    Url: issuer,
                    ClientIDList: [_names_js__WEBPACK_IMPORTED_MODULE_1__/* .IRSA_AUDIENCE */ .Lr],
                    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))
                }));
                return { arn, issuerHost, status: 'created' };
            }
            catch (error) {
                if (!alreadyExists(error))
                    throw error;
            }
            audiences = (await getProvider(iam, arn))?.ClientIDList ?? [];
        }
        if (audiences.includes(_names_js__WEBPACK_IMPORTED_MODULE_1__/* .IRSA_AUDIENCE */ .Lr))
            return { arn, issuerHost, status: 'reused' };
        await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_2__/* .AddClientIDToOpenIDConnectProviderCommand */ .gST({
            OpenIDConnectProviderArn: arn,
            ClientID: _names_js__WEBPACK_IMPORTED_MODULE_1__/* .IRSA_AUDIENCE */ .Lr
        }));
        return { arn, issuerHost, status: 'updated' };
    }
    catch (error) {
        throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .explainAwsFailure */ .vt)(error, `the IAM OIDC provider of issuer ${issuer}`);
    }
}
async function getProvider(iam, arn) {
    try {
        return await iam.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_2__/* .GetOpenIDConnectProviderCommand */ .cCT({ OpenIDConnectProviderArn: arn }));
    }
    catch (error) {
        if (isMissing(error))
            return undefined;
        throw error;
    }
}


/***/ }),

/***/ 90551:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  I: () => (/* binding */ execCredentialUser),
  printExecCredential: () => (/* binding */ printExecCredential)
});

// EXTERNAL MODULE: ./src/action-files.ts
var action_files = __webpack_require__(64775);
// EXTERNAL MODULE: ./src/eks/exec-credential-command.ts
var exec_credential_command = __webpack_require__(85244);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var lib_core = __webpack_require__(46058);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/secrets.ts
var secrets = __webpack_require__(27194);
;// CONCATENATED MODULE: ./src/eks/access/token.ts
/**
 * An EKS bearer token made in process, the way `aws eks get-token` makes it, so the runner needs no
 * AWS CLI: a presigned STS GetCallerIdentity URL whose signature covers the `x-k8s-aws-id` header
 * naming the cluster. The API server's authenticator replays the URL to learn who is calling.
 */



const TOKEN_PREFIX = 'k8s-aws-v1.';
const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** STS accepts the URL this long after signing; the CLI uses the same. */
const PRESIGNED_URL_SECONDS = 60;
/**
 * The API server honours a token for 15 minutes; the CLI reports 14 so clients renew early. Like the
 * CLI, the expiry is counted from signing time at whole-second precision.
 */
const TOKEN_LIFETIME_MS = 14 * 60_000;
/** Signs a token and registers it as a secret of this run, so no log line can show it. */
async function createEksToken(options) {
    const token = await signEksToken(options);
    registerSecret(token.token);
    core.debug(`EKS token for cluster ${options.clusterName} signed by STS in ${options.region}`);
    return token;
}
/**
 * Signs a token and prints nothing: the exec credential entry's stdout must carry the
 * ExecCredential alone.
 */
async function signEksToken(options) {
    const { clusterName, region } = options;
    if (!clusterName)
        throw new errors/* ActionError */.lZ('An EKS token needs a cluster name.');
    if (!/^[a-z0-9-]+$/.test(region)) {
        throw new errors/* ActionError */.lZ(`'${region}' is not an AWS region; an EKS token cannot be signed for it.`);
    }
    // Loaded here so that nothing of the SDK is loaded before the EKS path needs it.
    const [{ SignatureV4 }, { HttpRequest }, { Sha256 }, { partitionOf }] = await Promise.all([
        Promise.all(/* import() */[__webpack_require__.e(422), __webpack_require__.e(118)]).then(__webpack_require__.t.bind(__webpack_require__, 75118, 19)),
        Promise.all(/* import() */[__webpack_require__.e(422), __webpack_require__.e(356)]).then(__webpack_require__.bind(__webpack_require__, 72356)),
        __webpack_require__.e(/* import() */ 156).then(__webpack_require__.t.bind(__webpack_require__, 23156, 23)),
        Promise.all(/* import() */[__webpack_require__.e(422), __webpack_require__.e(152), __webpack_require__.e(947)]).then(__webpack_require__.bind(__webpack_require__, 72947))
    ]);
    const credentials = options.credentials ?? (await defaultCredentials());
    // The regional STS endpoint, as the CLI and aws-iam-authenticator resolve it: the API server's
    // authenticator accepts only the STS hosts of its own partition.
    const hostname = `sts.${region}.${partitionOf(region).dnsSuffix}`;
    const signingDate = new Date(Math.floor((options.now ?? new Date()).getTime() / 1000) * 1000);
    const signer = new SignatureV4({ credentials, region, service: 'sts', sha256: Sha256 });
    const presigned = await signer.presign(new HttpRequest({
        method: 'GET',
        protocol: 'https:',
        hostname,
        path: '/',
        query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        headers: { host: hostname, [CLUSTER_ID_HEADER]: clusterName }
    }), { expiresIn: PRESIGNED_URL_SECONDS, signingDate });
    const url = `https://${hostname}/?${queryString(presigned.query ?? {})}`;
    const token = TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');
    return { token, expiresAt: new Date(signingDate.getTime() + TOKEN_LIFETIME_MS) };
}
async function defaultCredentials() {
    const [{ defaultProvider }, { credentialChainConfig }] = await Promise.all([
        Promise.all(/* import() */[__webpack_require__.e(422), __webpack_require__.e(152), __webpack_require__.e(279), __webpack_require__.e(118), __webpack_require__.e(861)]).then(__webpack_require__.t.bind(__webpack_require__, 5861, 19)),
        Promise.all(/* import() */[__webpack_require__.e(422), __webpack_require__.e(279), __webpack_require__.e(76)]).then(__webpack_require__.bind(__webpack_require__, 96076))
    ]);
    return defaultProvider(credentialChainConfig());
}
/** RFC 3986 encoding, the one SigV4 canonicalises with, so STS reads back the values that were signed. */
function queryString(query) {
    const encode = (text) => encodeURIComponent(text).replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    return Object.entries(query)
        .flatMap(([key, value]) => (Array.isArray(value) ? value : [value ?? '']).map(item => `${encode(key)}=${encode(item)}`))
        .join('&');
}

;// CONCATENATED MODULE: ./src/eks/exec-credential.ts
/**
 * The kubeconfig's credential plugin: `node dist/index.js eks-token <cluster> <region>` prints an
 * ExecCredential with a freshly signed EKS token and its expiry, as `aws eks get-token` does. helm
 * and the rollout watch run it whenever their token has expired or been refused, so no wait of up
 * to 'wait-timeout' can outlive the 15 minutes EKS honours a token for, and the kubeconfig on disk
 * holds no token at all.
 */



const API_VERSION = 'client.authentication.k8s.io/v1beta1';
/** The kubeconfig `user.exec` block that runs this entry of the action's own bundle. */
function execCredentialUser(clusterName, region) {
    return {
        exec: {
            apiVersion: API_VERSION,
            command: process.execPath,
            args: [(0,action_files/* actionFile */.V)('dist/index.js'), exec_credential_command/* EXEC_CREDENTIAL_COMMAND */.I, clusterName, region],
            // The plugin signs with the step's AWS credentials, from the environment it inherits. Given
            // no `env` list at all, the Kubernetes client library spawns it with the environment the
            // process started with rather than the one it has now; an empty list avoids that.
            env: [],
            interactiveMode: 'Never',
            provideClusterInfo: false
        }
    };
}
/** Prints the ExecCredential on stdout; errors go to stderr, which helm shows. */
async function printExecCredential(args) {
    const [clusterName, region] = args;
    try {
        const { token, expiresAt } = await signEksToken({ clusterName, region });
        const credential = {
            apiVersion: API_VERSION,
            kind: 'ExecCredential',
            status: { expirationTimestamp: expiresAt.toISOString(), token }
        };
        process.stdout.write(`${JSON.stringify(credential)}\n`);
    }
    catch (error) {
        process.stderr.write(`Could not sign an EKS token: ${error.message}\n`);
        process.exitCode = 1;
    }
}


/***/ }),

/***/ 45344:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runEks: () => (/* binding */ runEks)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-eks/dist-cjs/index.js
var dist_cjs = __webpack_require__(24524);
// EXTERNAL MODULE: ./src/aws/clients.ts + 1 modules
var clients = __webpack_require__(96076);
// EXTERNAL MODULE: ./src/aws/errors.ts
var errors = __webpack_require__(99378);
// EXTERNAL MODULE: ./src/errors.ts
var src_errors = __webpack_require__(83916);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(46058);
// EXTERNAL MODULE: ./src/aws/proxy.ts + 5 modules
var aws_proxy = __webpack_require__(17164);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
;// CONCATENATED MODULE: ./src/temp-dir.ts
/**
 * Private directories for the files that hold a secret (the kubeconfig's token, helm values with
 * keys). They go under RUNNER_TEMP, which the runner empties after the job; self-hosted runners,
 * containers and local runs may name a RUNNER_TEMP that does not exist yet, so it is created
 * (private) when missing. With no RUNNER_TEMP at all, the system's temporary directory serves.
 */



/** A new directory of mode 0700 whose name starts with `prefix`. */
async function privateTempDirectory(prefix, parent) {
    const base = parent || process.env.RUNNER_TEMP || external_node_os_default().tmpdir();
    await (0,promises_.mkdir)(base, { recursive: true, mode: 0o700 });
    return (0,promises_.mkdtemp)(external_node_path_default().join(base, prefix));
}

;// CONCATENATED MODULE: ./src/eks/access/kubeconfig.ts
/**
 * A throw-away kubeconfig for one EKS cluster. kubectl and helm read JSON kubeconfigs, so no YAML
 * writer is needed. The file is private to the runner's user (a fresh 0700 directory, the file
 * 0600): its user block says how to obtain the workflow's access to the cluster.
 */






async function writeKubeconfig(options) {
    const { clusterName, endpoint, certificateAuthorityData, user } = options;
    if (!/^https:\/\//i.test(endpoint)) {
        throw new src_errors/* ActionError */.lZ(`The endpoint of cluster ${clusterName} is not an https URL ('${endpoint}'); the action only ` +
            'sends its token over TLS.');
    }
    if (!certificateAuthorityData.trim()) {
        throw new src_errors/* ActionError */.lZ(`Cluster ${clusterName} reported no certificate authority data.`);
    }
    const proxy = (0,aws_proxy/* proxyFor */.iJ)(endpoint);
    const directory = await privateTempDirectory('kubeconfig-', options.directory);
    const file = external_node_path_default().join(directory, 'config');
    const kubeconfig = {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
            {
                name: clusterName,
                cluster: {
                    server: endpoint,
                    'certificate-authority-data': certificateAuthorityData.trim(),
                    // helm and the Kubernetes client read the proxy from here, not from HTTPS_PROXY alone
                    // (the client library ignores it): the cluster is reached as the AWS calls are.
                    ...(proxy ? { 'proxy-url': proxy } : {})
                }
            }
        ],
        users: [{ name: clusterName, user }],
        contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
        'current-context': clusterName,
        preferences: {}
    };
    try {
        await (0,promises_.writeFile)(file, `${JSON.stringify(kubeconfig, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
        // The mode given to writeFile only applies through the umask; make it exact.
        await (0,promises_.chmod)(file, 0o600);
    }
    catch (error) {
        await (0,promises_.rm)(directory, { recursive: true, force: true });
        throw error;
    }
    core/* debug */.Yz(`Kubeconfig for cluster ${clusterName} written to ${file}`);
    return {
        path: file,
        remove: () => (0,promises_.rm)(directory, { recursive: true, force: true })
    };
}

// EXTERNAL MODULE: ./src/eks/exec-credential.ts + 1 modules
var exec_credential = __webpack_require__(90551);
;// CONCATENATED MODULE: ./src/eks/access/cluster-access.ts
/**
 * How helm and the rollout watch reach the cluster: the user's kubeconfig, or one built from
 * eks:DescribeCluster whose credential plugin is this action's own bundle, signing a fresh token
 * as `aws eks get-token` does whenever one is needed (no AWS CLI needed).
 */







const ACCESS_ENTRY_ADVICE = "The cluster does not accept the workflow's AWS identity: give that IAM role an EKS access " +
    'entry (aws eks create-access-entry) with the Kubernetes group that ' +
    'permissions/eks-kubernetes-role.yaml binds, or an access policy such as ' +
    'AmazonEKSClusterAdminPolicy. See the README, "EKS cluster access".';
/**
 * The cluster as `eks:DescribeCluster` reports it, asked once per run: cluster access and the
 * cloud-services identity both read it, and the first to ask starts the one call.
 */
function describedCluster(config, callLog, signal) {
    let answer;
    return () => (answer ??= describeCluster(config, callLog, signal));
}
async function describeCluster(config, callLog, signal) {
    const eks = (0,clients.instrument)(new dist_cjs/* EKSClient */.JQJ((0,clients.clientConfig)(config.region, signal)), 'eks', callLog);
    try {
        const answer = await eks
            .send(new dist_cjs/* DescribeClusterCommand */.hV5({ name: config.clusterName }))
            .catch(error => {
            if ((0,errors/* errorCode */.CA)(error) === 'ResourceNotFoundException') {
                throw new src_errors/* ActionError */.lZ(`EKS cluster '${config.clusterName}' not found in region ${config.region}. Check ` +
                    `'cluster' and 'aws-region', and that the credentials are for the cluster's account.`);
            }
            throw (0,errors/* explainAwsFailure */.vt)(error, `EKS cluster ${config.clusterName}`);
        });
        if (!answer.cluster) {
            throw new src_errors/* ActionError */.lZ(`EKS cluster '${config.clusterName}' was described as nothing.`);
        }
        return answer.cluster;
    }
    finally {
        eks.destroy();
    }
}
async function clusterAccess(config, cluster) {
    if (config.kubeconfig) {
        await (0,promises_.access)(config.kubeconfig, promises_.constants.R_OK).catch(() => {
            throw new src_errors/* ActionError */.lZ(`Input 'kubeconfig': cannot read '${config.kubeconfig}'.`);
        });
        return {
            kubeconfigPath: config.kubeconfig,
            refusedAdvice: "Check that the user in 'kubeconfig' may install the chart's resources.",
            remove: async () => undefined
        };
    }
    const described = await cluster();
    if (described.status && described.status !== 'ACTIVE') {
        throw new src_errors/* ActionError */.lZ(`EKS cluster '${config.clusterName}' is ${described.status}; the agent can be installed ` +
            `once it is ACTIVE.`);
    }
    const kubeconfig = await writeKubeconfig({
        clusterName: config.clusterName,
        endpoint: described.endpoint ?? '',
        certificateAuthorityData: described.certificateAuthority?.data ?? '',
        user: (0,exec_credential/* execCredentialUser */.I)(config.clusterName, config.region)
    });
    return {
        kubeconfigPath: kubeconfig.path,
        refusedAdvice: ACCESS_ENTRY_ADVICE,
        remove: kubeconfig.remove
    };
}

// EXTERNAL MODULE: ./src/secrets.ts
var secrets = __webpack_require__(27194);
;// CONCATENATED MODULE: ./src/cloud-services/resources/held-key.ts
/**
 * The cloud-services key an agent release already holds, read back from its helm values. Its
 * secret is masked the moment it is read, whatever the run then does with the key.
 */

function heldKey(values) {
    const cloud = values?.cloudServices;
    if (typeof cloud?.accessKeyId === 'string' &&
        cloud.accessKeyId &&
        typeof cloud.secretAccessKey === 'string') {
        (0,secrets/* registerSecret */.c)(cloud.secretAccessKey);
        return { accessKeyId: cloud.accessKeyId, secretAccessKey: cloud.secretAccessKey };
    }
    return undefined;
}

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(57975);
// EXTERNAL MODULE: ./src/poll.ts
var poll = __webpack_require__(29810);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
;// CONCATENATED MODULE: ./src/eks/access/cluster-refusals.ts
/**
 * What the user does when the cluster refuses the action: a 401 means the cluster does not know
 * the workflow's identity (no access entry or mapping), a 403 that it knows it but has not granted
 * what was asked (no binding of the role in permissions/).
 */
const FORBIDDEN_ADVICE = 'Grant the Kubernetes role in permissions/eks-kubernetes-role.yaml to the identity the action ' +
    'uses (README, "EKS cluster access").';
function unauthorizedLine(what, advice) {
    return `The cluster did not accept the action's credentials (401 Unauthorized) when trying to ${what}. ${advice}`;
}
function forbiddenLine(what, refusal) {
    return `The cluster refused to let the action ${what} (403 Forbidden): ${refusal}. ${FORBIDDEN_ADVICE}`;
}

;// CONCATENATED MODULE: ./src/eks/helm/helm-runner.ts
/**
 * Runs helm with an argument array (never a shell line) against one kubeconfig. Output is captured,
 * not echoed: `helm get values` prints the key, and stderr is shown only after redaction.
 */





/** What helm says when the cluster does not know the caller (helm 3 and 4 word it alike). */
const UNAUTHORIZED = /provide credentials|\bUnauthorized\b/;
/** The API server's 403 names the user, the verb and the resource it refused. */
const FORBIDDEN = /\bis forbidden: .*$/m;
/** helm exited non-zero; `stderr` (redacted) says why. */
class HelmError extends src_errors/* ActionError */.lZ {
    stderr;
    name = 'HelmError';
    constructor(message, stderr) {
        super(message);
        this.stderr = stderr;
    }
}
class HelmRunner {
    tool;
    kubeconfigPath;
    accessAdvice;
    signal;
    constructor(tool, kubeconfigPath, 
    /** Who the workflow is in AWS, for the access-entry advice; empty with a given kubeconfig. */
    accessAdvice, 
    /** On cancellation helm gets SIGTERM, which makes an atomic upgrade roll back. */
    signal = new AbortController().signal) {
        this.tool = tool;
        this.kubeconfigPath = kubeconfigPath;
        this.accessAdvice = accessAdvice;
        this.signal = signal;
    }
    /** The same runner for cleanup that must happen even once the step is cancelled. */
    evenIfCancelled() {
        return new HelmRunner(this.tool, this.kubeconfigPath, this.accessAdvice);
    }
    /**
     * Runs helm; a non-zero exit throws an ActionError with helm's redacted stderr. Cancelled, it
     * waits for helm to stop and throws the cancellation.
     */
    async run(args, what) {
        this.signal.throwIfAborted();
        const fullArgs = [...args, '--kubeconfig', this.kubeconfigPath];
        core/* debug */.Yz(`helm ${fullArgs.join(' ')}`);
        const result = await runProcess(this.tool.path, fullArgs, this.signal);
        if (this.signal.aborted) {
            const said = (0,secrets/* redact */.E)(result.stderr.trim());
            if (said)
                core/* info */.pq(said);
            throw this.signal.reason;
        }
        if (result.exitCode === 0)
            return { stdout: result.stdout, stderr: result.stderr };
        const stderr = (0,secrets/* redact */.E)(result.stderr.trim());
        if (stderr)
            core/* info */.pq(stderr);
        throw new HelmError(this.explain(stderr, what, result.exitCode), stderr);
    }
    explain(stderr, what, exitCode) {
        if (UNAUTHORIZED.test(stderr))
            return unauthorizedLine(what, this.accessAdvice);
        const forbidden = FORBIDDEN.exec(stderr);
        if (forbidden) {
            // From the object's kind on, e.g. 'daemonsets.apps "x" is forbidden: User "y" cannot ...'.
            const line = stderr.split('\n').find(text => text.includes(forbidden[0])) ?? forbidden[0];
            return forbiddenLine(what, line.replace(/^.*?(\S+ "[^"]*" is forbidden|\S+ is forbidden)/, '$1'));
        }
        // helm 4 logs `level=WARN msg=...` lines before its own `Error:` line, which says it best.
        const lines = stderr.split('\n').filter(line => line.trim());
        const at = lines.findIndex(line => line.startsWith('Error: '));
        const first = at >= 0 ? at : lines.findIndex(line => !line.startsWith('level='));
        if (first < 0)
            return `helm could not ${what}: exit code ${exitCode}.`;
        // An error that ends in a colon lists its particulars on the lines below (a schema's
        // complaints, say): they belong in the one line.
        let said = lines[first].replace(/^Error: /, '');
        for (let next = first + 1; said.endsWith(':') && next < lines.length; next++) {
            said += ` ${lines[next].trim()}`;
        }
        return `helm could not ${what}: ${said.replace(/[.:]$/, '')}.`;
    }
}
/** Runs a program to its end, passing SIGTERM on when `signal` aborts and waiting for its exit. */
function runProcess(file, args, signal) {
    return new Promise((resolve, reject) => {
        // The environment as this process has it now (AWS credentials for the credential plugin).
        const child = (0,external_node_child_process_.spawn)(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
        const stdout = [];
        const stderr = [];
        child.stdout.on('data', chunk => stdout.push(chunk));
        child.stderr.on('data', chunk => stderr.push(chunk));
        const stop = () => child.kill('SIGTERM');
        signal.addEventListener('abort', stop, { once: true });
        child.once('error', error => {
            signal.removeEventListener('abort', stop);
            reject(new src_errors/* ActionError */.lZ(`helm could not be started (${file}): ${error.message}`));
        });
        child.once('close', (code, killedBy) => {
            signal.removeEventListener('abort', stop);
            resolve({
                exitCode: code ?? (killedBy ? 128 : 1),
                stdout: Buffer.concat(stdout).toString('utf8'),
                stderr: Buffer.concat(stderr).toString('utf8')
            });
        });
    });
}

;// CONCATENATED MODULE: ./src/eks/helm/release.ts
/**
 * The agent's helm release: what is deployed (revision, chart, the values it was given), and the
 * `upgrade --install` that brings it to the desired state.
 */





/**
 * The release as it is once no operation is under way on it. A pending release is another run's
 * upgrade in progress, or one that was interrupted: it is waited for up to the wait timeout.
 */
async function readRelease(helm, name, namespace, wait) {
    const { value: listed, elapsedMs } = await (0,poll/* pollUntil */.g3)({
        clock: wait.clock,
        timeoutMs: wait.timeoutMs,
        probe: () => listRelease(helm, name, namespace),
        done: release => !release?.status.startsWith('pending-'),
        progress: (release, elapsed) => core/* info */.pq(`Release ${name} is ${release?.status}: waiting for the run changing it (${(0,poll/* formatElapsed */.C7)(elapsed)})`)
    });
    if (!listed)
        return undefined;
    if (listed.status.startsWith('pending-')) {
        throw new src_errors/* ActionError */.lZ(`Release ${name} in namespace ${namespace} is still ${listed.status} after ` +
            `${(0,poll/* formatElapsed */.C7)(elapsedMs)}: another run is changing it, or one was interrupted. Re-run ` +
            `when it is done, or 'helm rollback ${name}' to clear it.`);
    }
    const values = await releaseValues(helm, name, namespace);
    return { revision: Number(listed.revision), status: listed.status, chart: listed.chart, values };
}
/** The user-supplied values of the release, or of one of its revisions; the key among them. */
async function releaseValues(helm, name, namespace, revision) {
    // Parsed here, never printed.
    const { stdout } = await helm.run([
        'get',
        'values',
        name,
        '--namespace',
        namespace,
        ...(revision ? ['--revision', String(revision)] : []),
        '--output',
        'json'
    ], `read the values of release ${name}`);
    return JSON.parse(stdout.trim() || 'null') ?? {};
}
/**
 * helm refused because another operation holds the release: a racing run's upgrade, or its first
 * install, which both helm 3 and 4 answer with 'release: already exists'.
 */
function isReleaseBusy(error) {
    return (error instanceof HelmError &&
        /another operation \(install\/upgrade\/rollback\) is in progress|cannot re-use a name that is still in use|release: already exists/.test(error.stderr));
}
async function listRelease(helm, name, namespace) {
    // helm 3 lists only deployed and failed releases unless asked for all; helm 4 lists all.
    const all = helm.tool.major === 3 ? ['--all'] : [];
    const { stdout } = await helm.run(['list', '--namespace', namespace, '--filter', `^${name}$`, ...all, '--output', 'json'], `list releases in namespace ${namespace}`);
    const releases = JSON.parse(stdout.trim() || '[]');
    return releases.find(release => release.name === name);
}
/** True when the deployed release already has this chart version and exactly these values. */
function isUpToDate(deployed, chart, values) {
    if (!deployed || deployed.status !== 'deployed')
        return false;
    // An unpinned remote chart may have a newer version than the deployed one: upgrade to see.
    if (!chart.matches?.(deployed.chart))
        return false;
    return (0,external_node_util_.isDeepStrictEqual)(deployed.values, values);
}
/**
 * Applies the chart without helm's wait: the action watches the rollout itself (see
 * rollout/watch-rollout.ts), because helm's wait counts pods on nodes that cannot run them.
 * `--timeout` still bounds each Kubernetes operation and any hooks.
 */
async function upgradeInstall(helm, options) {
    const args = [
        ...upgradeArgs(options, options.createNamespace ? ['--create-namespace'] : []),
        '--timeout',
        `${options.timeoutSeconds}s`
    ];
    await helm.run(args, `install release ${options.name} in namespace ${options.namespace}`);
}
/** `helm upgrade --install` of the release's chart and values files; `flags` come before the values. */
function upgradeArgs(options, flags = []) {
    return [
        'upgrade',
        '--install',
        options.name,
        ...options.chart.args,
        '--namespace',
        options.namespace,
        ...flags,
        ...options.valuesFiles.flatMap(file => ['--values', file])
    ];
}
/** Brings back an earlier revision's manifests, as a new revision; the caller watches it. */
async function rollbackRelease(helm, name, namespace, revision) {
    await helm.run(['rollback', name, String(revision), '--namespace', namespace], `roll release ${name} back to revision ${revision}`);
}
/**
 * Removes a release: one that has no earlier revision to go back to, or the agent's on remove.
 * helm does not wait; the caller waits for what matters (rollout/await-removal.ts).
 */
async function uninstallRelease(helm, name, namespace) {
    await helm.run(['uninstall', name, '--namespace', namespace], `uninstall release ${name}`);
}

;// CONCATENATED MODULE: ./src/eks/helm/values.ts
/**
 * The values the action gives the chart, and the private files that carry them to helm: the API key
 * travels in a 0600 file that is removed afterwards, never in argv or the log.
 */



/**
 * The ServiceAccount the chart gives the agent: the one `values` names, else the release's own
 * name, as the chart's fullname helper makes it.
 */
function agentServiceAccountName(config) {
    const named = config.values?.serviceAccount?.name;
    if (typeof named === 'string' && named)
        return named;
    return config.agentName.slice(0, 63).replace(/-+$/, '');
}
function actionValues(config, cloudKey, identity = {}) {
    return {
        image: config.agentImage,
        cloudaeye: {
            endpoint: config.endpoint,
            cluster: config.clusterName,
            platform: 'eks',
            region: config.region,
            services: config.services
        },
        ...(config.existingSecret
            ? { existingSecret: config.existingSecret }
            : { apiKey: config.apiKey ?? '' }),
        ...(identity.roleArn ? { cloudServices: roleValues(identity) } : {}),
        ...(cloudKey
            ? {
                cloudServices: {
                    enabled: true,
                    auth: 'accessKey',
                    accessKeyId: cloudKey.accessKeyId,
                    secretAccessKey: cloudKey.secretAccessKey
                }
            }
            : {})
    };
}
/** irsa: the chart annotates the ServiceAccount with the role; Pod Identity needs nothing there. */
function roleValues(identity) {
    return identity.podIdentity
        ? { enabled: true, auth: 'podIdentity' }
        : { enabled: true, auth: 'irsa', roleArn: identity.roleArn };
}
function isMap(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** Later files win, maps merge key by key, as helm merges repeated --values files. */
function mergeValues(base, override) {
    const merged = { ...base };
    for (const [key, value] of Object.entries(override)) {
        merged[key] = isMap(value) && isMap(merged[key]) ? mergeValues(merged[key], value) : value;
    }
    return merged;
}
/** One private directory under RUNNER_TEMP, one file per values document, all mode 0600. */
async function writeValuesFiles(documents) {
    const directory = await privateTempDirectory('cloudaeye-values-');
    const paths = [];
    const remove = () => (0,promises_.rm)(directory, { recursive: true, force: true });
    try {
        for (const [index, document] of documents.entries()) {
            const file = external_node_path_default().join(directory, `values-${index}.json`);
            await (0,promises_.writeFile)(file, JSON.stringify(document), { mode: 0o600 });
            paths.push(file);
        }
    }
    catch (error) {
        await remove();
        throw error;
    }
    return { paths, remove };
}

;// CONCATENATED MODULE: ./src/eks/release-keys.ts
/**
 * The access keys a release stops holding: after an upgrade, a key a racing run delivered (which
 * this run's upgrade replaced) and a key the agent moved off are deleted, so no key nothing holds
 * is left towards IAM's limit of two per user.
 */



/**
 * When a racing run upgraded the release after this run read it, this run's upgrade replaced that
 * run's revision, and with it the key that run delivered. Nothing holds that key now; it is
 * deleted, or each race would leave one more key towards IAM's limit of two. The key this run
 * delivered and the one it read are never deleted here.
 */
async function retireKeyOfRacingRun(helm, config, cloud, revisions) {
    if (revisions.replacedRevision <= revisions.readRevision)
        return;
    let replaced;
    try {
        replaced = heldKey(await releaseValues(helm, config.agentName, config.namespace, revisions.replacedRevision));
    }
    catch (error) {
        core/* warning */.$e(`Could not read revision ${revisions.replacedRevision} of release ${config.agentName}, ` +
            `which a racing run installed: ${error.message} Its access key, if any, is ` +
            'left for you to delete.');
        return;
    }
    if (replaced && !revisions.keptKeys.includes(replaced.accessKeyId)) {
        await cloud.deleteKey(replaced.accessKeyId, `a racing run delivered it in revision ${revisions.replacedRevision}, which this run's ` +
            'upgrade replaced');
    }
}
/**
 * After the agent moved off the key its release held (to a role, or to its cluster's own user):
 * once the agent is seen running without it the key is deleted, so no long-lived key is left
 * behind; without `wait` that is not known, and the key is left with the command to delete it.
 */
async function retireMovedKey(cloud, config, accessKeyId) {
    if (config.wait) {
        await cloud.retireHeldKey(accessKeyId, 'the agent now runs with its new identity instead');
        return;
    }
    core/* warning */.$e(`The agent no longer gets access key ${accessKeyId}, but with wait: false this run did not ` +
        'see it run with its new identity, so the key is kept. Delete it once the agent runs: ' +
        `aws iam get-access-key-last-used --access-key-id ${accessKeyId} names its user, then ` +
        `aws iam delete-access-key --user-name <that user> --access-key-id ${accessKeyId}`);
}

// EXTERNAL MODULE: ./src/cloud-services/agent-identity.ts + 1 modules
var agent_identity = __webpack_require__(53083);
// EXTERNAL MODULE: ./src/cloud-services/resources/oidc-provider.ts
var oidc_provider = __webpack_require__(55639);
// EXTERNAL MODULE: ./src/cloud-services/trust-policies.ts
var trust_policies = __webpack_require__(60017);
;// CONCATENATED MODULE: ./src/cloud-services/plan.ts



const ASSOCIATION = 'Pod Identity association';
const PROVIDER = 'IAM OIDC provider';
function planCloudServices(config, observed, serviceAccount, held) {
    const { namespace, clusterName, tags } = config;
    const auth = config.cloudServicesAuth;
    const steps = [];
    const provider = observed.provider;
    if (provider) {
        const action = (0,oidc_provider/* providerAction */.MU)(provider);
        steps.push({
            resource: PROVIDER,
            id: provider.issuerHost,
            action,
            reason: action === 'create'
                ? `missing: ${clusterName}'s issuer`
                : action === 'update'
                    ? 'registered without the agent audience'
                    : 'already registered'
        });
    }
    const trust = auth === 'irsa' && provider
        ? (0,trust_policies/* irsaTrust */.Ih)(provider, namespace, serviceAccount)
        : auth === 'pod-identity'
            ? (0,trust_policies/* podIdentityTrust */.UL)(observed.accountId, observed.clusterArn ?? '', namespace, serviceAccount)
            : undefined;
    const spec = {
        name: observed.identityName,
        tags,
        partition: observed.partition,
        ...(trust ? { trust } : {})
    };
    const identity = (0,agent_identity/* planAgentIdentity */.ZK)(observed.kind, observed.identity, spec);
    steps.push(identity.step);
    const roleArn = observed.identity?.arn ??
        `arn:${observed.partition}:iam::${observed.accountId}:role/${observed.identityName}`;
    let association;
    if (auth === 'pod-identity') {
        association = { roleArn };
        const found = observed.association;
        steps.push({
            resource: ASSOCIATION,
            id: found?.associationId ?? `${namespace}/${serviceAccount}`,
            action: !found ? 'create' : found.roleArn === roleArn ? 'keep' : 'update',
            reason: !found
                ? 'missing'
                : found.roleArn === roleArn
                    ? 'names the agent role'
                    : 'names another role',
            ...(found && found.roleArn !== roleArn
                ? { changes: [{ field: 'roleArn', before: found.roleArn, after: roleArn }] }
                : {})
        });
    }
    steps.push(...keySteps(config, observed, held));
    return {
        steps,
        serviceAccount,
        spec,
        identity,
        agentIdentity: auth === 'access-key'
            ? {}
            : { roleArn, ...(auth === 'pod-identity' ? { podIdentity: true } : {}) },
        provider,
        association
    };
}
/** The key the agent holds while it is active, else a new one; a key moved off is retired. */
function keySteps(config, observed, held) {
    const ofUser = held && observed.keys.find(key => key.AccessKeyId === held.accessKeyId);
    const steps = [];
    if (config.cloudServicesAuth === 'access-key') {
        steps.push(ofUser?.Status === 'Active'
            ? {
                resource: 'Access key',
                id: ofUser.AccessKeyId,
                action: 'keep',
                reason: 'the agent holds it'
            }
            : {
                resource: 'Access key',
                id: `new key of ${observed.identityName}`,
                action: 'create',
                reason: held ? 'the agent holds no active key of its user' : 'missing'
            });
    }
    const movedOff = held && (config.cloudServicesAuth !== 'access-key' || !ofUser);
    if (movedOff) {
        steps.push({
            resource: 'Access key',
            id: held.accessKeyId,
            action: 'delete',
            reason: config.wait
                ? 'the agent moves off it; deleted once it runs with its new identity'
                : 'the agent moves off it (kept with wait: false)'
        });
    }
    return steps;
}
function planCloudServicesRemoval(config, observed, serviceAccount) {
    const steps = [];
    const identityStep = (0,agent_identity/* planAgentIdentityRemoval */.rG)(observed.kind, observed.identityName, observed.identity);
    let associationId;
    const found = observed.association;
    if (config.cloudServicesAuth === 'pod-identity') {
        const ours = found && observed.identity && found.roleArn === observed.identity.arn;
        if (ours && identityStep.action === 'delete')
            associationId = found.associationId;
        steps.push({
            resource: ASSOCIATION,
            id: found?.associationId ?? `${config.namespace}/${serviceAccount}`,
            action: associationId ? 'delete' : 'keep',
            reason: !found
                ? 'absent'
                : associationId
                    ? "names this cluster's agent role"
                    : "does not name a role of the action's"
        });
    }
    steps.push(observed.kind.noun === 'user' && identityStep.action === 'delete'
        ? {
            ...identityStep,
            reason: `${identityStep.reason}; with its ${observed.keys.length} access key(s)`
        }
        : identityStep);
    if (observed.provider) {
        steps.push({
            resource: PROVIDER,
            id: observed.provider.issuerHost,
            action: 'keep',
            reason: observed.provider.audiences
                ? 'kept: other roles and tools of the account may trust it'
                : 'absent'
        });
    }
    return { steps, deleteIdentity: identityStep.action === 'delete', associationId };
}

// EXTERNAL MODULE: ./src/plan/field-changes.ts
var field_changes = __webpack_require__(3055);
;// CONCATENATED MODULE: ./src/eks/rollout/update-budget.ts

/** The chart's default `updateStrategy.maxUnavailable`, as a share of the nodes. */
const DEFAULT_UNAVAILABLE_PERCENT = 10;
/** An integer for `maxUnavailable`, or undefined when the chart's default serves. */
function updateBudget(nodes) {
    const stuck = nodes.filter(cannotProgress).length;
    if (stuck === 0)
        return undefined;
    const healthyShare = Math.ceil(((nodes.length - stuck) * DEFAULT_UNAVAILABLE_PERCENT) / 100);
    return stuck + Math.max(1, healthyShare);
}
function cannotProgress(node) {
    const ready = node.status?.conditions?.find(condition => condition.type === 'Ready');
    return ready?.status !== 'True' || node.spec?.unschedulable === true;
}
/** The user's own `updateStrategy.maxUnavailable`, given in 'values', always wins. */
function userSetBudget(userValues) {
    const strategy = userValues?.updateStrategy;
    return strategy?.maxUnavailable !== undefined;
}
function withBudget(values, budget) {
    return mergeValues(values, { updateStrategy: { maxUnavailable: budget } });
}
/**
 * The release as the comparison with the desired values should see it: a budget an earlier run
 * chose for the nodes that were sick then is not a difference worth an upgrade.
 */
function withoutChosenBudget(deployed, desired) {
    const strategy = deployed?.values.updateStrategy;
    if (!deployed || !strategy || userSetBudget(desired))
        return deployed;
    const rest = { ...strategy };
    delete rest.maxUnavailable;
    const values = { ...deployed.values, updateStrategy: rest };
    if (Object.keys(rest).length === 0)
        delete values.updateStrategy;
    return { ...deployed, values };
}

;// CONCATENATED MODULE: ./src/eks/plan.ts
/**
 * What a deploy does, decided from the observation alone: the cloud-services identity, the
 * namespace, and the agent's release with the values that differ (secrets masked). `plan` mode
 * shows it; deploy carries it out.
 */






/**
 * What a plan shows of a key still to be made: the chart needs one to render, and its value never
 * shows (key material is masked), so any text serves.
 */
const PLANNED_KEY = {
    accessKeyId: 'AKIA-TO-BE-CREATED',
    secretAccessKey: 'to-be-created-at-deploy'
};
/** Paths of the values whose content is a secret or key material: shown as `***`. */
function isSecretValue(path) {
    const last = path.split('.').pop() ?? '';
    return (/^(apiKey|accessKeyId|secretAccessKey)$/i.test(last) ||
        /(password|token|privateKey|secretKey)$/i.test(last));
}
function planEksDeploy(config, chart, observed) {
    const held = heldKey(observed.release?.values);
    const cloud = observed.cloud
        ? planCloudServices(config, observed.cloud, agentServiceAccountName(config), held)
        : undefined;
    const keyKept = cloud?.steps.find(step => step.resource === 'Access key' && step.action === 'keep');
    const key = config.enableCloudServices && config.cloudServicesAuth === 'access-key'
        ? keyKept && held
            ? held
            : PLANNED_KEY
        : undefined;
    const release = planRelease(config, chart, observed.release, cloud?.agentIdentity, key);
    const createNamespace = !observed.namespace.exists;
    const namespaceStep = {
        resource: 'Namespace',
        id: config.namespace,
        action: createNamespace ? 'create' : 'keep',
        reason: createNamespace
            ? "missing; labelled as the action's"
            : observed.namespace.ours
                ? "the action's"
                : 'exists'
    };
    return {
        steps: [...(cloud?.steps ?? []), namespaceStep, release.step],
        cloud,
        createNamespace,
        release
    };
}
/**
 * The release given this identity and key: kept when it already runs this chart with exactly
 * these values, else installed or upgraded with the fields that differ. Each pass of the deploy
 * plans it again from the release as that pass read it.
 */
function planRelease(config, chart, deployed, identity, key) {
    const ours = actionValues(config, key, identity);
    const desired = mergeValues(ours, config.values ?? {});
    const resource = 'Helm release';
    const id = `${config.namespace}/${config.agentName}`;
    const compared = withoutChosenBudget(deployed, desired);
    if (isUpToDate(compared, chart, desired)) {
        return { action: 'keep', ours, step: { resource, id, action: 'keep', reason: 'up to date' } };
    }
    if (!deployed) {
        return {
            action: 'create',
            ours,
            step: { resource, id, action: 'create', reason: `missing: ${chart.description}` }
        };
    }
    const changes = (0,field_changes/* fieldChanges */.w)(compared?.values, desired, isSecretValue);
    const chartChanged = !chart.matches?.(deployed.chart);
    if (chartChanged) {
        changes.unshift({
            field: 'chart',
            before: deployed.chart,
            after: chart.matches ? chart.description : `${chart.description}, whatever it is now`
        });
    }
    const reasons = [
        ...(deployed.status !== 'deployed' ? [`status ${deployed.status}`] : []),
        ...(chartChanged ? ['chart'] : []),
        ...(changes.some(change => change.field !== 'chart') ? ['values changed'] : [])
    ];
    return {
        action: 'update',
        ours,
        step: {
            resource,
            id,
            action: 'update',
            reason: reasons.join(', ') || 'values changed',
            changes
        }
    };
}

// EXTERNAL MODULE: ./src/inputs.ts + 3 modules
var inputs = __webpack_require__(30926);
;// CONCATENATED MODULE: ./src/eks/rollout/kube-api.ts


async function kubeReader(kubeconfigPath, refusedAdvice) {
    const { AppsV1Api, CoreV1Api, KubeConfig } = await __webpack_require__.e(/* import() */ 758).then(__webpack_require__.bind(__webpack_require__, 94758));
    const connect = () => {
        const kubeconfig = new KubeConfig();
        kubeconfig.loadFromFile(kubeconfigPath);
        return { apps: kubeconfig.makeApiClient(AppsV1Api), core: kubeconfig.makeApiClient(CoreV1Api) };
    };
    let clients = connect();
    /**
     * A 401 is answered once with new clients, which run the credential plugin again: the library
     * renews an exec token only at its stated expiry, while the cluster may have stopped honouring
     * it sooner (clock skew, a long wait).
     */
    const call = async (what, request) => {
        try {
            return await request(clients).catch(async (error) => {
                if (error.code !== 401)
                    throw error;
                clients = connect();
                return request(clients);
            });
        }
        catch (error) {
            throw explainKubeFailure(error, what, refusedAdvice);
        }
    };
    return {
        daemonSets: namespace => call(`list DaemonSets in namespace ${namespace}`, api => api.apps.listNamespacedDaemonSet({ namespace }).then(list => list.items)),
        pods: (namespace, labelSelector) => call(`list pods in namespace ${namespace}`, api => api.core.listNamespacedPod({ namespace, labelSelector }).then(list => list.items)),
        controllerRevisions: (namespace, labelSelector) => call(`list controller revisions in namespace ${namespace}`, api => api.apps
            .listNamespacedControllerRevision({ namespace, labelSelector })
            .then(list => list.items)),
        nodes: () => call('list nodes', api => api.core.listNode().then(list => list.items)),
        namespaceExists: name => call(`read namespace ${name}`, api => api.core.readNamespace({ name }).then(() => true, error => (error.code === 404 ? false : Promise.reject(error))))
    };
}
/** 401 and 403 each get their own first line; anything else says what could not be done. */
function explainKubeFailure(error, what, refusedAdvice) {
    const code = error.code;
    const message = statusMessage(error);
    if (code === 401)
        return new src_errors/* ActionError */.lZ(unauthorizedLine(what, refusedAdvice));
    if (code === 403)
        return new src_errors/* ActionError */.lZ(forbiddenLine(what, message));
    return new src_errors/* ActionError */.lZ(`Could not ${what}: ${message}`);
}
/** The API server's Status message, when the body carries one. */
function statusMessage(error) {
    const body = error.body;
    let parsed = body;
    if (typeof body === 'string') {
        try {
            parsed = JSON.parse(body);
        }
        catch {
            parsed = body;
        }
    }
    const fromStatus = parsed?.message;
    if (typeof fromStatus === 'string' && fromStatus)
        return fromStatus;
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

;// CONCATENATED MODULE: ./src/eks/resources/namespace.ts


/** The well-known label of the tool that manages an object; helm sets it to `Helm` on its own. */
const NAMESPACE_OWNER_LABEL = 'app.kubernetes.io/managed-by';
async function namespaceApi(kubeconfigPath, refusedAdvice) {
    const { CoreV1Api, KubeConfig } = await __webpack_require__.e(/* import() */ 758).then(__webpack_require__.bind(__webpack_require__, 94758));
    const kubeconfig = new KubeConfig();
    kubeconfig.loadFromFile(kubeconfigPath);
    return { core: kubeconfig.makeApiClient(CoreV1Api), kubeconfig, refusedAdvice };
}
const code = (error) => error.code;
async function observeNamespace(api, name) {
    try {
        const found = await api.core.readNamespace({ name });
        return {
            exists: true,
            ours: found.metadata?.labels?.[NAMESPACE_OWNER_LABEL] === inputs/* MANAGED_BY */.Kf,
            terminating: found.status?.phase === 'Terminating'
        };
    }
    catch (error) {
        if (code(error) === 404)
            return { exists: false, ours: false };
        throw explainKubeFailure(error, `read namespace ${name}`, api.refusedAdvice);
    }
}
/** Creates the namespace with the action's label; one a racing run made first is left as it is. */
async function createOwnedNamespace(api, name) {
    try {
        await api.core.createNamespace({
            body: { metadata: { name, labels: { [NAMESPACE_OWNER_LABEL]: inputs/* MANAGED_BY */.Kf } } }
        });
    }
    catch (error) {
        if (code(error) === 409)
            return;
        throw explainKubeFailure(error, `create namespace ${name}`, api.refusedAdvice);
    }
}
/** What Kubernetes puts in every namespace by itself: not a sign that anyone uses it. */
const BUILT_IN = new Set(['ServiceAccount/default', 'ConfigMap/kube-root-ca.crt']);
/**
 * What is left in the namespace, as `Kind/name` (up to a few per kind); empty when nothing is.
 * A kind the caller may not list counts as not empty: what cannot be seen cannot be deleted.
 */
async function namespaceContents(api, namespace) {
    const { AppsV1Api, BatchV1Api } = await __webpack_require__.e(/* import() */ 758).then(__webpack_require__.bind(__webpack_require__, 94758));
    const apps = api.kubeconfig.makeApiClient(AppsV1Api);
    const batch = api.kubeconfig.makeApiClient(BatchV1Api);
    const core = api.core;
    const lists = [
        ['Pod', () => core.listNamespacedPod({ namespace })],
        ['Secret', () => core.listNamespacedSecret({ namespace })],
        ['ConfigMap', () => core.listNamespacedConfigMap({ namespace })],
        ['ServiceAccount', () => core.listNamespacedServiceAccount({ namespace })],
        ['Service', () => core.listNamespacedService({ namespace })],
        ['PersistentVolumeClaim', () => core.listNamespacedPersistentVolumeClaim({ namespace })],
        ['Deployment', () => apps.listNamespacedDeployment({ namespace })],
        ['DaemonSet', () => apps.listNamespacedDaemonSet({ namespace })],
        ['StatefulSet', () => apps.listNamespacedStatefulSet({ namespace })],
        ['Job', () => batch.listNamespacedJob({ namespace })]
    ];
    const found = await Promise.all(lists.map(async ([kind, list]) => {
        try {
            // What is being deleted already is not left: a pod terminating on a NotReady node ends
            // with the namespace.
            return (await list()).items
                .filter(item => !item.metadata?.deletionTimestamp)
                .map(item => `${kind}/${item.metadata?.name ?? ''}`)
                .filter(name => !BUILT_IN.has(name));
        }
        catch (error) {
            if (code(error) === 403)
                return [`${kind} (may not list)`];
            throw explainKubeFailure(error, `list ${kind}s in namespace ${namespace}`, api.refusedAdvice);
        }
    }));
    return found.flat();
}
/** Why a namespace of the action's stays: what is left in it, the first few. */
function notEmpty(left) {
    return `the action's, but not empty: ${left.slice(0, 5).join(', ')}${left.length > 5 ? ', …' : ''}`;
}
/** Deletes the namespace; `absent` when it is gone already. */
async function deleteNamespace(api, name) {
    try {
        await api.core.deleteNamespace({ name });
        return 'deleted';
    }
    catch (error) {
        if (code(error) === 404)
            return 'absent';
        throw explainKubeFailure(error, `delete namespace ${name}`, api.refusedAdvice);
    }
}

// EXTERNAL MODULE: ./src/cancellation.ts
var cancellation = __webpack_require__(34632);
;// CONCATENATED MODULE: ./src/eks/rollout/eligible-nodes.ts
function targetNodes(nodes, pod) {
    const targets = { eligible: [], unfit: [], outside: [] };
    for (const node of nodes) {
        const name = node.metadata?.name ?? '';
        const placementMiss = outsidePlacement(node, pod);
        if (placementMiss) {
            targets.outside.push({ name, reason: placementMiss });
            continue;
        }
        const unfit = unfitReason(node, pod.tolerations ?? []);
        if (unfit)
            targets.unfit.push({ name, reason: unfit });
        else
            targets.eligible.push(name);
    }
    return targets;
}
function unfitReason(node, tolerations) {
    const ready = node.status?.conditions?.find(condition => condition.type === 'Ready');
    if (ready?.status !== 'True') {
        const why = ready?.reason ? `: ${ready.reason}` : ready ? '' : ': never reported';
        return `NotReady${why}`;
    }
    if (node.spec?.unschedulable)
        return 'cordoned (unschedulable)';
    const blocking = (node.spec?.taints ?? []).find(taint => (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') &&
        !tolerations.some(toleration => tolerates(toleration, taint)));
    if (blocking) {
        const value = blocking.value ? `=${blocking.value}` : '';
        return `taint ${blocking.key}${value}:${blocking.effect} not tolerated`;
    }
    return undefined;
}
function tolerates(toleration, taint) {
    if (toleration.effect && toleration.effect !== taint.effect)
        return false;
    if (toleration.operator === 'Exists')
        return !toleration.key || toleration.key === taint.key;
    return toleration.key === taint.key && (toleration.value ?? '') === (taint.value ?? '');
}
/** Why the pod's node selector or required node affinity excludes the node, if it does. */
function outsidePlacement(node, pod) {
    const labels = node.metadata?.labels ?? {};
    for (const [key, value] of Object.entries(pod.nodeSelector ?? {})) {
        if (labels[key] !== value)
            return `node selector ${key}=${value} (node has ${show(labels, key)})`;
    }
    const terms = pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    if (!terms?.length)
        return undefined;
    // The terms are ORed: the node is inside when any one term matches in full.
    const misses = terms.map(term => termMiss(node, term));
    if (misses.some(miss => miss === undefined))
        return undefined;
    return misses[0];
}
function termMiss(node, term) {
    const labels = node.metadata?.labels ?? {};
    for (const requirement of term.matchExpressions ?? []) {
        if (!matches(labels[requirement.key], requirement)) {
            return `affinity ${describe(requirement)} (node has ${show(labels, requirement.key)})`;
        }
    }
    const fields = { 'metadata.name': node.metadata?.name };
    for (const requirement of term.matchFields ?? []) {
        if (!matches(fields[requirement.key], requirement)) {
            return `affinity ${describe(requirement)}`;
        }
    }
    return undefined;
}
function matches(value, requirement) {
    const values = requirement.values ?? [];
    switch (requirement.operator) {
        case 'In':
            return value !== undefined && values.includes(value);
        case 'NotIn':
            return value === undefined || !values.includes(value);
        case 'Exists':
            return value !== undefined;
        case 'DoesNotExist':
            return value === undefined;
        case 'Gt':
            return value !== undefined && Number(value) > Number(values[0]);
        case 'Lt':
            return value !== undefined && Number(value) < Number(values[0]);
        default:
            return false;
    }
}
function describe(requirement) {
    const values = requirement.values?.length ? ` ${requirement.values.join(',')}` : '';
    return `${requirement.key} ${requirement.operator}${values}`;
}
function show(labels, key) {
    return key in labels ? `${key}=${labels[key]}` : `no ${key}`;
}

;// CONCATENATED MODULE: ./src/eks/rollout/pod-state.ts
/** Waiting reasons that do not clear by themselves. */
const STUCK = new Set([
    'CrashLoopBackOff',
    'ImagePullBackOff',
    'ErrImagePull',
    'ErrImageNeverPull',
    'InvalidImageName',
    'CreateContainerConfigError',
    'CreateContainerError',
    'RunContainerError'
]);
/** `now` and `pendingBoundMs` decide when a pod that has not started counts as failing. */
function podState(pod, now, pendingBoundMs) {
    const statuses = [
        ...(pod.status?.initContainerStatuses ?? []),
        ...(pod.status?.containerStatuses ?? [])
    ];
    for (const status of statuses) {
        const waiting = status.state?.waiting;
        if (waiting?.reason && STUCK.has(waiting.reason)) {
            const lastExit = status.lastState?.terminated;
            const exit = lastExit ? `, last exit code ${lastExit.exitCode}` : '';
            const message = waiting.message ? `: ${oneLine(waiting.message)}` : '';
            return {
                kind: 'failing',
                reason: `container ${status.name} ${waiting.reason}${message} (${status.restartCount} restarts${exit})`
            };
        }
    }
    const ready = pod.status?.conditions?.find(condition => condition.type === 'Ready');
    if (ready?.status === 'True')
        return { kind: 'ready' };
    const created = pod.metadata?.creationTimestamp;
    const age = created ? now - new Date(created).getTime() : 0;
    if (pod.status?.phase === 'Pending' && age > pendingBoundMs) {
        const scheduled = pod.status.conditions?.find(condition => condition.type === 'PodScheduled');
        const why = scheduled?.status === 'False'
            ? `unschedulable: ${oneLine(scheduled.message ?? scheduled.reason ?? '')}`
            : 'its containers have not started';
        return { kind: 'failing', reason: `pending for ${Math.round(age / 1000)}s, ${why}` };
    }
    return { kind: 'starting' };
}
function oneLine(text) {
    return text.replace(/\s+/g, ' ').trim();
}

;// CONCATENATED MODULE: ./src/eks/rollout/watch-rollout.ts
/**
 * Waits until the agent is updated and ready on every eligible node, or fails fast with the pod,
 * node and reason when an updated pod cannot start there. helm's own wait cannot do this: it waits
 * for every scheduled pod, so one NotReady node among hundreds fails every deploy, and it says
 * neither which pod failed nor why.
 */





/** An updated pod that cannot start on an eligible node. */
class PodFailure extends src_errors/* ActionError */.lZ {
    name = 'PodFailure';
}
/** The rollout was still going at the end of its budget. */
class RolloutTimeout extends src_errors/* ActionError */.lZ {
    name = 'RolloutTimeout';
}
/** helm records the release on every resource it manages, whatever the chart names it. */
const RELEASE_NAME = 'meta.helm.sh/release-name';
const RELEASE_NAMESPACE = 'meta.helm.sh/release-namespace';
/**
 * The DaemonSet controller labels each pod, and each ControllerRevision of the template, with the
 * template's hash. A pod is up to date when its hash is the newest revision's: after a rollback
 * the pods that never left the restored template count as updated, as the controller counts them.
 */
const REVISION_HASH = 'controller-revision-hash';
/** How often progress is printed while the count does not change. */
const QUIET_PROGRESS_MS = 10_000;
async function watchRollout(watch) {
    let lastPrinted = { ready: -1, at: -Infinity };
    const { value: coverage, elapsedMs } = await (0,poll/* pollUntil */.g3)({
        clock: watch.clock,
        timeoutMs: watch.timeoutMs,
        firstDelayMs: 1_000,
        maxDelayMs: 2_000,
        probe: () => look(watch),
        done: look => look.waitingFor.length === 0,
        progress: (look, elapsed) => {
            const now = watch.clock.now();
            if (look.ready === lastPrinted.ready && now - lastPrinted.at < QUIET_PROGRESS_MS)
                return;
            lastPrinted = { ready: look.ready, at: now };
            core/* info */.pq(`Agent ready on ${look.ready}/${look.eligible} nodes (${(0,poll/* formatElapsed */.C7)(elapsed)})`);
        }
    });
    if (coverage.waitingFor.length > 0) {
        const shown = coverage.waitingFor.slice(0, 5).join('; ');
        const more = coverage.waitingFor.length > 5 ? ` and ${coverage.waitingFor.length - 5} more` : '';
        throw new RolloutTimeout(`The agent was ready on ${coverage.ready}/${coverage.eligible} eligible nodes after ` +
            `${(0,poll/* formatElapsed */.C7)(elapsedMs)}, past the time allowed for the rollout. Still waiting for: ` +
            `${shown}${more}.`);
    }
    return coverage;
}
/** The DaemonSets helm installed for the release, known by the annotations helm puts on them. */
function releaseDaemonSets(daemonSets, release, namespace) {
    return daemonSets.filter(set => set.metadata?.annotations?.[RELEASE_NAME] === release &&
        set.metadata?.annotations?.[RELEASE_NAMESPACE] === namespace);
}
/** The label selector of a DaemonSet's pods. */
function podSelector(set) {
    return Object.entries(set.spec?.selector?.matchLabels ?? {})
        .map(([key, value]) => `${key}=${value}`)
        .join(',');
}
async function look(watch) {
    const [daemonSets, nodes] = await Promise.all([
        watch.kube.daemonSets(watch.namespace),
        watch.kube.nodes()
    ]);
    const ours = releaseDaemonSets(daemonSets, watch.release, watch.namespace);
    const total = {
        daemonSets: [],
        ready: 0,
        eligible: 0,
        unfit: [],
        outside: [],
        waitingFor: []
    };
    for (const set of ours) {
        const one = await lookAtDaemonSet(watch, set, nodes);
        total.daemonSets.push(set.metadata?.name ?? '');
        total.ready += one.ready;
        total.eligible += one.eligible;
        total.waitingFor.push(...one.waitingFor);
        // With several DaemonSets a node is reported once.
        for (const key of ['unfit', 'outside']) {
            for (const node of one[key]) {
                if (!total[key].some(known => known.name === node.name))
                    total[key].push(node);
            }
        }
    }
    return total;
}
async function lookAtDaemonSet(watch, set, nodes) {
    const name = set.metadata?.name ?? '';
    const selector = podSelector(set);
    const [pods, revisions] = await Promise.all([
        watch.kube.pods(watch.namespace, selector),
        watch.kube.controllerRevisions(watch.namespace, selector)
    ]);
    const targets = targetNodes(nodes, set.spec?.template?.spec ?? { containers: [] });
    const owned = revisions.filter(revision => revision.metadata?.ownerReferences?.some(owner => owner.uid === set.metadata?.uid));
    const newest = owned.reduce((latest, revision) => (!latest || revision.revision > latest.revision ? revision : latest), undefined);
    const currentHash = newest?.metadata?.labels?.[REVISION_HASH];
    // Until the controller has seen the new template, its newest revision is the old one.
    const seen = (set.status?.observedGeneration ?? 0) >= (set.metadata?.generation ?? 1);
    const updated = pods.filter(pod => !pod.metadata?.deletionTimestamp &&
        currentHash !== undefined &&
        pod.metadata?.labels?.[REVISION_HASH] === currentHash);
    const byNode = new Map(updated.map(pod => [nodeOf(pod), pod]));
    const now = watch.clock.now();
    const waitingFor = [];
    let ready = 0;
    for (const node of targets.eligible) {
        const pod = seen ? byNode.get(node) : undefined;
        if (!pod) {
            waitingFor.push(`node ${node}: no updated agent pod yet (DaemonSet ${name})`);
            continue;
        }
        const state = podState(pod, now, watch.pendingBoundMs);
        if (state.kind === 'failing') {
            throw new PodFailure(`Agent pod ${pod.metadata?.name} on node ${node} cannot start: ${state.reason}.`);
        }
        if (state.kind === 'ready')
            ready++;
        else
            waitingFor.push(`pod ${pod.metadata?.name} on node ${node}: ${describeStarting(pod)}`);
    }
    return {
        ready,
        eligible: targets.eligible.length,
        waitingFor,
        unfit: targets.unfit,
        outside: targets.outside
    };
}
/**
 * The node a DaemonSet pod belongs to: where it was scheduled or, before that, the node its
 * controller-set affinity names.
 */
function nodeOf(pod) {
    if (pod.spec?.nodeName)
        return pod.spec.nodeName;
    const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
        ?.nodeSelectorTerms ?? [];
    for (const term of terms) {
        const field = term.matchFields?.find(field => field.key === 'metadata.name');
        if (field?.values?.[0])
            return field.values[0];
    }
    return '';
}
function describeStarting(pod) {
    const waiting = pod.status?.containerStatuses?.find(status => status.state?.waiting)?.state
        ?.waiting;
    if (waiting?.reason)
        return waiting.reason;
    return pod.status?.phase ?? 'Pending';
}

;// CONCATENATED MODULE: ./src/eks/rollout/await-agent.ts
/**
 * After helm applied the release: wait for the agent on every eligible node, report coverage, and
 * when an updated pod cannot start (or the rollout outlasts its share of the budget) put the
 * previous revision back, all within 'wait-timeout'. A cancelled step rolls back too, without
 * waiting, as helm's atomic upgrade did.
 */





/**
 * The rollout gets two thirds of the budget and the way back the rest, so that a failed upgrade
 * is undone inside 'wait-timeout' rather than after it.
 */
const ROLLOUT_SHARE = 2 / 3;
/** A pod may be Pending this long (an image pull, a busy scheduler) before it counts as failing. */
const PENDING_BOUND_MS = 120_000;
async function awaitAgent(rollout) {
    const { clock } = rollout;
    const started = clock.now();
    const watch = (timeoutMs) => watchRollout({
        kube: rollout.kube,
        namespace: rollout.namespace,
        release: rollout.release,
        clock,
        timeoutMs,
        pendingBoundMs: Math.min(PENDING_BOUND_MS, timeoutMs / 2)
    });
    try {
        const coverage = await watch(Math.round(rollout.timeoutMs * ROLLOUT_SHARE));
        reportCoverage(rollout, coverage);
    }
    catch (error) {
        if (error instanceof cancellation/* CancelledError */.cc) {
            await restore(rollout).catch(restoreError => core/* warning */.$e(`Could not undo the upgrade after the cancellation: ${restoreError.message}`));
            throw error;
        }
        if (!(error instanceof PodFailure || error instanceof RolloutTimeout))
            throw error;
        const remaining = rollout.timeoutMs - (clock.now() - started);
        throw new src_errors/* ActionError */.lZ(`${error.message} ${await restoreAndWatch(rollout, remaining, watch)}`);
    }
}
/** One sentence on what the release is now, for the end of the step's error line. */
async function restoreAndWatch(rollout, remainingMs, watch) {
    const target = rollout.previousRevision === undefined
        ? 'removing the release (it had no earlier revision)'
        : `rolling back to revision ${rollout.previousRevision}`;
    try {
        await restore(rollout);
        if (rollout.previousRevision === undefined)
            return 'The release was removed.';
        const coverage = await watch(Math.max(remainingMs, 1_000));
        return (`Rolled back to revision ${rollout.previousRevision}: the previous agent is ready on ` +
            `${coverage.ready}/${coverage.eligible} nodes.`);
    }
    catch (error) {
        if (error instanceof cancellation/* CancelledError */.cc)
            throw error;
        return `Then ${target} failed: ${error.message}`;
    }
}
async function restore(rollout) {
    const helm = rollout.helm.evenIfCancelled();
    if (rollout.previousRevision === undefined) {
        await uninstallRelease(helm, rollout.release, rollout.namespace);
    }
    else {
        await rollbackRelease(helm, rollout.release, rollout.namespace, rollout.previousRevision);
    }
}
function reportCoverage(rollout, coverage) {
    if (coverage.daemonSets.length === 0) {
        rollout.report.note(`Release ${rollout.release} has no DaemonSet: there is no rollout to wait for.`);
        return;
    }
    rollout.report.note(`Agent ready on ${coverage.ready}/${coverage.eligible} eligible nodes` +
        (coverage.unfit.length ? `; ${coverage.unfit.length} node(s) cannot run it now` : '') +
        (coverage.outside.length
            ? `; ${coverage.outside.length} node(s) outside its placement (${summarise(coverage.outside)})`
            : '') +
        '.');
    if (coverage.unfit.length > 0) {
        core/* warning */.$e(`No agent on ${coverage.unfit.length} node(s) that cannot run it now; it starts there once ` +
            `they recover: ${summarise(coverage.unfit)}.`);
    }
}
/** Up to ten nodes with their reasons, then a count. */
function summarise(nodes) {
    const shown = nodes.slice(0, 10).map(node => `${node.name} (${node.reason})`);
    const more = nodes.length > 10 ? `, and ${nodes.length - 10} more` : '';
    return shown.join(', ') + more;
}

;// CONCATENATED MODULE: ./src/eks/apply.ts
/**
 * Carries out a deploy plan: the cloud-services identity, the namespace, then the release with
 * `helm upgrade --install` and the watch of its rollout. A racing run can take the release
 * between the observation and the upgrade: helm then refuses, and the next pass reads the release
 * again and plans it from what that run left.
 */










/**
 * Passes at the release. A racing run's upgrade can take the release between this run's read and
 * its upgrade; helm then refuses, and the next pass waits for that run and starts from what it
 * left (its key, if the agent now holds one).
 */
const RELEASE_PASSES = 3;
async function applyEksDeploy(config, report, deps, chart, observed, plan, cloud) {
    if (cloud)
        await core/* group */.Os('Cloud services', () => cloud.applyIdentity());
    await core/* group */.Os(`Release ${config.agentName} in namespace ${config.namespace}`, async () => {
        if (plan.createNamespace) {
            await createOwnedNamespace(await observed.namespaces(), config.namespace);
        }
        await settleRelease(config, report, deps, chart, observed, plan, cloud);
        // Reported with the release it was made for, as helm's --create-namespace was.
        if (plan.createNamespace) {
            report.record({
                kind: 'Namespace',
                id: config.namespace,
                status: 'created',
                note: "labelled as the action's, so remove may delete it"
            });
        }
    });
}
async function settleRelease(config, report, { clock }, chart, observed, plan, cloud) {
    const { helm, access } = observed;
    report.output('helm-release', config.agentName);
    report.output('namespace', config.namespace);
    const settleWait = { clock, timeoutMs: config.waitTimeoutMs };
    let kube;
    let deployed = observed.release;
    for (let pass = 1;; pass++) {
        // The first pass carries out the plan; a later one follows a racing run and reads again.
        if (pass > 1)
            deployed = await readRelease(helm, config.agentName, config.namespace, settleWait);
        const held = heldKey(deployed?.values);
        const withKey = cloud && config.cloudServicesAuth === 'access-key';
        const cloudKey = withKey ? await cloud.agentKey(held) : undefined;
        const release = pass === 1 && !withKey
            ? plan.release
            : planRelease(config, chart, deployed, cloud?.agentIdentity, cloudKey);
        if (release.action === 'keep') {
            recordRelease(report, config, deployed.revision, deployed.chart, 'unchanged');
            return;
        }
        if (deployed && !chart.matches) {
            core/* info */.pq(`chart-version is not pinned: upgrading to whatever ${chart.description} is now.`);
        }
        core/* info */.pq(`Installing ${chart.description} with helm ${helm.tool.version}`);
        try {
            kube ??= await kubeReader(access.kubeconfigPath, access.refusedAdvice);
            const budget = userSetBudget(config.values) ? undefined : updateBudget(await kube.nodes());
            if (budget) {
                core/* info */.pq(`Some nodes are NotReady or cordoned, and their agents can never become ready: an ` +
                    `update may replace up to ${budget} agents at once, so that they cannot hold it up.`);
            }
            const values = budget ? withBudget(release.ours, budget) : release.ours;
            await install(helm, config, chart, values, plan.createNamespace);
            if (config.wait) {
                await awaitAgent({
                    helm,
                    kube,
                    release: config.agentName,
                    namespace: config.namespace,
                    previousRevision: deployed?.revision,
                    clock,
                    timeoutMs: config.waitTimeoutMs,
                    report
                });
            }
        }
        catch (error) {
            if (isReleaseBusy(error) && pass < RELEASE_PASSES) {
                core/* info */.pq(`Another run is changing release ${config.agentName}: waiting, then starting over.`);
                continue;
            }
            await cloud?.discardCreatedKey();
            throw error;
        }
        const installed = await listRelease(helm, config.agentName, config.namespace);
        const revision = Number(installed?.revision ?? 0);
        if (cloud && held && held.accessKeyId !== cloudKey?.accessKeyId) {
            await retireMovedKey(cloud, config, held.accessKeyId);
        }
        if (cloud && cloudKey) {
            await retireKeyOfRacingRun(helm, config, cloud, {
                replacedRevision: revision - 1,
                readRevision: deployed?.revision ?? 0,
                keptKeys: [cloudKey.accessKeyId, heldKey(deployed?.values)?.accessKeyId]
            });
        }
        recordRelease(report, config, revision, installed?.chart ?? chart.description, deployed ? 'updated' : 'created');
        return;
    }
}
/**
 * `--create-namespace` when the plan found the namespace missing: the action has just made it,
 * labelled, and helm leaves an existing one as it is.
 */
async function install(helm, config, chart, ours, createNamespace) {
    const files = await writeValuesFiles(config.values ? [ours, config.values] : [ours]);
    try {
        await upgradeInstall(helm, {
            name: config.agentName,
            namespace: config.namespace,
            chart,
            valuesFiles: files.paths,
            createNamespace,
            timeoutSeconds: Math.ceil(config.waitTimeoutMs / 1000)
        });
    }
    finally {
        await files.remove();
    }
}
function recordRelease(report, config, revision, listedChart, status) {
    const version = /-(\d[^-]*(?:-[^-]+)?)$/.exec(listedChart)?.[1] ?? listedChart;
    report.record({
        kind: 'Helm release',
        id: `${config.namespace}/${config.agentName}`,
        status,
        note: `revision ${revision}, chart ${listedChart}`
    });
    report.output('helm-revision', String(revision));
    report.output('chart-version', version);
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./src/action-files.ts
var action_files = __webpack_require__(64775);
;// CONCATENATED MODULE: ./src/eks/helm/chart-source.ts
/** Which chart helm installs: the one shipped in the action, or the user's. */



const SHIPPED_CHART_NAME = 'cloudaeye-metrics-agent';
function chartSource(config) {
    if (!config.chart) {
        const directory = external_node_path_default().dirname((0,action_files/* actionFile */.V)(`charts/${SHIPPED_CHART_NAME}/Chart.yaml`));
        const chartYaml = (0,external_node_fs_.readFileSync)(external_node_path_default().join(directory, 'Chart.yaml'), 'utf8');
        const version = /^version:\s*['"]?([^'"\s]+)/m.exec(chartYaml)?.[1] ?? '';
        const listed = `${SHIPPED_CHART_NAME}-${version}`;
        return {
            args: [directory],
            version,
            matches: chart => chart === listed,
            description: `${SHIPPED_CHART_NAME} ${version} (shipped)`
        };
    }
    const version = config.chartVersion;
    const versionArgs = version ? ['--version', version] : [];
    const matches = version ? (chart) => chart.endsWith(`-${version}`) : undefined;
    const chart = config.chart;
    // An https URL that is not an archive names a repository and, last, the chart in it.
    if (/^https?:\/\//.test(chart) && !/\.tgz$/.test(chart)) {
        const url = new URL(chart);
        const name = url.pathname.split('/').filter(Boolean).pop() ?? '';
        url.pathname = url.pathname.replace(/\/[^/]+\/?$/, '') || '/';
        return {
            args: ['--repo', url.toString(), name, ...versionArgs],
            version,
            matches,
            description: `${name} ${version ?? '(latest)'} from ${url}`
        };
    }
    return {
        args: [chart, ...versionArgs],
        version,
        matches,
        description: `${chart} ${version ?? ''}`.trim()
    };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: ./node_modules/@actions/tool-cache/lib/tool-cache.js + 2 modules
var tool_cache = __webpack_require__(59805);
;// CONCATENATED MODULE: ./src/eks/helm/helm-digests.ts
/**
 * The helm release the action installs when no `helm-version` is given, and the SHA-256 digests of its
 * archives as the helm project published them in the release notes of v4.1.4
 * (https://github.com/helm/helm/releases/tag/v4.1.4, "Installation and Upgrading").
 *
 * A download of this version must match both the mirror's `.sha256sum` and these digests: a mirror
 * (`helm-download-base-url`) that serves a tampered archive together with a matching checksum file is
 * still refused. Bump the version and all six digests together.
 */
const PINNED_HELM_VERSION = '4.1.4';
/** Keyed by `<os>-<arch>` as helm names its archives. */
const PINNED_HELM_ARCHIVE_DIGESTS = {
    'linux-amd64': '70b2c30a19da4db264dfd68c8a3664e05093a361cefd89572ffb36f8abfa3d09',
    'linux-arm64': '13d03672be289045d2ff00e4e345d61de1c6f21c1257a45955a30e8ae036d8f1',
    'darwin-amd64': 'abf09c8503ad1d8ef76d3737a058c3456a998aae5f5966fce4bb3031aeb1654e',
    'darwin-arm64': '7c2eca678e8001fa863cdf8cbf6ac1b3799f9404a89eb55c08260ef5732e658d',
    'windows-amd64': 'bd60f567f667631a2c9b698dfabe5e3cd52eaaf4264163c0a9cae566db8560e8',
    'windows-arm64': 'd0a651026da4a26b28bdfc3d455ce3dfacbc267182dc2225c2172b1dcc549643'
};

;// CONCATENATED MODULE: ./src/eks/helm/helm-tool.ts
/**
 * Finds a helm the action can drive (3.13+ or 4.x), or installs one through the runner's tool cache,
 * so the EKS path needs nothing preinstalled. Order: PATH, tool cache, verified download.
 */









const DEFAULT_HELM_VERSION = PINNED_HELM_VERSION;
/** Older helm 3 releases lack flags the install step relies on. */
const MIN_HELM3_MINOR = 13;
const VERSION_PATTERN = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/;
const VERSION_PROBE_TIMEOUT_MS = 20_000;
async function resolveHelm(options) {
    const target = downloadTarget(options.platform ?? process.platform, options.arch ?? process.arch);
    const requested = options.version?.trim() ? parseRequestedVersion(options.version) : undefined;
    const wanted = requested ? `helm ${requested.text}` : `helm 3.${MIN_HELM3_MINOR}+ or 4.x`;
    const onPath = await findOnPath(target.binaryName, wanted, found => requested ? found.text === requested.text : isSupported(found));
    if (onPath)
        return announce({ ...onPath, source: 'path' });
    const version = requested ?? parseVersion(DEFAULT_HELM_VERSION);
    if (!requested) {
        core/* info */.pq(`No ${wanted} on PATH; using helm ${version.text}.`);
    }
    if (!process.env.RUNNER_TOOL_CACHE || !process.env.RUNNER_TEMP) {
        throw new src_errors/* ActionError */.lZ(`Cannot install helm ${version.text}: RUNNER_TOOL_CACHE and RUNNER_TEMP are not set (they are on ` +
            `GitHub runners). Put ${wanted} on PATH instead.`);
    }
    const cachedDir = tool_cache/* find */.I6('helm', version.text, target.nodeArch);
    const cachedBinary = cachedDir && external_node_path_default().join(cachedDir, target.binaryName);
    if (cachedBinary && (await isFile(cachedBinary))) {
        return announce({ path: cachedBinary, version, source: 'tool-cache' });
    }
    const downloaded = await downloadAndCache(version.text, target, options.downloadBaseUrl);
    return announce({ path: downloaded, version, source: 'download' });
}
function announce(found) {
    const origin = { path: 'PATH', 'tool-cache': 'the tool cache', download: 'a verified download' };
    core/* info */.pq(`Using helm ${found.version.text} from ${origin[found.source]}: ${found.path}`);
    return {
        path: found.path,
        version: found.version.text,
        major: found.version.major,
        source: found.source
    };
}
function parseVersion(raw) {
    const match = VERSION_PATTERN.exec(raw.trim());
    if (!match)
        return undefined;
    return { text: raw.trim().replace(/^v/, ''), major: Number(match[1]), minor: Number(match[2]) };
}
function isSupported(version) {
    return version.major === 4 || (version.major === 3 && version.minor >= MIN_HELM3_MINOR);
}
function parseRequestedVersion(raw) {
    const version = parseVersion(raw);
    if (!version) {
        throw new src_errors/* InputError */.dz('helm-version', `'${raw}' is not a helm version; write e.g. 3.17.2 or v4.1.4.`);
    }
    if (!isSupported(version)) {
        throw new src_errors/* InputError */.dz('helm-version', `helm ${version.text} is not supported; use 3.${MIN_HELM3_MINOR} or later, or 4.x.`);
    }
    return version;
}
function downloadTarget(platform, arch) {
    const osNames = {
        linux: 'linux',
        darwin: 'darwin',
        win32: 'windows'
    };
    const archNames = { x64: 'amd64', arm64: 'arm64' };
    const os = osNames[platform];
    const helmArch = archNames[arch];
    if (!os || !helmArch) {
        throw new src_errors/* ActionError */.lZ(`No helm build for ${platform}/${arch}: the action installs helm on Linux, macOS and Windows ` +
            `runners with x64 or arm64 processors. Put helm 3.${MIN_HELM3_MINOR}+ or 4.x on PATH instead.`);
    }
    return {
        os,
        arch: helmArch,
        nodeArch: arch,
        binaryName: os === 'windows' ? 'helm.exe' : 'helm',
        archiveExtension: os === 'windows' ? 'zip' : 'tar.gz'
    };
}
/** Every helm on PATH in order, the first one `accept` takes; others are logged as skipped. */
async function findOnPath(binaryName, wanted, accept) {
    const seen = new Set();
    for (const dir of (process.env.PATH ?? '').split((external_node_path_default()).delimiter)) {
        if (!dir)
            continue;
        const candidate = external_node_path_default().resolve(dir, binaryName);
        if (seen.has(candidate) || !(await isExecutableFile(candidate)))
            continue;
        seen.add(candidate);
        const version = await probeVersion(candidate);
        if (version && accept(version))
            return { path: candidate, version };
        const found = version ? `helm ${version.text}` : 'no helm version could be read';
        core/* info */.pq(`Skipping ${candidate}: ${found}, not ${wanted}.`);
    }
    return undefined;
}
function probeVersion(binary) {
    return new Promise(resolve => {
        (0,external_node_child_process_.execFile)(binary, ['version', '--template', '{{.Version}}'], { timeout: VERSION_PROBE_TIMEOUT_MS, windowsHide: true }, (error, stdout) => {
            if (error)
                core/* debug */.Yz(`${binary} version failed: ${error.message}`);
            resolve(error ? undefined : parseVersion(String(stdout)));
        });
    });
}
async function downloadAndCache(version, target, baseUrl) {
    const platformDir = `${target.os}-${target.arch}`;
    const url = `${baseUrl.replace(/\/+$/, '')}/helm-v${version}-${platformDir}.${target.archiveExtension}`;
    core/* info */.pq(`Downloading helm ${version} from ${url}`);
    const archive = await download(url);
    let extracted;
    try {
        const published = await publishedDigest(`${url}.sha256sum`);
        const actual = await sha256Of(archive);
        if (actual !== published) {
            throw new src_errors/* ActionError */.lZ(`Checksum mismatch for ${url}: ${url}.sha256sum publishes ${published}, the downloaded ` +
                `archive has ${actual}. Nothing was installed.`);
        }
        if (version === DEFAULT_HELM_VERSION) {
            const pinned = PINNED_HELM_ARCHIVE_DIGESTS[platformDir];
            if (actual !== pinned) {
                throw new src_errors/* ActionError */.lZ(`Checksum mismatch for ${url}: the action pins helm ${version} (${platformDir}) to ` +
                    `${pinned}, the downloaded archive has ${actual}. Nothing was installed; check ` +
                    `helm-download-base-url.`);
            }
        }
        core/* debug */.Yz(`SHA-256 of ${url} verified: ${actual}`);
        extracted =
            target.archiveExtension === 'zip'
                ? await tool_cache/* extractZip */.JE(archive)
                : await tool_cache/* extractTar */.nN(archive);
        const binaryDir = external_node_path_default().join(extracted, platformDir);
        if (!(await isFile(external_node_path_default().join(binaryDir, target.binaryName)))) {
            throw new src_errors/* ActionError */.lZ(`${url} has no ${platformDir}/${target.binaryName}; is it a helm archive?`);
        }
        const cachedDir = await tool_cache/* cacheDir */.e8(binaryDir, 'helm', version, target.nodeArch);
        const cachedBinary = external_node_path_default().join(cachedDir, target.binaryName);
        await (0,promises_.chmod)(cachedBinary, 0o755);
        return cachedBinary;
    }
    finally {
        await (0,promises_.rm)(archive, { force: true });
        if (extracted)
            await (0,promises_.rm)(extracted, { recursive: true, force: true });
    }
}
/** tool-cache retries 5xx, 408 and 429 itself; what reaches here is final. */
async function download(url) {
    try {
        return await tool_cache/* downloadTool */.bq(url);
    }
    catch (error) {
        const status = error.httpStatusCode;
        if (status === 404) {
            throw new src_errors/* ActionError */.lZ(`Downloading helm failed: ${url} answered HTTP 404 Not Found. The version (helm-version) or ` +
                `the mirror (helm-download-base-url) may be wrong.`);
        }
        if (status) {
            const retried = status >= 500 || status === 408 || status === 429 ? ' after retries' : '';
            throw new src_errors/* ActionError */.lZ(`Downloading helm failed: ${url} answered HTTP ${status}${retried}.`);
        }
        throw new src_errors/* ActionError */.lZ(`Downloading helm failed: ${url}: ${error.message}`);
    }
}
/** A `.sha256sum` file holds `<hex digest>  <file name>`. */
async function publishedDigest(url) {
    const file = await download(url);
    try {
        const match = /^([0-9a-f]{64})\b/i.exec((await (0,promises_.readFile)(file, 'utf8')).trim());
        if (!match)
            throw new src_errors/* ActionError */.lZ(`${url} does not start with a SHA-256 digest.`);
        return match[1].toLowerCase();
    }
    finally {
        await (0,promises_.rm)(file, { force: true });
    }
}
async function sha256Of(file) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    for await (const chunk of (0,external_node_fs_.createReadStream)(file))
        hash.update(chunk);
    return hash.digest('hex');
}
async function isFile(file) {
    return (0,promises_.stat)(file).then(info => info.isFile(), () => false);
}
async function isExecutableFile(file) {
    if (!(await isFile(file)))
        return false;
    if (process.platform === 'win32')
        return true;
    return (0,promises_.access)(file, promises_.constants.X_OK).then(() => true, () => false);
}

;// CONCATENATED MODULE: ./src/eks/observe.ts
/**
 * What exists, read before anything is decided: helm, the way into the cluster and (with cloud
 * services) the agent's AWS identity, all at once; then, through helm and the Kubernetes API, the
 * agent's release and its namespace. Nothing here changes anything.
 */







async function observeEks(config, deps, cluster, clients) {
    // Loaded only when asked for: the cloud-services lookups most runs do not need.
    const observeCloud = clients
        ? (await Promise.all(/* import() */[__webpack_require__.e(633), __webpack_require__.e(719)]).then(__webpack_require__.bind(__webpack_require__, 38719))).observeCloudServices
        : undefined;
    // All settle before anything fails, so a kubeconfig written by one is removed even when
    // another failed, and no download or IAM call goes on after the step has ended.
    const [helmResult, accessResult, cloudResult] = await core/* group */.Os('Helm, cluster access and cloud services', () => Promise.allSettled([
        resolveHelm({ version: config.helmVersion, downloadBaseUrl: config.helmDownloadBaseUrl }),
        clusterAccess(config, cluster),
        clients &&
            observeCloud?.(clients, config, config.mode, agentServiceAccountName(config), cluster)
    ]));
    if (accessResult.status === 'rejected')
        throw accessResult.reason;
    const access = accessResult.value;
    try {
        if (helmResult.status === 'rejected')
            throw helmResult.reason;
        if (cloudResult.status === 'rejected')
            throw cloudResult.reason;
        const helm = new HelmRunner(helmResult.value, access.kubeconfigPath, access.refusedAdvice, deps.signal);
        let loaded;
        const namespaces = () => (loaded ??= namespaceApi(access.kubeconfigPath, access.refusedAdvice));
        // The release first: when the cluster refuses the credentials, helm's refusal says so.
        const release = await readRelease(helm, config.agentName, config.namespace, {
            clock: deps.clock,
            timeoutMs: config.waitTimeoutMs
        });
        // A deploy that finds the release knows its namespace exists, and needs no more of it; this
        // spares an unchanged re-run loading the Kubernetes client.
        const namespace = release && config.mode === 'deploy'
            ? { exists: true }
            : await observeNamespace(await namespaces(), config.namespace);
        const namespaceLeft = config.mode === 'remove' && !release && namespace.ours && !namespace.terminating
            ? await namespaceContents(await namespaces(), config.namespace)
            : undefined;
        return {
            helm,
            access,
            namespaces,
            namespace,
            release,
            namespaceLeft,
            cloud: cloudResult.value ?? undefined
        };
    }
    catch (error) {
        await access.remove();
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/eks/rollout/await-removal.ts
/**
 * After `helm uninstall`: wait until the agent's pods are gone, so that what remove then finds in
 * the namespace is what is really left. The action waits rather than helm (`uninstall --wait`):
 * helm would wait for every pod, and a pod on a NotReady node cannot finish terminating until the
 * node controller acts, which on a dead node is never; such a pod is reported, not waited for, as
 * the rollout watch does not wait for such nodes. It also keeps remove within the role's verbs:
 * helm 4's wait watches every kind it deleted, cluster-wide for cluster-scoped ones.
 */




/** The selectors of the release's agent pods, read before the uninstall removes the DaemonSets. */
async function agentPodSelectors(removal) {
    const sets = await removal.kube.daemonSets(removal.namespace);
    return releaseDaemonSets(sets, removal.release, removal.namespace).map(podSelector);
}
/** Resolves once only stranded pods are left; past the timeout, fails naming the pods. */
async function awaitAgentGone(removal, selectors) {
    if (selectors.length === 0)
        return;
    const { value: left, elapsedMs } = await (0,poll/* pollUntil */.g3)({
        clock: removal.clock,
        timeoutMs: removal.timeoutMs,
        firstDelayMs: 1_000,
        maxDelayMs: 5_000,
        probe: () => lookAtPods(removal, selectors),
        done: left => left.going.length === 0,
        progress: (left, elapsed) => core/* info */.pq(`${left.going.length} agent pod(s) still terminating (${(0,poll/* formatElapsed */.C7)(elapsed)})`)
    });
    if (left.going.length > 0) {
        throw new src_errors/* ActionError */.lZ(`The release ${removal.release} is uninstalled, but ${left.going.length} agent pod(s) are ` +
            `still terminating after ${(0,poll/* formatElapsed */.C7)(elapsedMs)}: ${names(left.going)}. Re-run ` +
            `remove once they are gone, or raise 'wait-timeout'.`);
    }
    if (left.stranded.length > 0) {
        core/* warning */.$e(`${left.stranded.length} agent pod(s) are on NotReady nodes, where they cannot finish ` +
            `terminating until the node comes back or is removed: ${names(left.stranded)}. ` +
            'Kubernetes deletes them then; remove does not wait for them.');
    }
}
async function lookAtPods(removal, selectors) {
    const pods = (await Promise.all(selectors.map(selector => removal.kube.pods(removal.namespace, selector)))).flat();
    if (pods.length === 0)
        return { going: [], stranded: [] };
    const notReady = new Set((await removal.kube.nodes()).filter(node => !isReady(node)).map(node => node.metadata?.name));
    const stranded = pods.filter(pod => pod.spec?.nodeName && notReady.has(pod.spec.nodeName));
    return { going: pods.filter(pod => !stranded.includes(pod)), stranded };
}
function isReady(node) {
    return node.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True') ?? false;
}
function names(pods) {
    const shown = pods.slice(0, 5).map(pod => `${pod.metadata?.name} on ${pod.spec?.nodeName ?? '?'}`);
    return `${shown.join(', ')}${pods.length > 5 ? `, and ${pods.length - 5} more` : ''}`;
}

;// CONCATENATED MODULE: ./src/eks/remove.ts
/**
 * Carries out a removal plan, in the order that keeps the agent working until it is gone: the
 * release (waited for), its namespace, then the identity the agent used. Each resource gets a row:
 * deleted, kept with why, or absent.
 */





async function applyEksRemoval(config, report, deps, observed, plan, clients) {
    const step = (resource) => plan.steps.find(each => each.resource === resource);
    await core/* group */.Os(`Release ${config.agentName} in namespace ${config.namespace}`, async () => {
        const release = step('Helm release');
        if (plan.uninstall) {
            const kube = await kubeReader(observed.access.kubeconfigPath, observed.access.refusedAdvice);
            const removal = {
                kube,
                release: config.agentName,
                namespace: config.namespace,
                clock: deps.clock,
                timeoutMs: config.waitTimeoutMs
            };
            // Read before the uninstall, which deletes the DaemonSets that name the agent's pods.
            const selectors = config.wait ? await agentPodSelectors(removal) : [];
            await uninstallRelease(observed.helm, config.agentName, config.namespace);
            report.record({ kind: release.resource, id: release.id, status: 'deleted' });
            await awaitAgentGone(removal, selectors);
        }
        else
            report.recordKept(release);
        const userSecret = plan.steps.find(each => each.resource === 'Secret');
        if (userSecret)
            report.recordKept(userSecret);
        const namespace = step('Namespace');
        if (!plan.deleteNamespace)
            report.recordKept(namespace);
        else {
            const left = await namespaceContents(await observed.namespaces(), config.namespace);
            if (left.length > 0) {
                report.record({
                    kind: 'Namespace',
                    id: config.namespace,
                    status: 'kept',
                    note: notEmpty(left)
                });
            }
            else {
                const status = await deleteNamespace(await observed.namespaces(), config.namespace);
                report.record({ kind: 'Namespace', id: config.namespace, status });
            }
        }
    });
    if (plan.cloud && observed.cloud && clients) {
        const { removeCloudServices } = await __webpack_require__.e(/* import() */ 906).then(__webpack_require__.bind(__webpack_require__, 53906));
        await core/* group */.Os('Cloud services', () => removeCloudServices(config, report, clients, observed.cloud, plan.cloud));
    }
}

;// CONCATENATED MODULE: ./src/eks/remove-plan.ts
/**
 * What remove does, decided from the observation alone: the agent's release; its namespace only
 * when the action made it (labelled) and once nothing else is left in it; this cluster's
 * cloud-services identity only when the action made it. A Secret the user gave (existing-secret),
 * the OIDC provider, and whatever is not the action's are kept, and the plan says why.
 */



function planEksRemoval(config, observed) {
    const release = {
        resource: 'Helm release',
        id: `${config.namespace}/${config.agentName}`,
        action: observed.release ? 'delete' : 'keep',
        reason: observed.release ? `revision ${observed.release.revision}` : 'absent'
    };
    const { exists, ours, terminating } = observed.namespace;
    // With no release to uninstall, what is in the namespace now is what will be left in it.
    const left = observed.namespaceLeft ?? [];
    const deleteNamespace = exists && ours === true && !terminating && left.length === 0;
    const namespace = {
        resource: 'Namespace',
        id: config.namespace,
        action: deleteNamespace ? 'delete' : 'keep',
        reason: !exists || terminating
            ? 'absent'
            : !ours
                ? "not labelled as the action's"
                : left.length > 0
                    ? notEmpty(left)
                    : "the action's; deleted only if empty once the release is gone"
    };
    const userSecret = config.existingSecret
        ? [
            {
                resource: 'Secret',
                id: `${config.namespace}/${config.existingSecret}`,
                action: 'keep',
                reason: "the user's (existing-secret)"
            }
        ]
        : [];
    const cloud = observed.cloud
        ? planCloudServicesRemoval(config, observed.cloud, agentServiceAccountName(config))
        : undefined;
    return {
        steps: [release, ...userSecret, namespace, ...(cloud?.steps ?? [])],
        uninstall: release.action === 'delete',
        deleteNamespace,
        cloud
    };
}

;// CONCATENATED MODULE: ./src/eks/resources/manifests.ts
/**
 * Plan mode's check that the release would be accepted: helm renders it as the deploy's upgrade
 * would (`--dry-run=server`: the cluster's capabilities and lookups, nothing applied), and the API
 * server validates every rendered object by a server-side dry-run apply, so a schema or admission
 * error shows in the plan, not at deploy. Nothing is persisted.
 */



/** The namespace every cluster has, for objects whose own namespace is still to be created. */
const STAND_IN_NAMESPACE = 'default';
const FIELD_MANAGER = 'metrics-agent-action-plan';
async function renderRelease(helm, options) {
    const { stdout } = await helm.run([...upgradeArgs(options), '--dry-run=server', '--output', 'json'], `render release ${options.name} in namespace ${options.namespace}`);
    // Parsed here, never printed: the manifest holds the agent's Secret.
    const manifest = JSON.parse(stdout).manifest;
    if (manifest === undefined) {
        throw new src_errors/* ActionError */.lZ(`helm rendered release ${options.name} without a manifest.`);
    }
    return manifest;
}
/**
 * Dry-runs every object of `manifest`. The namespace, when it does not exist yet, is dry-run
 * too; since the API server refuses even a dry run into a namespace that does not exist, that
 * namespace's objects are validated in `default`, which every cluster has.
 */
async function validateManifest(kubeconfigPath, refusedAdvice, manifest, namespace) {
    const { KubeConfig, KubernetesObjectApi, loadAllYaml, PatchStrategy } = await __webpack_require__.e(/* import() */ 758).then(__webpack_require__.bind(__webpack_require__, 94758));
    const kubeconfig = new KubeConfig();
    kubeconfig.loadFromFile(kubeconfigPath);
    // Whether a kind is namespaced is the cluster's to say: the rendered objects leave their
    // namespace to helm's --namespace.
    class ObjectApi extends KubernetesObjectApi {
        async namespaced(object) {
            return (await this.resource(object.apiVersion, object.kind))?.namespaced ?? true;
        }
    }
    const api = kubeconfig.makeApiClient(ObjectApi);
    const objects = loadAllYaml(manifest).filter((object) => !!object?.kind);
    const rendered = new Set(objects.map(object => `${object.kind}/${object.metadata.name}`));
    const deferred = [];
    const apply = async (object) => {
        const what = `validate ${object.kind} ${object.metadata.name} (server dry run)`;
        try {
            await api.patch(object, undefined, 'All', FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
        }
        catch (error) {
            const role = object.roleRef && `${object.roleRef.kind}/${object.roleRef.name}`;
            if (error.code === 404 && role && rendered.has(role)) {
                deferred.push(`${object.kind} ${object.metadata.name}`);
                return;
            }
            throw explainKubeFailure(error, what, refusedAdvice);
        }
    };
    if (!namespace.exists) {
        await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace.name } });
    }
    for (const object of objects) {
        const inNamespace = await api.namespaced(object).catch(error => {
            throw explainKubeFailure(error, `look up kind ${object.kind}`, refusedAdvice);
        });
        const target = namespace.exists || !inNamespace ? namespace.name : STAND_IN_NAMESPACE;
        await apply(inNamespace ? { ...object, metadata: { ...object.metadata, namespace: target } } : object);
    }
    return { accepted: objects.length - deferred.length, deferred };
}

;// CONCATENATED MODULE: ./src/eks/validate.ts
/**
 * Plan mode's last step: the release as deploy would install it, rendered by helm and dry-run by
 * the API server, so that a plan that passes does not fail on a schema error at deploy. A key
 * still to be made is rendered with a stand-in, which never leaves the values file.
 */



async function validatePlannedRelease(config, report, chart, observed, plan) {
    if (plan.release.action === 'keep')
        return;
    await core/* group */.Os(`Validate release ${config.agentName} (server dry run)`, async () => {
        const files = await writeValuesFiles(config.values ? [plan.release.ours, config.values] : [plan.release.ours]);
        let manifest;
        try {
            manifest = await renderRelease(observed.helm, {
                name: config.agentName,
                namespace: config.namespace,
                chart,
                valuesFiles: files.paths
            });
        }
        finally {
            await files.remove();
        }
        const { accepted, deferred } = await validateManifest(observed.access.kubeconfigPath, observed.access.refusedAdvice, manifest, { name: config.namespace, exists: observed.namespace.exists });
        const stand = observed.namespace.exists
            ? ''
            : ` (namespace ${config.namespace} does not exist yet: its objects were checked in default)`;
        report.note(`The API server accepted the ${accepted} object(s) of release ${config.agentName} in a dry ` +
            `run${stand}.` +
            (deferred.length
                ? ` ${deferred.join(', ')} binds a role the release creates, which a dry run does not ` +
                    'make: the deploy checks it.'
                : ''));
    });
}

;// CONCATENATED MODULE: ./src/eks/run.ts








async function runEks(config, report, deps) {
    const cluster = describedCluster(config, deps.callLog, deps.signal);
    // Loaded only when asked for: four more SDK clients that most runs do not need.
    const clients = config.enableCloudServices
        ? (await Promise.all(/* import() */[__webpack_require__.e(633), __webpack_require__.e(24)]).then(__webpack_require__.bind(__webpack_require__, 4024))).cloudClients(config.region, deps)
        : undefined;
    try {
        const observed = await observeEks(config, deps, cluster, clients);
        try {
            if (config.mode === 'remove') {
                const plan = planEksRemoval(config, observed);
                report.plan(plan.steps, false);
                await applyEksRemoval(config, report, deps, observed, plan, clients);
                return;
            }
            const chart = chartSource(config);
            const plan = planEksDeploy(config, chart, observed);
            report.plan(plan.steps, config.mode === 'plan');
            if (config.mode === 'plan') {
                await validatePlannedRelease(config, report, chart, observed, plan);
                return;
            }
            const cloud = clients && observed.cloud && plan.cloud
                ? new (await __webpack_require__.e(/* import() */ 248).then(__webpack_require__.bind(__webpack_require__, 39248))).CloudServices(config, report, clients, observed.cloud, plan.cloud)
                : undefined;
            await applyEksDeploy(config, report, deps, chart, observed, plan, cloud);
        }
        finally {
            await observed.access.remove();
        }
    }
    finally {
        clients?.close();
    }
}


/***/ })

};

//# sourceMappingURL=344.index.js.map