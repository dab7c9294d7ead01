export const id = 76;
export const ids = [76];
export const modules = {

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


/***/ })

};

//# sourceMappingURL=76.index.js.map