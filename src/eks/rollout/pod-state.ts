/**
 * What an agent pod is doing, judged from its status as the kubelet reports it: ready, still
 * starting, or failing in a way that waiting will not mend (a crash loop, an image that cannot be
 * pulled, a container that cannot be created, or pending past the bound).
 */
import type { V1Pod } from '@kubernetes/client-node'

export type PodState =
  { kind: 'ready' } | { kind: 'starting' } | { kind: 'failing'; reason: string }

/** Waiting reasons that do not clear by themselves. */
const STUCK = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'ErrImageNeverPull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError'
])

/** `now` and `pendingBoundMs` decide when a pod that has not started counts as failing. */
export function podState(pod: V1Pod, now: number, pendingBoundMs: number): PodState {
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? [])
  ]
  for (const status of statuses) {
    const waiting = status.state?.waiting
    if (waiting?.reason && STUCK.has(waiting.reason)) {
      const lastExit = status.lastState?.terminated
      const exit = lastExit ? `, last exit code ${lastExit.exitCode}` : ''
      const message = waiting.message ? `: ${oneLine(waiting.message)}` : ''
      return {
        kind: 'failing',
        reason: `container ${status.name} ${waiting.reason}${message} (${status.restartCount} restarts${exit})`
      }
    }
  }
  const ready = pod.status?.conditions?.find(condition => condition.type === 'Ready')
  if (ready?.status === 'True') return { kind: 'ready' }
  const created = pod.metadata?.creationTimestamp
  const age = created ? now - new Date(created).getTime() : 0
  if (pod.status?.phase === 'Pending' && age > pendingBoundMs) {
    const scheduled = pod.status.conditions?.find(condition => condition.type === 'PodScheduled')
    const why =
      scheduled?.status === 'False'
        ? `unschedulable: ${oneLine(scheduled.message ?? scheduled.reason ?? '')}`
        : 'its containers have not started'
    return { kind: 'failing', reason: `pending for ${Math.round(age / 1000)}s, ${why}` }
  }
  return { kind: 'starting' }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}
