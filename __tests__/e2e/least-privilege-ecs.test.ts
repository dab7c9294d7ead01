/**
 * permissions/ecs.json, proven against the emulator with IAM enforced: the bundle, run as a user
 * holding only the policy's actions, deploys, re-runs and upgrades. Every action the runs call is
 * recorded, and the policy must grant exactly those (plus the ones AWS authorises with them).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2'
import { ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs'
import {
  ActionLedger,
  comparePolicy,
  grantedActions,
  type ImpliedGrant
} from '../support/aws-actions.js'
import { runBundle, type BundleResult } from '../support/bundle.js'
import { actionsOnly, policyStatements, userWithPolicy } from '../support/iam-policies.js'
import {
  REGION,
  createCluster,
  createNetwork,
  enforceIam,
  holdTaskStates,
  resetMoto,
  useMotoEnvironment,
  type Network
} from '../support/moto.js'
import { exposedSecrets } from '../support/secret-exposure.js'

const POLICY = policyStatements('permissions/ecs.json')
const API_KEY = 'cak_least_privilege_5f1e'

/** Granted in ecs.json but never called: AWS checks them as part of a call the action makes. */
const IMPLIED: ImpliedGrant[] = [
  {
    action: 'ec2:CreateTags',
    with: 'ec2:CreateSecurityGroup',
    why: 'the group is tagged on creation (TagSpecifications)'
  },
  {
    action: 'ecs:TagResource',
    with: 'ecs:RegisterTaskDefinition',
    why: 'the task definition and the task are tagged on creation'
  },
  {
    action: 'iam:PassRole',
    with: 'ecs:RunTask',
    why: 'ECS checks it for the task and execution roles of the task it runs'
  }
]

const ledger = new ActionLedger()
let network: Network

function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    platform: 'ecs',
    cluster: 'least',
    'vpc-id': network.vpcId,
    'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
    'cloudaeye-api-key': API_KEY,
    ...overrides
  }
}

function expectSuccess(result: BundleResult): void {
  expect(result.stdout).not.toContain('::error::')
  expect(result.exitCode).toBe(0)
}

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await holdTaskStates()
  network = await createNetwork()
  await createCluster('least')
})

afterEach(async () => {
  await enforceIam(false)
})

describe('permissions/ecs.json is enough, with IAM enforced', () => {
  it('deploys, re-runs without creating anything, and upgrades to one new agent', async () => {
    const asDeployer = await userWithPolicy('deployer', actionsOnly(POLICY))
    await enforceIam(true)

    const fresh = await runBundle(inputs(), asDeployer)
    expectSuccess(fresh)
    expect(fresh.outputs['changed']).toBe('true')

    const rerun = await runBundle(inputs(), asDeployer)
    expectSuccess(rerun)
    expect(rerun.outputs['changed']).toBe('false')
    expect(rerun.outputs['task-arn']).toBe(fresh.outputs['task-arn'])

    const upgrade = await runBundle(
      inputs({ 'agent-image': 'public.ecr.aws/cloudaeye/metrics-agent:1.1.0' }),
      asDeployer
    )
    expectSuccess(upgrade)
    expect(upgrade.outputs['task-arn']).not.toBe(fresh.outputs['task-arn'])
    ledger.record('deploy, re-run, upgrade', fresh, rerun, upgrade)
    expect(exposedSecrets([fresh, rerun, upgrade], [API_KEY])).toEqual([])

    await enforceIam(false)
    const running = await new ECSClient({ region: REGION }).send(
      new ListTasksCommand({ cluster: 'least', desiredStatus: 'RUNNING' })
    )
    expect(running.taskArns).toEqual([upgrade.outputs['task-arn']])
  })

  it('tells a VPC without subnets from a missing one (ec2:DescribeVpcs)', async () => {
    const empty = await new EC2Client({ region: REGION }).send(
      new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' })
    )
    const asDeployer = await userWithPolicy('deployer', actionsOnly(POLICY))
    await enforceIam(true)

    const result = await runBundle(inputs({ 'vpc-id': empty.Vpc!.VpcId! }), asDeployer)
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(/::error::VPC vpc-\w+ in region us-east-1 has no subnets/)
    ledger.record('a VPC without subnets', result)
    expect(exposedSecrets([result], [API_KEY])).toEqual([])
  })

  it('names the refused IAM action when the policy lacks one', async () => {
    const withoutRunTask = POLICY.filter(statement => statement.Sid !== 'RunAgentTask')
    const asDeployer = await userWithPolicy('short', actionsOnly(withoutRunTask))
    await enforceIam(true)

    const result = await runBundle(inputs(), asDeployer)
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(
      /::error::AWS refused ecs:RunTask \(agent task in cluster least\): the workflow's credentials lack the IAM permission 'ecs:RunTask'/
    )
    expect(exposedSecrets([result], [API_KEY])).toEqual([])
  })
})

describe('permissions/ecs.json grants exactly what the runs above called', () => {
  // Reads the ledger the tests above filled, so it runs last and needs the whole file.
  it('has no unused grant and no ungranted call', () => {
    expect([...ledger.scenarios]).toEqual(['deploy, re-run, upgrade', 'a VPC without subnets'])
    expect(comparePolicy(grantedActions(POLICY), ledger.called, IMPLIED)).toEqual({
      unused: [],
      ungranted: [],
      staleImplied: []
    })
  })

  it('would catch a grant nothing uses, a call not granted, and a stale exemption', () => {
    const called = new Set(['ec2:DescribeSubnets', 'ecs:RunTask', 'ec2:CreateTags'])
    const comparison = comparePolicy(
      ['ec2:DescribeSubnets', 'ec2:CreateTags', 'ecs:TagResource', 'ec2:DeleteVpc'],
      called,
      [
        { action: 'ec2:CreateTags', with: 'ec2:CreateSecurityGroup', why: 'called directly' },
        { action: 'ecs:TagResource', with: 'ecs:RegisterTaskDefinition', why: 'not called' }
      ]
    )
    expect(comparison).toEqual({
      unused: ['ec2:DeleteVpc', 'ecs:TagResource'],
      ungranted: ['ecs:RunTask'],
      staleImplied: ['ec2:CreateTags', 'ecs:TagResource']
    })
  })
})
