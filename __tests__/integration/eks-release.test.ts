/**
 * The EKS release logic, driven through run() as the runner drives it, against a fake helm first on
 * PATH (support/fake-helm.ts). The fake stands in for a cluster, which no emulator here provides: it
 * keeps helm's release store in a file and records every call, with the mode and content of each
 * values file while "helm" ran. What the action asked of helm is then replayed against the real
 * helm 3 and 4 binaries with --help, which parses every flag and stops before any cluster is needed.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { fastClock, runAction, type ActionResult } from '../support/action-harness.js'
import { REAL_HELM_3, REAL_HELM_4, realHelmParses } from '../support/real-helm.js'
import { createEksCluster, flagValues, summaryRow } from '../support/eks-cluster.js'
import { FakeHelm, type HelmCall } from '../support/fake-helm.js'
import { resetMoto, useMotoEnvironment } from '../support/moto.js'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const CHART_DIR = path.join(projectRoot, 'charts/cloudaeye-metrics-agent')
const RELEASE = 'cloudaeye-metrics-agent'
const API_KEY = 'cak_release_test_6e0b2f9d41a7c3'
const ENDPOINT = 'https://metrics.cloudaeye.example/ingest'
const IMAGE = 'public.ecr.aws/cloudaeye/metrics-agent:1.0.0'
const CREDENTIALS_REFUSED =
  'Kubernetes cluster unreachable: the server has asked for the client to provide credentials'

const HELMS = [
  {
    name: 'helm 3',
    version: 'v3.17.2',
    real: REAL_HELM_3,
    waitFlags: ['--wait', '--atomic'],
    otherMajorWaitFlags: ['--wait=watcher', '--rollback-on-failure']
  },
  {
    name: 'helm 4',
    version: 'v4.1.4',
    real: REAL_HELM_4,
    waitFlags: ['--wait=watcher', '--rollback-on-failure'],
    otherMajorWaitFlags: ['--wait', '--atomic']
  }
]

const originalPath = process.env.PATH
const originalRunnerTemp = process.env.RUNNER_TEMP
let work: string
let kubeconfig: string
let runnerTemp: string
let helm: FakeHelm

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'eks-release-'))
  kubeconfig = path.join(work, 'kubeconfig.json')
  // The fake never connects; the file only has to exist and be readable, as the action checks.
  await writeFile(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'given', cluster: { server: 'https://127.0.0.1:6443' } }],
      users: [{ name: 'given', user: { token: 'given-token' } }],
      contexts: [{ name: 'given', context: { cluster: 'given', user: 'given' } }],
      'current-context': 'given'
    }),
    { mode: 0o600 }
  )
})

afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

/** A fake helm of this version first on PATH, and a fresh RUNNER_TEMP to find leftovers in. */
async function useFakeHelm(version: string): Promise<void> {
  helm = await FakeHelm.create({ version })
  process.env.PATH = `${helm.directory}${path.delimiter}${originalPath}`
  runnerTemp = await mkdtemp(path.join(work, 'runner-temp-'))
  process.env.RUNNER_TEMP = runnerTemp
}

async function dropFakeHelm(): Promise<void> {
  process.env.PATH = originalPath
  if (originalRunnerTemp === undefined) delete process.env.RUNNER_TEMP
  else process.env.RUNNER_TEMP = originalRunnerTemp
  await helm.remove()
}

function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    platform: 'eks',
    cluster: 'prod-cluster',
    'aws-region': 'us-east-1',
    'cloudaeye-endpoint': ENDPOINT,
    'cloudaeye-api-key': API_KEY,
    kubeconfig,
    services: 'orders, payments',
    ...overrides
  }
}

/** Runs the action and returns its result with the helm calls of that run only. */
async function runWithHelm(
  overrides: Record<string, string> = {}
): Promise<ActionResult & { helmCalls: HelmCall[] }> {
  await helm.clearCalls()
  const result = await runAction(inputs(overrides))
  return { ...result, helmCalls: helm.calls() }
}

const commands = (calls: HelmCall[]) => calls.map(call => call.command)
const upgrades = (calls: HelmCall[]) => calls.filter(call => call.command === 'upgrade')

/** Everything the step printed or wrote, except the command that registers the mask. */
function exposed(result: ActionResult): string {
  const log = result.log.replaceAll(`::add-mask::${API_KEY}`, '')
  return [log, JSON.stringify(result.outputs), result.summary].join('\n')
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

describe.each(HELMS)('$name, with a given kubeconfig', helmCase => {
  beforeEach(() => useFakeHelm(helmCase.version))
  afterEach(() => dropFakeHelm())

  it('installs a fresh release through a private values file and reports it created', async () => {
    const result = await runWithHelm()

    expect(errorLine(result)).toBe('(no ::error:: line)')
    expect(result.failed).toBe(false)
    // The probe finds helm; list finds no release, so there are no values to read.
    expect(commands(result.helmCalls)).toEqual(['version', 'list', 'upgrade', 'list'])
    for (const call of result.helmCalls.slice(1)) {
      expect(flagValues(call.argv, '--kubeconfig')).toEqual([kubeconfig])
    }
    for (const call of result.helmCalls) expect(call.argv.join(' ')).not.toContain(API_KEY)

    const [upgrade] = upgrades(result.helmCalls)
    expect(upgrade.argv.slice(0, 4)).toEqual(['upgrade', '--install', RELEASE, CHART_DIR])
    expect(flagValues(upgrade.argv, '--namespace')).toEqual(['cloudaeye'])
    expect(upgrade.argv).toContain('--create-namespace')
    expect(upgrade.argv).toEqual(expect.arrayContaining(helmCase.waitFlags))
    for (const flag of helmCase.otherMajorWaitFlags) expect(upgrade.argv).not.toContain(flag)
    expect(flagValues(upgrade.argv, '--timeout')).toEqual(['300s'])

    // One values file, private while helm read it, carrying what the chart needs, gone afterwards.
    expect(flagValues(upgrade.argv, '--values')).toEqual([upgrade.valuesFiles[0].path])
    expect(upgrade.valuesFiles).toHaveLength(1)
    const [valuesFile] = upgrade.valuesFiles
    expect(valuesFile.mode).toBe(0o600)
    expect(valuesFile.path.startsWith(runnerTemp + path.sep)).toBe(true)
    expect(await helm.received(valuesFile)).toMatchObject({
      image: IMAGE,
      apiKey: API_KEY,
      cloudaeye: {
        endpoint: ENDPOINT,
        cluster: 'prod-cluster',
        platform: 'eks',
        region: 'us-east-1',
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
      changed: 'true'
    })
    expect(summaryRow(result.summary, 'Helm release')).toEqual({
      id: `cloudaeye/${RELEASE}`,
      status: `created (revision 1, chart ${RELEASE}-1.0.0)`
    })
    expect(exposed(result)).not.toContain(API_KEY)
  })

  it('builds only flags that this helm accepts', async () => {
    helm.update(state => {
      state.releases.push({
        name: RELEASE,
        namespace: 'cloudaeye',
        revision: 1,
        status: 'deployed',
        chart: `${RELEASE}-0.9.0`,
        values: {}
      })
    })
    const result = await runWithHelm()
    expect(commands(result.helmCalls)).toEqual(['version', 'list', 'get values', 'upgrade', 'list'])
    for (const call of result.helmCalls) await expectRealHelmAccepts(helmCase.real, call.argv)
  })

  it('leaves an up-to-date release alone and reports it unchanged', async () => {
    await runWithHelm()
    const [deployed] = helm.state().releases
    expect(deployed).toMatchObject({ status: 'deployed', chart: `${RELEASE}-1.0.0`, revision: 1 })

    const result = await runWithHelm()

    expect(result.failed).toBe(false)
    expect(commands(result.helmCalls)).toEqual(['version', 'list', 'get values'])
    expect(result.outputs).toEqual({
      'helm-release': RELEASE,
      namespace: 'cloudaeye',
      'helm-revision': '1',
      'chart-version': '1.0.0',
      changed: 'false'
    })
    expect(summaryRow(result.summary, 'Helm release')?.status).toMatch(/^unchanged /)
    expect(result.log).toContain(`Helm release cloudaeye/${RELEASE}: unchanged`)
    expect(await readdir(runnerTemp)).toEqual([])
    expect(exposed(result)).not.toContain(API_KEY)
  })

  it('upgrades when a value changed, and reports it updated', async () => {
    await runWithHelm()
    const image = 'public.ecr.aws/cloudaeye/metrics-agent:1.1.0'

    const result = await runWithHelm({ 'agent-image': image })

    expect(commands(result.helmCalls)).toEqual(['version', 'list', 'get values', 'upgrade', 'list'])
    const [upgrade] = upgrades(result.helmCalls)
    expect(await helm.received(upgrade.valuesFiles[0])).toMatchObject({ image, apiKey: API_KEY })
    expect(result.outputs).toMatchObject({ 'helm-revision': '2', changed: 'true' })
    expect(summaryRow(result.summary, 'Helm release')?.status).toBe(
      `updated (revision 2, chart ${RELEASE}-1.0.0)`
    )
  })

  it('upgrades a release in the same state whose last upgrade failed', async () => {
    await runWithHelm()
    helm.update(state => {
      state.releases[0].status = 'failed'
    })
    const result = await runWithHelm()
    expect(upgrades(result.helmCalls)).toHaveLength(1)
    expect(result.outputs['changed']).toBe('true')
  })

  it('upgrades a release of another chart version with the same values', async () => {
    await runWithHelm()
    helm.update(state => {
      state.releases[0].chart = `${RELEASE}-0.9.0`
    })
    const result = await runWithHelm()
    expect(upgrades(result.helmCalls)).toHaveLength(1)
    expect(summaryRow(result.summary, 'Helm release')?.status).toMatch(/^updated /)
  })

  it("gives the user's values as a second file and counts them in the up-to-date check", async () => {
    const values = 'resources:\n  limits:\n    memory: 512Mi\ncloudaeye:\n  services: [billing]\n'

    const first = await runWithHelm({ values })

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
    expect(helm.state().releases[0].values).toMatchObject({
      cloudaeye: { endpoint: ENDPOINT, services: ['billing'] },
      resources: { limits: { memory: '512Mi' } }
    })

    const again = await runWithHelm({ values })
    expect(upgrades(again.helmCalls)).toEqual([])
    expect(again.outputs['changed']).toBe('false')

    const changed = await runWithHelm({ values: values.replace('512Mi', '1Gi') })
    expect(upgrades(changed.helmCalls)).toHaveLength(1)
    expect(changed.outputs['changed']).toBe('true')
  })

  const pendingRelease = (status: string) =>
    helm.update(state => {
      state.releases.push({
        name: RELEASE,
        namespace: 'cloudaeye',
        revision: 4,
        status,
        chart: `${RELEASE}-1.0.0`,
        values: {}
      })
    })

  it.each(['pending-upgrade', 'pending-install', 'pending-rollback'])(
    'waits out wait-timeout for a release that stays %s, then fails and changes nothing',
    async status => {
      pendingRelease(status)

      const result = await runWithHelm({ 'wait-timeout': '1m' })

      expect(result.failed).toBe(true)
      expect(errorLine(result)).toContain(
        `Release ${RELEASE} in namespace cloudaeye is still ${status} after 1m0s elapsed`
      )
      expect(errorLine(result)).toContain(`helm rollback ${RELEASE}`)
      const [version, ...lists] = commands(result.helmCalls)
      expect(version).toBe('version')
      expect(lists.length).toBeGreaterThan(2)
      expect(new Set(lists)).toEqual(new Set(['list']))
      expect(await readdir(runnerTemp)).toEqual([])
    }
  )

  it("goes on from a racing run's release once that run's upgrade is done", async () => {
    pendingRelease('pending-upgrade')
    // The other run's upgrade finishes while this run waits between two looks.
    const clock = fastClock()
    const sleep = clock.sleep
    clock.sleep = async ms => {
      helm.update(state => {
        state.releases[0].status = 'deployed'
      })
      await sleep(ms)
    }

    await helm.clearCalls()
    const result = await runAction(inputs(), { clock })

    expect(result.failed).toBe(false)
    expect(result.log).toContain(`Release ${RELEASE} is pending-upgrade: waiting for the run`)
    expect(upgrades(helm.calls())).toHaveLength(1)
    expect(result.outputs['helm-revision']).toBe('5')
  })

  it('fails on a refused upgrade with one redacted line and kubeconfig advice', async () => {
    helm.update(state => {
      state.failures = {
        upgrade: {
          exitCode: 1,
          stderr: `Error: UPGRADE FAILED: ${CREDENTIALS_REFUSED} (values had apiKey: ${API_KEY})\n`
        }
      }
    })

    const result = await runWithHelm()

    expect(result.failed).toBe(true)
    expect(errorLine(result)).toBe(
      `helm could not install release ${RELEASE} in namespace cloudaeye: UPGRADE FAILED: ` +
        `${CREDENTIALS_REFUSED} (values had apiKey: ***). Check that the user in 'kubeconfig' ` +
        `may install the chart's resources.`
    )
    // The kubeconfig was the user's: advice about EKS access entries would point the wrong way.
    expect(result.log).not.toMatch(/access.entr/i)
    expect(result.summary).toContain('<strong>Failed:</strong> helm could not install release')
    expect(result.outputs['changed']).toBe('false')
    const [upgrade] = upgrades(result.helmCalls)
    expect(existsSync(upgrade.valuesFiles[0].path)).toBe(false)
    expect(await readdir(runnerTemp)).toEqual([])
    expect(exposed(result)).not.toContain(API_KEY)
  })

  it('passes no wait flags when wait is false', async () => {
    const result = await runWithHelm({ wait: 'false' })
    const [upgrade] = upgrades(result.helmCalls)
    for (const flag of [...helmCase.waitFlags, ...helmCase.otherMajorWaitFlags, '--timeout']) {
      expect(upgrade.argv).not.toContain(flag)
    }
    expect(result.outputs['changed']).toBe('true')
  })

  it('bounds the wait by wait-timeout', async () => {
    const result = await runWithHelm({ 'wait-timeout': '2m' })
    const [upgrade] = upgrades(result.helmCalls)
    expect(upgrade.argv).toEqual(expect.arrayContaining(helmCase.waitFlags))
    expect(flagValues(upgrade.argv, '--timeout')).toEqual(['120s'])
  })

  it('names the release and namespace after the inputs, and can use an existing Secret', async () => {
    const result = await runWithHelm({
      'agent-name': 'metrics-b',
      namespace: 'observability',
      'cloudaeye-api-key': '',
      'existing-secret': 'agent-keys'
    })

    const [upgrade] = upgrades(result.helmCalls)
    expect(upgrade.argv.slice(0, 3)).toEqual(['upgrade', '--install', 'metrics-b'])
    expect(flagValues(upgrade.argv, '--namespace')).toEqual(['observability'])
    const values = await helm.received(upgrade.valuesFiles[0])
    expect(values).toMatchObject({ existingSecret: 'agent-keys' })
    expect(values).not.toHaveProperty('apiKey')
    expect(result.outputs).toMatchObject({
      'helm-release': 'metrics-b',
      namespace: 'observability'
    })
    expect(summaryRow(result.summary, 'Helm release')?.id).toBe('observability/metrics-b')
  })
})

describe('with a kubeconfig the action builds from eks:DescribeCluster', () => {
  const awsVariables = [
    'AWS_ENDPOINT_URL',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_REGION'
  ]
  const savedAws = Object.fromEntries(awsVariables.map(name => [name, process.env[name]]))
  let clusterEndpoint: string

  beforeEach(async () => {
    useMotoEnvironment()
    await resetMoto()
    clusterEndpoint = (await createEksCluster('prod-cluster')).endpoint
    await useFakeHelm('v3.17.2')
  })

  afterEach(async () => {
    await dropFakeHelm()
    for (const [name, value] of Object.entries(savedAws)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })

  it('hands helm a private kubeconfig with an EKS token, and removes it afterwards', async () => {
    const result = await runWithHelm({ kubeconfig: '' })

    expect(errorLine(result)).toBe('(no ::error:: line)')
    expect(result.calls).toEqual(['eks:DescribeCluster'])
    const written = result.helmCalls.slice(1).map(call => call.kubeconfig)
    expect(new Set(written.map(file => file?.path)).size).toBe(1)
    const [first] = written
    expect(first).toMatchObject({ mode: 0o600, server: clusterEndpoint })
    expect(first?.token).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/)
    expect(first?.path.startsWith(runnerTemp + path.sep)).toBe(true)
    expect(existsSync(first!.path)).toBe(false)
    expect(await readdir(runnerTemp)).toEqual([])
    expect(result.outputs['changed']).toBe('true')
  })

  it('explains EKS access entries when the cluster refuses the workflow', async () => {
    helm.update(state => {
      state.failures = {
        upgrade: { exitCode: 1, stderr: `Error: UPGRADE FAILED: ${CREDENTIALS_REFUSED}\n` }
      }
    })

    const result = await runWithHelm({ kubeconfig: '' })

    expect(result.failed).toBe(true)
    const line = errorLine(result)
    expect(line).toMatch(/^helm could not install release cloudaeye-metrics-agent in namespace/)
    expect(line).toContain(CREDENTIALS_REFUSED)
    expect(line).toContain('EKS access entry')
    expect(line).toContain('aws eks create-access-entry')
    expect(line).not.toContain("user in 'kubeconfig'")
    expect(await readdir(runnerTemp)).toEqual([])
    expect(exposed(result)).not.toContain(API_KEY)
  })
})
