/**
 * The EKS release against a real control plane (kube-apiserver, controllers, scheduler, kwok nodes)
 * with the real helm 3 and 4: install, unchanged re-run, upgrade, and a rollout that holds on a
 * cluster where some nodes cannot run the agent.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startKubePlane } from '../../scripts/kube-plane.mjs'
import { systemClock } from '../../src/poll.js'
import { runAction, type ActionResult } from '../support/action-harness.js'
import { REAL_HELM_3, REAL_HELM_4 } from '../support/real-helm.js'
import { useMotoEnvironment } from '../support/moto.js'

const run = promisify(execFile)
const API_KEY = 'cak_rollout_7d3e9a1f5b'
const IMAGE = 'public.ecr.aws/cloudaeye/metrics-agent:1.0.0'

type Plane = Awaited<ReturnType<typeof startKubePlane>>
let plane: Plane
let runnerTemp: string
const originalPath = process.env.PATH

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run('kubectl', ['--kubeconfig', plane.adminKubeconfig, ...args])
  return stdout
}

async function kubectlJson<T>(...args: string[]): Promise<T> {
  return JSON.parse(await kubectl(...args, '-o', 'json')) as T
}

interface Pod {
  metadata: { name: string }
  spec: { nodeName?: string; containers: { image: string }[] }
  status: { conditions?: { type: string; status: string }[] }
}

async function agentPods(namespace: string): Promise<Pod[]> {
  const list = await kubectlJson<{ items: Pod[] }>('get', 'pods', '--namespace', namespace)
  return list.items
}

const isReady = (pod: Pod) =>
  pod.status.conditions?.some(
    condition => condition.type === 'Ready' && condition.status === 'True'
  )

/** Nodes kwok runs (healthy), one it does not (NotReady), and one EKS Fargate node. */
async function createNodes(): Promise<void> {
  const node = (name: string, labels: Record<string, string>, kwok: boolean) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': name, ...labels },
      annotations: kwok ? { 'kwok.x-k8s.io/node': 'fake' } : {}
    }
  })
  const nodes = [
    node('healthy-1', {}, true),
    node('healthy-2', {}, true),
    node('healthy-3', {}, true),
    node('sick-1', {}, false),
    node('fargate-1', { 'eks.amazonaws.com/compute-type': 'fargate' }, true)
  ]
  const file = path.join(plane.dir, 'nodes.json')
  const { writeFile } = await import('node:fs/promises')
  await writeFile(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: nodes }))
  await kubectl('apply', '-f', file)
  await kubectl(
    'wait',
    '--for=condition=Ready',
    '--timeout=60s',
    'node/healthy-1',
    'node/healthy-2'
  )
  await kubectl(
    'wait',
    '--for=condition=Ready',
    '--timeout=60s',
    'node/healthy-3',
    'node/fargate-1'
  )
}

beforeAll(async () => {
  plane = await startKubePlane()
  await createNodes()
}, 120_000)

afterAll(async () => {
  process.env.PATH = originalPath
  await plane?.stop()
})

beforeEach(async () => {
  useMotoEnvironment()
  runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'rollout-runner-temp-'))
})

describe.each([
  { helm: 'helm 4', binary: REAL_HELM_4 },
  { helm: 'helm 3', binary: REAL_HELM_3 }
])('$helm on a cluster with a NotReady node and a Fargate node', ({ binary }) => {
  const namespace = `agent-${path.basename(path.dirname(binary))}`
  const agentName = `agent-${path.basename(path.dirname(binary))}`
  const inputs = (overrides: Record<string, string> = {}) => ({
    platform: 'eks',
    cluster: 'rollout',
    kubeconfig: plane.adminKubeconfig,
    namespace,
    'agent-name': agentName,
    'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
    'cloudaeye-api-key': API_KEY,
    'agent-image': IMAGE,
    'wait-timeout': '30s',
    ...overrides
  })
  const deploy = async (overrides?: Record<string, string>): Promise<ActionResult> => {
    process.env.PATH = `${path.dirname(binary)}${path.delimiter}${originalPath}`
    process.env.RUNNER_TEMP = runnerTemp
    const result = await runAction(inputs(overrides), { clock: systemClock })
    expect(await readdir(runnerTemp)).toEqual([])
    await rm(runnerTemp, { recursive: true, force: true })
    return result
  }
  const errorLines = (result: ActionResult) => result.log.match(/^::error::.*$/gm) ?? []
  const revisions = async () =>
    JSON.parse(
      (
        await run(binary, [
          'history',
          agentName,
          '-n',
          namespace,
          '-o',
          'json',
          '--kubeconfig',
          plane.adminKubeconfig
        ])
      ).stdout
    ) as { revision: number; status: string }[]

  it('installs the agent on every eligible node, and names the node that cannot run it', async () => {
    const result = await deploy()

    expect(errorLines(result)).toEqual([])
    expect(result.failed).toBe(false)
    expect(result.outputs['helm-revision']).toBe('1')
    expect(result.log).toMatch(/^::warning::No agent on 1 node\(s\) .*sick-1 \(NotReady/m)
    expect(result.summary).toContain('Agent ready on 3/3 eligible nodes')
    expect(result.summary).toContain('fargate-1 (affinity eks.amazonaws.com/compute-type NotIn')
    const pods = await agentPods(namespace)
    const onNodes = pods
      .filter(isReady)
      .map(pod => pod.spec.nodeName)
      .sort()
    expect(onNodes).toEqual(['healthy-1', 'healthy-2', 'healthy-3'])
    expect(pods.some(pod => pod.spec.nodeName === 'fargate-1')).toBe(false)
  })

  it('re-runs unchanged: no new revision', async () => {
    const result = await deploy()

    expect(errorLines(result)).toEqual([])
    expect(result.outputs['changed']).toBe('false')
    expect(result.log).toContain(`Helm release ${namespace}/${agentName}: unchanged`)
    expect((await revisions()).map(revision => revision.revision)).toEqual([1])
  })

  it('upgrades the image on every eligible node', async () => {
    const image = 'public.ecr.aws/cloudaeye/metrics-agent:1.0.1'
    const result = await deploy({ 'agent-image': image })

    expect(errorLines(result)).toEqual([])
    expect(result.outputs['helm-revision']).toBe('2')
    const ready = (await agentPods(namespace)).filter(isReady)
    expect(ready.map(pod => pod.spec.containers[0].image)).toEqual([image, image, image])
    expect(ready.map(pod => pod.spec.nodeName).sort()).toEqual([
      'healthy-1',
      'healthy-2',
      'healthy-3'
    ])
  })
})
