/**
 * Cloud services end to end in process: the emulator provides CloudFormation, IAM and CloudWatch
 * Logs; a scripted helm stands in for the cluster (no emulator provides one) and records what the
 * chart was given; the real helm renders the agent's Secret from exactly those values.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseAllDocuments } from 'yaml'
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation'
import {
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  UpdateAccessKeyCommand
} from '@aws-sdk/client-iam'
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs'
import { runAction, type ActionResult } from '../support/action-harness.js'
import { FakeHelm, type HelmCall } from '../support/fake-helm.js'
import { REAL_HELM_4, realHelmParses } from '../support/real-helm.js'
import { REGION, resetMoto, useMotoEnvironment } from '../support/moto.js'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const CHART = path.join(projectRoot, 'charts/cloudaeye-metrics-agent')
const API_KEY = 'cak_cloud_services_7c1d2e'
const USER = 'CloudAEyeServiceAccount'
const POLICY_ARN = 'arn:aws:iam::123456789012:policy/CloudAEyeServiceAccountPolicy'

const originalPath = process.env.PATH
let work: string
let kubeconfig: string
let helm: FakeHelm
const iam = () => new IAMClient({ region: REGION })

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'cloud-services-'))
  kubeconfig = path.join(work, 'kubeconfig.json')
  await writeFile(kubeconfig, '{}', { mode: 0o600 })
})

afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  helm = await FakeHelm.create({ version: 'v4.1.4' })
  process.env.PATH = `${helm.directory}${path.delimiter}${originalPath}`
  process.env.RUNNER_TEMP = await mkdtemp(path.join(work, 'temp-'))
})

afterEach(async () => {
  process.env.PATH = originalPath
  await helm.remove()
})

async function run(): Promise<ActionResult & { upgrades: HelmCall[] }> {
  await helm.clearCalls()
  const result = await runAction({
    platform: 'eks',
    cluster: 'prod',
    'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
    'cloudaeye-api-key': API_KEY,
    kubeconfig,
    'enable-cloud-services': 'true'
  })
  return { ...result, upgrades: helm.calls().filter(call => call.command === 'upgrade') }
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
function exposed(result: ActionResult, calls: HelmCall[]): string {
  const log = result.log.replace(/^::add-mask::.*$/gm, '')
  const argv = calls.map(call => call.argv.join(' '))
  return [log, JSON.stringify(result.outputs), result.summary, ...argv].join('\n')
}

/** The real helm renders the chart from `valuesFile`; returns the Secret's decoded data. */
async function renderedSecret(valuesFile: string): Promise<Record<string, string>> {
  const manifest = await new Promise<string>((resolve, reject) =>
    execFile(
      REAL_HELM_4,
      ['template', 'cloudaeye-metrics-agent', CHART, '--namespace', 'cloudaeye', '-f', valuesFile],
      { env: { PATH: originalPath ?? '', HOME: work, HELM_CONFIG_HOME: path.join(work, 'helm') } },
      (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout))
    )
  )
  const secret = parseAllDocuments(manifest)
    .map(document => document.toJS())
    .find(object => object?.kind === 'Secret')
  const data = (secret?.data ?? {}) as Record<string, string>
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()])
  )
}

describe('cloud services on EKS', () => {
  it('creates the stack, user, policy and one key, and gives the key to the agent only', async () => {
    await new CloudWatchLogsClient({ region: REGION }).send(
      new CreateLogGroupCommand({ logGroupName: '/aws/lambda/orders' })
    )
    const result = await run()

    expect(result.failed).toBe(false)
    const stacks = await new CloudFormationClient({ region: REGION }).send(
      new DescribeStacksCommand({ StackName: 'CloudAEyeServiceAccountStack' })
    )
    expect(stacks.Stacks![0].StackStatus).toBe('CREATE_COMPLETE')
    expect(result.outputs['stack-id']).toBe(stacks.Stacks![0].StackId)
    expect(result.outputs['iam-user-arn']).toBe(`arn:aws:iam::123456789012:user/${USER}`)
    expect(result.outputs['policy-arn']).toBe(POLICY_ARN)
    const keys = await iam().send(new ListAccessKeysCommand({ UserName: USER }))
    expect(keys.AccessKeyMetadata!.map(key => key.AccessKeyId)).toEqual([
      result.outputs['access-key-id']
    ])
    expect(result.summary).toContain('1 log group(s)')

    expect(result.upgrades).toHaveLength(1)
    const delivered = await deliveredKey(result.upgrades[0])
    expect(delivered.accessKeyId).toBe(result.outputs['access-key-id'])
    expect(delivered.secretAccessKey).toMatch(/\S{20,}/)
    const secret = await renderedSecret(result.upgrades[0].valuesFiles[0].copy)
    expect(secret['aws-access-key-id']).toBe(delivered.accessKeyId)
    expect(secret['aws-secret-access-key']).toBe(delivered.secretAccessKey)
    expect(secret['api-key']).toBe(API_KEY)
    expect(exposed(result, helm.calls())).not.toContain(delivered.secretAccessKey)
  })

  it('re-runs without a new key, a new stack or an upgrade', async () => {
    const first = await run()
    const second = await run()

    expect(second.failed).toBe(false)
    expect(second.mutatingCalls).toEqual([])
    expect(second.upgrades).toEqual([])
    expect(second.outputs['changed']).toBe('false')
    expect(second.outputs['access-key-id']).toBe(first.outputs['access-key-id'])
    expect(second.log).toMatch(/CloudFormation stack CloudAEyeServiceAccountStack: unchanged/)
    expect(second.log).toMatch(/Access key \S+: reused/)
    const keys = await iam().send(new ListAccessKeysCommand({ UserName: USER }))
    expect(keys.AccessKeyMetadata).toHaveLength(1)
  })

  it("adopts the old script's user and policy without a stack", async () => {
    await iam().send(new CreateUserCommand({ UserName: USER }))
    await iam().send(
      new CreatePolicyCommand({
        PolicyName: 'CloudAEyeServiceAccountPolicy',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'cloudwatch:ListMetrics', Resource: '*' }]
        })
      })
    )
    const result = await run()

    expect(result.failed).toBe(false)
    expect(result.calls).not.toContain('cloudformation:CreateStack')
    expect(result.outputs['stack-id']).toBeUndefined()
    expect(result.summary).toContain('managed outside CloudFormation')
    const attached = await iam().send(new ListAttachedUserPoliciesCommand({ UserName: USER }))
    expect(attached.AttachedPolicies!.map(policy => policy.PolicyArn)).toEqual([POLICY_ARN])
    const policy = await iam().send(new GetPolicyCommand({ PolicyArn: POLICY_ARN }))
    const version = await iam().send(
      new GetPolicyVersionCommand({
        PolicyArn: POLICY_ARN,
        VersionId: policy.Policy!.DefaultVersionId
      })
    )
    expect(decodeURIComponent(version.PolicyVersion!.Document!)).toContain('logs:DescribeLogGroups')
  })

  it('fails clearly at two keys, naming them and deleting neither', async () => {
    await iam().send(new CreateUserCommand({ UserName: USER }))
    const made = [
      await iam().send(new CreateAccessKeyCommand({ UserName: USER })),
      await iam().send(new CreateAccessKeyCommand({ UserName: USER }))
    ].map(answer => answer.AccessKey!)
    const result = await run()

    expect(result.failed).toBe(true)
    const line = /^::error::(.*)$/m.exec(result.log)?.[1] ?? ''
    for (const key of made) {
      expect(line).toContain(key.AccessKeyId)
      expect(line).not.toContain(key.SecretAccessKey)
    }
    expect(result.calls).not.toContain('iam:CreateAccessKey')
    expect(result.calls).not.toContain('iam:DeleteAccessKey')
    expect(result.upgrades).toEqual([])
  })

  it("deletes the key of a racing run whose upgrade this run's upgrade replaced", async () => {
    // A racing run made its key and delivered it after this run read the release.
    await iam().send(new CreateUserCommand({ UserName: USER }))
    const racing = (await iam().send(new CreateAccessKeyCommand({ UserName: USER }))).AccessKey!
    helm.update(state => {
      state.racingUpgrade = {
        values: {
          cloudServices: {
            enabled: true,
            accessKeyId: racing.AccessKeyId,
            secretAccessKey: racing.SecretAccessKey
          }
        }
      }
    })

    const result = await run()

    expect(result.failed).toBe(false)
    expect(result.outputs['helm-revision']).toBe('2')
    const keys = await iam().send(new ListAccessKeysCommand({ UserName: USER }))
    expect(keys.AccessKeyMetadata!.map(key => key.AccessKeyId)).toEqual([
      result.outputs['access-key-id']
    ])
    expect(result.summary).toContain(`${racing.AccessKeyId}`)
    expect(result.summary).toContain('a racing run delivered it in revision 1')
    expect(exposed(result, helm.calls())).not.toContain(racing.SecretAccessKey)
    const pastValues = helm.calls().find(call => call.argv.includes('--revision'))!
    expect(await realHelmParses(REAL_HELM_4, pastValues.argv, work)).toEqual({
      code: 0,
      stderr: ''
    })
  })

  it('keeps the key of the revision it read, even when that key is inactive', async () => {
    await run()
    const first = helm.state().releases[0].values.cloudServices as { accessKeyId: string }
    await iam().send(
      new UpdateAccessKeyCommand({
        UserName: USER,
        AccessKeyId: first.accessKeyId,
        Status: 'Inactive'
      })
    )

    const result = await run()

    expect(result.failed).toBe(false)
    expect(result.outputs['access-key-id']).not.toBe(first.accessKeyId)
    const keys = await iam().send(new ListAccessKeysCommand({ UserName: USER }))
    expect(keys.AccessKeyMetadata!.map(key => key.AccessKeyId).sort()).toEqual(
      [first.accessKeyId, result.outputs['access-key-id']].sort()
    )
    expect(result.calls).not.toContain('iam:DeleteAccessKey')
  })

  it('deletes the key it made when helm then fails, so failed runs do not pile up keys', async () => {
    helm.update(state => {
      state.failures = { upgrade: { exitCode: 1, stderr: 'Error: UPGRADE FAILED: timed out' } }
    })
    const result = await run()

    expect(result.failed).toBe(true)
    expect(result.calls).toContain('iam:CreateAccessKey')
    expect(result.calls).toContain('iam:DeleteAccessKey')
    const keys = await iam().send(new ListAccessKeysCommand({ UserName: USER }))
    expect(keys.AccessKeyMetadata).toEqual([])
    expect(result.summary).toContain('deleted: made by this run, and the agent did not get it')
  })
})
