/**
 * The built bundle on the EKS path, run as the runner runs it, against a real control plane
 * reached as on EKS (DescribeCluster, then tokens from the bundle's own credential plugin) and the
 * real helm 4 found on PATH, behind a wrapper that records what helm was given. The tests check the
 * outcome in the cluster as its admin sees it, that a failure is one clear line, that nothing
 * private stays in RUNNER_TEMP, and that no key leaks.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { IAMClient, ListAccessKeysCommand, ListUsersCommand } from '@aws-sdk/client-iam'
import { helmReleases, secretData } from '../support/agent-in-cluster.js'
import { errorLines, runBundle, type BundleResult } from '../support/bundle.js'
import {
  CALLER_ARN,
  startEksTestCluster,
  type EksTestCluster
} from '../support/eks-test-cluster.js'
import { nodeSpecs } from '../support/kube-nodes.js'
import {
  REGION,
  createCluster,
  createNetwork,
  motoEnvironment,
  motoUrl,
  resetMoto,
  useMotoEnvironment
} from '../support/moto.js'
import { REAL_HELM_4 } from '../support/real-helm.js'
import { RecordingHelm, type HelmCall } from '../support/recording-helm.js'
import { deliveredAwsSecrets, exposedSecrets } from '../support/secret-exposure.js'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const DIST = path.join(projectRoot, 'dist')
const API_KEY = 'cak_e2e_eks_secret_93be0d5a1c'
const CLUSTER = 'e2e'
const NODES = nodeSpecs('healthy', 'healthy', 2)

let cluster: EksTestCluster
let helm: RecordingHelm
let runnerTemp: string
let helmHome: string

/** Each test has a release of its own: the cluster outlives the emulator's resets. */
function inputs(namespace: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    platform: 'eks',
    cluster: CLUSTER,
    namespace,
    'agent-name': `agent-${namespace}`,
    'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
    'cloudaeye-api-key': API_KEY,
    services: 'orders',
    ...overrides
  }
}

/**
 * The cluster's environment (the deployer's key, DescribeCluster answering the plane), the
 * recording helm first on PATH, and helm's state kept out of HOME.
 */
function environment(): Record<string, string> {
  return {
    ...cluster.environment(),
    ...helm.environment(helmHome)
  }
}

const upgrades = async () => (await helm.calls()).filter(call => call.command === 'upgrade')

beforeAll(async () => {
  useMotoEnvironment()
  cluster = await startEksTestCluster({ name: CLUSTER, nodes: NODES })
}, 120_000)

afterAll(async () => {
  await cluster?.stop()
})

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await cluster.register()
  runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'eks-runner-temp-'))
  helmHome = await mkdtemp(path.join(os.tmpdir(), 'eks-helm-home-'))
  helm = await RecordingHelm.create(REAL_HELM_4)
})

afterEach(async () => {
  await rm(runnerTemp, { recursive: true, force: true })
  await rm(helmHome, { recursive: true, force: true })
  await helm.remove()
})

describe('the bundle on EKS, run as the runner runs it', () => {
  it('installs through its own credential plugin, and leaves nothing in RUNNER_TEMP', async () => {
    const result = await runBundle(inputs('plain'), environment(), { runnerTemp })

    expect(errorLines(result)).toEqual([])
    expect(result.exitCode).toBe(0)
    // No crash trace or runtime warning, from the action or from the plugin helm ran.
    expect(result.stderr).toBe('')
    expect(result.stdout).toContain(`::add-mask::${API_KEY}`)
    expect(result.stdout).toContain('Using helm 4.1.4 from PATH')
    expect(result.outputs['helm-revision']).toBe('1')
    expect(result.outputs['changed']).toBe('true')
    expect(result.summary).toContain(
      `Agent ready on ${NODES.length}/${NODES.length} eligible nodes`
    )

    // What the cluster's admin sees: the release, and the key in the agent's Secret.
    const [release] = await helmReleases(cluster.adminKubeconfig, 'plain')
    expect(release).toMatchObject({ name: 'agent-plain', revision: '1', status: 'deployed' })
    expect((await secretData(cluster.adminKubeconfig, 'plain', 'agent-plain'))['api-key']).toBe(
      API_KEY
    )

    // helm was given the action's own private kubeconfig under RUNNER_TEMP, holding no token: the
    // user is the bundle's credential plugin, whose tokens the cluster accepted as the deployer.
    const [upgrade] = await upgrades()
    const kubeconfig = upgrade.kubeconfig!
    expect(kubeconfig.path.startsWith(runnerTemp + path.sep)).toBe(true)
    expect(kubeconfig.mode).toBe(0o600)
    const text = await readFile(kubeconfig.copy, 'utf8')
    expect(text).not.toContain('k8s-aws-v1.')
    const user = (JSON.parse(text) as { users: { user: { exec: { args: string[] } } }[] }).users[0]
    expect(user.user.exec.args).toEqual([path.join(DIST, 'index.js'), 'eks-token', CLUSTER, REGION])
    expect(
      cluster.authenticator.reviews.some(
        review => review.authenticated && review.arn === CALLER_ARN
      )
    ).toBe(true)
    for (const file of upgrade.valuesFiles) {
      expect(file.path.startsWith(runnerTemp + path.sep)).toBe(true)
      expect(file.mode).toBe(0o600)
    }
    // All of it is gone now.
    expect(existsSync(kubeconfig.path)).toBe(false)
    expect(await readdir(runnerTemp)).toEqual([])
    expect(exposedSecrets([result], [API_KEY], await helm.calls())).toEqual([])
  })

  it('fails with one helm line when the cluster cannot be reached, leaving RUNNER_TEMP empty', async () => {
    // DescribeCluster straight from the emulator: an endpoint that does not resolve.
    const unreachable = { ...environment(), AWS_ENDPOINT_URL_EKS: motoUrl() }
    const result = await runBundle(inputs('unreachable'), unreachable, { runnerTemp })

    expect(result.exitCode).toBe(1)
    // No crash trace or runtime warning: the failure is the action's own line.
    expect(result.stderr).toBe('')
    expect(result.stdout).toContain(`::add-mask::${API_KEY}`)
    expect(result.stdout).toContain('Using helm 4.1.4 from PATH')
    const errors = errorLines(result)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(
      /^::error::helm could not list releases in namespace unreachable: kubernetes cluster unreachable/i
    )
    expect(result.summary).toContain('<strong>Failed:</strong> helm could not')
    expect(result.summary).toContain('Nothing was created.')
    expect(result.outputs['changed']).toBe('false')

    // The kubeconfig helm was given was the action's own, under RUNNER_TEMP, and is gone now.
    const calls = await helm.calls()
    const kubeconfig = calls.find(call => call.kubeconfig)?.kubeconfig
    expect(kubeconfig?.path.startsWith(runnerTemp + path.sep)).toBe(true)
    expect(existsSync(kubeconfig!.path)).toBe(false)
    expect(await readdir(runnerTemp)).toEqual([])
    expect(exposedSecrets([result], [API_KEY], calls)).toEqual([])
  })

  it('names an unknown cluster and its region', async () => {
    const result = await runBundle(inputs('unknown', { cluster: 'x' }), environment(), {
      runnerTemp
    })

    expect(result.exitCode).toBe(1)
    const errors = errorLines(result)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^::error::EKS cluster 'x' not found in region us-east-1\. /)
    expect(await readdir(runnerTemp)).toEqual([])
    expect(exposedSecrets([result], [API_KEY], await helm.calls())).toEqual([])
  })
})

describe('the bundle on EKS when helm cannot be had', () => {
  it('removes the kubeconfig it wrote and names the download that failed', async () => {
    const { createServer } = await import('node:http')
    const mirror = createServer((_request, response) => response.writeHead(404).end())
    await new Promise<void>(resolve => mirror.listen(0, '127.0.0.1', resolve))
    const { port } = mirror.address() as { port: number }
    const toolCache = await mkdtemp(path.join(os.tmpdir(), 'eks-tool-cache-'))
    try {
      const result = await runBundle(
        inputs('no-helm', {
          'helm-version': '3.17.2',
          'helm-download-base-url': `http://127.0.0.1:${port}`
        }),
        { ...environment(), PATH: '/usr/bin:/bin', RUNNER_TOOL_CACHE: toolCache },
        { runnerTemp }
      )

      expect(result.exitCode).toBe(1)
      expect(errorLines(result)[0]).toContain(
        `http://127.0.0.1:${port}/helm-v3.17.2-linux-amd64.tar.gz`
      )
      // The cluster was reached (the kubeconfig was written) before the download failed.
      expect(result.stdout).toContain('eks:DescribeCluster')
      expect(await readdir(runnerTemp)).toEqual([])
      expect(await helmReleases(cluster.adminKubeconfig, 'no-helm')).toEqual([])
      expect(exposedSecrets([result], [API_KEY])).toEqual([])
    } finally {
      mirror.close()
      await rm(toolCache, { recursive: true, force: true })
    }
  })
})

describe('the bundle with cloud services', () => {
  it('creates the AWS key and shows its secret nowhere but in the values helm got', async () => {
    const result = await runBundle(
      inputs('cloud', { 'enable-cloud-services': 'true', 'cloud-services-auth': 'access-key' }),
      environment(),
      { runnerTemp }
    )
    expect(errorLines(result)).toEqual([])
    expect(result.exitCode).toBe(0)
    const [upgrade] = await upgrades()
    const values = await helm.received(upgrade.valuesFiles[0])
    const cloud = values.cloudServices as { accessKeyId: string; secretAccessKey: string }
    expect(cloud.accessKeyId).toBe(result.outputs['access-key-id'])
    // The key reached the agent's Secret in the cluster, and it is the only one IAM has.
    const secret = await secretData(cluster.adminKubeconfig, 'cloud', 'agent-cloud')
    expect(secret['aws-access-key-id']).toBe(cloud.accessKeyId)
    expect(secret['aws-secret-access-key']).toBe(cloud.secretAccessKey)
    const keys = await new IAMClient({ region: REGION }).send(
      new ListAccessKeysCommand({ UserName: `CloudAEye-agent-cloud@${CLUSTER}.${REGION}` })
    )
    expect(keys.AccessKeyMetadata!.map(key => key.AccessKeyId)).toEqual([cloud.accessKeyId])

    expect(result.stdout).toContain(`::add-mask::${cloud.secretAccessKey}`)
    expect(exposedSecrets([result], [cloud.secretAccessKey, API_KEY], await helm.calls())).toEqual(
      []
    )
    expect(await readdir(runnerTemp)).toEqual([])
  })
})

describe('plan and remove through the bundle, with cloud services by access-key', () => {
  interface PlannedStep {
    resource: string
    id: string
    action: string
    reason: string
    changes?: { field: string; before?: string; after?: string }[]
  }
  const planOf = (result: BundleResult) =>
    JSON.parse(result.outputs['plan'] ?? 'null') as PlannedStep[]
  const changesOf = (result: BundleResult) => planOf(result).filter(step => step.action !== 'keep')
  const HEADING = `<h3>CloudAEye metrics agent: EKS cluster ${CLUSTER} (${REGION})</h3>`
  const user = `CloudAEye-agent-lifecycle@${CLUSTER}.${REGION}`
  const keysOfUser = () =>
    new IAMClient({ region: REGION }).send(new ListAccessKeysCommand({ UserName: user })).then(
      answer => answer.AccessKeyMetadata ?? [],
      () => 'no such user'
    )

  it('plans, deploys, plans a new image and key, removes, and removes again', async () => {
    const cloud = { 'enable-cloud-services': 'true', 'cloud-services-auth': 'access-key' }
    const runs: BundleResult[] = []
    const bundle = async (overrides: Record<string, string>) => {
      const result = await runBundle(
        inputs('lifecycle', { ...cloud, ...overrides }),
        environment(),
        {
          runnerTemp
        }
      )
      runs.push(result)
      expect(errorLines(result)).toEqual([])
      expect(result.stderr).toBe('')
      expect(result.exitCode).toBe(0)
      expect(await readdir(runnerTemp)).toEqual([])
      return result
    }

    // A plan on an empty account and cluster: every create, and nothing made.
    const first = await bundle({ mode: 'plan' })
    expect(first.outputs['changed']).toBe('true')
    expect(changesOf(first).map(step => `${step.action} ${step.resource}`)).toEqual([
      'create IAM user',
      'create Access key',
      'create Namespace',
      'create Helm release'
    ])
    expect(first.summary).toContain(HEADING)
    expect(first.summary).toContain(
      '<p><strong>Planned: 4 change(s)</strong> (plan mode: nothing was changed)</p>'
    )
    expect(first.authorisations.map(each => each.because)).not.toContainEqual(
      expect.stringMatching(/:(Create|Put|Tag|Delete|Update)/)
    )
    expect(await helmReleases(cluster.adminKubeconfig, 'lifecycle')).toEqual([])
    expect(await keysOfUser()).toBe('no such user')

    const deployed = await bundle({})
    expect(deployed.outputs['helm-revision']).toBe('1')

    // A new image and a new CloudAEye key: the plan shows both, the key as *** only.
    const newer = 'public.ecr.aws/cloudaeye/metrics-agent:1.0.1'
    const rotated = 'cak_e2e_eks_rotated_key_5e21f0'
    const changed = await bundle({
      mode: 'plan',
      'agent-image': newer,
      'cloudaeye-api-key': rotated
    })
    expect(changed.outputs['changed']).toBe('true')
    expect(changesOf(changed)).toEqual([
      {
        resource: 'Helm release',
        id: 'lifecycle/agent-lifecycle',
        action: 'update',
        reason: 'values changed',
        changes: [
          { field: 'apiKey', before: '***', after: '***' },
          { field: 'image', before: expect.any(String), after: JSON.stringify(newer) }
        ]
      }
    ])
    expect(changed.summary).toContain(
      '<p><strong>Planned: 1 change(s)</strong> (plan mode: nothing was changed)</p>'
    )
    expect(changed.summary).toContain('Helm release lifecycle/agent-lifecycle: 2 field(s)')
    expect((await helmReleases(cluster.adminKubeconfig, 'lifecycle'))[0]).toMatchObject({
      revision: '1'
    })

    // What helm was given: the agent's key, and the stand-in the plans rendered with.
    const delivered = await deliveredAwsSecrets(helm)
    const held = await secretData(cluster.adminKubeconfig, 'lifecycle', 'agent-lifecycle')
    expect(delivered).toContain(held['aws-secret-access-key'])

    // Remove: the release, the namespace the action made, the cluster's user and its key.
    const removed = await bundle({ mode: 'remove' })
    expect(removed.outputs['changed']).toBe('true')
    expect(changesOf(removed).map(step => `${step.action} ${step.resource}`)).toEqual([
      'delete Helm release',
      'delete Namespace',
      'delete IAM user'
    ])
    expect(removed.summary).toContain(HEADING)
    for (const row of [
      '<td>Helm release</td><td>lifecycle/agent-lifecycle</td><td>deleted</td>',
      '<td>Namespace</td><td>lifecycle</td><td>deleted</td>',
      `<td>IAM user</td><td>${user}</td><td>deleted`
    ]) {
      expect(removed.summary).toContain(row)
    }
    expect(await helmReleases(cluster.adminKubeconfig, 'lifecycle')).toEqual([])
    expect(await keysOfUser()).toBe('no such user')

    // Again: nothing left to do.
    const again = await bundle({ mode: 'remove' })
    expect(again.outputs['changed']).toBe('false')
    expect(changesOf(again)).toEqual([])
    expect(again.summary).toContain(
      '<td>Helm release</td><td>lifecycle/agent-lifecycle</td><td>absent</td>'
    )
    expect(again.summary).toContain(`<td>IAM user</td><td>${user}</td><td>absent</td>`)

    expect(exposedSecrets(runs, [API_KEY, rotated, ...delivered], await helm.calls())).toEqual([])
  }, 120_000)
})

/**
 * Runs `check`; when it fails, prints what each run logged (masks left out), since an
 * interleaving that goes wrong may not come again.
 */
async function withRunLogsOnFailure(runs: BundleResult[], check: () => Promise<void>) {
  try {
    await check()
  } catch (error) {
    const logs = runs.map(run => run.stdout.replace(/^::add-mask::.*$/gm, ''))
    console.log(logs.map((log, i) => `--- run ${i + 1}\n${log}`).join('\n'))
    throw error
  }
}

/** The run each cluster call belongs to (its kubeconfig is its own), in the order helm ran them. */
function runOrder(calls: HelmCall[]): string[] {
  const runs: string[] = []
  return calls
    .filter(call => call.kubeconfig)
    .map(call => {
      const at = call.kubeconfig!.path
      if (!runs.includes(at)) runs.push(at)
      return `run ${runs.indexOf(at) + 1}`
    })
}

describe('two runs with cloud services racing', () => {
  it('both succeed and leave one user and one key, the one the agent holds', async () => {
    // Each run watches its rollout for a few seconds, so the two are at the release together and
    // the real helm's release lock decides between them.
    const values = JSON.stringify({ podAnnotations: { 'kwok.x-k8s.io/start-delay': '6s' } })
    const race = () =>
      runBundle(
        inputs('race', {
          'enable-cloud-services': 'true',
          'cloud-services-auth': 'access-key',
          values
        }),
        environment(),
        {
          runnerTemp
        }
      )
    const runs = await Promise.all([race(), race()])
    const calls = await helm.calls()
    await withRunLogsOnFailure(runs, async () => {
      for (const run of runs) {
        expect(errorLines(run)).toEqual([])
        expect(run.exitCode).toBe(0)
      }
      // They did race: each run called helm while the other was at the release.
      const order = runOrder(calls)
      expect(new Set(order).size).toBe(2)
      expect(order.indexOf('run 2')).toBeLessThan(order.lastIndexOf('run 1'))

      const releases = await helmReleases(cluster.adminKubeconfig, 'race')
      expect(releases.map(release => release.status)).toEqual(['deployed'])
      const held = await secretData(cluster.adminKubeconfig, 'race', 'agent-race')
      const iam = new IAMClient({ region: REGION })
      const keys = await iam.send(
        new ListAccessKeysCommand({ UserName: `CloudAEye-agent-race@${CLUSTER}.${REGION}` })
      )
      expect(keys.AccessKeyMetadata!.map(key => key.AccessKeyId)).toEqual([
        held['aws-access-key-id']
      ])
      const users = await iam.send(new ListUsersCommand({}))
      // The emulator's users: the agent's, and the deployer the runs act as.
      expect(users.Users!.map(user => user.UserName).sort()).toEqual([
        `CloudAEye-agent-race@${CLUSTER}.${REGION}`,
        'eks-deployer'
      ])
    })

    const delivered = await deliveredAwsSecrets(helm)
    // The Secret holds the secret that was delivered with its key.
    const held = await secretData(cluster.adminKubeconfig, 'race', 'agent-race')
    expect(delivered).toContain(held['aws-secret-access-key'])
    expect(exposedSecrets(runs, [API_KEY, ...delivered], calls)).toEqual([])
    expect(await readdir(runnerTemp)).toEqual([])
  }, 120_000)
})

describe('what the bundle loads', () => {
  /** The dist chunks a run loaded, with their text. */
  async function loadedChunks(result: BundleResult) {
    const chunks = result.loadedFiles.filter(file => path.dirname(file) === DIST)
    return Promise.all(chunks.map(async file => ({ file, text: await readFile(file, 'utf8') })))
  }
  const mentions = (chunks: { text: string }[], name: string) =>
    chunks.some(chunk => chunk.text.includes(name))

  it('loads neither the ECS nor the EC2 client on the EKS path', async () => {
    const result = await runBundle(inputs('loads'), environment(), {
      runnerTemp,
      recordModules: true
    })
    expect(errorLines(result)).toEqual([])
    expect(result.exitCode).toBe(0)

    const chunks = await loadedChunks(result)
    // The recording works: the entry and the chunk that calls EKS were seen.
    expect(chunks.map(chunk => path.basename(chunk.file))).toContain('index.js')
    expect(mentions(chunks, 'DescribeClusterCommand')).toBe(true)
    expect(mentions(chunks, 'RunTaskCommand')).toBe(false)
    expect(mentions(chunks, 'DescribeSubnetsCommand')).toBe(false)
  })

  it('does load them on the ECS path, so the check above can fail', async () => {
    const network = await createNetwork(1)
    await createCluster('ecs-e2e')
    const result = await runBundle(
      {
        platform: 'ecs',
        cluster: 'ecs-e2e',
        'vpc-id': network.vpcId,
        'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
        'cloudaeye-api-key': API_KEY,
        wait: 'false'
      },
      motoEnvironment(),
      { runnerTemp, recordModules: true }
    )

    const chunks = await loadedChunks(result)
    expect(mentions(chunks, 'RunTaskCommand')).toBe(true)
    expect(mentions(chunks, 'DescribeSubnetsCommand')).toBe(true)
  })
})
