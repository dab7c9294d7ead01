/**
 * Settings every AWS client of the action shares, and the instrumentation that names each call by
 * its IAM action: errors then say which permission was refused, and the debug log (and the tests)
 * see every call the action made.
 */
import * as core from '@actions/core'
import type { MiddlewareStack } from '@smithy/types'
import { ACTION_VERSION } from '../version.js'

/** Calls that change nothing; everything else counts as a mutation. */
const READ_ONLY_CALL = /^(Describe|List|Get)/

export interface CallLog {
  /** Every call made, as IAM actions (`ecs:RunTask`), in the order they were sent. */
  readonly calls: string[]
  readonly mutatingCalls: () => string[]
}

export function newCallLog(): CallLog {
  const calls: string[] = []
  return {
    calls,
    mutatingCalls: () => calls.filter(call => !READ_ONLY_CALL.test(call.split(':')[1]))
  }
}

/**
 * Bounded retries with the SDK's standard mode (throttling, 5xx, timeouts) and timeouts on every
 * request, so a dead connection cannot hang a pipeline.
 */
export function clientConfig(region: string) {
  return {
    region,
    maxAttempts: 5,
    retryMode: 'standard',
    customUserAgent: `metrics-agent-action/${ACTION_VERSION}`,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 }
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
