/**
 * The agent's helm release: what is deployed (revision, chart, the values it was given), and the
 * `upgrade --install` that brings it to the desired state.
 */
import { isDeepStrictEqual } from 'node:util'
import { ActionError } from '../errors.js'
import type { ChartSource } from './chart-source.js'
import type { HelmRunner } from './helm-runner.js'

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

export async function readRelease(
  helm: HelmRunner,
  name: string,
  namespace: string
): Promise<DeployedRelease | undefined> {
  const listed = await listRelease(helm, name, namespace)
  if (!listed) return undefined
  if (listed.status.startsWith('pending-')) {
    throw new ActionError(
      `Release ${name} in namespace ${namespace} is ${listed.status}: another run is changing it, ` +
        `or one was interrupted. Re-run when it is done, or 'helm rollback ${name}' to clear it.`
    )
  }
  // The values are the user-supplied ones, the key among them: parsed here, never printed.
  const { stdout } = await helm.run(
    ['get', 'values', name, '--namespace', namespace, '--output', 'json'],
    `read the values of release ${name}`
  )
  const values = JSON.parse(stdout.trim() || 'null') ?? {}
  return { revision: Number(listed.revision), status: listed.status, chart: listed.chart, values }
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
  wait: boolean
  timeoutSeconds: number
}

export async function upgradeInstall(helm: HelmRunner, options: UpgradeOptions): Promise<void> {
  const args = [
    'upgrade',
    '--install',
    options.name,
    ...options.chart.args,
    '--namespace',
    options.namespace,
    '--create-namespace',
    ...options.valuesFiles.flatMap(file => ['--values', file])
  ]
  if (options.wait) {
    // helm 4 renamed --atomic and made --wait take a strategy.
    const waitFlags =
      helm.tool.major === 4 ? ['--wait=watcher', '--rollback-on-failure'] : ['--wait', '--atomic']
    args.push(...waitFlags, '--timeout', `${options.timeoutSeconds}s`)
  }
  await helm.run(args, `install release ${options.name} in namespace ${options.namespace}`)
}
