/**
 * permissions/eks.json and eks-cloud-services.json, proven against the emulator with IAM enforced:
 * the bundle, run as a user that holds only the policies' actions, deploys, re-runs, updates a
 * drifted stack, adopts an identity made by hand and cleans up after a failed helm. Every action
 * the runs call is recorded, and the policies must grant exactly those (plus the ones AWS
 * authorises with them). A scripted helm stands in for the cluster, which no emulator provides.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation'
import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateUserCommand,
  IAMClient,
  ListAccessKeysCommand
} from '@aws-sdk/client-iam'
import path from 'node:path'
import {
  ActionLedger,
  comparePolicy,
  grantedActions,
  type ImpliedGrant
} from '../support/aws-actions.js'
import { runBundle, type BundleResult } from '../support/bundle.js'
import { createEksCluster } from '../support/eks-cluster.js'
import { FakeHelm } from '../support/fake-helm.js'
import { REGION, enforceIam, resetMoto, useMotoEnvironment } from '../support/moto.js'
import { actionsOnly, policyStatements, userWithPolicy } from '../support/iam-policies.js'
import { deliveredAwsSecrets, exposedSecrets } from '../support/secret-exposure.js'

const EKS = policyStatements('permissions/eks.json')
const CLOUD_SERVICES = policyStatements('permissions/eks-cloud-services.json')
const API_KEY = 'cak_least_privilege_eks_77c2'
const USER = 'CloudAEyeServiceAccount'
const POLICY_NAME = 'CloudAEyeServiceAccountPolicy'

/** Granted in eks-cloud-services.json but never called by the action itself. */
const IMPLIED: ImpliedGrant[] = [
  ...['iam:DeleteUser', 'iam:DetachUserPolicy', 'iam:DeletePolicy'].map(action => ({
    action,
    with: 'cloudformation:CreateStack',
    why:
      "CloudFormation acts with the caller's permissions: it deletes the stack's user and policy " +
      'when a create fails (OnFailure: DELETE) or an update replaces them'
  })),
  {
    action: 'iam:TagUser',
    with: 'iam:CreateUser',
    why: 'the user is tagged on creation, by the action or by CloudFormation from the stack tags'
  },
  {
    action: 'iam:TagPolicy',
    with: 'iam:CreatePolicy',
    why: 'the policy is tagged on creation, by the action or by CloudFormation'
  },
  {
    action: 'cloudformation:DescribeStackEvents',
    with: 'cloudformation:CreateStack',
    why:
      "read only when a stack fails, to name the failed resources; the emulator's stacks never " +
      'fail, so unit/cloud-stack.test.ts proves that path with mocked answers'
  }
]

/** Called, and allowed to any caller: AWS needs no permission for it. */
const NEEDS_NO_PERMISSION = ['sts:GetCallerIdentity']

const ledgers = { eks: new ActionLedger(), cloudServices: new ActionLedger() }
let helm: FakeHelm
let runs: BundleResult[]

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await createEksCluster('least')
  helm = await FakeHelm.create({ version: 'v4.1.4' })
  runs = []
})

afterEach(async () => {
  await enforceIam(false)
  // Every run of every scenario: neither the CloudAEye key nor a generated AWS secret shows.
  const secrets = [API_KEY, ...(await deliveredAwsSecrets(helm))]
  expect(exposedSecrets(runs, secrets, helm)).toEqual([])
  await helm.remove()
})

async function run(
  environment: Record<string, string>,
  overrides: Record<string, string> = {}
): Promise<BundleResult> {
  const result = await runBundle(
    {
      platform: 'eks',
      cluster: 'least',
      'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
      'cloudaeye-api-key': API_KEY,
      'enable-cloud-services': 'true',
      ...overrides
    },
    { ...environment, PATH: `${helm.directory}${path.delimiter}${process.env.PATH}` }
  )
  runs.push(result)
  return result
}

function expectSuccess(result: BundleResult): void {
  expect(result.stdout).not.toContain('::error::')
  expect(result.exitCode).toBe(0)
}

/** A user holding both policies' actions; IAM enforcement is on from here. */
async function cloudServicesDeployer(): Promise<Record<string, string>> {
  const asDeployer = await userWithPolicy('eks-deployer', actionsOnly([...EKS, ...CLOUD_SERVICES]))
  await enforceIam(true)
  return asDeployer
}

const iam = () => new IAMClient({ region: REGION })
const policyDocument = (action: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }]
  })

describe('permissions/eks.json is enough without cloud services', () => {
  it('installs the agent with eks:DescribeCluster alone', async () => {
    const asDeployer = await userWithPolicy('eks-only', actionsOnly(EKS))
    await enforceIam(true)

    const result = await run(asDeployer, { 'enable-cloud-services': 'false' })
    expectSuccess(result)
    ledgers.eks.record('install', result)
  })
})

describe('permissions/eks.json + eks-cloud-services.json are enough, with IAM enforced', () => {
  it('deploys with cloud services through the stack, re-runs unchanged, and upgrades', async () => {
    const asDeployer = await cloudServicesDeployer()

    const fresh = await run(asDeployer)
    expectSuccess(fresh)
    expect(fresh.outputs['stack-id']).toMatch(/CloudAEyeServiceAccountStack/)

    const rerun = await run(asDeployer)
    expectSuccess(rerun)
    expect(rerun.outputs['changed']).toBe('false')
    expect(rerun.outputs['access-key-id']).toBe(fresh.outputs['access-key-id'])

    const upgrade = await run(asDeployer, {
      'agent-image': 'public.ecr.aws/cloudaeye/metrics-agent:1.1.0'
    })
    expectSuccess(upgrade)
    expect(upgrade.outputs['changed']).toBe('true')
    expect(upgrade.outputs['helm-revision']).toBe('2')
    expect(upgrade.outputs['access-key-id']).toBe(fresh.outputs['access-key-id'])
    ledgers.cloudServices.record('fresh, re-run and upgrade', fresh, rerun, upgrade)
  })

  it('updates a stack whose template drifted from the shipped one', async () => {
    const template = JSON.parse(
      await readFile(
        new URL('../../templates/cloudaeye-service-account.json', import.meta.url),
        'utf8'
      )
    )
    await new CloudFormationClient({ region: REGION }).send(
      new CreateStackCommand({
        StackName: 'CloudAEyeServiceAccountStack',
        TemplateBody: JSON.stringify({ ...template, Description: 'an older template' }),
        Capabilities: ['CAPABILITY_NAMED_IAM']
      })
    )
    const asDeployer = await cloudServicesDeployer()

    const result = await run(asDeployer)
    expectSuccess(result)
    expect(result.stdout).toMatch(/CloudFormation stack CloudAEyeServiceAccountStack: updated/)
    ledgers.cloudServices.record('stack update', result)
  })

  it('adopts a user made by hand, creating and attaching the policy it lacks', async () => {
    await iam().send(new CreateUserCommand({ UserName: USER }))
    const asDeployer = await cloudServicesDeployer()

    const result = await run(asDeployer)
    expectSuccess(result)
    expect(result.summary).toContain('managed outside CloudFormation')
    ledgers.cloudServices.record('adopt a user', result)
  })

  it('adopts a policy made by hand at five versions, creating the user it lacks', async () => {
    const created = await iam().send(
      new CreatePolicyCommand({
        PolicyName: POLICY_NAME,
        PolicyDocument: policyDocument('cloudwatch:ListMetrics')
      })
    )
    for (const action of ['cloudwatch:GetMetricData', 'logs:DescribeLogGroups', 'a:B', 'c:D']) {
      await iam().send(
        new CreatePolicyVersionCommand({
          PolicyArn: created.Policy!.Arn!,
          PolicyDocument: policyDocument(action),
          SetAsDefault: false
        })
      )
    }
    const asDeployer = await cloudServicesDeployer()

    const result = await run(asDeployer)
    expectSuccess(result)
    expect(result.summary).toContain('managed outside CloudFormation')
    ledgers.cloudServices.record('adopt a policy at five versions', result)
  })

  it('deletes the key it made when helm fails', async () => {
    helm.update(state => {
      state.failures = { upgrade: { exitCode: 1, stderr: 'Error: UPGRADE FAILED: timed out' } }
    })
    const asDeployer = await cloudServicesDeployer()

    const result = await run(asDeployer)
    expect(result.exitCode).toBe(1)
    await enforceIam(false)
    const keys = await iam().send(new ListAccessKeysCommand({ UserName: USER }))
    expect(keys.AccessKeyMetadata).toEqual([])
    ledgers.cloudServices.record('helm fails after the key', result)
  })

  it('names the refused IAM action when the policy lacks one', async () => {
    const statements = CLOUD_SERVICES.map(statement => ({
      ...statement,
      Action: ([] as string[]).concat(statement.Action).filter(a => a !== 'iam:CreateAccessKey')
    }))
    const asDeployer = await userWithPolicy('eks-short', actionsOnly([...EKS, ...statements]))
    await enforceIam(true)

    const result = await run(asDeployer)
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(/::error::AWS refused iam:CreateAccessKey/)
  })
})

describe('the EKS policies grant exactly what the runs above called', () => {
  // Reads the ledgers the tests above filled, so it runs last and needs the whole file.
  it('eks.json: no unused grant and no ungranted call', () => {
    expect([...ledgers.eks.scenarios]).toEqual(['install'])
    expect(comparePolicy(grantedActions(EKS), ledgers.eks.called, [])).toEqual({
      unused: [],
      ungranted: [],
      staleImplied: []
    })
  })

  it('eks.json + eks-cloud-services.json: no unused grant and no ungranted call', () => {
    expect([...ledgers.cloudServices.scenarios]).toHaveLength(5)
    const granted = grantedActions([...EKS, ...CLOUD_SERVICES])
    expect(
      comparePolicy(granted, ledgers.cloudServices.called, IMPLIED, NEEDS_NO_PERMISSION)
    ).toEqual({ unused: [], ungranted: [], staleImplied: [] })
  })
})
