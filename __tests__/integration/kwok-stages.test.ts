/**
 * The kwok Stages in __tests__/support/kwok-stages.yaml, proven on a real control plane: nodes join
 * and stay Ready under load (their Leases keep being renewed), pods start after the delay their
 * annotation asks for or fail the way their annotation says, and DaemonSets place and roll their
 * pods as on a real cluster. Rollout times of three update strategies are printed, not asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import {
  conditionStatus,
  createNodes,
  deleteAllNodes,
  INTERNAL_IP_ANNOTATION,
  isManaged,
  kubeApi,
  nodeSpecs,
  waitForNodesReady,
  waitForObjects,
  type KubeApi,
  type KubeObject,
  type NodeSpec
} from '../support/kube-nodes.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const STAGES = path.join(root, '__tests__/support/kwok-stages.yaml')
const chartValues = parse(
  readFileSync(path.join(root, 'charts/cloudaeye-metrics-agent/values.yaml'), 'utf8')
)
const NS = 'kwok-stages'
const PODS = `/api/v1/namespaces/${NS}/pods`

interface Plane {
  adminKubeconfig: string
  stop(): Promise<void>
}
// scripts/kube-plane.mjs has no type declarations; a path held in a variable keeps tsc out of it.
const planeModule = path.join(root, 'scripts/kube-plane.mjs')
const { startKubePlane } = (await import(planeModule)) as {
  startKubePlane(options: { stageFiles: string[] }): Promise<Plane>
}

const mixed: NodeSpec[] = [
  ...nodeSpecs('mixed-healthy', 'healthy', 3, { pool: 'mixed' }),
  ...(['not-ready', 'cordoned', 'tainted', 'fargate', 'hybrid', 'windows'] as const).flatMap(kind =>
    nodeSpecs(`mixed-${kind}`, kind, 1, { pool: 'mixed' })
  )
]
const STRATEGIES = {
  'maxUnavailable: 1': { pool: 'roll-a', rollingUpdate: { maxUnavailable: 1 } },
  'maxUnavailable: 25%': { pool: 'roll-b', rollingUpdate: { maxUnavailable: '25%' } },
  'maxSurge: 25%, maxUnavailable: 0': {
    pool: 'roll-c',
    rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 }
  }
}
const rollPools = Object.values(STRATEGIES).map(({ pool }) =>
  nodeSpecs(pool, 'healthy', 20, { pool })
)
const specs: NodeSpec[] = [
  ...nodeSpecs('load', 'healthy', 40, { pool: 'load' }),
  ...nodeSpecs('pods', 'healthy', 1, { pool: 'pods' }),
  ...mixed,
  ...rollPools.flat()
]
const managed = specs.filter(spec => isManaged(spec.kind)).map(spec => spec.name)

let plane: Plane
let api: KubeApi
let heartbeats: ReturnType<typeof watchHeartbeats>

beforeAll(async () => {
  plane = await startKubePlane({ stageFiles: [STAGES] })
  api = await kubeApi(plane.adminKubeconfig)
  const started = Date.now()
  await createNodes(plane.adminKubeconfig, specs)
  const created = Date.now()
  // Every pod here tolerates all taints, as the agent's do: no need to wait for the not-ready taint
  // to go (see waitForNodesReady).
  await waitForNodesReady(plane.adminKubeconfig, managed, { untainted: false })
  console.log(
    `${specs.length} nodes created in ${created - started} ms; ${managed.length} Ready ` +
      `${Date.now() - created} ms later`
  )
  heartbeats = watchHeartbeats(api, managed)
  await api.request('POST', '/api/v1/namespaces', { metadata: { name: NS } })
  await waitForObjects(api, `/api/v1/namespaces/${NS}/serviceaccounts`, sa => sa.has('default'))
}, 120_000)

// kube-plane's stop can take a minute: kube-apiserver drains its requests after etcd is gone.
afterAll(async () => {
  heartbeats?.stop()
  api?.close()
  await plane?.stop()
}, 90_000)

describe('kwok stages', () => {
  it('makes annotated nodes Ready with room for pods, and leaves the others NotReady', async () => {
    const nodes = (
      await api.request<{ items: KubeObject[] }>('GET', '/api/v1/nodes?labelSelector=pool=mixed')
    ).items
    const ready = nodes.filter(node => conditionStatus(node, 'Ready') === 'True')
    expect(ready.map(node => node.metadata.name).sort()).toEqual(
      mixed
        .filter(spec => isManaged(spec.kind))
        .map(spec => spec.name)
        .sort()
    )
    const byName = new Map(nodes.map(node => [node.metadata.name, node]))
    const healthy = byName.get('mixed-healthy-000')!
    expect(nodeStatus(healthy).allocatable).toMatchObject({
      cpu: '32',
      memory: '256Gi',
      pods: '110'
    })
    expect(nodeStatus(healthy).addresses).toContainEqual({
      type: 'InternalIP',
      address: healthy.metadata.annotations![INTERNAL_IP_ANNOTATION]
    })
    expect(nodeStatus(byName.get('mixed-windows-000')!).nodeInfo.operatingSystem).toBe('windows')
    // kwok holds a Lease for every node it runs, and none for the sick one.
    const leases = await api.request<{ items: KubeObject[] }>(
      'GET',
      '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases'
    )
    const leased = new Set(leases.items.map(lease => lease.metadata.name))
    expect(managed.every(name => leased.has(name))).toBe(true)
    expect(leased.has('mixed-not-ready-000')).toBe(false)
  })

  it('starts a pod after the delay its annotation asks for, Running and Ready', async () => {
    const started = Date.now()
    await Promise.all(
      [
        ['plain', {}],
        ['delayed', { 'kwok.x-k8s.io/start-delay': '2s' }]
      ].map(([name, annotations]) =>
        api.request('POST', PODS, pod(name as string, 'pods-000', annotations as object))
      )
    )
    const creatingAt = new Map<string, number>()
    const readyAt = new Map<string, number>()
    const pods = await waitForObjects(api, `${PODS}?labelSelector=test=pod`, objects => {
      for (const [name, object] of objects) {
        const waiting = containerOf(object)?.state?.waiting?.reason
        if (waiting === 'ContainerCreating' && !creatingAt.has(name))
          creatingAt.set(name, Date.now())
        if (conditionStatus(object, 'Ready') === 'True' && !readyAt.has(name)) {
          readyAt.set(name, Date.now())
        }
      }
      return readyAt.size === 2
    })
    const plainMs = readyAt.get('plain')! - started
    const delayedMs = readyAt.get('delayed')! - started
    console.log(
      `pod Ready after ${plainMs} ms without a delay, ${delayedMs} ms with start-delay 2s`
    )
    // A lower bound only: how much later it comes depends on the machine's load.
    expect(delayedMs).toBeGreaterThanOrEqual(2000)
    expect(plainMs).toBeLessThan(delayedMs)
    expect(creatingAt.get('delayed')).toBeLessThan(readyAt.get('delayed')!)

    const node = await api.request('GET', '/api/v1/nodes/pods-000')
    expect(pods.get('delayed')!.status).toMatchObject({
      phase: 'Running',
      podIP: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
      hostIP: node.metadata.annotations![INTERNAL_IP_ANNOTATION],
      containerStatuses: [
        {
          name: 'agent',
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: expect.any(String) } }
        }
      ]
    })
    expect(conditionStatus(pods.get('delayed'), 'ContainersReady')).toBe('True')
    await api.request('DELETE', `${PODS}?labelSelector=test=pod`)
    await waitForObjects(api, `${PODS}?labelSelector=test=pod`, objects => objects.size === 0)
  })

  it('fails pods the way their annotation says, and deletes them like any other', async () => {
    // The start delay holds each in ContainerCreating long enough for the watch below to see it.
    for (const fail of ['crash-loop', 'image-pull', 'pending']) {
      const annotations = { 'kwok.x-k8s.io/fail': fail, 'kwok.x-k8s.io/start-delay': '1s' }
      await api.request('POST', PODS, pod(fail, 'pods-000', annotations))
    }
    const reasons = new Map<string, Set<string>>()
    // The crash loop's first restart comes 10 s after its first exit: wait for it.
    const pods = await waitForObjects(
      api,
      `${PODS}?labelSelector=test=pod`,
      objects => {
        for (const [name, object] of objects) {
          const reason = containerOf(object)?.state?.waiting?.reason
          if (reason) reasons.set(name, (reasons.get(name) ?? new Set()).add(reason))
        }
        return (
          (containerOf(objects.get('crash-loop'))?.restartCount ?? 0) >= 2 &&
          containerOf(objects.get('image-pull'))?.state?.waiting?.reason === 'ImagePullBackOff'
        )
      },
      40_000
    )
    const crash = pods.get('crash-loop')!
    expect(crash.status).toMatchObject({ phase: 'Running' })
    expect(conditionStatus(crash, 'Ready')).toBe('False')
    expect(containerOf(crash)).toMatchObject({
      ready: false,
      restartCount: 2,
      lastState: { terminated: { exitCode: 1, reason: 'Error' } },
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: expect.stringContaining('back-off 20s restarting failed container=agent')
        }
      }
    })
    const pull = pods.get('image-pull')!
    expect(pull.status).toMatchObject({ phase: 'Pending' })
    expect(conditionStatus(pull, 'Ready')).toBe('False')
    expect(containerOf(pull)?.state?.waiting?.message).toContain('registry.example/agent:1')
    expect([...reasons.get('image-pull')!]).toEqual([
      'ContainerCreating',
      'ErrImagePull',
      'ImagePullBackOff'
    ])
    // Ten seconds on, the pending pod has not moved.
    expect(pods.get('pending')!.status).toMatchObject({ phase: 'Pending' })
    expect([...reasons.get('pending')!]).toEqual(['ContainerCreating'])

    const events = await api.request<{
      items: { involvedObject: { name: string }; reason: string }[]
    }>('GET', `/api/v1/namespaces/${NS}/events`)
    const seen = events.items.map(e => `${e.involvedObject.name} ${e.reason}`)
    expect(seen).toEqual(
      expect.arrayContaining(['crash-loop BackOff', 'image-pull Failed', 'image-pull BackOff'])
    )
    await api.request('DELETE', `${PODS}?labelSelector=test=pod`)
    await waitForObjects(api, `${PODS}?labelSelector=test=pod`, objects => objects.size === 0)
  })

  it('runs a DaemonSet with the chart affinity on eligible nodes only; a sick one stalls it', async () => {
    await kubectl(['apply', '-f', '-'], daemonSet('placement', 'mixed', { maxUnavailable: 1 }))
    const eligible = ['mixed-healthy-000', 'mixed-healthy-001', 'mixed-healthy-002']
    eligible.push('mixed-cordoned-000', 'mixed-tainted-000')
    const pods = await waitForObjects(
      api,
      `${PODS}?labelSelector=app=placement`,
      objects => readyNodes(objects).length === eligible.length
    )
    expect(readyNodes(pods).sort()).toEqual(eligible.sort())
    const targets = [...pods.values()].map(targetNode)
    for (const kind of ['fargate', 'hybrid', 'windows']) {
      expect(targets).not.toContain(`mixed-${kind}-000`)
    }
    // The sick node gets its pod too, which can never start: it has no kubelet and no room.
    const sick = [...pods.values()].filter(p => targetNode(p) === 'mixed-not-ready-000')
    expect(sick).toHaveLength(1)
    expect(sick[0].status).toMatchObject({ phase: 'Pending' })

    // That pod stalls a rollout with maxUnavailable: 1. The controller replaces it first (an
    // unavailable pod costs nothing to replace), its successor is unavailable too and uses up the
    // budget, and no healthy node is touched: for three pod start times, nothing moves.
    await kubectl(
      ['apply', '-f', '-'],
      daemonSet('placement', 'mixed', { maxUnavailable: 1 }, 'agent:2')
    )
    const selector = `${PODS}?labelSelector=app=placement`
    const updated = (p?: KubeObject) => p && image(p) === 'registry.example/agent:2'
    await waitForObjects(api, selector, objects =>
      [...objects.values()].some(p => targetNode(p) === 'mixed-not-ready-000' && updated(p))
    )
    const moved = await waitForObjects(
      api,
      selector,
      objects => [...objects.values()].some(p => eligible.includes(targetNode(p)!) && updated(p)),
      6_000
    ).then(
      () => true,
      () => false
    )
    expect(moved).toBe(false)
    await kubectl(['delete', 'daemonset', 'placement', '-n', NS, '--wait=false'])
  })

  it('rolls a DaemonSet image change through by deleting and recreating pods', async () => {
    // Three DaemonSets, one per pool of 20 nodes, started together and then rolled one at a time.
    const strategies = Object.entries(STRATEGIES)
    const first = await Promise.all(
      strategies.map(async ([, { pool, rollingUpdate }]) => {
        await kubectl(['apply', '-f', '-'], daemonSet(pool, pool, rollingUpdate, 'agent:1'))
        const selector = `${PODS}?labelSelector=app=${pool}`
        return waitForObjects(api, selector, o => readyNodes(o).length === 20, 60_000)
      })
    )
    for (const [index, [strategy, { pool, rollingUpdate }]] of strategies.entries()) {
      const name = pool
      const selector = `${PODS}?labelSelector=app=${name}`
      const oldUids = new Set([...first[index].values()].map(p => p.metadata.uid))

      let worstUnavailable = 0
      let worstSurge = 0
      let worstDoubled = 0
      const started = Date.now()
      await kubectl(['apply', '-f', '-'], daemonSet(name, pool, rollingUpdate, 'agent:2'))
      const after = await waitForObjects(
        api,
        selector,
        objects => {
          worstUnavailable = Math.max(worstUnavailable, 20 - readyNodes(objects).length)
          worstSurge = Math.max(worstSurge, doubledNodes(objects, true))
          worstDoubled = Math.max(worstDoubled, doubledNodes(objects))
          return (
            objects.size === 20 &&
            readyNodes(objects).length === 20 &&
            [...objects.values()].every(p => image(p) === 'registry.example/agent:2')
          )
        },
        120_000
      )
      console.log(
        `rollout of 20 nodes, 2 s pod start, ${strategy}: ${Date.now() - started} ms ` +
          `(at worst ${worstUnavailable} nodes without a Ready agent, ${worstDoubled} with two, ` +
          `${worstSurge} of them waiting for the new one)`
      )
      expect([...after.values()].some(p => oldUids.has(p.metadata.uid))).toBe(false)
      if (strategy === 'maxUnavailable: 1') expect(worstUnavailable).toBe(1)
      if (strategy === 'maxUnavailable: 25%') expect(worstUnavailable).toBeLessThanOrEqual(5)
      if (strategy.startsWith('maxSurge')) {
        expect(worstUnavailable).toBe(0)
        expect(worstSurge).toBeGreaterThan(0)
        expect(worstSurge).toBeLessThanOrEqual(5)
      }
    }
  }, 240_000)

  it('keeps every node Ready for a minute of that work, renewing its Lease', async () => {
    const window = await heartbeats.coveredMinute()
    const stale = managed.filter(name => heartbeats.lost.has(name))
    expect(stale).toEqual([])
    const gaps = managed.map(name => heartbeats.longestGapMs(name))
    const renewals = managed.map(name => heartbeats.renewals(name))
    console.log(
      `over ${Math.round(window / 1000)} s, ${managed.length} nodes: lease renewals per node ` +
        `${Math.min(...renewals)}-${Math.max(...renewals)}, longest gap ${Math.max(...gaps)} ms; ` +
        `status heartbeats seen on ${managed.filter(n => heartbeats.statusBeats(n) > 1).length}`
    )
    // kube-controller-manager gives up on a node whose Lease and status are both older than its
    // --node-monitor-grace-period (50 s in 1.34); keep a margin: renewed within the Lease's 40 s.
    expect(Math.max(...gaps)).toBeLessThan(40_000)
    expect(Math.min(...renewals)).toBeGreaterThanOrEqual(3)
    expect(managed.filter(name => heartbeats.statusBeats(name) < 2)).toEqual([])

    await deleteAllNodes(plane.adminKubeconfig)
    const left = await api.request<{ items: KubeObject[] }>('GET', '/api/v1/nodes')
    expect(left.items).toEqual([])
  }, 90_000)
})

/**
 * From now on, records each node's Ready condition and lastHeartbeatTime and each Lease renewal.
 * `coveredMinute` waits for a renewal of every node's Lease at least 60 s after the start.
 */
function watchHeartbeats(kube: KubeApi, names: string[]) {
  const start = Date.now()
  const watched = new Set(names)
  const lost = new Set<string>()
  const beats = new Map<string, Set<string>>()
  const renewed = new Map<string, number[]>()
  let waiter: (() => void) | undefined
  const onNode = (node: KubeObject) => {
    const name = node.metadata.name
    if (!watched.has(name)) return
    const ready = ((node.status?.conditions ?? []) as Record<string, string>[]).find(
      c => c.type === 'Ready'
    )
    if (ready?.status !== 'True') lost.add(name)
    if (ready) beats.set(name, (beats.get(name) ?? new Set()).add(ready.lastHeartbeatTime))
  }
  const onLease = (lease: KubeObject) => {
    const name = lease.metadata.name
    const at = Date.parse(String(lease.spec?.renewTime))
    if (!watched.has(name) || Number.isNaN(at)) return
    const times = renewed.get(name) ?? []
    if (times.at(-1) !== at) renewed.set(name, [...times, at])
    waiter?.()
  }
  const nodes = kube.watch(
    '/api/v1/nodes',
    e => e.type !== 'DELETED' && onNode(e.object),
    items => items.forEach(onNode)
  )
  const leases = kube.watch(
    '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases',
    e => e.type !== 'DELETED' && onLease(e.object),
    items => items.forEach(onLease)
  )
  return {
    lost,
    renewals: (name: string) => (renewed.get(name) ?? []).filter(at => at >= start).length,
    statusBeats: (name: string) => beats.get(name)?.size ?? 0,
    longestGapMs(name: string) {
      const times = [start, ...(renewed.get(name) ?? []).filter(at => at > start), Date.now()]
      return Math.max(...times.slice(1).map((at, i) => at - times[i]))
    },
    coveredMinute: () =>
      new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('Leases not renewed')), 75_000)
        waiter = () => {
          const mark = start + 60_000
          if (names.every(name => (renewed.get(name)?.at(-1) ?? 0) >= mark)) {
            clearTimeout(timer)
            waiter = undefined
            resolve(Date.now() - start)
          }
        }
        waiter()
      }),
    stop() {
      nodes.stop()
      leases.stop()
    }
  }
}

function pod(name: string, node: string, annotations: object): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { test: 'pod' }, annotations: annotations as Record<string, string> },
    spec: {
      nodeSelector: { 'kubernetes.io/hostname': node },
      tolerations: [{ operator: 'Exists' }],
      terminationGracePeriodSeconds: 30,
      containers: [{ name: 'agent', image: 'registry.example/agent:1' }]
    }
  }
}

/** A DaemonSet like the chart's (affinity, tolerations, requests) on the nodes of one pool. */
function daemonSet(name: string, pool: string, rollingUpdate: object, tag = 'agent:1'): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: NS },
    spec: {
      selector: { matchLabels: { app: name } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate },
      template: {
        metadata: { labels: { app: name }, annotations: { 'kwok.x-k8s.io/start-delay': '2s' } },
        spec: {
          nodeSelector: { pool },
          affinity: chartValues.affinity,
          tolerations: chartValues.tolerations,
          containers: [
            { name: 'agent', image: `registry.example/${tag}`, resources: chartValues.resources }
          ]
        }
      }
    }
  })
}

interface ContainerStatus {
  name: string
  ready: boolean
  restartCount: number
  state?: { waiting?: { reason: string; message?: string } }
}

function containerOf(p?: KubeObject): ContainerStatus | undefined {
  return (p?.status?.containerStatuses as ContainerStatus[] | undefined)?.[0]
}

function nodeStatus(node: KubeObject) {
  return node.status as {
    allocatable: Record<string, string>
    addresses: { type: string; address: string }[]
    nodeInfo: { operatingSystem: string }
  }
}

/** The node a pod is bound to, or the one its DaemonSet meant it for. */
function targetNode(p: KubeObject): string | undefined {
  const spec = p.spec as {
    nodeName?: string
    affinity?: {
      nodeAffinity?: {
        requiredDuringSchedulingIgnoredDuringExecution?: {
          nodeSelectorTerms: { matchFields?: { values: string[] }[] }[]
        }
      }
    }
  }
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
  return spec.nodeName ?? required?.nodeSelectorTerms[0]?.matchFields?.[0]?.values[0]
}

function readyNodes(pods: Map<string, KubeObject>): string[] {
  return [
    ...new Set(
      [...pods.values()]
        .filter(p => !p.metadata.deletionTimestamp && conditionStatus(p, 'Ready') === 'True')
        .map(p => targetNode(p)!)
    )
  ]
}

/**
 * Nodes with two pods not being deleted; with `surging`, only those where one is not Ready yet, which
 * is what maxSurge bounds (the DaemonSet controller deletes an old pod once its successor is Ready,
 * and may create the next successors in the same pass).
 */
function doubledNodes(pods: Map<string, KubeObject>, surging = false): number {
  const perNode = new Map<string, KubeObject[]>()
  for (const p of pods.values()) {
    if (p.metadata.deletionTimestamp) continue
    perNode.set(targetNode(p)!, [...(perNode.get(targetNode(p)!) ?? []), p])
  }
  return [...perNode.values()].filter(
    list => list.length > 1 && (!surging || list.some(p => conditionStatus(p, 'Ready') !== 'True'))
  ).length
}

function image(p: KubeObject): string {
  return (p.spec as { containers: { image: string }[] }).containers[0].image
}

function kubectl(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', plane.adminKubeconfig, ...args])
    let out = ''
    child.stdout.on('data', chunk => (out += chunk))
    child.stderr.on('data', chunk => (out += chunk))
    child.on('error', reject)
    child.on('close', code =>
      code === 0 ? resolve(out) : reject(new Error(`kubectl ${args.join(' ')}: ${out}`))
    )
    child.stdin.end(input)
  })
}
