/**
 * The agent's helm release: what is deployed (revision, chart, the values it was given), and the
 * `upgrade --install` that brings it to the desired state.
 */
import { isDeepStrictEqual } from 'node:util'
import * as core from '@actions/core'
import { ActionError } from '../../errors.js'
import { formatElapsed, pollUntil, type Clock } from '../../poll.js'
import type { ChartSource } from './chart-source.js'
import { HelmError, type HelmRunner } from './helm-runner.js'

export interface DeployedRelease {
  revision: number
  status: string
  /** `<chart name>-<version>`, as helm lists it. */
  chart: string
  values: Record<string, unknown>
}

export interface ListedRelease {
  name: string
  revision: string
  status: string
  chart: string
}

export interface SettleWait {
  clock: Clock
  timeoutMs: number
}

/**
 * The release as it is once no operation is under way on it. A pending release is another run's
 * upgrade in progress, or one that was interrupted: it is waited for up to the wait timeout.
 */
export async function readRelease(
  helm: HelmRunner,
  name: string,
  namespace: string,
  wait: SettleWait
): Promise<DeployedRelease | undefined> {
  const { value: listed, elapsedMs } = await pollUntil({
    clock: wait.clock,
    timeoutMs: wait.timeoutMs,
    probe: () => listRelease(helm, name, namespace),
    done: release => !release?.status.startsWith('pending-'),
    progress: (release, elapsed) =>
      core.info(
        `Release ${name} is ${release?.status}: waiting for the run changing it (${formatElapsed(elapsed)})`
      )
  })
  if (!listed) return undefined
  if (listed.status.startsWith('pending-')) {
    throw new ActionError(
      `Release ${name} in namespace ${namespace} is still ${listed.status} after ` +
        `${formatElapsed(elapsedMs)}: another run is changing it, or one was interrupted. Re-run ` +
        `when it is done, or 'helm rollback ${name}' to clear it.`
    )
  }
  const values = await releaseValues(helm, name, namespace)
  return { revision: Number(listed.revision), status: listed.status, chart: listed.chart, values }
}

/** The user-supplied values of the release, or of one of its revisions; the key among them. */
export async function releaseValues(
  helm: HelmRunner,
  name: string,
  namespace: string,
  revision?: number
): Promise<Record<string, unknown>> {
  // Parsed here, never printed.
  const { stdout } = await helm.run(
    [
      'get',
      'values',
      name,
      '--namespace',
      namespace,
      ...(revision ? ['--revision', String(revision)] : []),
      '--output',
      'json'
    ],
    `read the values of release ${name}`
  )
  return JSON.parse(stdout.trim() || 'null') ?? {}
}

/**
 * helm refused because another operation holds the release: a racing run's upgrade, or its first
 * install, which both helm 3 and 4 answer with 'release: already exists'.
 */
export function isReleaseBusy(error: unknown): boolean {
  return (
    error instanceof HelmError &&
    /another operation \(install\/upgrade\/rollback\) is in progress|cannot re-use a name that is still in use|release: already exists/.test(
      error.stderr
    )
  )
}

export async function listRelease(
  helm: HelmRunner,
  name: string,
  namespace: string
): Promise<ListedRelease | undefined> {
  // helm 3 lists only deployed and failed releases unless asked for all; helm 4 lists all.
  const all = helm.tool.major === 3 ? ['--all'] : []
  const { stdout } = await helm.run(
    ['list', '--namespace', namespace, '--filter', `^${name}$`, ...all, '--output', 'json'],
    `list releases in namespace ${namespace}`
  )
  const releases = JSON.parse(stdout.trim() || '[]') as ListedRelease[]
  return releases.find(release => release.name === name)
}

/** True when the deployed release already has this chart version and exactly these values. */
export function isUpToDate(
  deployed: DeployedRelease | undefined,
  chart: ChartSource,
  values: Record<string, unknown>
): boolean {
  if (!deployed || deployed.status !== 'deployed') return false
  // An unpinned remote chart may have a newer version than the deployed one: upgrade to see.
  if (!chart.matches?.(deployed.chart)) return false
  return isDeepStrictEqual(deployed.values, values)
}

export interface UpgradeOptions {
  name: string
  namespace: string
  chart: ChartSource
  valuesFiles: string[]
  timeoutSeconds: number
  /** Only when it is missing: creating one needs a permission the action otherwise does without. */
  createNamespace: boolean
}

/**
 * Applies the chart without helm's wait: the action watches the rollout itself (see
 * rollout/watch-rollout.ts), because helm's wait counts pods on nodes that cannot run them.
 * `--timeout` still bounds each Kubernetes operation and any hooks.
 */
export async function upgradeInstall(helm: HelmRunner, options: UpgradeOptions): Promise<void> {
  const args = [
    ...upgradeArgs(options, options.createNamespace ? ['--create-namespace'] : []),
    '--timeout',
    `${options.timeoutSeconds}s`
  ]
  await helm.run(args, `install release ${options.name} in namespace ${options.namespace}`)
}

/** `helm upgrade --install` of the release's chart and values files; `flags` come before the values. */
export function upgradeArgs(
  options: { name: string; namespace: string; chart: ChartSource; valuesFiles: string[] },
  flags: string[] = []
): string[] {
  return [
    'upgrade',
    '--install',
    options.name,
    ...options.chart.args,
    '--namespace',
    options.namespace,
    ...flags,
    ...options.valuesFiles.flatMap(file => ['--values', file])
  ]
}

/** Brings back an earlier revision's manifests, as a new revision; the caller watches it. */
export async function rollbackRelease(
  helm: HelmRunner,
  name: string,
  namespace: string,
  revision: number
): Promise<void> {
  await helm.run(
    ['rollback', name, String(revision), '--namespace', namespace],
    `roll release ${name} back to revision ${revision}`
  )
}

/**
 * Removes a release: one that has no earlier revision to go back to, or the agent's on remove.
 * helm does not wait; the caller waits for what matters (rollout/await-removal.ts).
 */
export async function uninstallRelease(
  helm: HelmRunner,
  name: string,
  namespace: string
): Promise<void> {
  await helm.run(['uninstall', name, '--namespace', namespace], `uninstall release ${name}`)
}
