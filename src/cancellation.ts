/**
 * The runner cancels a step by signalling it: SIGINT, then SIGTERM, then a kill a few seconds
 * later. On the first signal the action stops waiting (every wait sleeps on the run's clock, which
 * then fails), stops helm so it can roll back, removes its temporary files and reports what
 * exists. A second signal, or a cleanup that outlasts the grace period, ends the process at once.
 */
import * as core from '@actions/core'
import { ActionError } from './errors.js'
import type { Clock } from './poll.js'

/** How long cleanup may take after the first signal, within the runner's own grace period. */
const GRACE_MS = 5_000

export class CancelledError extends ActionError {
  override name = 'CancelledError'
}

export interface Cancellation {
  signal: AbortSignal
  dispose(): void
}

export function watchForCancellation(): Cancellation {
  const controller = new AbortController()
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(1)
    core.info(`Received ${name}: stopping, cleaning up and reporting what exists.`)
    controller.abort(
      new CancelledError(
        `Cancelled (${name}) before the deployment finished. What exists is listed in the ` +
          'summary; a re-run continues from there.'
      )
    )
    setTimeout(() => process.exit(1), GRACE_MS).unref()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
}

/** The clock with sleeps that end, throwing the cancellation, as soon as `signal` aborts. */
export function cancellableClock(clock: Clock, signal: AbortSignal): Clock {
  return {
    now: () => clock.now(),
    sleep: async ms => {
      signal.throwIfAborted()
      try {
        await clock.sleep(ms, signal)
      } catch (error) {
        throw signal.aborted ? signal.reason : error
      }
    }
  }
}
