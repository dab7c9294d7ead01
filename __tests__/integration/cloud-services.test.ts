/**
 * Cloud services with access-key end to end in process: the emulator provides IAM and CloudWatch
 * Logs; a real control plane reached as on EKS (support/eks-test-cluster.ts) runs the agent, with
 * the real helm 4 behind a recorder (support/recording-helm.ts). The key's delivery is read where
 * the agent reads it: the Secret in the cluster, as its admin.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand
} from '@aws-sdk/client-iam'
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs'
import { desiredPolicyDocument } from '../../src/cloud-services/policy-document.js'
import { systemClock } from '../../src/poll.js'
import { runAction, type ActionResult } from '../support/action-harness.js'
import { startEksTestCluster, type EksTestCluster } from '../support/eks-test-cluster.js'
import { nodeSpecs } from '../support/kube-nodes.js'
import { REAL_HELM_4, realHelmParses } from '../support/real-helm.js'
import { SEED_USER, installWithSeedKey, seedUserKey } from '../support/seed-install.js'
import { RecordingHelm, type HelmCall } from '../support/recording-helm.js'
import { REGION, resetMoto, useMotoEnvironment } from '../support/moto.js'

const execute = promisify(execFile)
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const CHART = path.join(projectRoot, 'charts/cloudaeye-metrics-agent')
const RELEASE = 'cloudaeye-metrics-agent'
const CLUSTER = 'prod'
const API_KEY = 'cak_cloud_services_7c1d2e'
const ENDPOINT = 'https://metrics.cloudaeye.example'
/** The cluster's own agent user. */
const USER = 'CloudAEye@prod.us-east-1'

const originalPath = process.env.PATH
const originalRunnerTemp = process.env.RUNNER_TEMP
let cluster: EksTestCluster
let helm: RecordingHelm
let work: string
/** Each test's own namespace. */
let namespace: string
let tests = 0
const iam = () => new IAMClient({ region: REGION })

beforeAll(async () => {
  useMotoEnvironment()
  work = await mkdtemp(path.join(os.tmpdir(), 'cloud-services-'))
  helm = await RecordingHelm.create(REAL_HELM_4)
  cluster = await startEksTestCluster({ name: CLUSTER, nodes: nodeSpecs('node', 'healthy', 2) })
}, 120_000)

afterAll(async () => {
  process.env.PATH = originalPath
  await cluster?.stop()
  await helm?.remove()
  await rm(work, { recursive: true, force: true })
})

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await cluster.register()
  namespace = `cloud-services-${++tests}`
  process.env.RUNNER_TEMP = await mkdtemp(path.join(work, 'temp-'))
})

afterEach(async () => {
  process.env.PATH = originalPath
  if (originalRunnerTemp === undefined) delete process.env.RUNNER_TEMP
  else process.env.RUNNER_TEMP = originalRunnerTemp
  // The chart's ClusterRole is named after the release: the next test's release needs it gone.
  for (const release of await releases('--all-namespaces')) {
    await asAdmin(REAL_HELM_4, ['uninstall', release.name, '--namespace', release.namespace])
  }
})

/** Runs a tool with the plane's admin kubeconfig; returns its stdout. */
async function asAdmin(binary: string, args: string[]): Promise<string> {
  const { stdout } = await execute(binary, [...args, '--kubeconfig', cluster.adminKubeconfig])
  return stdout
}

async function releases(...scope: string[]) {
  const where = scope.length ? scope : ['--namespace', namespace]
  return JSON.parse(await asAdmin(REAL_HELM_4, ['list', ...where, '--output', 'json'])) as {
    name: string
    namespace: string
  }[]
}

/** The agent's Secret in the cluster, decoded; undefined when there is none. */
async function agentSecret(): Promise<Record<string, string> | undefined> {
  const { items } = JSON.parse(
    await asAdmin('kubectl', ['get', 'secrets', '--namespace', namespace, '--output', 'json'])
  ) as { items: { metadata: { name: string }; data: Record<string, string> }[] }
  const secret = items.find(item => item.metadata.name === RELEASE)
  return (
    secret &&
    Object.fromEntries(
      Object.entries(secret.data).map(([key, value]) => [
        key,
        Buffer.from(value, 'base64').toString()
      ])
    )
  )
}

/**
 * Runs the action as the deployer, with `pathFirst` (a helm of the test's own) or the recording
 * helm first on PATH; returns its result with that run's helm calls.
 */
async function run(
  overrides: Record<string, string> = {},
  pathFirst = helm.directory
): Promise<ActionResult & { helmCalls: HelmCall[]; upgrades: HelmCall[] }> {
  Object.assign(process.env, cluster.environment(), {
    PATH: `${pathFirst}${path.delimiter}${originalPath}`
  })
  await helm.clearCalls()
  const result = await runAction(
    {
      platform: 'eks',
      cluster: CLUSTER,
      namespace,
      'cloudaeye-endpoint': ENDPOINT,
      'cloudaeye-api-key': API_KEY,
      'enable-cloud-services': 'true',
      'cloud-services-auth': 'access-key',
      'wait-timeout': '45s',
      ...overrides
    },
    { clock: systemClock }
  )
  const helmCalls = await helm.calls()
  return { ...result, helmCalls, upgrades: helmCalls.filter(call => call.command === 'upgrade') }
}

/** The AWS key the chart was given in the run's one upgrade. */
async function deliveredKey(upgrade: HelmCall) {
  const values = await helm.received(upgrade.valuesFiles[0])
  return values.cloudServices as { enabled: boolean; accessKeyId: string; secretAccessKey: string }
}

/**
 * Everything the step printed (but the commands that register masks), output or summarised, and
 * every argv helm got.
 */
function exposed(result: ActionResult & { helmCalls: HelmCall[] }): string {
  const log = result.log.replace(/^::add-mask::.*$/gm, '')
  const argv = result.helmCalls.map(call => call.argv.join(' '))
  return [log, JSON.stringify(result.outputs), result.summary, ...argv].join('\n')
}

/** The cluster's agent user as the action makes it, for tests that start from one. */
async function agentUserAsTheActionMadeIt(): Promise<void> {
  await iam().send(
    new CreateUserCommand({
      UserName: USER,
      PermissionsBoundary: 'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess',
      Tags: [
        { Key: 'cloudaeye:agent', Value: RELEASE },
        { Key: 'cloudaeye:managed-by', Value: 'metrics-agent-action' }
      ]
    })
  )
  await iam().send(
    new PutUserPolicyCommand({
      UserName: USER,
      PolicyName: 'CloudAEyeCloudWatchRead',
      PolicyDocument: JSON.stringify(desiredPolicyDocument())
    })
  )
}

const errorLine = (result: ActionResult) => /^::error::(.*)$/m.exec(result.log)?.[1] ?? ''

/**
 * A helm first on PATH, in front of the recording one, through which a racing run's upgrade lands
 * between this run's read of the release and its own upgrade: at the action's first `upgrade` it
 * runs the real helm with `racingArgs` as admin, to its end, then goes on as the recording helm.
 */
async function helmWithRacingRun(
  racingArgs: string[]
): Promise<{ directory: string; log: string }> {
  const directory = await mkdtemp(path.join(work, 'racing-helm-'))
  const armed = path.join(directory, 'armed')
  const log = path.join(directory, 'racing.log')
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`
  const racing = [REAL_HELM_4, ...racingArgs, '--kubeconfig', cluster.adminKubeconfig]
  await writeFile(armed, '')
  await writeFile(
    path.join(directory, 'helm'),
    [
      '#!/bin/sh',
      `if [ "$1" = upgrade ] && rm ${quote(armed)} 2>/dev/null; then`,
      `  ${racing.map(quote).join(' ')} > ${quote(log)} 2>&1`,
      `  echo "racing run exited $?" >> ${quote(log)}`,
      'fi',
      `exec ${quote(path.join(helm.directory, 'helm'))} "$@"`,
      ''
    ].join('\n')
  )
  await chmod(path.join(directory, 'helm'), 0o755)
  return { directory, log }
}

describe('cloud services on EKS', () => {
  it("creates the cluster's own user and one key, and gives the key to the agent only", async () => {
    await new CloudWatchLogsClient({ region: REGION }).send(
      new CreateLogGroupCommand({ logGroupName: '/aws/lambda/orders' })
    )
    const result = await run()

    expect(errorLine(result)).toBe('')
    expect(result.failed).toBe(false)
    expect(result.outputs['iam-user-arn']).toBe(`arn:aws:iam::123456789012:user/${USER}`)
    const { User } = await iam().send(new GetUserCommand({ UserName: USER }))
    expect(User?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(
      'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess'
    )
    const policy = await iam().send(
      new GetUserPolicyCommand({ UserName: USER, PolicyName: 'CloudAEyeCloudWatchRead' })
    )
    expect(JSON.parse(decodeURIComponent(policy.PolicyDocument!))).toEqual(desiredPolicyDocument())
    const keys = await iam().send(new ListAccessKeysCommand({ UserName: USER }))
    expect(keys.AccessKeyMetadata!.map(key => key.AccessKeyId)).toEqual([
      result.outputs['access-key-id']
    ])
    expect(result.summary).toContain('1 log group(s)')

    expect(result.upgrades).toHaveLength(1)
    const delivered = await deliveredKey(result.upgrades[0])
    expect(delivered.accessKeyId).toBe(result.outputs['access-key-id'])
    expect(delivered.secretAccessKey).toMatch(/\S{20,}/)
    // Where the agent reads it: the Secret in the cluster, beside the API key.
    const secret = await agentSecret()
    expect(secret?.['aws-access-key-id']).toBe(delivered.accessKeyId)
    expect(secret?.['aws-secret-access-key']).toBe(delivered.secretAccessKey)
    expect(secret?.['api-key']).toBe(API_KEY)
    expect(exposed(result)).not.toContain(delivered.secretAccessKey)
  })

  it('re-runs without a new key, a new user or an upgrade', async () => {
    const first = await run()
    const second = await run()

    expect(errorLine(second)).toBe('')
    expect(second.failed).toBe(false)
    expect(second.mutatingCalls).toEqual([])
    expect(second.upgrades).toEqual([])
    expect(second.outputs['changed']).toBe('false')
    expect(second.outputs['access-key-id']).toBe(first.outputs['access-key-id'])
    expect(second.log).toContain(`IAM user ${USER}: unchanged`)
    expect(second.log).toMatch(/Access key \S+: reused/)
    const keys = await iam().send(new ListAccessKeysCommand({ UserName: USER }))
    expect(keys.AccessKeyMetadata).toHaveLength(1)
    expect((await agentSecret())?.['aws-access-key-id']).toBe(first.outputs['access-key-id'])
  })

  it("moves an agent off the seed's shared user: its own user and key, the shared key deleted", async () => {
    // The seed's script: one user for every cluster, its key in the agent's release.
    const seedKey = await installWithSeedKey({
      kubeconfig: cluster.adminKubeconfig,
      namespace,
      cluster: CLUSTER
    })
    const otherClustersKey = await seedUserKey()

    const result = await run()

    expect(errorLine(result)).toBe('')
    expect(result.failed).toBe(false)
    expect((await agentSecret())?.['aws-access-key-id']).toBe(result.outputs['access-key-id'])
    expect(result.log).toContain(
      `Deleted access key ${seedKey.AccessKeyId}: the agent now runs with its new identity instead.`
    )
    // Only the key this agent held goes: another cluster's key of the shared user stays.
    const seedKeys = await iam().send(new ListAccessKeysCommand({ UserName: SEED_USER }))
    expect(seedKeys.AccessKeyMetadata!.map(key => key.AccessKeyId)).toEqual([
      otherClustersKey.AccessKeyId
    ])
    expect(exposed(result)).not.toContain(seedKey.SecretAccessKey)
  })

  it('fails clearly at two keys, naming them and deleting neither', async () => {
    await agentUserAsTheActionMadeIt()
    const made = [
      await iam().send(new CreateAccessKeyCommand({ UserName: USER })),
      await iam().send(new CreateAccessKeyCommand({ UserName: USER }))
    ].map(answer => answer.AccessKey!)
    const result = await run()

    expect(result.failed).toBe(true)
    const line = errorLine(result)
    for (const key of made) {
      expect(line).toContain(key.AccessKeyId)
      expect(line).not.toContain(key.SecretAccessKey)
    }
    expect(result.calls).not.toContain('iam:CreateAccessKey')
    expect(result.calls).not.toContain('iam:DeleteAccessKey')
    expect(result.upgrades).toEqual([])
    expect(await releases()).toEqual([])
  })

  it("deletes the key of a racing run whose upgrade this run's upgrade replaced", async () => {
    // A racing run made its key and delivered it after this run read the release: its real
    // upgrade lands between this run's read and this run's upgrade.
    await agentUserAsTheActionMadeIt()
    const racing = (await iam().send(new CreateAccessKeyCommand({ UserName: USER }))).AccessKey!
    const racingValues = path.join(work, `racing-${tests}.json`)
    await writeFile(
      racingValues,
      JSON.stringify({
        image: 'public.ecr.aws/cloudaeye/metrics-agent:1.0.0',
        cloudaeye: { endpoint: ENDPOINT, cluster: CLUSTER, platform: 'eks', region: REGION },
        apiKey: API_KEY,
        cloudServices: {
          enabled: true,
          accessKeyId: racing.AccessKeyId,
          secretAccessKey: racing.SecretAccessKey
        }
      }),
      { mode: 0o600 }
    )
    const racingHelm = await helmWithRacingRun([
      'upgrade',
      '--install',
      RELEASE,
      CHART,
      '--namespace',
      namespace,
      '--create-namespace',
      '--values',
      racingValues
    ])

    const result = await run({}, racingHelm.directory)

    expect(await readFile(racingHelm.log, 'utf8')).toContain('racing run exited 0')
    // This run had read no release, so its own key was made and is the one kept.
    expect(result.calls.filter(call => call === 'iam:CreateAccessKey')).toHaveLength(1)
    expect(errorLine(result)).toBe('')
    expect(result.failed).toBe(false)
    expect(result.outputs['helm-revision']).toBe('2')
    const keys = await iam().send(new ListAccessKeysCommand({ UserName: USER }))
    expect(keys.AccessKeyMetadata!.map(key => key.AccessKeyId)).toEqual([
      result.outputs['access-key-id']
    ])
    expect(result.summary).toContain(`${racing.AccessKeyId}`)
    expect(result.summary).toContain('a racing run delivered it in revision 1')
    expect(exposed(result)).not.toContain(racing.SecretAccessKey)
    const pastValues = result.helmCalls.find(call => call.argv.includes('--revision'))!
    expect(await realHelmParses(REAL_HELM_4, pastValues.argv, work)).toEqual({
      code: 0,
      stderr: ''
    })
    // In the cluster: revision 1 was the racing run's, with its key; the agent holds this run's.
    const revision1 = JSON.parse(
      await asAdmin(REAL_HELM_4, [
        'get',
        'values',
        RELEASE,
        '--namespace',
        namespace,
        '--revision',
        '1',
        '--output',
        'json'
      ])
    )
    expect(revision1.cloudServices.accessKeyId).toBe(racing.AccessKeyId)
    expect((await agentSecret())?.['aws-access-key-id']).toBe(result.outputs['access-key-id'])
  })

  it('keeps the key of the revision it read, even when that key is inactive', async () => {
    await run()
    const first = (await agentSecret())!['aws-access-key-id']
    await iam().send(
      new UpdateAccessKeyCommand({ UserName: USER, AccessKeyId: first, Status: 'Inactive' })
    )

    const result = await run()

    expect(errorLine(result)).toBe('')
    expect(result.failed).toBe(false)
    expect(result.outputs['access-key-id']).not.toBe(first)
    const keys = await iam().send(new ListAccessKeysCommand({ UserName: USER }))
    expect(keys.AccessKeyMetadata!.map(key => key.AccessKeyId).sort()).toEqual(
      [first, result.outputs['access-key-id']].sort()
    )
    expect(result.calls).not.toContain('iam:DeleteAccessKey')
    expect((await agentSecret())?.['aws-access-key-id']).toBe(result.outputs['access-key-id'])
  })

  it.each([
    {
      failure: 'helm refuses the values',
      values: { imagePullPolicy: 'Sometimes' },
      line: /^helm could not install release cloudaeye-metrics-agent in namespace \S+: values don't meet the specifications of the schema.*imagePullPolicy/
    },
    {
      failure: "the agent's pods cannot start",
      values: { podAnnotations: { 'kwok.x-k8s.io/fail': 'crash-loop' } },
      line: /^Agent pod \S+ on node node-00\d cannot start: container agent CrashLoopBackOff.* The release was removed\.$/
    }
  ])(
    'deletes the key it made when $failure, so failed runs do not pile up keys',
    async ({ values, line }) => {
      const result = await run({ values: JSON.stringify(values), 'wait-timeout': '30s' })

      expect(result.failed).toBe(true)
      expect(errorLine(result)).toMatch(line)
      expect(result.upgrades).toHaveLength(1)
      expect(result.calls).toContain('iam:CreateAccessKey')
      expect(result.calls).toContain('iam:DeleteAccessKey')
      const keys = await iam().send(new ListAccessKeysCommand({ UserName: USER }))
      expect(keys.AccessKeyMetadata).toEqual([])
      expect(result.summary).toContain('deleted: made by this run, and the agent did not get it')
      // Nothing in the cluster holds it: no release, no Secret.
      expect(await releases()).toEqual([])
      expect(await agentSecret()).toBeUndefined()
    }
  )
})
