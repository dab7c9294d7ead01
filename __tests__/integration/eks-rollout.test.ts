/**
 * The EKS path against a real control plane, reached as on EKS: DescribeCluster, an in-process
 * token checked by the authenticator, the real helm 3 and 4. The cluster has the nodes a large
 * cluster always has: healthy ones, a NotReady one, a cordoned one, a tainted one, an EKS Fargate
 * one and a hybrid one. Install, unchanged re-run and upgrade succeed on every eligible node; pods that
 * cannot start fail the step with their pod, node and reason, and the previous revision comes back.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { systemClock } from '../../src/poll.js'
import { runAction, type ActionResult } from '../support/action-harness.js'
import { startEksTestCluster, type EksTestCluster } from '../support/eks-test-cluster.js'
import { nodeSpecs } from '../support/kube-nodes.js'
import { resetMoto, useMotoEnvironment } from '../support/moto.js'
import { REAL_HELM_3, REAL_HELM_4 } from '../support/real-helm.js'
import { RecordingHelm } from '../support/recording-helm.js'

const run = promisify(execFile)
const API_KEY = 'cak_rollout_7d3e9a1f5b'
const IMAGE = 'public.ecr.aws/cloudaeye/metrics-agent:1.0.0'
/** The chart tolerates every taint, so the tainted node gets an agent too. */
const ELIGIBLE = ['healthy-000', 'healthy-001', 'healthy-002', 'tainted-1']

let cluster: EksTestCluster
let runnerTemp: string
const originalPath = process.env.PATH

beforeAll(async () => {
  useMotoEnvironment()
  cluster = await startEksTestCluster({
    name: 'rollout',
    nodes: [
      ...nodeSpecs('healthy', 'healthy', 3),
      { name: 'sick-1', kind: 'not-ready' },
      { name: 'cordoned-1', kind: 'cordoned' },
      { name: 'tainted-1', kind: 'tainted' },
      { name: 'fargate-1', kind: 'fargate' },
      { name: 'hybrid-1', kind: 'hybrid' }
    ]
  })
}, 120_000)

afterAll(async () => {
  process.env.PATH = originalPath
  await cluster?.stop()
})

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await cluster.register()
  runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'rollout-runner-temp-'))
})

async function kubectlJson<T>(...args: string[]): Promise<T> {
  const kubeconfig = ['--kubeconfig', cluster.adminKubeconfig]
  return JSON.parse((await run('kubectl', [...kubeconfig, ...args, '-o', 'json'])).stdout) as T
}

interface Pod {
  metadata: { name: string; annotations?: Record<string, string> }
  spec: { nodeName?: string; containers: { image: string }[] }
  status: { conditions?: { type: string; status: string }[] }
}

async function readyPods(namespace: string): Promise<Pod[]> {
  const list = await kubectlJson<{ items: Pod[] }>('get', 'pods', '--namespace', namespace)
  return list.items.filter(pod =>
    pod.status.conditions?.some(
      condition => condition.type === 'Ready' && condition.status === 'True'
    )
  )
}

const errorLines = (result: ActionResult) => result.log.match(/^::error::.*$/gm) ?? []

describe.each([
  { name: 'helm 4', binary: REAL_HELM_4, suffix: 'v4' },
  { name: 'helm 3', binary: REAL_HELM_3, suffix: 'v3' }
])('$name', ({ binary, suffix }) => {
  const namespace = `agents-${suffix}`
  const agentName = `agent-${suffix}`
  let helm: RecordingHelm

  beforeAll(async () => {
    helm = await RecordingHelm.create(binary)
  })
  afterAll(async () => {
    await helm?.remove()
  })

  const deploy = async (overrides: Record<string, string> = {}): Promise<ActionResult> => {
    Object.assign(process.env, cluster.environment(), {
      PATH: `${helm.directory}${path.delimiter}${originalPath}`,
      RUNNER_TEMP: runnerTemp
    })
    await helm.clearCalls()
    const result = await runAction(
      {
        platform: 'eks',
        cluster: cluster.name,
        namespace,
        'agent-name': agentName,
        'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
        'cloudaeye-api-key': API_KEY,
        'agent-image': IMAGE,
        'wait-timeout': '45s',
        ...overrides
      },
      { clock: systemClock }
    )
    // The kubeconfig and values files are gone, whatever happened.
    expect(await readdir(runnerTemp)).toEqual([])
    return result
  }
  const history = async () =>
    JSON.parse(
      (
        await run(binary, [
          'history',
          agentName,
          '--namespace',
          namespace,
          '--output',
          'json',
          '--kubeconfig',
          cluster.adminKubeconfig
        ])
      ).stdout
    ) as { revision: number; status: string; description: string }[]

  it('installs on every eligible node through EKS credentials, and names the nodes that cannot run it', async () => {
    const result = await deploy()

    expect(errorLines(result)).toEqual([])
    expect(result.outputs['helm-revision']).toBe('1')
    const warning = /^::warning::No agent on 2 node\(s\) .*$/m.exec(result.log)?.[0] ?? ''
    expect(warning).toContain('sick-1 (NotReady')
    expect(warning).toContain('cordoned-1 (cordoned (unschedulable))')
    expect(result.summary).toContain('Agent ready on 4/4 eligible nodes')
    expect(result.summary).toContain('fargate-1 (affinity eks.amazonaws.com/compute-type NotIn')
    const ready = await readyPods(namespace)
    expect(
      ready
        .map(pod => pod.spec.nodeName)
        .filter(node => ELIGIBLE.includes(node!))
        .sort()
    ).toEqual(ELIGIBLE)
    expect(result.summary).toContain('hybrid-1 (affinity eks.amazonaws.com/compute-type NotIn')
    expect(ready.some(pod => ['fargate-1', 'hybrid-1'].includes(pod.spec.nodeName!))).toBe(false)
    // The kubeconfig held no token: helm and the watch asked the action's credential plugin.
    const [call] = (await helm.calls()).filter(call => call.command === 'upgrade')
    const kubeconfig = await helm.received(call.kubeconfig!)
    expect(JSON.stringify(kubeconfig)).not.toContain('k8s-aws-v1.')
    expect(cluster.authenticator.reviews.some(review => review.authenticated)).toBe(true)
  })

  it('re-runs unchanged: no new revision, and helm only looked', async () => {
    const result = await deploy()

    expect(errorLines(result)).toEqual([])
    expect(result.outputs['changed']).toBe('false')
    expect(result.log).toContain(`Helm release ${namespace}/${agentName}: unchanged`)
    expect((await history()).map(revision => revision.revision)).toEqual([1])
    expect((await helm.calls()).map(call => call.command)).toEqual([
      'version',
      'list',
      'get values'
    ])
  })

  it('upgrades the image on every eligible node, though some nodes cannot take part', async () => {
    const image = 'public.ecr.aws/cloudaeye/metrics-agent:1.0.1'
    const result = await deploy({ 'agent-image': image })

    expect(errorLines(result)).toEqual([])
    expect(result.outputs['helm-revision']).toBe('2')
    expect(result.log).toContain('an update may replace up to 3 agents at once')
    const updated = (await readyPods(namespace)).filter(pod =>
      ELIGIBLE.includes(pod.spec.nodeName!)
    )
    expect(updated.map(pod => pod.spec.containers[0].image)).toEqual(ELIGIBLE.map(() => image))

    // The budget chosen for the sick nodes is not a change the next run upgrades for.
    const again = await deploy({ 'agent-image': image })
    expect(again.outputs['changed']).toBe('false')
  })

  it.each([
    {
      fail: 'crash-loop',
      reason: /container agent CrashLoopBackOff: .* \(\d+ restarts, last exit code 1\)/
    },
    { fail: 'image-pull', reason: /container agent (ErrImagePull|ImagePullBackOff)/ },
    { fail: 'pending', reason: /pending for \d+s, its containers have not started/ }
  ])(
    'an upgrade whose pods $fail fails naming the pod, node and reason, and rolls back',
    async ({ fail, reason }) => {
      const before = await history()
      const values = JSON.stringify({ podAnnotations: { 'kwok.x-k8s.io/fail': fail } })
      const started = Date.now()
      const result = await deploy({ values, 'wait-timeout': '30s' })

      expect(result.failed).toBe(true)
      const [line] = errorLines(result)
      expect(line).toMatch(
        /^::error::Agent pod \S+ on node (healthy-00\d|tainted-1) cannot start: /
      )
      expect(line).toMatch(reason)
      const last = before[before.length - 1].revision
      expect(line).toContain(
        `Rolled back to revision ${last}: the previous agent is ready on 4/4 nodes.`
      )
      expect(Date.now() - started).toBeLessThan(30_000)
      const after = await history()
      expect(after.slice(-2).map(revision => revision.status)).toEqual(['superseded', 'deployed'])
      expect(after[after.length - 1].description).toContain(`Rollback to ${last}`)
      const ready = (await readyPods(namespace)).filter(pod =>
        ELIGIBLE.includes(pod.spec.nodeName!)
      )
      expect(ready).toHaveLength(4)
      expect(ready.every(pod => !pod.metadata.annotations?.['kwok.x-k8s.io/fail'])).toBe(true)
    },
    60_000
  )

  it('removes while a node is NotReady: the agent pod there is left to Kubernetes, and said so', async () => {
    const podsOn = async () =>
      (await kubectlJson<{ items: Pod[] }>('get', 'pods', '--namespace', namespace)).items.map(
        pod => pod.spec.nodeName
      )
    // The sick node reports no room, so its agent pod waits unscheduled. Bound there as the
    // scheduler would bind it, it is a pod on a dead node: nothing there can confirm it stopped.
    const pods = await kubectlJson<{ items: Pod[] }>('get', 'pods', '--namespace', namespace)
    const unscheduled = pods.items.filter(pod => !pod.spec.nodeName)
    expect(unscheduled).toHaveLength(1)
    const bindingDir = await mkdtemp(path.join(os.tmpdir(), 'binding-'))
    const binding = path.join(bindingDir, 'binding.json')
    await writeFile(
      binding,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: unscheduled[0].metadata.name },
        target: { apiVersion: 'v1', kind: 'Node', name: 'sick-1' }
      })
    )
    await run('kubectl', [
      ...['--kubeconfig', cluster.adminKubeconfig, 'create', '-f', binding],
      ...['--raw', `/api/v1/namespaces/${namespace}/pods/${unscheduled[0].metadata.name}/binding`]
    ])
    await rm(bindingDir, { recursive: true, force: true })
    expect(await podsOn()).toContain('sick-1')

    const result = await deploy({ mode: 'remove' })

    expect(errorLines(result)).toEqual([])
    expect(result.log).toContain(`Helm release ${namespace}/${agentName}: deleted`)
    expect(result.log).toMatch(
      /^::warning::1 agent pod\(s\) are on NotReady nodes, .*: \S+ on sick-1\. /m
    )
    // Every other agent pod is gone; the one on the sick node waits for its node.
    expect(await podsOn()).toEqual(['sick-1'])
    expect(result.log).toContain(`Namespace ${namespace}: deleted`)
  })
})

describe('a first install whose pods cannot start', () => {
  it('fails naming the pod and reason, and removes the release', async () => {
    const helm = await RecordingHelm.create(REAL_HELM_4)
    try {
      Object.assign(process.env, cluster.environment(), {
        PATH: `${helm.directory}${path.delimiter}${originalPath}`,
        RUNNER_TEMP: runnerTemp
      })
      const result = await runAction(
        {
          platform: 'eks',
          cluster: cluster.name,
          namespace: 'first-install',
          'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
          'cloudaeye-api-key': API_KEY,
          values: JSON.stringify({ podAnnotations: { 'kwok.x-k8s.io/fail': 'crash-loop' } }),
          'wait-timeout': '30s'
        },
        { clock: systemClock }
      )
      expect(result.failed).toBe(true)
      expect(errorLines(result)[0]).toMatch(
        /^::error::Agent pod \S+ on node (healthy-00\d|tainted-1) cannot start: container agent CrashLoopBackOff.* The release was removed\.$/
      )
      const releases = await run(REAL_HELM_4, [
        'list',
        '--namespace',
        'first-install',
        '--output',
        'json',
        '--kubeconfig',
        cluster.adminKubeconfig
      ])
      expect(JSON.parse(releases.stdout)).toEqual([])
    } finally {
      await helm.remove()
      await rm(runnerTemp, { recursive: true, force: true })
    }
  })
})

describe('EKS tokens that expire while the rollout is watched', () => {
  it('are replaced by the credential plugin, and the run succeeds', async () => {
    const helm = await RecordingHelm.create(REAL_HELM_4)
    cluster.authenticator.reviews.length = 0
    let expired = false
    // The first wait of the run is the rollout watch's: from then on, every token signed so far
    // is past its 15 minutes, as on a long wait.
    const clock = {
      now: () => systemClock.now(),
      sleep: (ms: number, signal?: AbortSignal) => {
        if (!expired) cluster.authenticator.expireTokensSeenSoFar()
        expired = true
        return systemClock.sleep(ms, signal)
      }
    }
    try {
      Object.assign(process.env, cluster.environment(), {
        PATH: `${helm.directory}${path.delimiter}${originalPath}`,
        RUNNER_TEMP: runnerTemp
      })
      // Longer than kube-apiserver keeps a token's successful review (10 s), so the expired
      // token is refused while the watch still needs the cluster.
      const values = JSON.stringify({ podAnnotations: { 'kwok.x-k8s.io/start-delay': '15s' } })
      const result = await runAction(
        {
          platform: 'eks',
          cluster: cluster.name,
          namespace: 'token-expiry',
          'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
          'cloudaeye-api-key': API_KEY,
          values,
          'wait-timeout': '60s'
        },
        { clock }
      )
      expect(errorLines(result)).toEqual([])
      expect(expired).toBe(true)
      const reviews = cluster.authenticator.reviews
      const refusals = reviews.flatMap((review, index) =>
        review.reason?.startsWith('expired') ? [index] : []
      )
      const lastRefusal = refusals.length ? refusals[refusals.length - 1] : -1
      expect(lastRefusal).toBeGreaterThanOrEqual(0)
      expect(reviews.slice(lastRefusal + 1).some(review => review.authenticated)).toBe(true)
    } finally {
      await helm.remove()
      await rm(runnerTemp, { recursive: true, force: true })
    }
  }, 90_000)
})
