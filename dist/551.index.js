export const id = 551;
export const ids = [551];
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


/***/ })

};

//# sourceMappingURL=551.index.js.map