/**
 * What remove plans for the agent's namespace, from the observation alone: deleted only when the
 * action made it, and, when there is no release left to uninstall, only when nothing is in it.
 */
import { describe, expect, it } from '@jest/globals'
import { readConfig, type EksConfig } from '../../../src/inputs.js'
import type { EksObservation } from '../../../src/eks/observe.js'
import { planEksRemoval } from '../../../src/eks/remove-plan.js'

const config = (await readConfig(
  name =>
    ({ platform: 'eks', cluster: 'prod', 'aws-region': 'us-east-1', mode: 'remove' })[name] ?? '',
  {}
)) as EksConfig

/** The parts of an observation a removal plan reads; the clients are never used. */
function observed(parts: Partial<EksObservation>): EksObservation {
  return { namespace: { exists: true, ours: true }, ...parts } as EksObservation
}

const namespaceStep = (observation: EksObservation) =>
  planEksRemoval(config, observation).steps.find(step => step.resource === 'Namespace')

describe('the namespace in a removal plan', () => {
  it("is deleted, once empty, when it is the action's and the release goes", () => {
    const plan = planEksRemoval(
      config,
      observed({ release: { revision: 2 } as EksObservation['release'] })
    )
    expect(plan.uninstall).toBe(true)
    expect(plan.deleteNamespace).toBe(true)
    expect(plan.steps.find(step => step.resource === 'Namespace')).toEqual(
      expect.objectContaining({
        action: 'delete',
        reason: "the action's; deleted only if empty once the release is gone"
      })
    )
  })

  it("is deleted when it is the action's, no release is left, and nothing is in it", () => {
    const plan = planEksRemoval(config, observed({ namespaceLeft: [] }))
    expect(plan.deleteNamespace).toBe(true)
    expect(namespaceStep(observed({ namespaceLeft: [] }))?.action).toBe('delete')
  })

  it('is kept, with what is in it, when no release is left to uninstall and it is not empty', () => {
    const left = ['Secret/a', 'Secret/b', 'ConfigMap/c', 'Pod/d', 'Pod/e', 'Job/f']
    const plan = planEksRemoval(config, observed({ namespaceLeft: left }))
    expect(plan.deleteNamespace).toBe(false)
    expect(namespaceStep(observed({ namespaceLeft: left }))).toEqual({
      resource: 'Namespace',
      id: 'cloudaeye',
      action: 'keep',
      reason: "the action's, but not empty: Secret/a, Secret/b, ConfigMap/c, Pod/d, Pod/e, …"
    })
  })

  it("is kept when it is not the action's, whatever is in it", () => {
    const notOurs = observed({ namespace: { exists: true, ours: false }, namespaceLeft: [] })
    expect(planEksRemoval(config, notOurs).deleteNamespace).toBe(false)
    expect(namespaceStep(notOurs)?.reason).toBe("not labelled as the action's")
  })
})
