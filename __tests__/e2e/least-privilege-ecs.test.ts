/**
 * permissions/ecs.json, proven twice. Against the emulator with IAM enforced, the bundle, run as a
 * user holding only the policy's actions, deploys, re-runs and upgrades. And every call of every
 * run is judged with its resources and conditions, in every partition, by the policy simulation
 * the bundle helper applies to all runs; here the entries that allowed them are collected, and
 * every entry of the policy must have allowed something.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2'
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs'
import {
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  ListTasksCommand
} from '@aws-sdk/client-ecs'
import {
  DeleteRolePolicyCommand,
  IAMClient,
  UpdateAssumeRolePolicyCommand
} from '@aws-sdk/client-iam'
import { GrantLedger, compareGrants } from '../support/aws-actions.js'
import { runBundle, type BundleResult } from '../support/bundle.js'
import { actionsOnly, policyStatements, userWithPolicy } from '../support/iam-policies.js'
import {
  REGION,
  createCluster,
  createNetwork,
  enforceIam,
  holdTaskStates,
  motoEnvironment,
  resetMoto,
  useMotoEnvironment,
  type Network
} from '../support/moto.js'
import { grantsOffered, policyFile } from '../support/policy-simulation.js'
import { exposedSecrets } from '../support/secret-exposure.js'

const POLICY = policyStatements('permissions/ecs.json')
const CLOUD_SERVICES = policyStatements('permissions/ecs-cloud-services.json')
const API_KEY = 'cak_least_privilege_5f1e'

/** Roles named as the policy's PassRole statement expects (the README's naming rule). */
const ROLES = {
  'execution-role-arn': 'arn:aws:iam::123456789012:role/CloudAEyeAgentExecution',
  'task-role-arn': 'arn:aws:iam::123456789012:role/CloudAEyeAgentTask'
}

const ledger = new GrantLedger()
const cloudLedger = new GrantLedger()
const planLedger = new GrantLedger()
const removeLedger = new GrantLedger()
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

    const fresh = await runBundle(inputs(ROLES), asDeployer)
    expectSuccess(fresh)
    expect(fresh.outputs['changed']).toBe('true')

    const rerun = await runBundle(inputs(ROLES), asDeployer)
    expectSuccess(rerun)
    expect(rerun.outputs['changed']).toBe('false')
    expect(rerun.outputs['task-arn']).toBe(fresh.outputs['task-arn'])

    const upgrade = await runBundle(
      inputs({ ...ROLES, 'agent-image': 'public.ecr.aws/cloudaeye/metrics-agent:1.1.0' }),
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

  it('runs the agent as a service, re-runs, upgrades with a tag, and switches back to a task', async () => {
    // The service's scheduler reads its task's state on every look; keep it from decaying.
    await holdTaskStates(50)
    const asDeployer = await userWithPolicy('deployer', actionsOnly(POLICY))
    await enforceIam(true)
    const asService = { ...ROLES, 'ecs-run-as': 'service' }
    const upgraded = {
      'agent-image': 'public.ecr.aws/cloudaeye/metrics-agent:1.1.0',
      tags: 'team=metrics'
    }

    const fresh = await runBundle(inputs(asService), asDeployer)
    expectSuccess(fresh)
    expect(fresh.stdout).toMatch(/Agent service cloudaeye-metrics-agent: created/)
    const rerun = await runBundle(inputs(asService), asDeployer)
    expectSuccess(rerun)
    expect(rerun.outputs['changed']).toBe('false')
    const upgrade = await runBundle(inputs({ ...asService, ...upgraded }), asDeployer)
    expectSuccess(upgrade)
    expect(upgrade.stdout).toMatch(
      /Agent service cloudaeye-metrics-agent: updated \(changed: taskDefinition, tags\)/
    )
    const asTask = await runBundle(inputs({ ...ROLES, ...upgraded }), asDeployer)
    expectSuccess(asTask)
    expect(asTask.stdout).toMatch(/Agent service cloudaeye-metrics-agent: deleted/)
    ledger.record('as a service, and back to a task', fresh, rerun, upgrade, asTask)
    expect(exposedSecrets([fresh, rerun, upgrade, asTask], [API_KEY])).toEqual([])

    await enforceIam(false)
    const running = await new ECSClient({ region: REGION }).send(
      new ListTasksCommand({ cluster: 'least', desiredStatus: 'RUNNING' })
    )
    expect(running.taskArns).toEqual([asTask.outputs['task-arn']])
  })

  it('names the refused IAM action when the policy lacks one', async () => {
    const withoutRunTask = POLICY.map(statement => ({
      ...statement,
      Action: ([] as string[]).concat(statement.Action).filter(a => a !== 'ecs:RunTask')
    }))
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

describe('permissions/ecs.json + ecs-cloud-services.json are enough, with IAM enforced', () => {
  const withCloudServices = { 'enable-cloud-services': 'true' }
  const taskRole = 'CloudAEye.ecs@least.us-east-1'

  it('provides the task role, runs the agent with it, and re-runs without a change', async () => {
    const asDeployer = await userWithPolicy('deployer', actionsOnly([...POLICY, ...CLOUD_SERVICES]))
    await enforceIam(true)

    const fresh = await runBundle(inputs(withCloudServices), asDeployer)
    expectSuccess(fresh)
    expect(fresh.outputs['role-arn']).toBe(`arn:aws:iam::123456789012:role/${taskRole}`)
    const rerun = await runBundle(inputs(withCloudServices), asDeployer)
    expectSuccess(rerun)
    expect(rerun.outputs['changed']).toBe('false')
    cloudLedger.record('task role: fresh and re-run', fresh, rerun)
    expect(exposedSecrets([fresh, rerun], [API_KEY])).toEqual([])

    await enforceIam(false)
    const { taskDefinition } = await new ECSClient({ region: REGION }).send(
      new DescribeTaskDefinitionCommand({ taskDefinition: fresh.outputs['task-definition-arn'] })
    )
    expect(taskDefinition?.taskRoleArn).toBe(fresh.outputs['role-arn'])
  })

  it('brings back a task role whose trust and policy were edited', async () => {
    const first = await runBundle(inputs(withCloudServices), motoEnvironment())
    expectSuccess(first)
    const iam = new IAMClient({ region: REGION })
    await iam.send(
      new DeleteRolePolicyCommand({ RoleName: taskRole, PolicyName: 'CloudAEyeCloudWatchRead' })
    )
    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: taskRole,
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'ecs-tasks.amazonaws.com' },
              Action: 'sts:AssumeRole'
            }
          ]
        })
      })
    )
    const asDeployer = await userWithPolicy('deployer', actionsOnly([...POLICY, ...CLOUD_SERVICES]))
    await enforceIam(true)

    const result = await runBundle(inputs(withCloudServices), asDeployer)
    expectSuccess(result)
    expect(result.stdout).toContain(
      `IAM role ${taskRole}: brought back trust policy, CloudWatch read policy.`
    )
    cloudLedger.record('task role: edited', result)
  })
})

describe('permissions/ecs-plan.json and ecs-remove.json are enough, with IAM enforced', () => {
  const withCloudServices = { 'enable-cloud-services': 'true' }

  it('plans a fresh agent and then an unchanged one, without a mutating call', async () => {
    const asPlanner = await userWithPolicy(
      'planner',
      actionsOnly(policyStatements('permissions/ecs-plan.json'))
    )
    await enforceIam(true)
    const fresh = await runBundle(inputs({ ...withCloudServices, mode: 'plan' }), asPlanner)
    expectSuccess(fresh)
    expect(fresh.outputs['changed']).toBe('true')
    await enforceIam(false)
    expectSuccess(await runBundle(inputs(withCloudServices), motoEnvironment()))
    await enforceIam(true)
    const unchanged = await runBundle(inputs({ ...withCloudServices, mode: 'plan' }), asPlanner)
    expectSuccess(unchanged)
    expect(unchanged.outputs['changed']).toBe('false')
    await enforceIam(false)
    const empty = await new EC2Client({ region: REGION }).send(
      new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' })
    )
    await enforceIam(true)
    const noSubnets = await runBundle(
      inputs({ mode: 'plan', 'vpc-id': empty.Vpc!.VpcId! }),
      asPlanner
    )
    expect(noSubnets.exitCode).toBe(1)
    expect(noSubnets.stdout).toMatch(/::error::VPC vpc-\w+ in region us-east-1 has no subnets/)
    planLedger.record('plan: fresh, unchanged, a VPC without subnets', fresh, unchanged, noSubnets)
    expect(fresh.authorisations.concat(unchanged.authorisations).map(a => a.action)).not.toContain(
      'ecs:RunTask'
    )
    expect(exposedSecrets([fresh, unchanged], [API_KEY])).toEqual([])
  })

  it('removes an agent with its task role and log group, then finds it all absent', async () => {
    expectSuccess(await runBundle(inputs(withCloudServices), motoEnvironment()))
    await new CloudWatchLogsClient({ region: REGION }).send(
      new CreateLogGroupCommand({ logGroupName: '/ecs/cloudaeye-metrics-agent' })
    )
    const asRemover = await userWithPolicy(
      'remover',
      actionsOnly(policyStatements('permissions/ecs-remove.json'))
    )
    await enforceIam(true)
    const removal = { ...withCloudServices, mode: 'remove', 'remove-logs': 'true' }
    const removed = await runBundle(inputs(removal), asRemover)
    expectSuccess(removed)
    expect(removed.outputs['changed']).toBe('true')
    const again = await runBundle(inputs(removal), asRemover)
    expectSuccess(again)
    expect(again.outputs['changed']).toBe('false')
    removeLedger.record('remove, and again', removed, again)
    expect(exposedSecrets([removed, again], [API_KEY])).toEqual([])

    await enforceIam(false)
    const revisions = await new ECSClient({ region: REGION }).send(
      new ListTaskDefinitionsCommand({
        familyPrefix: 'cloudaeye-metrics-agent',
        status: 'INACTIVE'
      })
    )
    expect(revisions.taskDefinitionArns).toEqual([])
  })
  it("removes the agent's service, then finds it absent", async () => {
    await holdTaskStates(50)
    expectSuccess(await runBundle(inputs({ 'ecs-run-as': 'service' }), motoEnvironment()))
    const asRemover = await userWithPolicy(
      'remover',
      actionsOnly(policyStatements('permissions/ecs-remove.json'))
    )
    await enforceIam(true)
    const removed = await runBundle(inputs({ mode: 'remove' }), asRemover)
    expectSuccess(removed)
    expect(removed.stdout).toContain('Agent service cloudaeye-metrics-agent: deleted')
    const again = await runBundle(inputs({ mode: 'remove' }), asRemover)
    expectSuccess(again)
    expect(again.stdout).toContain('Agent service cloudaeye-metrics-agent: absent')
    removeLedger.record('remove a service, and again', removed, again)
    expect(exposedSecrets([removed, again], [API_KEY])).toEqual([])

    await enforceIam(false)
    const running = await new ECSClient({ region: REGION }).send(
      new ListTasksCommand({ cluster: 'least', desiredStatus: 'RUNNING' })
    )
    expect(running.taskArns).toEqual([])
  })
})

describe('permissions/ecs.json grants exactly what the runs above needed', () => {
  // Reads the ledger the tests above filled, so it runs last and needs the whole file.
  it('has no statement, action or resource entry that no call needed', () => {
    expect([...ledger.scenarios]).toEqual([
      'deploy, re-run, upgrade',
      'a VPC without subnets',
      'as a service, and back to a task'
    ])
    expect(compareGrants(grantsOffered([policyFile('permissions/ecs.json')]), ledger.used)).toEqual(
      { unused: [], staleExcuses: [] }
    )
  })

  it('ecs-cloud-services.json: no entry that no call needed', () => {
    expect([...cloudLedger.scenarios]).toHaveLength(2)
    const offered = grantsOffered([policyFile('permissions/ecs-cloud-services.json')])
    const used = new Set(
      [...cloudLedger.used].filter(grant => grant.startsWith('permissions/ecs-cloud'))
    )
    expect(compareGrants(offered, used)).toEqual({ unused: [], staleExcuses: [] })
  })

  it('ecs-plan.json and ecs-remove.json: no entry that no call needed', () => {
    expect([...planLedger.scenarios]).toHaveLength(1)
    expect([...removeLedger.scenarios]).toHaveLength(2)
    expect(
      compareGrants(grantsOffered([policyFile('permissions/ecs-plan.json')]), planLedger.used)
    ).toEqual({ unused: [], staleExcuses: [] })
    expect(
      compareGrants(grantsOffered([policyFile('permissions/ecs-remove.json')]), removeLedger.used)
    ).toEqual({ unused: [], staleExcuses: [] })
  })

  it('would catch an entry nothing used and a stale excuse', () => {
    const used = new Set(['f A Action ecs:RunTask', 'f A Resource *', 'f B Action ec2:CreateTags'])
    const comparison = compareGrants(
      [
        'f A Action ecs:RunTask',
        'f A Resource *',
        'f A Action ec2:DeleteVpc',
        'f B Action ec2:CreateTags'
      ],
      used,
      [
        { grant: 'f B Action ec2:CreateTags', why: 'used after all' },
        { grant: 'f C Action ecs:TagResource', why: 'not in the policy' }
      ]
    )
    expect(comparison).toEqual({
      unused: ['f A Action ec2:DeleteVpc'],
      staleExcuses: ['f B Action ec2:CreateTags', 'f C Action ecs:TagResource']
    })
  })
})
