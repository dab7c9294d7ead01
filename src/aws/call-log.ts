/**
 * The AWS calls a run made, as IAM actions. Apart from the clients so that the entry can create it
 * without loading any of the SDK.
 */

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
