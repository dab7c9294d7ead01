/**
 * The EKS release logic, driven through run() as the runner drives it, against a real control plane
 * reached as on EKS (support/eks-test-cluster.ts: DescribeCluster, the action's credential plugin,
 * the authenticator's access entries) with the real helm 3 and 4 first on PATH behind a recorder
 * (support/recording-helm.ts). What the action asked of helm is read from the recorded argv and
 * files, and every argv is replayed against the real helm with --help; what helm did is read back
 * from the cluster as its admin (`helm list/history/get values`, the agent's Secret, DaemonSet and
 * pods). The states another run leaves behind (a release pending, failed, or of another chart
 * version) are made for real by a helm of the test's own, as admin.
 */
import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam'
import { systemClock } from '../../src/poll.js'
import { runAction, type ActionResult } from '../support/action-harness.js'
import { secretData } from '../support/agent-in-cluster.js'
import { flagValues, summaryRow } from '../support/eks-cluster.js'
import {
  startEksTestCluster,
  writePlaneKubeconfig,
  type EksTestCluster
} from '../support/eks-test-cluster.js'
import { nodeSpecs } from '../support/kube-nodes.js'
import { REGION, resetMoto, useMotoEnvironment } from '../support/moto.js'
import { REAL_HELM_3, REAL_HELM_4, realHelmParses } from '../support/real-helm.js'
import { RecordingHelm, type HelmCall } from '../support/recording-helm.js'

const execute = promisify(execFile)
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const CHART_DIR = path.join(projectRoot, 'charts/cloudaeye-metrics-agent')
const CLUSTER = 'prod-cluster'
const RELEASE = 'cloudaeye-metrics-agent'
const API_KEY = 'cak_release_test_6e0b2f9d41a7c3'
const ENDPOINT = 'https://metrics.cloudaeye.example/ingest'
const IMAGE = 'public.ecr.aws/cloudaeye/metrics-agent:1.0.0'
const NODES = ['node-000', 'node-001']
/** helm's own waits, which the action no longer asks for: it watches the rollout itself. */
const HELM_WAIT_FLAG = /^--(wait|wait-for-jobs|atomic|rollback-on-failure)(=.*)?$/

const HELMS = [
  { name: 'helm 3', real: REAL_HELM_3, suffix: 'v3' },
  { name: 'helm 4', real: REAL_HELM_4, suffix: 'v4' }
]

const originalPath = process.env.PATH
const originalRunnerTemp = process.env.RUNNER_TEMP
let cluster: EksTestCluster
let work: string
let runnerTemp: string
/** The same chart as version 0.9.0, as an earlier release of the action would have installed. */
let olderChart: string
/** The same chart and version with one more object the API server rejects: a failed upgrade. */
let brokenChart: string
/** Helm processes a test started as "another run"; killed if a test ends before they do. */
const otherRuns: OtherRun[] = []

beforeAll(async () => {
  useMotoEnvironment()
  work = await mkdtemp(path.join(os.tmpdir(), 'eks-release-'))
  olderChart = path.join(work, 'chart-0.9.0')
  await cp(CHART_DIR, olderChart, { recursive: true })
  const chartYaml = path.join(olderChart, 'Chart.yaml')
  await writeFile(
    chartYaml,
    (await readFile(chartYaml, 'utf8')).replace(/^version: .*$/m, 'version: 0.9.0')
  )
  brokenChart = path.join(work, 'chart-broken')
  await cp(CHART_DIR, brokenChart, { recursive: true })
  await writeFile(
    path.join(brokenChart, 'templates/rejected.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_A_Valid_Name\ndata: {}\n'
  )
  cluster = await startEksTestCluster({ name: CLUSTER, nodes: nodeSpecs('node', 'healthy', 2) })
}, 120_000)

afterAll(async () => {
  process.env.PATH = originalPath
  await cluster?.stop()
  await rm(work, { recursive: true, force: true })
})

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await cluster.register()
  runnerTemp = await mkdtemp(path.join(work, 'runner-temp-'))
})

afterEach(async () => {
  process.env.PATH = originalPath
  if (originalRunnerTemp === undefined) delete process.env.RUNNER_TEMP
  else process.env.RUNNER_TEMP = originalRunnerTemp
  for (const other of otherRuns.splice(0)) {
    other.kill()
    await other.exited
  }
  // Every test starts from a cluster without releases: the chart's ClusterRole is named after the
  // release, so a release left in one namespace would block the same release in another.
  const releases = JSON.parse(
    await asAdmin(REAL_HELM_4, ['list', '--all-namespaces', '--output', 'json'])
  ) as { name: string; namespace: string }[]
  for (const release of releases) {
    await asAdmin(REAL_HELM_4, ['uninstall', release.name, '--namespace', release.namespace])
  }
  // The one namespace tests share, the default, so that the next install creates it again.
  await asAdmin('kubectl', ['delete', 'namespace', 'cloudaeye', '--ignore-not-found', '--wait'])
}, 60_000)

/** Runs a tool with the plane's admin kubeconfig; returns its stdout. */
async function asAdmin(binary: string, args: string[]): Promise<string> {
  const { stdout } = await execute(binary, [...args, '--kubeconfig', cluster.adminKubeconfig], {
    maxBuffer: 16 << 20
  })
  return stdout
}

async function kubectlJson<T>(...args: string[]): Promise<T> {
  return JSON.parse(await asAdmin('kubectl', [...args, '--output', 'json'])) as T
}

interface Revision {
  revision: number
  status: string
  chart: string
  description: string
}

async function history(binary: string, namespace: string, name = RELEASE): Promise<Revision[]> {
  return JSON.parse(
    await asAdmin(binary, ['history', name, '--namespace', namespace, '--output', 'json'])
  ) as Revision[]
}

async function listed(binary: string, namespace: string) {
  // helm 3 lists pending releases only with --all; helm 4 always, and has no such flag.
  const all = binary === REAL_HELM_3 ? ['--all'] : []
  return JSON.parse(
    await asAdmin(binary, ['list', '--namespace', namespace, ...all, '--output', 'json'])
  ) as { name: string; revision: string; status: string; chart: string }[]
}

/** The release's user-supplied values as helm keeps them (the merge of every --values file). */
async function storedValues(binary: string, namespace: string, name = RELEASE) {
  return JSON.parse(
    await asAdmin(binary, ['get', 'values', name, '--namespace', namespace, '--output', 'json'])
  ) as Record<string, unknown>
}

async function releaseStatus(binary: string, namespace: string): Promise<string | undefined> {
  try {
    const status = JSON.parse(
      await asAdmin(binary, ['status', RELEASE, '--namespace', namespace, '--output', 'json'])
    ) as { info: { status: string } }
    return status.info.status
  } catch {
    return undefined
  }
}

interface Container {
  image: string
  resources?: { limits?: Record<string, string> }
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string } } }[]
}

async function agentContainer(namespace: string, name = RELEASE): Promise<Container> {
  const daemonSet = await kubectlJson<{
    spec: { template: { spec: { containers: Container[] } } }
  }>('get', 'daemonset', name, '--namespace', namespace)
  return daemonSet.spec.template.spec.containers[0]
}

interface Pod {
  spec: { nodeName?: string; containers: { image: string }[] }
  status: { conditions?: { type: string; status: string }[] }
}

/** The nodes on which an agent pod is Ready. */
async function nodesWithReadyAgent(namespace: string): Promise<string[]> {
  const pods = await kubectlJson<{ items: Pod[] }>('get', 'pods', '--namespace', namespace)
  return pods.items
    .filter(pod =>
      pod.status.conditions?.some(
        condition => condition.type === 'Ready' && condition.status === 'True'
      )
    )
    .map(pod => pod.spec.nodeName ?? '')
    .sort()
}

/** A values file an admin helm can install the chart with: what the action would give it. */
async function adminValuesFile(name: string, values: Record<string, unknown> = {}) {
  const file = path.join(work, `${name}-${Date.now()}.json`)
  await writeFile(
    file,
    JSON.stringify({
      image: IMAGE,
      cloudaeye: {
        endpoint: ENDPOINT,
        cluster: CLUSTER,
        platform: 'eks',
        region: REGION,
        services: ['orders', 'payments']
      },
      apiKey: API_KEY,
      ...values
    }),
    { mode: 0o600 }
  )
  return file
}

/** A values file that holds each agent pod in ContainerCreating for `delay` (kwok-stages.yaml). */
async function slowStartFile(startDelay: string): Promise<string> {
  const file = path.join(work, `slow-${startDelay}.json`)
  await writeFile(
    file,
    JSON.stringify({ podAnnotations: { 'kwok.x-k8s.io/start-delay': startDelay } })
  )
  return file
}

/** The release's current user-supplied values, in a file an admin helm can be given again. */
async function currentValuesFile(binary: string, namespace: string): Promise<string> {
  const file = path.join(work, `current-${namespace}-${Date.now()}.json`)
  await writeFile(file, JSON.stringify(await storedValues(binary, namespace)), { mode: 0o600 })
  return file
}

interface OtherRun {
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>
  /** Whether it has exited yet. */
  done(): boolean
  kill(): void
}

/** Another run's helm, as admin, in the background, holding the release while it waits. */
function startOtherRun(binary: string, args: string[]): OtherRun {
  const child = spawn(binary, [...args, '--kubeconfig', cluster.adminKubeconfig], {
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let stderr = ''
  let finished = false
  child.stderr.setEncoding('utf8').on('data', chunk => (stderr += chunk))
  const exited = new Promise<{
    code: number | null
    signal: NodeJS.Signals | null
    stderr: string
  }>(resolve =>
    child.once('close', (code, signal) => {
      finished = true
      resolve({ code, signal, stderr })
    })
  )
  const run = {
    exited,
    done: () => finished,
    kill: () => {
      if (!finished) child.kill('SIGKILL')
    }
  }
  otherRuns.push(run)
  return run
}

/** Waits until the other run's operation has put the release in `status`. */
async function untilStatus(binary: string, namespace: string, status: string, other: OtherRun) {
  const deadline = Date.now() + 30_000
  for (;;) {
    const now = await releaseStatus(binary, namespace)
    if (now === status) return
    if (other.done()) {
      const { code, stderr } = await other.exited
      throw new Error(`the other run ended (${code}) before the release was ${status}: ${stderr}`)
    }
    if (Date.now() > deadline) throw new Error(`release still ${now}, not ${status}, after 30 s`)
    await delay(200)
  }
}

const commands = (calls: HelmCall[]) => calls.map(call => call.command)
const upgrades = (calls: HelmCall[]) => calls.filter(call => call.command === 'upgrade')

/**
 * Everything the step printed (but the commands that register masks), output or summarised, and
 * every argv helm got.
 */
function exposed(result: ActionResult & { helmCalls: HelmCall[] }): string {
  const log = result.log.replace(/^::add-mask::.*$/gm, '')
  const argv = result.helmCalls.map(call => call.argv.join(' '))
  return [log, JSON.stringify(result.outputs), result.summary, ...argv].join('\n')
}

/** The one line the step failed with. */
function errorLine(result: ActionResult): string {
  return /^::error::(.*)$/m.exec(result.log)?.[1] ?? '(no ::error:: line)'
}

/** The real helm parses the argv the action built: unknown, malformed or deprecated flags fail. */
async function expectRealHelmAccepts(real: string, argv: string[]): Promise<void> {
  expect({ argv, ...(await realHelmParses(real, argv, work)) }).toEqual({
    argv,
    code: 0,
    stderr: ''
  })
}

describe.each(HELMS)('$name', ({ real, suffix }) => {
  let helm: RecordingHelm

  beforeAll(async () => {
    helm = await RecordingHelm.create(real)
  })
  afterAll(async () => {
    await helm?.remove()
  })

  /** A namespace of this test's own (the release's ClusterRole is removed after each test). */
  const own = (name: string) => `${suffix}-${name}`

  function inputs(overrides: Record<string, string>): Record<string, string> {
    return {
      platform: 'eks',
      cluster: CLUSTER,
      'aws-region': REGION,
      'cloudaeye-endpoint': ENDPOINT,
      'cloudaeye-api-key': API_KEY,
      services: 'orders, payments',
      'wait-timeout': '45s',
      ...overrides
    }
  }

  /** Runs the action as the deployer, and returns its result with the helm calls of that run. */
  async function runWithHelm(
    overrides: Record<string, string> = {},
    environment: Record<string, string> = {}
  ): Promise<ActionResult & { helmCalls: HelmCall[] }> {
    Object.assign(process.env, cluster.environment(), environment, {
      PATH: `${helm.directory}${path.delimiter}${originalPath}`,
      RUNNER_TEMP: runnerTemp
    })
    await helm.clearCalls()
    const result = await runAction(inputs(overrides), { clock: systemClock })
    return { ...result, helmCalls: await helm.calls() }
  }

  it('installs a fresh release through a private values file and a kubeconfig without a token', async () => {
    const result = await runWithHelm()

    expect(errorLine(result)).toBe('(no ::error:: line)')
    expect(result.failed).toBe(false)
    expect(result.calls).toEqual(['eks:DescribeCluster'])
    // The probe finds helm; list finds no release, so there are no values to read.
    expect(commands(result.helmCalls)).toEqual(['version', 'list', 'upgrade', 'list'])
    for (const call of result.helmCalls) expect(call.argv.join(' ')).not.toContain(API_KEY)

    // One kubeconfig for every call: private, the plane's endpoint, and no token in it but the
    // action's own credential plugin, which signs one whenever helm needs it. Gone afterwards.
    const kubeconfigs = result.helmCalls.slice(1).map(call => call.kubeconfig!)
    expect(new Set(kubeconfigs.map(file => file.path)).size).toBe(1)
    const [kubeconfig] = kubeconfigs
    for (const call of result.helmCalls.slice(1)) {
      expect(flagValues(call.argv, '--kubeconfig')).toEqual([kubeconfig.path])
    }
    expect(kubeconfig.mode).toBe(0o600)
    expect(kubeconfig.path.startsWith(runnerTemp + path.sep)).toBe(true)
    const config = await helm.received(kubeconfig)
    expect(JSON.stringify(config)).not.toContain('k8s-aws-v1.')
    expect(config).toMatchObject({
      clusters: [{ cluster: { server: cluster.plane.server } }],
      users: [
        {
          user: {
            exec: {
              command: process.execPath,
              args: [path.join(projectRoot, 'dist/index.js'), 'eks-token', CLUSTER, REGION]
            }
          }
        }
      ]
    })
    expect(existsSync(kubeconfig.path)).toBe(false)
    // The cluster took the tokens the plugin signed for the deployer.
    expect(cluster.authenticator.reviews.some(review => review.authenticated)).toBe(true)

    const [upgrade] = upgrades(result.helmCalls)
    expect(upgrade.argv.slice(0, 4)).toEqual(['upgrade', '--install', RELEASE, CHART_DIR])
    expect(flagValues(upgrade.argv, '--namespace')).toEqual(['cloudaeye'])
    expect(upgrade.argv).toContain('--create-namespace')
    // No helm wait: the action watched the rollout itself (the pods below are Ready).
    expect(upgrade.argv.filter(arg => HELM_WAIT_FLAG.test(arg))).toEqual([])
    expect(flagValues(upgrade.argv, '--timeout')).toEqual(['45s'])

    // One values file, private while helm read it, carrying what the chart needs, gone afterwards.
    expect(upgrade.valuesFiles).toHaveLength(1)
    const [valuesFile] = upgrade.valuesFiles
    expect(flagValues(upgrade.argv, '--values')).toEqual([valuesFile.path])
    expect(valuesFile.mode).toBe(0o600)
    expect(valuesFile.path.startsWith(runnerTemp + path.sep)).toBe(true)
    expect(await helm.received(valuesFile)).toMatchObject({
      image: IMAGE,
      apiKey: API_KEY,
      cloudaeye: {
        endpoint: ENDPOINT,
        cluster: CLUSTER,
        platform: 'eks',
        region: REGION,
        services: ['orders', 'payments']
      }
    })
    expect(existsSync(valuesFile.path)).toBe(false)
    expect(await readdir(runnerTemp)).toEqual([])

    expect(result.outputs).toEqual({
      'helm-release': RELEASE,
      namespace: 'cloudaeye',
      'helm-revision': '1',
      'chart-version': '1.0.0',
      changed: 'true',
      plan: expect.stringContaining('"action":"create"')
    })
    expect(summaryRow(result.summary, 'Helm release')).toEqual({
      id: `cloudaeye/${RELEASE}`,
      status: `created (revision 1, chart ${RELEASE}-1.0.0)`
    })
    expect(exposed(result)).not.toContain(API_KEY)

    // What the cluster has now: the release, the key in the agent's Secret, an agent per node.
    expect(await listed(real, 'cloudaeye')).toEqual([
      expect.objectContaining({
        name: RELEASE,
        revision: '1',
        status: 'deployed',
        chart: `${RELEASE}-1.0.0`
      })
    ])
    expect((await secretData(cluster.adminKubeconfig, 'cloudaeye', RELEASE))['api-key']).toBe(
      API_KEY
    )
    expect(await nodesWithReadyAgent('cloudaeye')).toEqual(NODES)
  })

  it('builds only flags that this helm accepts', async () => {
    const namespace = own('flags')
    const earlier = await adminValuesFile('earlier', {
      image: 'public.ecr.aws/cloudaeye/metrics-agent:0.9.0'
    })
    await asAdmin(real, [
      'upgrade',
      '--install',
      RELEASE,
      olderChart,
      '--namespace',
      namespace,
      '--create-namespace',
      '--values',
      earlier
    ])

    const result = await runWithHelm({ namespace })

    expect(errorLine(result)).toBe('(no ::error:: line)')
    expect(commands(result.helmCalls)).toEqual(['version', 'list', 'get values', 'upgrade', 'list'])
    for (const call of result.helmCalls) await expectRealHelmAccepts(real, call.argv)
    // The namespace was there: the action did not ask to create it.
    expect(upgrades(result.helmCalls)[0].argv).not.toContain('--create-namespace')
  })

  it('leaves an up-to-date release alone and reports it unchanged', async () => {
    const namespace = own('unchanged')
    await runWithHelm({ namespace })
    expect(await history(real, namespace)).toEqual([
      expect.objectContaining({ revision: 1, status: 'deployed', chart: `${RELEASE}-1.0.0` })
    ])

    const result = await runWithHelm({ namespace })

    expect(result.failed).toBe(false)
    expect(commands(result.helmCalls)).toEqual(['version', 'list', 'get values'])
    expect(result.outputs).toEqual({
      'helm-release': RELEASE,
      namespace,
      'helm-revision': '1',
      'chart-version': '1.0.0',
      changed: 'false',
      plan: expect.not.stringMatching(/"action":"(create|update|delete|replace)"/)
    })
    expect(summaryRow(result.summary, 'Helm release')?.status).toMatch(/^unchanged /)
    expect(result.log).toContain(`Helm release ${namespace}/${RELEASE}: unchanged`)
    expect(await readdir(runnerTemp)).toEqual([])
    expect(exposed(result)).not.toContain(API_KEY)
    expect((await history(real, namespace)).map(revision => revision.revision)).toEqual([1])
  })

  it('upgrades when a value changed, and reports it updated', async () => {
    const namespace = own('changed')
    await runWithHelm({ namespace })
    const image = 'public.ecr.aws/cloudaeye/metrics-agent:1.1.0'

    const result = await runWithHelm({ namespace, 'agent-image': image })

    expect(errorLine(result)).toBe('(no ::error:: line)')
    expect(commands(result.helmCalls)).toEqual(['version', 'list', 'get values', 'upgrade', 'list'])
    const [upgrade] = upgrades(result.helmCalls)
    expect(await helm.received(upgrade.valuesFiles[0])).toMatchObject({ image, apiKey: API_KEY })
    expect(result.outputs).toMatchObject({ 'helm-revision': '2', changed: 'true' })
    expect(summaryRow(result.summary, 'Helm release')?.status).toBe(
      `updated (revision 2, chart ${RELEASE}-1.0.0)`
    )
    expect((await history(real, namespace)).map(revision => revision.status)).toEqual([
      'superseded',
      'deployed'
    ])
    expect((await agentContainer(namespace)).image).toBe(image)
    expect(await nodesWithReadyAgent(namespace)).toEqual(NODES)
  })

  it('upgrades a release in the same state whose last upgrade failed', async () => {
    const namespace = own('failed')
    await runWithHelm({ namespace })
    // An upgrade with the same chart version and values that the API server refused part-way.
    await expect(
      asAdmin(real, [
        'upgrade',
        RELEASE,
        brokenChart,
        '--namespace',
        namespace,
        '--values',
        await currentValuesFile(real, namespace)
      ])
    ).rejects.toThrow(/Not_A_Valid_Name/)
    expect(await listed(real, namespace)).toEqual([
      expect.objectContaining({ revision: '2', status: 'failed', chart: `${RELEASE}-1.0.0` })
    ])

    const result = await runWithHelm({ namespace })

    expect(errorLine(result)).toBe('(no ::error:: line)')
    expect(upgrades(result.helmCalls)).toHaveLength(1)
    expect(result.outputs['changed']).toBe('true')
    expect(result.outputs['helm-revision']).toBe('3')
    expect((await history(real, namespace)).map(revision => revision.status)).toEqual([
      'superseded',
      'failed',
      'deployed'
    ])
  })

  it('upgrades a release of another chart version with the same values', async () => {
    const namespace = own('chart-version')
    await runWithHelm({ namespace })
    await asAdmin(real, [
      'upgrade',
      RELEASE,
      olderChart,
      '--namespace',
      namespace,
      '--values',
      await currentValuesFile(real, namespace)
    ])
    expect((await listed(real, namespace))[0].chart).toBe(`${RELEASE}-0.9.0`)

    const result = await runWithHelm({ namespace })

    expect(errorLine(result)).toBe('(no ::error:: line)')
    expect(upgrades(result.helmCalls)).toHaveLength(1)
    expect(summaryRow(result.summary, 'Helm release')?.status).toBe(
      `updated (revision 3, chart ${RELEASE}-1.0.0)`
    )
    expect((await history(real, namespace)).map(revision => revision.chart)).toEqual([
      `${RELEASE}-1.0.0`,
      `${RELEASE}-0.9.0`,
      `${RELEASE}-1.0.0`
    ])
  })

  it("gives the user's values as a second file and counts them in the up-to-date check", async () => {
    const namespace = own('user-values')
    const values = 'resources:\n  limits:\n    memory: 512Mi\ncloudaeye:\n  services: [billing]\n'

    const first = await runWithHelm({ namespace, values })

    expect(errorLine(first)).toBe('(no ::error:: line)')
    const [upgrade] = upgrades(first.helmCalls)
    const files = flagValues(upgrade.argv, '--values')
    expect(files).toEqual(upgrade.valuesFiles.map(file => file.path))
    expect(files).toHaveLength(2)
    for (const file of upgrade.valuesFiles) expect(file.mode).toBe(0o600)
    // The action's own values first, so the user's win where both set a key.
    expect(await helm.received(upgrade.valuesFiles[0])).toMatchObject({ apiKey: API_KEY })
    expect(await helm.received(upgrade.valuesFiles[1])).toEqual({
      resources: { limits: { memory: '512Mi' } },
      cloudaeye: { services: ['billing'] }
    })
    // What helm keeps is the merge: the user's services, the action's endpoint.
    expect(await storedValues(real, namespace)).toMatchObject({
      cloudaeye: { endpoint: ENDPOINT, services: ['billing'] },
      resources: { limits: { memory: '512Mi' } }
    })
    const container = await agentContainer(namespace)
    expect(container.resources?.limits?.memory).toBe('512Mi')
    expect(container.env).toContainEqual({ name: 'CLOUDAEYE_SERVICES', value: 'billing' })

    const again = await runWithHelm({ namespace, values })
    expect(upgrades(again.helmCalls)).toEqual([])
    expect(again.outputs['changed']).toBe('false')

    const changed = await runWithHelm({ namespace, values: values.replace('512Mi', '1Gi') })
    expect(upgrades(changed.helmCalls)).toHaveLength(1)
    expect(changed.outputs['changed']).toBe('true')
    expect((await agentContainer(namespace)).resources?.limits?.memory).toBe('1Gi')
    expect((await history(real, namespace)).map(revision => revision.revision)).toEqual([1, 2])
  })

  /**
   * Leaves the release in `status` for good, as a run killed in the middle of its operation does:
   * an admin helm starts the operation with --wait on pods that take a minute to start, and is
   * killed (SIGKILL, no clean-up) once the release is pending.
   */
  async function leavePending(namespace: string, status: string): Promise<void> {
    const base = await adminValuesFile('base')
    const slow = await slowStartFile('60s')
    const install = ['upgrade', '--install', RELEASE, CHART_DIR, '--namespace', namespace]
    const waiting = ['--wait', '--timeout', '60s']
    let operation: string[]
    if (status === 'pending-install') {
      operation = [...install, '--create-namespace', '--values', base, '--values', slow, ...waiting]
    } else if (status === 'pending-upgrade') {
      await asAdmin(real, [...install, '--create-namespace', '--values', base])
      operation = [...install, '--values', base, '--values', slow, ...waiting]
    } else {
      // Back to a revision whose pods start slowly.
      await asAdmin(real, [...install, '--create-namespace', '--values', base, '--values', slow])
      await asAdmin(real, [...install, '--values', base])
      operation = ['rollback', RELEASE, '1', '--namespace', namespace, ...waiting]
    }
    const other = startOtherRun(real, operation)
    await untilStatus(real, namespace, status, other)
    other.kill()
    expect((await other.exited).signal).toBe('SIGKILL')
  }

  it.each(['pending-upgrade', 'pending-install', 'pending-rollback'])(
    'waits out wait-timeout for a release that stays %s, then fails and changes nothing',
    async status => {
      const namespace = own(status)
      await leavePending(namespace, status)
      const before = await history(real, namespace)
      expect(before[before.length - 1].status).toBe(status)

      const started = Date.now()
      const result = await runWithHelm({ namespace, 'wait-timeout': '30s' })
      const elapsedMs = Date.now() - started

      expect(result.failed).toBe(true)
      const line = errorLine(result)
      expect(line).toContain(
        `Release ${RELEASE} in namespace ${namespace} is still ${status} after`
      )
      const waited = Number(/after (\d+)s elapsed/.exec(line)?.[1])
      expect(waited).toBeGreaterThanOrEqual(30)
      expect(waited).toBeLessThan(40)
      expect(elapsedMs).toBeGreaterThanOrEqual(30_000)
      expect(line).toContain(`helm rollback ${RELEASE}`)
      const [version, ...lists] = commands(result.helmCalls)
      expect(version).toBe('version')
      expect(lists.length).toBeGreaterThan(2)
      expect(new Set(lists)).toEqual(new Set(['list']))
      expect(await readdir(runnerTemp)).toEqual([])
      expect(await history(real, namespace)).toEqual(before)
    },
    90_000
  )

  it("goes on from another run's release once that run's upgrade is done", async () => {
    const namespace = own('other-run')
    await runWithHelm({ namespace })
    // Another run upgrades the release and waits for pods that take a while to start.
    const other = startOtherRun(real, [
      'upgrade',
      RELEASE,
      CHART_DIR,
      '--namespace',
      namespace,
      '--values',
      await currentValuesFile(real, namespace),
      '--values',
      await slowStartFile('8s'),
      '--wait',
      '--timeout',
      '60s'
    ])
    await untilStatus(real, namespace, 'pending-upgrade', other)

    const result = await runWithHelm({ namespace, 'wait-timeout': '60s' })

    expect(errorLine(result)).toBe('(no ::error:: line)')
    expect(result.failed).toBe(false)
    expect((await other.exited).code).toBe(0)
    expect(result.log).toContain(`Release ${RELEASE} is pending-upgrade: waiting for the run`)
    // It waited rather than colliding with the other run's upgrade.
    expect(result.log).not.toContain('Another run is changing release')
    expect(upgrades(result.helmCalls)).toHaveLength(1)
    expect(result.outputs['helm-revision']).toBe('3')
    const revisions = await history(real, namespace)
    expect(revisions.map(revision => [revision.revision, revision.status])).toEqual([
      [1, 'superseded'],
      [2, 'superseded'],
      [3, 'deployed']
    ])
    expect(revisions[1].description).toBe('Upgrade complete')
    // The action's values replaced the other run's: its pods start at once again.
    expect(await storedValues(real, namespace)).not.toHaveProperty('podAnnotations')
    expect(await nodesWithReadyAgent(namespace)).toEqual(NODES)
  }, 90_000)

  it('fails on values helm rejects with its one line, the key redacted wherever helm quoted it', async () => {
    const namespace = own('rejected')
    // A user who pasted the API key where a Secret name goes: the chart's schema refuses it, and
    // helm 4 quotes the value it refused.
    const result = await runWithHelm({
      namespace,
      values: JSON.stringify({ existingSecret: API_KEY })
    })

    expect(result.failed).toBe(true)
    expect(errorLine(result)).toMatch(
      new RegExp(
        `^helm could not install release ${RELEASE} in namespace ${namespace}: values don't meet ` +
          'the specifications of the schema'
      )
    )
    // The schema's particulars, from the lines below helm's error, are in the one line.
    expect(errorLine(result)).toContain('existingSecret')
    expect(result.log).toMatch(
      real === REAL_HELM_4
        ? /at '\/existingSecret': '\*\*\*' does not match pattern/
        : /existingSecret: Does not match pattern/
    )
    expect(result.summary).toContain('<strong>Failed:</strong> helm could not install release')
    expect(result.outputs['changed']).toBe('false')
    const [upgrade] = upgrades(result.helmCalls)
    expect(existsSync(upgrade.valuesFiles[0].path)).toBe(false)
    expect(await readdir(runnerTemp)).toEqual([])
    expect(exposed(result)).not.toContain(API_KEY)
    expect(await listed(real, namespace)).toEqual([])
  })

  it('passes no helm wait flags, and does not watch the rollout when wait is false', async () => {
    const namespace = own('no-wait')
    const values = JSON.stringify({ podAnnotations: { 'kwok.x-k8s.io/start-delay': '20s' } })

    const result = await runWithHelm({ namespace, wait: 'false', values })

    expect(errorLine(result)).toBe('(no ::error:: line)')
    const [upgrade] = upgrades(result.helmCalls)
    expect(upgrade.argv.filter(arg => HELM_WAIT_FLAG.test(arg))).toEqual([])
    expect(result.outputs['changed']).toBe('true')
    // Done before any agent could start, and without a word on the rollout.
    expect(await nodesWithReadyAgent(namespace)).toEqual([])
    expect(result.summary).not.toContain('Agent ready on')
  })

  it('bounds the Kubernetes operations by wait-timeout', async () => {
    const result = await runWithHelm({ namespace: own('timeout'), 'wait-timeout': '1m' })
    expect(errorLine(result)).toBe('(no ::error:: line)')
    const [upgrade] = upgrades(result.helmCalls)
    expect(upgrade.argv.filter(arg => HELM_WAIT_FLAG.test(arg))).toEqual([])
    expect(flagValues(upgrade.argv, '--timeout')).toEqual(['60s'])
  })

  it('names the release and namespace after the inputs, and can use an existing Secret', async () => {
    const namespace = own('observability')
    // The Secret is the user's, made beforehand in its namespace.
    await asAdmin('kubectl', ['create', 'namespace', namespace])
    await asAdmin('kubectl', [
      'create',
      'secret',
      'generic',
      'agent-keys',
      '--namespace',
      namespace,
      `--from-literal=api-key=${API_KEY}`
    ])

    const result = await runWithHelm({
      'agent-name': 'metrics-b',
      namespace,
      'cloudaeye-api-key': '',
      'existing-secret': 'agent-keys'
    })

    expect(errorLine(result)).toBe('(no ::error:: line)')
    const [upgrade] = upgrades(result.helmCalls)
    expect(upgrade.argv.slice(0, 3)).toEqual(['upgrade', '--install', 'metrics-b'])
    expect(flagValues(upgrade.argv, '--namespace')).toEqual([namespace])
    expect(upgrade.argv).not.toContain('--create-namespace')
    const values = await helm.received(upgrade.valuesFiles[0])
    expect(values).toMatchObject({ existingSecret: 'agent-keys' })
    expect(values).not.toHaveProperty('apiKey')
    expect(result.outputs).toMatchObject({ 'helm-release': 'metrics-b', namespace })
    expect(summaryRow(result.summary, 'Helm release')?.id).toBe(`${namespace}/metrics-b`)

    expect((await listed(real, namespace)).map(release => release.name)).toEqual(['metrics-b'])
    // The chart made no Secret of its own (helm keeps its release records in Secrets too).
    const secrets = await kubectlJson<{ items: { metadata: { name: string }; type: string }[] }>(
      'get',
      'secrets',
      '--namespace',
      namespace
    )
    expect(
      secrets.items
        .filter(secret => secret.type !== 'helm.sh/release.v1')
        .map(secret => secret.metadata.name)
    ).toEqual(['agent-keys'])
    const apiKey = (await agentContainer(namespace, 'metrics-b')).env?.find(
      variable => variable.valueFrom?.secretKeyRef
    )
    expect(apiKey?.valueFrom?.secretKeyRef?.name).toBe('agent-keys')
    expect(await nodesWithReadyAgent(namespace)).toEqual(NODES)
  })

  describe('with a given kubeconfig', () => {
    it('uses it for every call, asks nothing of AWS, and leaves the file alone', async () => {
      const given = await writePlaneKubeconfig(work, cluster.plane, `given-${suffix}`, {
        token: cluster.plane.adminToken
      })
      const namespace = own('given')

      const result = await runWithHelm({ namespace, kubeconfig: given })

      expect(errorLine(result)).toBe('(no ::error:: line)')
      expect(result.calls).toEqual([])
      expect(commands(result.helmCalls)).toEqual(['version', 'list', 'upgrade', 'list'])
      for (const call of result.helmCalls.slice(1)) {
        expect(flagValues(call.argv, '--kubeconfig')).toEqual([given])
      }
      expect(existsSync(given)).toBe(true)
      expect(await readdir(runnerTemp)).toEqual([])
      expect((await listed(real, namespace))[0]).toMatchObject({ name: RELEASE, revision: '1' })
    })

    it('fails with one line and kubeconfig advice when the cluster refuses its user', async () => {
      const given = await writePlaneKubeconfig(work, cluster.plane, `refused-${suffix}`, {
        token: 'a-token-this-cluster-never-issued'
      })

      const result = await runWithHelm({ kubeconfig: given })

      expect(result.failed).toBe(true)
      expect(errorLine(result)).toBe(
        "The cluster did not accept the action's credentials (401 Unauthorized) when trying to " +
          "list releases in namespace cloudaeye. Check that the user in 'kubeconfig' may install " +
          "the chart's resources."
      )
      // The kubeconfig was the user's: advice about EKS access entries would point the wrong way.
      expect(result.log).not.toMatch(/access.entr/i)
      expect(result.summary).toContain('<strong>Failed:</strong> The cluster did not accept')
      expect(result.outputs['changed']).toBe('false')
      expect(await readdir(runnerTemp)).toEqual([])
      expect(exposed(result)).not.toContain(API_KEY)
    })
  })

  it("explains EKS access entries when the cluster does not know the workflow's identity", async () => {
    // An IAM user STS knows, with no access entry into the cluster.
    const iam = new IAMClient({ region: REGION })
    const outsider = 'ci-outsider'
    await iam.send(new CreateUserCommand({ UserName: outsider }))
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: outsider }))
    iam.destroy()
    cluster.authenticator.trust({
      accessKeyId: AccessKey!.AccessKeyId!,
      secretAccessKey: AccessKey!.SecretAccessKey!
    })
    cluster.authenticator.reviews.length = 0

    const result = await runWithHelm(
      {},
      {
        AWS_ACCESS_KEY_ID: AccessKey!.AccessKeyId!,
        AWS_SECRET_ACCESS_KEY: AccessKey!.SecretAccessKey!
      }
    )

    expect(result.failed).toBe(true)
    const line = errorLine(result)
    expect(line).toMatch(
      /^The cluster did not accept the action's credentials \(401 Unauthorized\) when trying to list releases in namespace cloudaeye\. /
    )
    expect(line).toContain('EKS access entry')
    expect(line).toContain('aws eks create-access-entry')
    expect(line).not.toContain("user in 'kubeconfig'")
    expect(cluster.authenticator.reviews.map(review => review.reason)).toContain(
      `no access entry for arn:aws:iam::123456789012:user/${outsider}`
    )
    expect(cluster.authenticator.reviews.some(review => review.authenticated)).toBe(false)
    expect(await readdir(runnerTemp)).toEqual([])
    expect(exposed(result)).not.toContain(API_KEY)
  })
})
