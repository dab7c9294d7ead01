/**
 * The AWS actions a bundle run called, read from its debug log (`AWS call ecs:RunTask`, one line
 * per command, retries not repeated), and their comparison with what a policy grants.
 */
import type { BundleResult } from './bundle.js'
import type { Statement } from './iam-policies.js'

export function actionsCalled(result: BundleResult): string[] {
  return [...result.stdout.matchAll(/^::debug::AWS call (\S+)$/gm)].map(match => match[1])
}

/** Collects the actions of every run in a set of scenarios. */
export class ActionLedger {
  readonly called = new Set<string>()
  readonly scenarios = new Set<string>()

  record(scenario: string, ...results: BundleResult[]): void {
    this.scenarios.add(scenario)
    for (const result of results)
      for (const action of actionsCalled(result)) this.called.add(action)
  }
}

/**
 * A granted action the action never calls itself, because AWS authorises it as part of another
 * call the action does make (tag-on-create, role passing, CloudFormation acting with the caller's
 * permissions).
 */
export interface ImpliedGrant {
  action: string
  /** The call it is authorised with; it must have been seen, or the grant is stale. */
  with: string
  why: string
}

export interface PolicyComparison {
  /** Granted, but neither called by any scenario nor implied by a call that was made. */
  unused: string[]
  /** Called by a run, but not granted (and not one that needs no permission). */
  ungranted: string[]
  /** Implied grants that are wrong: called directly, not granted, or without their call. */
  staleImplied: string[]
}

export function grantedActions(statements: Statement[]): string[] {
  return [...new Set(statements.flatMap(statement => ([] as string[]).concat(statement.Action)))]
}

export function comparePolicy(
  granted: string[],
  called: Set<string>,
  implied: ImpliedGrant[],
  needsNoPermission: string[] = []
): PolicyComparison {
  const grantedSet = new Set(granted)
  const impliedOk = implied.filter(
    grant => grantedSet.has(grant.action) && !called.has(grant.action) && called.has(grant.with)
  )
  const justified = new Set([...called, ...impliedOk.map(grant => grant.action)])
  return {
    unused: granted.filter(action => !justified.has(action)).sort(),
    ungranted: [...called]
      .filter(action => !grantedSet.has(action) && !needsNoPermission.includes(action))
      .sort(),
    staleImplied: implied
      .filter(grant => !impliedOk.includes(grant))
      .map(grant => grant.action)
      .sort()
  }
}
