/**
 * After `helm uninstall`: wait until the agent's pods are gone, so that what remove then finds in
 * the namespace is what is really left. The action waits rather than helm (`uninstall --wait`):
 * helm would wait for every pod, and a pod on a NotReady node cannot finish terminating until the
 * node controller acts, which on a dead node is never; such a pod is reported, not waited for, as
 * the rollout watch does not wait for such nodes. It also keeps remove within the role's verbs:
 * helm 4's wait watches every kind it deleted, cluster-wide for cluster-scoped ones.
 */
import * as core from '@actions/core'
import type { V1Node, V1Pod } from '@kubernetes/client-node'
import { ActionError } from '../../errors.js'
import { formatElapsed, pollUntil, type Clock } from '../../poll.js'
import type { KubeReader } from './kube-api.js'
import { podSelector, releaseDaemonSets } from './watch-rollout.js'

export interface AgentRemoval {
  kube: KubeReader
  release: string
  namespace: string
  clock: Clock
  timeoutMs: number
}

/** The selectors of the release's agent pods, read before the uninstall removes the DaemonSets. */
export async function agentPodSelectors(removal: AgentRemoval): Promise<string[]> {
  const sets = await removal.kube.daemonSets(removal.namespace)
  return releaseDaemonSets(sets, removal.release, removal.namespace).map(podSelector)
}

interface Left {
  /** Pods still terminating on nodes that can finish it: waited for. */
  going: V1Pod[]
  /** Pods on NotReady nodes: left to the node controller. */
  stranded: V1Pod[]
}

/** Resolves once only stranded pods are left; past the timeout, fails naming the pods. */
export async function awaitAgentGone(removal: AgentRemoval, selectors: string[]): Promise<void> {
  if (selectors.length === 0) return
  const { value: left, elapsedMs } = await pollUntil<Left>({
    clock: removal.clock,
    timeoutMs: removal.timeoutMs,
    firstDelayMs: 1_000,
    maxDelayMs: 5_000,
    probe: () => lookAtPods(removal, selectors),
    done: left => left.going.length === 0,
    progress: (left, elapsed) =>
      core.info(`${left.going.length} agent pod(s) still terminating (${formatElapsed(elapsed)})`)
  })
  if (left.going.length > 0) {
    throw new ActionError(
      `The release ${removal.release} is uninstalled, but ${left.going.length} agent pod(s) are ` +
        `still terminating after ${formatElapsed(elapsedMs)}: ${names(left.going)}. Re-run ` +
        `remove once they are gone, or raise 'wait-timeout'.`
    )
  }
  if (left.stranded.length > 0) {
    core.warning(
      `${left.stranded.length} agent pod(s) are on NotReady nodes, where they cannot finish ` +
        `terminating until the node comes back or is removed: ${names(left.stranded)}. ` +
        'Kubernetes deletes them then; remove does not wait for them.'
    )
  }
}

async function lookAtPods(removal: AgentRemoval, selectors: string[]): Promise<Left> {
  const pods = (
    await Promise.all(selectors.map(selector => removal.kube.pods(removal.namespace, selector)))
  ).flat()
  if (pods.length === 0) return { going: [], stranded: [] }
  const notReady = new Set(
    (await removal.kube.nodes()).filter(node => !isReady(node)).map(node => node.metadata?.name)
  )
  const stranded = pods.filter(pod => pod.spec?.nodeName && notReady.has(pod.spec.nodeName))
  return { going: pods.filter(pod => !stranded.includes(pod)), stranded }
}

function isReady(node: V1Node): boolean {
  return node.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True') ?? false
}

function names(pods: V1Pod[]): string {
  const shown = pods.slice(0, 5).map(pod => `${pod.metadata?.name} on ${pod.spec?.nodeName ?? '?'}`)
  return `${shown.join(', ')}${pods.length > 5 ? `, and ${pods.length - 5} more` : ''}`
}
