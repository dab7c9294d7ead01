/**
 * The release namespace. When it is missing the action makes it, labelled as the action's, so that
 * remove can prove it made it; remove deletes only a namespace so labelled, and only once nothing
 * is left in it. A namespace someone else made is never touched.
 */
import type { CoreV1Api, KubeConfig } from '@kubernetes/client-node'
import { MANAGED_BY } from '../../inputs.js'
import { explainKubeFailure } from '../rollout/kube-api.js'

/** The well-known label of the tool that manages an object; helm sets it to `Helm` on its own. */
export const NAMESPACE_OWNER_LABEL = 'app.kubernetes.io/managed-by'

export interface ObservedNamespace {
  exists: boolean
  /** Labelled as made by the action; undefined when the run did not need to read it. */
  ours?: boolean
  /** Being deleted: what remains in it is going too. */
  terminating?: boolean
}

/** A Kubernetes API client for the namespace calls, loaded only when used. */
export interface NamespaceApi {
  core: CoreV1Api
  kubeconfig: KubeConfig
  refusedAdvice: string
}

export async function namespaceApi(
  kubeconfigPath: string,
  refusedAdvice: string
): Promise<NamespaceApi> {
  const { CoreV1Api, KubeConfig } = await import('@kubernetes/client-node')
  const kubeconfig = new KubeConfig()
  kubeconfig.loadFromFile(kubeconfigPath)
  return { core: kubeconfig.makeApiClient(CoreV1Api), kubeconfig, refusedAdvice }
}

const code = (error: unknown) => (error as { code?: unknown }).code

export async function observeNamespace(
  api: NamespaceApi,
  name: string
): Promise<ObservedNamespace> {
  try {
    const found = await api.core.readNamespace({ name })
    return {
      exists: true,
      ours: found.metadata?.labels?.[NAMESPACE_OWNER_LABEL] === MANAGED_BY,
      terminating: found.status?.phase === 'Terminating'
    }
  } catch (error) {
    if (code(error) === 404) return { exists: false, ours: false }
    throw explainKubeFailure(error, `read namespace ${name}`, api.refusedAdvice)
  }
}

/** Creates the namespace with the action's label; one a racing run made first is left as it is. */
export async function createOwnedNamespace(api: NamespaceApi, name: string): Promise<void> {
  try {
    await api.core.createNamespace({
      body: { metadata: { name, labels: { [NAMESPACE_OWNER_LABEL]: MANAGED_BY } } }
    })
  } catch (error) {
    if (code(error) === 409) return
    throw explainKubeFailure(error, `create namespace ${name}`, api.refusedAdvice)
  }
}

/** What Kubernetes puts in every namespace by itself: not a sign that anyone uses it. */
const BUILT_IN = new Set(['ServiceAccount/default', 'ConfigMap/kube-root-ca.crt'])

/**
 * What is left in the namespace, as `Kind/name` (up to a few per kind); empty when nothing is.
 * A kind the caller may not list counts as not empty: what cannot be seen cannot be deleted.
 */
export async function namespaceContents(api: NamespaceApi, namespace: string): Promise<string[]> {
  const { AppsV1Api, BatchV1Api } = await import('@kubernetes/client-node')
  const apps = api.kubeconfig.makeApiClient(AppsV1Api)
  const batch = api.kubeconfig.makeApiClient(BatchV1Api)
  const core = api.core
  const lists: [
    string,
    () => Promise<{ items: { metadata?: { name?: string; deletionTimestamp?: Date } }[] }>
  ][] = [
    ['Pod', () => core.listNamespacedPod({ namespace })],
    ['Secret', () => core.listNamespacedSecret({ namespace })],
    ['ConfigMap', () => core.listNamespacedConfigMap({ namespace })],
    ['ServiceAccount', () => core.listNamespacedServiceAccount({ namespace })],
    ['Service', () => core.listNamespacedService({ namespace })],
    ['PersistentVolumeClaim', () => core.listNamespacedPersistentVolumeClaim({ namespace })],
    ['Deployment', () => apps.listNamespacedDeployment({ namespace })],
    ['DaemonSet', () => apps.listNamespacedDaemonSet({ namespace })],
    ['StatefulSet', () => apps.listNamespacedStatefulSet({ namespace })],
    ['Job', () => batch.listNamespacedJob({ namespace })]
  ]
  const found = await Promise.all(
    lists.map(async ([kind, list]) => {
      try {
        // What is being deleted already is not left: a pod terminating on a NotReady node ends
        // with the namespace.
        return (await list()).items
          .filter(item => !item.metadata?.deletionTimestamp)
          .map(item => `${kind}/${item.metadata?.name ?? ''}`)
          .filter(name => !BUILT_IN.has(name))
      } catch (error) {
        if (code(error) === 403) return [`${kind} (may not list)`]
        throw explainKubeFailure(
          error,
          `list ${kind}s in namespace ${namespace}`,
          api.refusedAdvice
        )
      }
    })
  )
  return found.flat()
}

/** Why a namespace of the action's stays: what is left in it, the first few. */
export function notEmpty(left: string[]): string {
  return `the action's, but not empty: ${left.slice(0, 5).join(', ')}${left.length > 5 ? ', …' : ''}`
}

/** Deletes the namespace; `absent` when it is gone already. */
export async function deleteNamespace(
  api: NamespaceApi,
  name: string
): Promise<'deleted' | 'absent'> {
  try {
    await api.core.deleteNamespace({ name })
    return 'deleted'
  } catch (error) {
    if (code(error) === 404) return 'absent'
    throw explainKubeFailure(error, `delete namespace ${name}`, api.refusedAdvice)
  }
}
