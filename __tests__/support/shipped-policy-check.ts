/**
 * Every bundle run's AWS calls judged against the policies the README ships for its inputs: each
 * AWS endpoint of the run's environment is put behind a recorder, each recorded call becomes the
 * authorisations IAM would check, and each of those is simulated with resources and conditions in
 * every partition. A run whose calls the shipped policies would deny fails its test, whichever
 * test it is.
 */
import { actionsCalled } from './aws-actions.js'
import { authorisationsOf, type Authorisation } from './aws-authorisation.js'
import {
  startRequestRecorder,
  type AwsExchange,
  type RequestRecorder
} from './aws-request-recorder.js'
import {
  describeDenial,
  policiesForRun,
  simulateEverywhere,
  type Grant
} from './policy-simulation.js'

export interface JudgedCalls {
  authorisations: Authorisation[]
  /** The policy entries that allowed them (see policy-simulation.ts). */
  grants: Grant[]
}

export interface ShippedPolicyCheck {
  /** The run's environment with every AWS endpoint replaced by its recorder. */
  environment: Record<string, string>
  /**
   * Stops recording and judges what was recorded; throws when anything would be denied, or when a
   * call the run logged never reached a recorder (an endpoint the check does not see).
   * `answeredElsewhere` are the run's calls a stub answered in place of an endpoint (those no
   * emulator has), judged with the recorded ones.
   */
  judge(
    inputs: Record<string, string>,
    stdout: string,
    answeredElsewhere?: AwsExchange[]
  ): Promise<JudgedCalls>
  close(): Promise<void>
}

const ENDPOINT_VARIABLE = /^AWS_ENDPOINT_URL(_[A-Z0-9_]+)?$/

export async function checkAgainstShippedPolicies(
  environment: Record<string, string>
): Promise<ShippedPolicyCheck> {
  const authorisations: Authorisation[] = []
  const unmodelled: string[] = []
  const recorders: RequestRecorder[] = []
  const recorded = { ...environment }
  for (const [name, target] of Object.entries(environment)) {
    if (!ENDPOINT_VARIABLE.test(name) || !target) continue
    const recorder = await startRequestRecorder(target, exchange => {
      try {
        authorisations.push(...authorisationsOf(exchange))
      } catch (error) {
        unmodelled.push((error as Error).message)
      }
    })
    recorders.push(recorder)
    recorded[name] = recorder.url
  }
  const close = async () => {
    await Promise.all(recorders.map(recorder => recorder.close()))
  }
  return {
    environment: recorded,
    close,
    async judge(inputs, stdout, answeredElsewhere = []) {
      await close()
      for (const exchange of answeredElsewhere) {
        try {
          authorisations.push(...authorisationsOf(exchange))
        } catch (error) {
          unmodelled.push((error as Error).message)
        }
      }
      if (unmodelled.length > 0) throw new Error(unmodelled.join('\n'))
      const arrived = new Set([
        ...recorders.flatMap(recorder => recorder.arrivals),
        ...answeredElsewhere.map(exchange => `${exchange.service}:${exchange.operation}`)
      ])
      const unseen = actionsCalled(stdout).filter(call => !arrived.has(call))
      if (unseen.length > 0) {
        throw new Error(`The run called ${unseen.join(', ')} past every recorder`)
      }
      const verdicts = await simulateEverywhere(authorisations, policiesForRun(inputs))
      const denied = verdicts.filter(verdict => !verdict.allowed)
      if (denied.length > 0) {
        throw new Error(
          `The shipped policies would deny ${denied.length} of this run's authorisations:\n` +
            denied.map(describeDenial).join('\n')
        )
      }
      return { authorisations, grants: [...new Set(verdicts.flatMap(verdict => verdict.grants))] }
    }
  }
}
