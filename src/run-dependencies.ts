import type { CallLog } from './aws/call-log.js'
import type { Clock } from './poll.js'

/** What a run hands its platform path: time, the log of AWS calls, and the step's cancellation. */
export interface RunDependencies {
  clock: Clock
  callLog: CallLog
  /** Aborts when the runner cancels the step; waits, AWS requests and helm stop on it. */
  signal: AbortSignal
}
