/**
 * How many agents the DaemonSet may replace at once during this update. The DaemonSet controller
 * counts a node that is NotReady or cordoned against `maxUnavailable` for as long as the update
 * lasts, since its pod never becomes available: with the chart's 10% on a small cluster, one such
 * node stops every update. So when there are such nodes, the budget is raised by their number,
 * leaving the healthy nodes their usual share.
 */
import type { V1Node } from '@kubernetes/client-node'
import type { DeployedRelease } from '../helm/release.js'
import { mergeValues, type Values } from '../helm/values.js'

/** The chart's default `updateStrategy.maxUnavailable`, as a share of the nodes. */
export const DEFAULT_UNAVAILABLE_PERCENT = 10

/** An integer for `maxUnavailable`, or undefined when the chart's default serves. */
export function updateBudget(nodes: V1Node[]): number | undefined {
  const stuck = nodes.filter(cannotProgress).length
  if (stuck === 0) return undefined
  const healthyShare = Math.ceil(((nodes.length - stuck) * DEFAULT_UNAVAILABLE_PERCENT) / 100)
  return stuck + Math.max(1, healthyShare)
}

function cannotProgress(node: V1Node): boolean {
  const ready = node.status?.conditions?.find(condition => condition.type === 'Ready')
  return ready?.status !== 'True' || node.spec?.unschedulable === true
}

/** The user's own `updateStrategy.maxUnavailable`, given in 'values', always wins. */
export function userSetBudget(userValues: Values | undefined): boolean {
  const strategy = userValues?.updateStrategy as Values | undefined
  return strategy?.maxUnavailable !== undefined
}

export function withBudget(values: Values, budget: number): Values {
  return mergeValues(values, { updateStrategy: { maxUnavailable: budget } })
}

/**
 * The release as the comparison with the desired values should see it: a budget an earlier run
 * chose for the nodes that were sick then is not a difference worth an upgrade.
 */
export function withoutChosenBudget(
  deployed: DeployedRelease | undefined,
  desired: Values
): DeployedRelease | undefined {
  const strategy = deployed?.values.updateStrategy as Values | undefined
  if (!deployed || !strategy || userSetBudget(desired)) return deployed
  const rest = { ...strategy }
  delete rest.maxUnavailable
  const values: Values = { ...deployed.values, updateStrategy: rest }
  if (Object.keys(rest).length === 0) delete values.updateStrategy
  return { ...deployed, values }
}
