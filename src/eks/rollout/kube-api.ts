/**
 * The Kubernetes API, through the official client library, with the kubeconfig helm uses. Loaded
 * only when a rollout is watched. Refusals become one line naming what was refused.
 */
import type { V1ControllerRevision, V1DaemonSet, V1Node, V1Pod } from '@kubernetes/client-node'
import { ActionError } from '../../errors.js'
import { forbiddenLine, unauthorizedLine } from '../access/cluster-refusals.js'

export interface KubeReader {
  daemonSets(namespace: string): Promise<V1DaemonSet[]>
  pods(namespace: string, labelSelector: string): Promise<V1Pod[]>
  controllerRevisions(namespace: string, labelSelector: string): Promise<V1ControllerRevision[]>
  nodes(): Promise<V1Node[]>
  namespaceExists(name: string): Promise<boolean>
}

export async function kubeReader(
  kubeconfigPath: string,
  refusedAdvice: string
): Promise<KubeReader> {
  const { AppsV1Api, CoreV1Api, KubeConfig } = await import('@kubernetes/client-node')
  const connect = () => {
    const kubeconfig = new KubeConfig()
    kubeconfig.loadFromFile(kubeconfigPath)
    return { apps: kubeconfig.makeApiClient(AppsV1Api), core: kubeconfig.makeApiClient(CoreV1Api) }
  }
  let clients = connect()
  /**
   * A 401 is answered once with new clients, which run the credential plugin again: the library
   * renews an exec token only at its stated expiry, while the cluster may have stopped honouring
   * it sooner (clock skew, a long wait).
   */
  const call = async <T>(what: string, request: (api: typeof clients) => Promise<T>) => {
    try {
      return await request(clients).catch(async error => {
        if ((error as { code?: unknown }).code !== 401) throw error
        clients = connect()
        return request(clients)
      })
    } catch (error) {
      throw explainKubeFailure(error, what, refusedAdvice)
    }
  }
  return {
    daemonSets: namespace =>
      call(`list DaemonSets in namespace ${namespace}`, api =>
        api.apps.listNamespacedDaemonSet({ namespace }).then(list => list.items)
      ),
    pods: (namespace, labelSelector) =>
      call(`list pods in namespace ${namespace}`, api =>
        api.core.listNamespacedPod({ namespace, labelSelector }).then(list => list.items)
      ),
    controllerRevisions: (namespace, labelSelector) =>
      call(`list controller revisions in namespace ${namespace}`, api =>
        api.apps
          .listNamespacedControllerRevision({ namespace, labelSelector })
          .then(list => list.items)
      ),
    nodes: () => call('list nodes', api => api.core.listNode().then(list => list.items)),
    namespaceExists: name =>
      call(`read namespace ${name}`, api =>
        api.core.readNamespace({ name }).then(
          () => true,
          error => ((error as { code?: unknown }).code === 404 ? false : Promise.reject(error))
        )
      )
  }
}

/** 401 and 403 each get their own first line; anything else says what could not be done. */
export function explainKubeFailure(error: unknown, what: string, refusedAdvice: string): Error {
  const code = (error as { code?: unknown }).code
  const message = statusMessage(error)
  if (code === 401) return new ActionError(unauthorizedLine(what, refusedAdvice))
  if (code === 403) return new ActionError(forbiddenLine(what, message))
  return new ActionError(`Could not ${what}: ${message}`)
}

/** The API server's Status message, when the body carries one. */
function statusMessage(error: unknown): string {
  const body = (error as { body?: unknown }).body
  let parsed = body
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body)
    } catch {
      parsed = body
    }
  }
  const fromStatus = (parsed as { message?: unknown } | undefined)?.message
  if (typeof fromStatus === 'string' && fromStatus) return fromStatus
  return error instanceof Error ? error.message.split('\n')[0] : String(error)
}
