/**
 * Nodes for the tests' control plane (scripts/kube-plane.mjs), and a small client for its API: one
 * HTTPS request per call, list-then-watch to wait on events rather than on a clock. kwok plays the
 * kubelet of every Node carrying its annotation; the Stages in kwok-stages.yaml say what it does.
 */
import { readFile } from 'node:fs/promises'
import { Agent, request } from 'node:https'
import { parse } from 'yaml'

/** The annotation the plane's kwok manages nodes by (KWOK_ANNOTATION in scripts/kube-plane.mjs). */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node'
/** A node's InternalIP (and its pods' hostIP), read by the node-initialize Stage. */
export const INTERNAL_IP_ANNOTATION = 'kwok.x-k8s.io/internal-ip'

/**
 * healthy: kwok runs it (Ready, pods start). not-ready: no kubelet, so it never becomes Ready.
 * cordoned, tainted (NoSchedule), fargate, hybrid, windows: Ready, but unschedulable or kept off by
 * the chart's affinity. EKS taints its Fargate nodes; its hybrid nodes carry only the label.
 */
export type NodeKind =
  'healthy' | 'not-ready' | 'cordoned' | 'tainted' | 'fargate' | 'hybrid' | 'windows'

export interface NodeSpec {
  name: string
  kind: NodeKind
  labels?: Record<string, string>
}

export interface KubeObject {
  apiVersion?: string
  kind?: string
  metadata: {
    name: string
    namespace?: string
    uid?: string
    resourceVersion?: string
    generation?: number
    deletionTimestamp?: string
    labels?: Record<string, string>
    annotations?: Record<string, string>
  }
  spec?: Record<string, unknown>
  status?: Record<string, unknown>
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED'
  object: KubeObject
}

export interface KubeApi {
  request<T = KubeObject>(method: string, path: string, body?: unknown): Promise<T>
  /**
   * Lists `path` (to `onList`), then streams every later change to `onEvent`; lists again whenever
   * the stream ends, so `onList` receives the whole current set each time.
   */
  watch(
    path: string,
    onEvent: (event: WatchEvent) => void,
    onList: (items: KubeObject[]) => void
  ): { stop(): void }
  close(): void
}

/** `count` specs named `<prefix>-000`, `<prefix>-001`, ... */
export function nodeSpecs(
  prefix: string,
  kind: NodeKind,
  count: number,
  labels: Record<string, string> = {}
): NodeSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix}-${String(i).padStart(3, '0')}`,
    kind,
    labels
  }))
}

/** The Node object for a spec; `index` gives it a distinct InternalIP. */
export function nodeObject(spec: NodeSpec, index = 0): KubeObject {
  const { name, kind } = spec
  const labels: Record<string, string> = {
    'kubernetes.io/os': kind === 'windows' ? 'windows' : 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    ...(kind === 'fargate' || kind === 'hybrid' ? { 'eks.amazonaws.com/compute-type': kind } : {}),
    ...spec.labels
  }
  const annotations: Record<string, string> = {
    [INTERNAL_IP_ANNOTATION]: `10.${100 + Math.floor(index / 65536)}.${(index >> 8) & 255}.${index & 255}`,
    ...(kind === 'not-ready' ? {} : { [KWOK_NODE_ANNOTATION]: 'fake' })
  }
  const taints = [
    ...(kind === 'tainted'
      ? [{ key: 'example.com/dedicated', value: 'gpu', effect: 'NoSchedule' }]
      : []),
    ...(kind === 'fargate'
      ? [{ key: 'eks.amazonaws.com/compute-type', value: 'fargate', effect: 'NoSchedule' }]
      : [])
  ]
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels, annotations },
    spec: {
      ...(kind === 'cordoned' ? { unschedulable: true } : {}),
      ...(taints.length ? { taints } : {})
    }
  }
}

/** Whether kwok runs the node (every kind but not-ready). */
export function isManaged(kind: NodeKind): boolean {
  return kind !== 'not-ready'
}

/** A client for the API server and user of a kubeconfig (token or client certificate). */
export async function kubeApi(kubeconfigPath: string): Promise<KubeApi> {
  const config = parse(await readFile(kubeconfigPath, 'utf8'))
  const context = config.contexts.find(
    (c: { name: string }) => c.name === config['current-context']
  ).context
  const cluster = config.clusters.find((c: { name: string }) => c.name === context.cluster).cluster
  const user = config.users.find((u: { name: string }) => u.name === context.user).user
  const decode = (data?: string) => (data ? Buffer.from(data, 'base64') : undefined)
  const server = new URL(cluster.server)
  const agent = new Agent({
    keepAlive: true,
    maxSockets: 32,
    ca: decode(cluster['certificate-authority-data']),
    cert: decode(user['client-certificate-data']),
    key: decode(user['client-key-data'])
  })
  const headers = {
    Accept: 'application/json',
    ...(user.token ? { Authorization: `Bearer ${user.token}` } : {})
  }

  const call = <T>(method: string, path: string, body?: unknown): Promise<T> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body)
      const req = request(
        new URL(path, server),
        {
          method,
          agent,
          headers: {
            ...headers,
            ...(payload ? { 'Content-Type': 'application/json' } : {})
          }
        },
        response => {
          let text = ''
          response.setEncoding('utf8')
          response.on('data', chunk => (text += chunk))
          response.on('end', () => {
            if ((response.statusCode ?? 500) >= 400) {
              const message = (() => {
                try {
                  return JSON.parse(text).message
                } catch {
                  return text
                }
              })()
              reject(new Error(`${method} ${path}: HTTP ${response.statusCode}: ${message}`))
            } else resolve(text ? JSON.parse(text) : undefined)
          })
        }
      )
      req.on('error', reject)
      req.end(payload)
    })

  const watch = (
    path: string,
    onEvent: (event: WatchEvent) => void,
    onList: (items: KubeObject[]) => void
  ) => {
    let stopped = false
    let current: ReturnType<typeof request> | undefined
    const separator = path.includes('?') ? '&' : '?'
    // List, then watch from the list's version; start again (listing anew) when the stream ends or
    // the version is too old (410), so no change is missed.
    const cycle = async (): Promise<void> => {
      while (!stopped) {
        try {
          const list = await call<{ metadata: { resourceVersion: string }; items: KubeObject[] }>(
            'GET',
            path
          )
          onList(list.items)
          await stream(
            `${path}${separator}watch=1&resourceVersion=${list.metadata.resourceVersion}`
          )
        } catch {
          if (!stopped) await new Promise(resolve => setTimeout(resolve, 200))
        }
      }
    }
    const stream = (url: string) =>
      new Promise<void>((resolve, reject) => {
        const fail = (error: unknown) => {
          req.destroy()
          reject(error)
        }
        const req = request(new URL(url, server), { agent, headers }, response => {
          if (response.statusCode !== 200)
            return fail(new Error(`watch ${url}: HTTP ${response.statusCode}`))
          let buffer = ''
          response.setEncoding('utf8')
          response.on('data', chunk => {
            buffer += chunk
            let newline
            while (!stopped && (newline = buffer.indexOf('\n')) >= 0) {
              const line = buffer.slice(0, newline)
              buffer = buffer.slice(newline + 1)
              if (!line.trim()) continue
              let event
              try {
                event = JSON.parse(line)
              } catch (error) {
                return fail(error)
              }
              if (event.type === 'ERROR') return fail(new Error(event.object?.message))
              if (event.type !== 'BOOKMARK') onEvent(event)
            }
          })
          response.on('end', resolve)
          response.on('close', resolve)
          response.on('error', fail)
        })
        current = req
        req.on('error', reject)
        req.end()
      })
    void cycle()
    return {
      stop() {
        stopped = true
        current?.destroy()
      }
    }
  }

  return { request: call, watch, close: () => agent.destroy() }
}

/**
 * Resolves with the objects under `path` (by name) once `done` holds for them, judged on every
 * change the API server reports; rejects after `timeoutMs` with `describe` of what it saw.
 */
export function waitForObjects(
  api: KubeApi,
  path: string,
  done: (objects: Map<string, KubeObject>) => boolean,
  timeoutMs = 60_000,
  describe: (objects: Map<string, KubeObject>) => string = objects => `${objects.size} objects`
): Promise<Map<string, KubeObject>> {
  return new Promise((resolve, reject) => {
    const objects = new Map<string, KubeObject>()
    const timer = setTimeout(() => {
      watcher.stop()
      reject(new Error(`${path}: not done within ${timeoutMs} ms: ${describe(objects)}`))
    }, timeoutMs)
    const check = () => {
      if (!done(objects)) return
      clearTimeout(timer)
      watcher.stop()
      resolve(objects)
    }
    const watcher = api.watch(
      path,
      ({ type, object }) => {
        if (type === 'DELETED') objects.delete(object.metadata.name)
        else objects.set(object.metadata.name, object)
        check()
      },
      items => {
        objects.clear()
        for (const object of items) objects.set(object.metadata.name, object)
        check()
      }
    )
  })
}

export function conditionStatus(object: KubeObject | undefined, type: string): string | undefined {
  const conditions = (object?.status?.conditions ?? []) as { type: string; status: string }[]
  return conditions.find(c => c.type === type)?.status
}

/** Creates the nodes, many requests at a time; returns their names. */
export async function createNodes(kubeconfigPath: string, specs: NodeSpec[]): Promise<string[]> {
  const api = await kubeApi(kubeconfigPath)
  try {
    let next = 0
    const worker = async () => {
      while (next < specs.length) {
        const index = next++
        await api.request('POST', '/api/v1/nodes', nodeObject(specs[index], index))
      }
    }
    await Promise.all(Array.from({ length: 24 }, worker))
    return specs.map(spec => spec.name)
  } finally {
    api.close()
  }
}

/**
 * Waits until every named node is Ready=True and, unless `untainted` is false, rid of the taint
 * kube-controller-manager puts on each new node (`node.kubernetes.io/not-ready:NoSchedule`). It lifts
 * that taint only after the node turns Ready, at its own client rate (about 10 nodes a second with
 * its default --kube-api-qps=20): a pod that does not tolerate it waits for that. DaemonSet pods
 * with the chart's tolerations do not.
 */
export async function waitForNodesReady(
  kubeconfigPath: string,
  names: string[],
  { timeoutMs = 60_000, untainted = true }: { timeoutMs?: number; untainted?: boolean } = {}
): Promise<void> {
  const api = await kubeApi(kubeconfigPath)
  const waiting = (nodes: Map<string, KubeObject>) =>
    names.filter(name => {
      const node = nodes.get(name)
      const taints = (node?.spec?.taints ?? []) as { key: string }[]
      return (
        conditionStatus(node, 'Ready') !== 'True' ||
        (untainted && taints.some(taint => NODE_LIFECYCLE_TAINTS.includes(taint.key)))
      )
    })
  try {
    await waitForObjects(
      api,
      '/api/v1/nodes',
      nodes => waiting(nodes).length === 0,
      timeoutMs,
      nodes => `not Ready or still tainted: ${waiting(nodes).slice(0, 10).join(', ')}`
    )
  } finally {
    api.close()
  }
}

const NODE_LIFECYCLE_TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']

/** Deletes every Node (their Leases go with them: kwok makes each Node the owner of its Lease). */
export async function deleteAllNodes(kubeconfigPath: string): Promise<void> {
  const api = await kubeApi(kubeconfigPath)
  try {
    await api.request('DELETE', '/api/v1/nodes')
    await waitForObjects(api, '/api/v1/nodes', nodes => nodes.size === 0, 30_000)
  } finally {
    api.close()
  }
}
