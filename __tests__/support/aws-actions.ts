/**
 * The AWS actions a bundle run logged (`AWS call ecs:RunTask`, one line per command, retries not
 * repeated), and the ledger that proves a shipped policy has nothing a run never needed: every
 * action and resource entry of every statement must have allowed some call of some scenario.
 */
import type { BundleResult } from './bundle.js'
import type { Grant } from './policy-simulation.js'

export function actionsCalled(stdout: string): string[] {
  return [...stdout.matchAll(/^::debug::AWS call (\S+)$/gm)].map(match => match[1])
}

/** Collects what allowed the calls of every run in a set of scenarios. */
export class GrantLedger {
  readonly used = new Set<Grant>()
  readonly scenarios = new Set<string>()

  record(scenario: string, ...results: BundleResult[]): void {
    this.scenarios.add(scenario)
    for (const result of results) for (const grant of result.grants) this.used.add(grant)
  }
}

/**
 * A policy entry no scenario against the emulator exercises, with the reason it is there and
 * where the call that needs it is proven instead.
 */
export interface UnexercisedGrant {
  grant: Grant
  why: string
}

export interface GrantComparison {
  /** Offered by the policy, never used, and not excused. */
  unused: Grant[]
  /** Excused, but used after all or not in the policy: the excuse must go. */
  staleExcuses: Grant[]
}

export function compareGrants(
  offered: Grant[],
  used: Set<Grant>,
  excused: UnexercisedGrant[] = []
): GrantComparison {
  const excusedGrants = new Set(excused.map(excuse => excuse.grant))
  return {
    unused: offered.filter(grant => !used.has(grant) && !excusedGrants.has(grant)).sort(),
    staleExcuses: [...excusedGrants]
      .filter(grant => used.has(grant) || !offered.includes(grant))
      .sort()
  }
}
