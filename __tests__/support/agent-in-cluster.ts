/**
 * What the end-to-end tests read back from the real control plane after a bundle run, as the
 * cluster's admin: the helm releases (real `helm list`), the agent's Secret as Kubernetes stores
 * it, and the agent's DaemonSets; and, between tests, every release uninstalled.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { REAL_HELM_4 } from './real-helm.js'

const run = promisify(execFile)

export interface ListedRelease {
  name: string
  namespace: string
  revision: string
  status: string
  chart: string
}

/** Every release in `namespace`, whatever its status, as helm 4 lists them. */
export async function helmReleases(
  adminKubeconfig: string,
  namespace: string
): Promise<ListedRelease[]> {
  const { stdout } = await run(REAL_HELM_4, [
    'list',
    '--namespace',
    namespace,
    '--output',
    'json',
    '--kubeconfig',
    adminKubeconfig
  ])
  return JSON.parse(stdout.trim() || '[]') as ListedRelease[]
}

/**
 * Uninstalls every release in the cluster and waits for its objects to go: the chart's ClusterRole
 * is named after the release, so a suite's next test needs the last one's gone.
 */
export async function uninstallEveryRelease(adminKubeconfig: string): Promise<void> {
  const { stdout } = await run(REAL_HELM_4, [
    'list',
    '--all-namespaces',
    '--output',
    'json',
    '--kubeconfig',
    adminKubeconfig
  ])
  for (const release of JSON.parse(stdout.trim() || '[]') as ListedRelease[]) {
    await run(REAL_HELM_4, [
      'uninstall',
      release.name,
      '--namespace',
      release.namespace,
      '--wait',
      '--kubeconfig',
      adminKubeconfig
    ])
  }
}

async function kubectlJson<T>(adminKubeconfig: string, ...args: string[]): Promise<T> {
  const { stdout } = await run('kubectl', ['--kubeconfig', adminKubeconfig, ...args, '-o', 'json'])
  return JSON.parse(stdout) as T
}

/** The data of a Secret, base64-decoded, as the agent's pods would read it. */
export async function secretData(
  adminKubeconfig: string,
  namespace: string,
  name: string
): Promise<Record<string, string>> {
  const secret = await kubectlJson<{ data?: Record<string, string> }>(
    adminKubeconfig,
    'get',
    'secret',
    name,
    '--namespace',
    namespace
  )
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([key, value]) => [
      key,
      Buffer.from(value, 'base64').toString('utf8')
    ])
  )
}

/** The names of the DaemonSets in `namespace`. */
export async function daemonSetNames(
  adminKubeconfig: string,
  namespace: string
): Promise<string[]> {
  const list = await kubectlJson<{ items: { metadata: { name: string } }[] }>(
    adminKubeconfig,
    'get',
    'daemonsets',
    '--namespace',
    namespace
  )
  return list.items.map(item => item.metadata.name)
}
