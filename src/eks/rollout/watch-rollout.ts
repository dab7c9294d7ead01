/**
 * Waits until the agent is updated and ready on every eligible node, or fails fast with the pod,
 * node and reason when an updated pod cannot start there. helm's own wait cannot do this: it waits
 * for every scheduled pod, so one NotReady node among hundreds fails every deploy, and it says
 * neither which pod failed nor why.
 */
import * as core from '@actions/core'
import type { V1DaemonSet, V1Node, V1Pod } from '@kubernetes/client-node'
import { ActionError } from '../../errors.js'
import { formatElapsed, pollUntil, type Clock } from '../../poll.js'
import { targetNodes, type SkippedNode } from './eligible-nodes.js'
import type { KubeReader } from './kube-api.js'
import { podState } from './pod-state.js'

export interface RolloutWatch {
  kube: KubeReader
  namespace: string
  release: string
  clock: Clock
  timeoutMs: number
  /** How long a pod may stay Pending before it counts as failing. */
  pendingBoundMs: number
}

export interface Coverage {
  daemonSets: string[]
  ready: number
  eligible: number
  unfit: SkippedNode[]
  outside: SkippedNode[]
}

/** An updated pod that cannot start on an eligible node. */
export class PodFailure extends ActionError {
  override name = 'PodFailure'
}

/** The rollout was still going at the end of its budget. */
export class RolloutTimeout extends ActionError {
  override name = 'RolloutTimeout'
}

/** helm records the release on every resource it manages, whatever the chart names it. */
const RELEASE_NAME = 'meta.helm.sh/release-name'
const RELEASE_NAMESPACE = 'meta.helm.sh/release-namespace'
/**
 * The DaemonSet controller labels each pod, and each ControllerRevision of the template, with the
 * template's hash. A pod is up to date when its hash is the newest revision's: after a rollback
 * the pods that never left the restored template count as updated, as the controller counts them.
 */
const REVISION_HASH = 'controller-revision-hash'

/** How often progress is printed while the count does not change. */
const QUIET_PROGRESS_MS = 10_000

export async function watchRollout(watch: RolloutWatch): Promise<Coverage> {
  let lastPrinted = { ready: -1, at: -Infinity }
  const { value: coverage, elapsedMs } = await pollUntil({
    clock: watch.clock,
    timeoutMs: watch.timeoutMs,
    firstDelayMs: 1_000,
    maxDelayMs: 2_000,
    probe: () => look(watch),
    done: look => look.waitingFor.length === 0,
    progress: (look, elapsed) => {
      const now = watch.clock.now()
      if (look.ready === lastPrinted.ready && now - lastPrinted.at < QUIET_PROGRESS_MS) return
      lastPrinted = { ready: look.ready, at: now }
      core.info(`Agent ready on ${look.ready}/${look.eligible} nodes (${formatElapsed(elapsed)})`)
    }
  })
  if (coverage.waitingFor.length > 0) {
    const shown = coverage.waitingFor.slice(0, 5).join('; ')
    const more = coverage.waitingFor.length > 5 ? ` and ${coverage.waitingFor.length - 5} more` : ''
    throw new RolloutTimeout(
      `The agent was ready on ${coverage.ready}/${coverage.eligible} eligible nodes after ` +
        `${formatElapsed(elapsedMs)}, past the time allowed for the rollout. Still waiting for: ` +
        `${shown}${more}.`
    )
  }
  return coverage
}

/** The DaemonSets helm installed for the release, known by the annotations helm puts on them. */
export function releaseDaemonSets(
  daemonSets: V1DaemonSet[],
  release: string,
  namespace: string
): V1DaemonSet[] {
  return daemonSets.filter(
    set =>
      set.metadata?.annotations?.[RELEASE_NAME] === release &&
      set.metadata?.annotations?.[RELEASE_NAMESPACE] === namespace
  )
}

/** The label selector of a DaemonSet's pods. */
export function podSelector(set: V1DaemonSet): string {
  return Object.entries(set.spec?.selector?.matchLabels ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(',')
}

interface Look extends Coverage {
  /** One entry per eligible node without a ready, updated agent: what it is waiting for. */
  waitingFor: string[]
}

async function look(watch: RolloutWatch): Promise<Look> {
  const [daemonSets, nodes] = await Promise.all([
    watch.kube.daemonSets(watch.namespace),
    watch.kube.nodes()
  ])
  const ours = releaseDaemonSets(daemonSets, watch.release, watch.namespace)
  const total: Look = {
    daemonSets: [],
    ready: 0,
    eligible: 0,
    unfit: [],
    outside: [],
    waitingFor: []
  }
  for (const set of ours) {
    const one = await lookAtDaemonSet(watch, set, nodes)
    total.daemonSets.push(set.metadata?.name ?? '')
    total.ready += one.ready
    total.eligible += one.eligible
    total.waitingFor.push(...one.waitingFor)
    // With several DaemonSets a node is reported once.
    for (const key of ['unfit', 'outside'] as const) {
      for (const node of one[key]) {
        if (!total[key].some(known => known.name === node.name)) total[key].push(node)
      }
    }
  }
  return total
}

async function lookAtDaemonSet(watch: RolloutWatch, set: V1DaemonSet, nodes: V1Node[]) {
  const name = set.metadata?.name ?? ''
  const selector = podSelector(set)
  const [pods, revisions] = await Promise.all([
    watch.kube.pods(watch.namespace, selector),
    watch.kube.controllerRevisions(watch.namespace, selector)
  ])
  const targets = targetNodes(nodes, set.spec?.template?.spec ?? { containers: [] })
  const owned = revisions.filter(revision =>
    revision.metadata?.ownerReferences?.some(owner => owner.uid === set.metadata?.uid)
  )
  const newest = owned.reduce<(typeof owned)[number] | undefined>(
    (latest, revision) => (!latest || revision.revision > latest.revision ? revision : latest),
    undefined
  )
  const currentHash = newest?.metadata?.labels?.[REVISION_HASH]
  // Until the controller has seen the new template, its newest revision is the old one.
  const seen = (set.status?.observedGeneration ?? 0) >= (set.metadata?.generation ?? 1)
  const updated = pods.filter(
    pod =>
      !pod.metadata?.deletionTimestamp &&
      currentHash !== undefined &&
      pod.metadata?.labels?.[REVISION_HASH] === currentHash
  )
  const byNode = new Map(updated.map(pod => [nodeOf(pod), pod]))
  const now = watch.clock.now()
  const waitingFor: string[] = []
  let ready = 0
  for (const node of targets.eligible) {
    const pod = seen ? byNode.get(node) : undefined
    if (!pod) {
      waitingFor.push(`node ${node}: no updated agent pod yet (DaemonSet ${name})`)
      continue
    }
    const state = podState(pod, now, watch.pendingBoundMs)
    if (state.kind === 'failing') {
      throw new PodFailure(
        `Agent pod ${pod.metadata?.name} on node ${node} cannot start: ${state.reason}.`
      )
    }
    if (state.kind === 'ready') ready++
    else waitingFor.push(`pod ${pod.metadata?.name} on node ${node}: ${describeStarting(pod)}`)
  }
  return {
    ready,
    eligible: targets.eligible.length,
    waitingFor,
    unfit: targets.unfit,
    outside: targets.outside
  }
}

/**
 * The node a DaemonSet pod belongs to: where it was scheduled or, before that, the node its
 * controller-set affinity names.
 */
function nodeOf(pod: V1Pod): string {
  if (pod.spec?.nodeName) return pod.spec.nodeName
  const terms =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
      ?.nodeSelectorTerms ?? []
  for (const term of terms) {
    const field = term.matchFields?.find(field => field.key === 'metadata.name')
    if (field?.values?.[0]) return field.values[0]
  }
  return ''
}

function describeStarting(pod: V1Pod): string {
  const waiting = pod.status?.containerStatuses?.find(status => status.state?.waiting)?.state
    ?.waiting
  if (waiting?.reason) return waiting.reason
  return pod.status?.phase ?? 'Pending'
}
