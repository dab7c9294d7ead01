/**
 * Which nodes must run an updated, ready agent for a rollout to count as done. A node that is
 * NotReady, cordoned, or tainted against the agent cannot run it, and a cluster of hundreds of
 * nodes nearly always has one: it is reported, not waited for. A node outside the pod's placement
 * (its node selector and required node affinity: Fargate, hybrid or Windows nodes with the
 * shipped chart) is not a target at all.
 */
import type {
  V1Node,
  V1NodeSelectorRequirement,
  V1NodeSelectorTerm,
  V1PodSpec,
  V1Toleration
} from '@kubernetes/client-node'

export interface SkippedNode {
  name: string
  reason: string
}

export interface NodeTargets {
  /** Ready, schedulable, tolerated and inside the placement: each must run a ready agent. */
  eligible: string[]
  /** Inside the placement but unable to run the agent now: a warning each. */
  unfit: SkippedNode[]
  /** Outside the pod's placement by design. */
  outside: SkippedNode[]
}

export function targetNodes(nodes: V1Node[], pod: V1PodSpec): NodeTargets {
  const targets: NodeTargets = { eligible: [], unfit: [], outside: [] }
  for (const node of nodes) {
    const name = node.metadata?.name ?? ''
    const placementMiss = outsidePlacement(node, pod)
    if (placementMiss) {
      targets.outside.push({ name, reason: placementMiss })
      continue
    }
    const unfit = unfitReason(node, pod.tolerations ?? [])
    if (unfit) targets.unfit.push({ name, reason: unfit })
    else targets.eligible.push(name)
  }
  return targets
}

function unfitReason(node: V1Node, tolerations: V1Toleration[]): string | undefined {
  const ready = node.status?.conditions?.find(condition => condition.type === 'Ready')
  if (ready?.status !== 'True') {
    const why = ready?.reason ? `: ${ready.reason}` : ready ? '' : ': never reported'
    return `NotReady${why}`
  }
  if (node.spec?.unschedulable) return 'cordoned (unschedulable)'
  const blocking = (node.spec?.taints ?? []).find(
    taint =>
      (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') &&
      !tolerations.some(toleration => tolerates(toleration, taint))
  )
  if (blocking) {
    const value = blocking.value ? `=${blocking.value}` : ''
    return `taint ${blocking.key}${value}:${blocking.effect} not tolerated`
  }
  return undefined
}

function tolerates(
  toleration: V1Toleration,
  taint: { key: string; value?: string; effect: string }
): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false
  if (toleration.operator === 'Exists') return !toleration.key || toleration.key === taint.key
  return toleration.key === taint.key && (toleration.value ?? '') === (taint.value ?? '')
}

/** Why the pod's node selector or required node affinity excludes the node, if it does. */
function outsidePlacement(node: V1Node, pod: V1PodSpec): string | undefined {
  const labels = node.metadata?.labels ?? {}
  for (const [key, value] of Object.entries(pod.nodeSelector ?? {})) {
    if (labels[key] !== value)
      return `node selector ${key}=${value} (node has ${show(labels, key)})`
  }
  const terms =
    pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms
  if (!terms?.length) return undefined
  // The terms are ORed: the node is inside when any one term matches in full.
  const misses = terms.map(term => termMiss(node, term))
  if (misses.some(miss => miss === undefined)) return undefined
  return misses[0]
}

function termMiss(node: V1Node, term: V1NodeSelectorTerm): string | undefined {
  const labels = node.metadata?.labels ?? {}
  for (const requirement of term.matchExpressions ?? []) {
    if (!matches(labels[requirement.key], requirement)) {
      return `affinity ${describe(requirement)} (node has ${show(labels, requirement.key)})`
    }
  }
  const fields: Record<string, string | undefined> = { 'metadata.name': node.metadata?.name }
  for (const requirement of term.matchFields ?? []) {
    if (!matches(fields[requirement.key], requirement)) {
      return `affinity ${describe(requirement)}`
    }
  }
  return undefined
}

function matches(value: string | undefined, requirement: V1NodeSelectorRequirement): boolean {
  const values = requirement.values ?? []
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && values.includes(value)
    case 'NotIn':
      return value === undefined || !values.includes(value)
    case 'Exists':
      return value !== undefined
    case 'DoesNotExist':
      return value === undefined
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0])
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0])
    default:
      return false
  }
}

function describe(requirement: V1NodeSelectorRequirement): string {
  const values = requirement.values?.length ? ` ${requirement.values.join(',')}` : ''
  return `${requirement.key} ${requirement.operator}${values}`
}

function show(labels: Record<string, string>, key: string): string {
  return key in labels ? `${key}=${labels[key]}` : `no ${key}`
}
