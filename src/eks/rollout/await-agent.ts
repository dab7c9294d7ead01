/**
 * After helm applied the release: wait for the agent on every eligible node, report coverage, and
 * when an updated pod cannot start (or the rollout outlasts its share of the budget) put the
 * previous revision back, all within 'wait-timeout'. A cancelled step rolls back too, without
 * waiting, as helm's atomic upgrade did.
 */
import * as core from '@actions/core'
import { CancelledError } from '../../cancellation.js'
import { ActionError } from '../../errors.js'
import type { Clock } from '../../poll.js'
import type { Report } from '../../report.js'
import type { HelmRunner } from '../helm/helm-runner.js'
import { rollbackRelease, uninstallRelease } from '../helm/release.js'
import type { KubeReader } from './kube-api.js'
import { PodFailure, RolloutTimeout, watchRollout, type Coverage } from './watch-rollout.js'

export interface AgentRollout {
  helm: HelmRunner
  kube: KubeReader
  release: string
  namespace: string
  /** The revision to go back to on failure; undefined for a first install. */
  previousRevision?: number
  clock: Clock
  timeoutMs: number
  report: Report
}

/**
 * The rollout gets two thirds of the budget and the way back the rest, so that a failed upgrade
 * is undone inside 'wait-timeout' rather than after it.
 */
const ROLLOUT_SHARE = 2 / 3
/** A pod may be Pending this long (an image pull, a busy scheduler) before it counts as failing. */
const PENDING_BOUND_MS = 120_000

export async function awaitAgent(rollout: AgentRollout): Promise<void> {
  const { clock } = rollout
  const started = clock.now()
  const watch = (timeoutMs: number) =>
    watchRollout({
      kube: rollout.kube,
      namespace: rollout.namespace,
      release: rollout.release,
      clock,
      timeoutMs,
      pendingBoundMs: Math.min(PENDING_BOUND_MS, timeoutMs / 2)
    })
  try {
    const coverage = await watch(Math.round(rollout.timeoutMs * ROLLOUT_SHARE))
    reportCoverage(rollout, coverage)
  } catch (error) {
    if (error instanceof CancelledError) {
      await restore(rollout).catch(restoreError =>
        core.warning(`Could not undo the upgrade after the cancellation: ${restoreError.message}`)
      )
      throw error
    }
    if (!(error instanceof PodFailure || error instanceof RolloutTimeout)) throw error
    const remaining = rollout.timeoutMs - (clock.now() - started)
    throw new ActionError(`${error.message} ${await restoreAndWatch(rollout, remaining, watch)}`)
  }
}

/** One sentence on what the release is now, for the end of the step's error line. */
async function restoreAndWatch(
  rollout: AgentRollout,
  remainingMs: number,
  watch: (timeoutMs: number) => Promise<Coverage>
): Promise<string> {
  const target =
    rollout.previousRevision === undefined
      ? 'removing the release (it had no earlier revision)'
      : `rolling back to revision ${rollout.previousRevision}`
  try {
    await restore(rollout)
    if (rollout.previousRevision === undefined) return 'The release was removed.'
    const coverage = await watch(Math.max(remainingMs, 1_000))
    return (
      `Rolled back to revision ${rollout.previousRevision}: the previous agent is ready on ` +
      `${coverage.ready}/${coverage.eligible} nodes.`
    )
  } catch (error) {
    if (error instanceof CancelledError) throw error
    return `Then ${target} failed: ${(error as Error).message}`
  }
}

async function restore(rollout: AgentRollout): Promise<void> {
  const helm = rollout.helm.evenIfCancelled()
  if (rollout.previousRevision === undefined) {
    await uninstallRelease(helm, rollout.release, rollout.namespace)
  } else {
    await rollbackRelease(helm, rollout.release, rollout.namespace, rollout.previousRevision)
  }
}

function reportCoverage(rollout: AgentRollout, coverage: Coverage): void {
  if (coverage.daemonSets.length === 0) {
    rollout.report.note(
      `Release ${rollout.release} has no DaemonSet: there is no rollout to wait for.`
    )
    return
  }
  rollout.report.note(
    `Agent ready on ${coverage.ready}/${coverage.eligible} eligible nodes` +
      (coverage.unfit.length ? `; ${coverage.unfit.length} node(s) cannot run it now` : '') +
      (coverage.outside.length
        ? `; ${coverage.outside.length} node(s) outside its placement (${summarise(coverage.outside)})`
        : '') +
      '.'
  )
  if (coverage.unfit.length > 0) {
    core.warning(
      `No agent on ${coverage.unfit.length} node(s) that cannot run it now; it starts there once ` +
        `they recover: ${summarise(coverage.unfit)}.`
    )
  }
}

/** Up to ten nodes with their reasons, then a count. */
function summarise(nodes: { name: string; reason: string }[]): string {
  const shown = nodes.slice(0, 10).map(node => `${node.name} (${node.reason})`)
  const more = nodes.length > 10 ? `, and ${nodes.length - 10} more` : ''
  return shown.join(', ') + more
}
