/**
 * An update does not go one node at a time: on 20 healthy nodes whose pods take 2 s to start, the
 * DaemonSet replaces several agents at once (the chart's 10%), seen in the pods themselves while the
 * action's upgrade runs. How long it takes is measured by `npm run bench`, not here.
 *
 * The budget is the DaemonSet controller's to keep, and it keeps it only approximately: within one
 * sync it reads its pod cache twice (to create pods, then to choose which to replace), and a node
 * whose old pod vanished between the two reads counts as neither available nor unavailable. On a
 * busy machine that lets it replace one node more than maxUnavailable for a moment (seen once in
 * CI: 3 of 20). So the test asserts what the chart sets and that the update runs several nodes at
 * once and stays far from all of them, not the controller's exact count.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { systemClock } from '../../src/poll.js'
import { runAction } from '../support/action-harness.js'
import { startEksTestCluster, type EksTestCluster } from '../support/eks-test-cluster.js'
import { kubeApi, nodeSpecs, type KubeObject } from '../support/kube-nodes.js'
import { resetMoto, useMotoEnvironment } from '../support/moto.js'
import { REAL_HELM_4 } from '../support/real-helm.js'

const NAMESPACE = 'strategy'
let cluster: EksTestCluster
let runnerTemp: string
const originalPath = process.env.PATH

beforeAll(async () => {
  useMotoEnvironment()
  cluster = await startEksTestCluster({ name: 'strategy', nodes: nodeSpecs('node', 'healthy', 20) })
  await resetMoto()
  await cluster.register()
  runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'strategy-runner-temp-'))
}, 120_000)

afterAll(async () => {
  process.env.PATH = originalPath
  await cluster?.stop()
  await rm(runnerTemp, { recursive: true, force: true })
})

const deploy = (tag: string) => {
  Object.assign(process.env, cluster.environment(), {
    PATH: `${path.dirname(REAL_HELM_4)}${path.delimiter}${originalPath}`,
    RUNNER_TEMP: runnerTemp
  })
  return runAction(
    {
      platform: 'eks',
      cluster: cluster.name,
      namespace: NAMESPACE,
      'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
      'cloudaeye-api-key': 'cak_strategy_2f81',
      'agent-image': `public.ecr.aws/cloudaeye/metrics-agent:${tag}`,
      values: JSON.stringify({ podAnnotations: { 'kwok.x-k8s.io/start-delay': '2s' } }),
      'wait-timeout': '5m'
    },
    { clock: systemClock }
  )
}

const ready = (pod: KubeObject) =>
  ((pod.status?.conditions ?? []) as { type: string; status: string }[]).some(
    condition => condition.type === 'Ready' && condition.status === 'True'
  )

it('replaces several agents at once', async () => {
  const install = await deploy('1.0.0')
  expect(install.failed).toBe(false)

  // Every pod event during the upgrade: how many nodes at once had no ready agent of any image.
  const api = await kubeApi(cluster.adminKubeconfig)
  const pods = new Map<string, KubeObject>()
  let mostNodesWithoutAgent = 0
  const count = () => {
    const nodesWithReadyAgent = new Set(
      [...pods.values()]
        .filter(pod => ready(pod) && !pod.metadata.deletionTimestamp)
        .map(pod => pod.spec?.nodeName)
    )
    mostNodesWithoutAgent = Math.max(mostNodesWithoutAgent, 20 - nodesWithReadyAgent.size)
  }
  const watch = api.watch(
    `/api/v1/namespaces/${NAMESPACE}/pods`,
    event => {
      if (event.type === 'DELETED') pods.delete(event.object.metadata.name)
      else pods.set(event.object.metadata.name, event.object)
      count()
    },
    items => {
      pods.clear()
      for (const pod of items) pods.set(pod.metadata.name, pod)
    }
  )
  try {
    const upgrade = await deploy('1.0.1')
    expect(upgrade.failed).toBe(false)
    expect(upgrade.outputs['helm-revision']).toBe('2')
    const daemonSets = await api.request<{ items: KubeObject[] }>(
      'GET',
      `/apis/apps/v1/namespaces/${NAMESPACE}/daemonsets`
    )
    expect(daemonSets.items.map(daemonSet => daemonSet.spec?.updateStrategy)).toEqual([
      { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%', maxSurge: 0 } }
    ])
  } finally {
    watch.stop()
    api.close()
  }
  // The chart's 10% of 20 nodes is two at a time, where one node at a time would show 1; the
  // controller's overshoot (above) is one node, so a quarter of the nodes is far beyond it.
  expect(mostNodesWithoutAgent).toBeGreaterThanOrEqual(2)
  expect(mostNodesWithoutAgent).toBeLessThanOrEqual(5)
}, 180_000)
