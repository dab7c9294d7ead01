/**
 * What exists, read before anything is decided: helm, the way into the cluster and (with cloud
 * services) the agent's AWS identity, all at once; then, through helm and the Kubernetes API, the
 * agent's release and its namespace. Nothing here changes anything.
 */
import * as core from '@actions/core'
import type { Cluster } from '@aws-sdk/client-eks'
import type { CloudClients } from '../cloud-services/clients.js'
import type { CloudObservation } from '../cloud-services/observe.js'
import type { EksConfig } from '../inputs.js'
import type { RunDependencies } from '../run-dependencies.js'
import { clusterAccess, type ClusterAccess } from './access/cluster-access.js'
import { HelmRunner } from './helm/helm-runner.js'
import { resolveHelm } from './helm/helm-tool.js'
import { readRelease, type DeployedRelease } from './helm/release.js'
import { agentServiceAccountName } from './helm/values.js'
import {
  namespaceApi,
  namespaceContents,
  observeNamespace,
  type NamespaceApi,
  type ObservedNamespace
} from './resources/namespace.js'

export interface EksObservation {
  helm: HelmRunner
  /** The kubeconfig helm and the Kubernetes API use; `remove()` once the run is done. */
  access: ClusterAccess
  /** The Kubernetes API for namespaces, loaded on first use: an unchanged re-run never needs it. */
  namespaces: () => Promise<NamespaceApi>
  namespace: ObservedNamespace
  /** The agent's release once no operation is under way on it; undefined when there is none. */
  release?: DeployedRelease
  /**
   * remove, with no release to uninstall: what is in the action's namespace, which stays as it is,
   * so the plan can say now whether the namespace will be empty.
   */
  namespaceLeft?: string[]
  cloud?: CloudObservation
}

export async function observeEks(
  config: EksConfig,
  deps: RunDependencies,
  cluster: () => Promise<Cluster>,
  clients: CloudClients | undefined
): Promise<EksObservation> {
  // Loaded only when asked for: the cloud-services lookups most runs do not need.
  const observeCloud = clients
    ? (await import('../cloud-services/observe.js')).observeCloudServices
    : undefined
  // All settle before anything fails, so a kubeconfig written by one is removed even when
  // another failed, and no download or IAM call goes on after the step has ended.
  const [helmResult, accessResult, cloudResult] = await core.group(
    'Helm, cluster access and cloud services',
    () =>
      Promise.allSettled([
        resolveHelm({ version: config.helmVersion, downloadBaseUrl: config.helmDownloadBaseUrl }),
        clusterAccess(config, cluster),
        clients &&
          observeCloud?.(clients, config, config.mode, agentServiceAccountName(config), cluster)
      ])
  )
  if (accessResult.status === 'rejected') throw accessResult.reason
  const access = accessResult.value
  try {
    if (helmResult.status === 'rejected') throw helmResult.reason
    if (cloudResult.status === 'rejected') throw cloudResult.reason
    const helm = new HelmRunner(
      helmResult.value,
      access.kubeconfigPath,
      access.refusedAdvice,
      deps.signal
    )
    let loaded: Promise<NamespaceApi> | undefined
    const namespaces = () => (loaded ??= namespaceApi(access.kubeconfigPath, access.refusedAdvice))
    // The release first: when the cluster refuses the credentials, helm's refusal says so.
    const release = await readRelease(helm, config.agentName, config.namespace, {
      clock: deps.clock,
      timeoutMs: config.waitTimeoutMs
    })
    // A deploy that finds the release knows its namespace exists, and needs no more of it; this
    // spares an unchanged re-run loading the Kubernetes client.
    const namespace =
      release && config.mode === 'deploy'
        ? { exists: true }
        : await observeNamespace(await namespaces(), config.namespace)
    const namespaceLeft =
      config.mode === 'remove' && !release && namespace.ours && !namespace.terminating
        ? await namespaceContents(await namespaces(), config.namespace)
        : undefined
    return {
      helm,
      access,
      namespaces,
      namespace,
      release,
      namespaceLeft,
      cloud: cloudResult.value ?? undefined
    }
  } catch (error) {
    await access.remove()
    throw error
  }
}
