/**
 * The built bundle on the EKS path, run as the runner runs it, against the emulator and a real
 * helm 4 found on PATH. The emulator's cluster has an endpoint that does not resolve and CA data that
 * is not a certificate, so helm stops at its first call: these tests follow the action up to that
 * point (DescribeCluster, the in-process token, the kubeconfig, finding helm) and check that the
 * failure is one clear line, that nothing private stays in RUNNER_TEMP, and that the key leaks
 * nowhere.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createEksCluster } from '../support/eks-cluster.js'
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation'
import { IAMClient, ListAccessKeysCommand, ListUsersCommand } from '@aws-sdk/client-iam'
import { deliveredAwsSecrets, exposedSecrets } from '../support/secret-exposure.js'
import { runBundle, type BundleResult } from '../support/bundle.js'
import { REAL_HELM_4 } from '../support/real-helm.js'
import {
  REGION,
  createCluster,
  createNetwork,
  motoEnvironment,
  resetMoto,
  useMotoEnvironment
} from '../support/moto.js'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const DIST = path.join(projectRoot, 'dist')
const API_KEY = 'cak_e2e_eks_secret_93be0d5a1c'

let runnerTemp: string
let helmHome: string

function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    platform: 'eks',
    cluster: 'e2e',
    'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
    'cloudaeye-api-key': API_KEY,
    services: 'orders',
    ...overrides
  }
}

/** The emulator's credentials, the real helm first on PATH, and helm's state kept out of HOME. */
function environment(): Record<string, string> {
  return {
    ...motoEnvironment(),
    PATH: `${path.dirname(REAL_HELM_4)}${path.delimiter}${process.env.PATH ?? ''}`,
    HELM_CONFIG_HOME: path.join(helmHome, 'config'),
    HELM_CACHE_HOME: path.join(helmHome, 'cache'),
    HELM_DATA_HOME: path.join(helmHome, 'data')
  }
}

const errorLines = (result: BundleResult) =>
  result.stdout.split('\n').filter(line => line.startsWith('::error::'))

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await createEksCluster('e2e')
  runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'eks-runner-temp-'))
  helmHome = await mkdtemp(path.join(os.tmpdir(), 'eks-helm-home-'))
})

afterEach(async () => {
  await rm(runnerTemp, { recursive: true, force: true })
  await rm(helmHome, { recursive: true, force: true })
})

describe('the bundle on EKS, run as the runner runs it', () => {
  it('fails with one helm line when the cluster cannot be reached, leaving RUNNER_TEMP empty', async () => {
    const result = await runBundle(inputs(), environment(), { runnerTemp })

    expect(result.exitCode).toBe(1)
    // No crash trace or runtime warning: the failure is the action's own line.
    expect(result.stderr).toBe('')
    expect(result.stdout).toContain(`::add-mask::${API_KEY}`)
    expect(result.stdout).toContain('Using helm 4.1.4 from PATH')
    const errors = errorLines(result)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(
      /^::error::helm could not list releases in namespace cloudaeye: kubernetes cluster unreachable/i
    )
    expect(result.summary).toContain('<strong>Failed:</strong> helm could not')
    expect(result.summary).toContain('Nothing was created.')
    expect(result.outputs['changed']).toBe('false')

    // The kubeconfig helm was given was the action's own, under RUNNER_TEMP, and is gone now.
    const kubeconfig = /--kubeconfig (\S+)/.exec(result.stdout)?.[1]
    expect(kubeconfig?.startsWith(runnerTemp + path.sep)).toBe(true)
    expect(existsSync(kubeconfig!)).toBe(false)
    expect(await readdir(runnerTemp)).toEqual([])
    expect(exposedSecrets([result], [API_KEY])).toEqual([])
  })

  it('names an unknown cluster and its region', async () => {
    const result = await runBundle(inputs({ cluster: 'x' }), environment(), { runnerTemp })

    expect(result.exitCode).toBe(1)
    const errors = errorLines(result)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^::error::EKS cluster 'x' not found in region us-east-1\. /)
    expect(await readdir(runnerTemp)).toEqual([])
    expect(exposedSecrets([result], [API_KEY])).toEqual([])
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
        inputs({ 'helm-version': '3.17.2', 'helm-download-base-url': `http://127.0.0.1:${port}` }),
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
      expect(exposedSecrets([result], [API_KEY])).toEqual([])
    } finally {
      mirror.close()
      await rm(toolCache, { recursive: true, force: true })
    }
  })
})

describe('the bundle with cloud services', () => {
  it('creates the AWS key and shows its secret nowhere but in the values helm got', async () => {
    const { FakeHelm } = await import('../support/fake-helm.js')
    const fake = await FakeHelm.create({ version: 'v4.1.4' })
    const kubeconfig = path.join(runnerTemp, '..', `${path.basename(runnerTemp)}-kubeconfig`)
    await writeFile(kubeconfig, '{}', { mode: 0o600 })
    try {
      const result = await runBundle(
        inputs({ kubeconfig, 'enable-cloud-services': 'true' }),
        { ...environment(), PATH: `${fake.directory}${path.delimiter}${process.env.PATH}` },
        { runnerTemp }
      )
      expect(result.stdout).not.toContain('::error::')
      expect(result.exitCode).toBe(0)
      const upgrade = fake.calls().find(call => call.command === 'upgrade')!
      const values = await fake.received(upgrade.valuesFiles[0])
      const cloud = values.cloudServices as { accessKeyId: string; secretAccessKey: string }
      expect(cloud.accessKeyId).toBe(result.outputs['access-key-id'])

      expect(result.stdout).toContain(`::add-mask::${cloud.secretAccessKey}`)
      expect(exposedSecrets([result], [cloud.secretAccessKey, API_KEY], fake)).toEqual([])
      expect(await readdir(runnerTemp)).toEqual([])
    } finally {
      await fake.remove()
      await rm(kubeconfig, { force: true })
    }
  })
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

describe('two runs with cloud services racing', () => {
  it('both succeed and leave one stack, one user and one key, the one the agent holds', async () => {
    const { FakeHelm } = await import('../support/fake-helm.js')
    // Each upgrade holds the release for a while, as helm --wait does, so the runs collide there.
    const fake = await FakeHelm.create({ version: 'v4.1.4', upgradeWaitMs: 1_500 })
    try {
      const environment = {
        ...motoEnvironment(),
        PATH: `${fake.directory}${path.delimiter}${process.env.PATH}`
      }
      const race = () =>
        runBundle(inputs({ 'enable-cloud-services': 'true' }), environment, { runnerTemp })
      const runs = await Promise.all([race(), race()])
      await withRunLogsOnFailure(runs, async () => {
        for (const run of runs) {
          expect(errorLines(run)).toEqual([])
          expect(run.exitCode).toBe(0)
        }
        const releases = fake.state().releases
        expect(releases.map(release => release.status)).toEqual(['deployed'])
        const held = releases[0].values.cloudServices as { accessKeyId: string }
        const iam = new IAMClient({ region: REGION })
        const keys = await iam.send(
          new ListAccessKeysCommand({ UserName: 'CloudAEyeServiceAccount' })
        )
        expect(keys.AccessKeyMetadata!.map(key => key.AccessKeyId)).toEqual([held.accessKeyId])
        const users = await iam.send(new ListUsersCommand({}))
        expect(users.Users!.map(user => user.UserName)).toEqual(['CloudAEyeServiceAccount'])
        const stacks = await new CloudFormationClient({ region: REGION }).send(
          new ListStacksCommand({})
        )
        expect(
          stacks.StackSummaries!.filter(stack => stack.StackStatus !== 'DELETE_COMPLETE')
        ).toHaveLength(1)
      })

      const secrets = [API_KEY, ...(await deliveredAwsSecrets(fake))]
      expect(exposedSecrets(runs, secrets, fake)).toEqual([])
      expect(await readdir(runnerTemp)).toEqual([])
    } finally {
      await fake.remove()
    }
  })
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
    const result = await runBundle(inputs(), environment(), { runnerTemp, recordModules: true })
    expect(result.exitCode).toBe(1)

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
      environment(),
      { runnerTemp, recordModules: true }
    )

    const chunks = await loadedChunks(result)
    expect(mentions(chunks, 'RunTaskCommand')).toBe(true)
    expect(mentions(chunks, 'DescribeSubnetsCommand')).toBe(true)
  })
})
