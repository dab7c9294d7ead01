/**
 * Settings every AWS client of the action shares, and the instrumentation that names each call by
 * its IAM action: errors then say which permission was refused, and the debug log (and the tests)
 * see every call the action made.
 */
import * as core from '@actions/core'
import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler'
import type { HttpHandlerOptions, MiddlewareStack } from '@smithy/types'
import { ACTION_VERSION } from '../version.js'
import type { CallLog } from './call-log.js'
import { proxyAgents } from './proxy.js'

const TIMEOUTS: NodeHttpHandlerOptions = { connectionTimeout: 5_000, requestTimeout: 30_000 }

/**
 * Bounded retries with the SDK's standard mode (throttling, 5xx, timeouts) and timeouts on every
 * request, so a dead connection cannot hang a pipeline. Requests honour the proxy settings (proxy.ts). With `signal`, a cancelled step also ends
 * the requests in flight instead of waiting out their timeouts and retries.
 */
export function clientConfig(region: string, signal?: AbortSignal) {
  // Behind a proxy (HTTPS_PROXY/HTTP_PROXY, NO_PROXY, or the http-proxy input), every client's
  // requests go through agents that honour it; without one, the SDK keeps its own agents.
  const handlerOptions: NodeHttpHandlerOptions = { ...TIMEOUTS, ...proxyAgents() }
  return {
    region,
    maxAttempts: 5,
    retryMode: 'standard',
    customUserAgent: `metrics-agent-action/${ACTION_VERSION}`,
    requestHandler: signal ? new CancellableHttpHandler(handlerOptions, signal) : handlerOptions
  }
}

/**
 * Settings for the STS client that the SDK's default credential chain makes on its own (web
 * identity, a profile's role) where no client of the action lends it its request handler: in the
 * credential plugin helm and the rollout watch run. Behind a proxy, that exchange must take the
 * proxy like every other AWS call, or it fails where only the proxy reaches STS. Without a proxy,
 * nothing: the SDK's defaults stay.
 */
export function credentialChainConfig(): { clientConfig?: { requestHandler: NodeHttpHandler } } {
  const agents = proxyAgents()
  return agents
    ? { clientConfig: { requestHandler: new NodeHttpHandler({ ...TIMEOUTS, ...agents }) } }
    : {}
}

/**
 * Send options for cleanup that must still reach AWS after the step was cancelled (deleting a key
 * this run made): their own signal, which never aborts, replaces the run's.
 */
export const EVEN_IF_CANCELLED: HttpHandlerOptions = { abortSignal: new AbortController().signal }

/** The SDK's Node handler, with the run's cancellation as every request's abort signal. */
class CancellableHttpHandler extends NodeHttpHandler {
  constructor(
    options: NodeHttpHandlerOptions,
    private readonly cancellation: AbortSignal
  ) {
    super(options)
  }

  override handle(...[request, options]: Parameters<NodeHttpHandler['handle']>) {
    const handlerOptions: HttpHandlerOptions = {
      ...options,
      abortSignal: options?.abortSignal ?? this.cancellation
    }
    return super.handle(request, handlerOptions)
  }
}

interface InstrumentableClient {
  // Each client's stack is typed by its own input and output unions; the log needs neither.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  middlewareStack: MiddlewareStack<any, any>
}

/** Tags an error with the IAM action of the call that failed. */
export interface AwsCallError {
  iamAction?: string
}

export function instrument<C extends InstrumentableClient>(
  client: C,
  servicePrefix: string,
  log: CallLog
): C {
  client.middlewareStack.add(
    (next, context) => async args => {
      const action = `${servicePrefix}:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`
      log.calls.push(action)
      core.debug(`AWS call ${action}`)
      try {
        return await next(args)
      } catch (error) {
        if (error && typeof error === 'object') (error as AwsCallError).iamAction = action
        throw error
      }
    },
    { step: 'initialize', name: 'cloudaeyeCallLog' }
  )
  return client
}
