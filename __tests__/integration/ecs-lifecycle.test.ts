/**
 * The agent's whole life on ECS, through the bundle as the runner runs it: plan on an empty
 * account, deploy, plan with nothing to do, plan an image change, remove, remove again. Plans run
 * as a user holding only permissions/ecs-plan.json with the emulator's IAM enforced, and their
 * call log holds no mutating call. Every run is also judged against the shipped policy of its mode
 * (bundle.ts), and none shows the API key, which a plan's diff masks as `***`.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand
} from '@aws-sdk/client-cloudwatch-logs'
import {
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client
} from '@aws-sdk/client-ec2'
import {
  DescribeServicesCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UntagResourceCommand
} from '@aws-sdk/client-ecs'
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam'
import type { Step } from '../../src/plan/step.js'
import { actionsCalled } from '../support/aws-actions.js'
import { runBundle, type BundleResult } from '../support/bundle.js'
import { actionsOnly, policyStatements, userWithPolicy } from '../support/iam-policies.js'
import {
  REGION,
  agentSecurityGroups,
  createCluster,
  createNetwork,
  enforceIam,
  holdTaskStates,
  motoEnvironment,
  resetMoto,
  useMotoEnvironment,
  type Network
} from '../support/moto.js'
import { exposedSecrets } from '../support/secret-exposure.js'

const API_KEY = 'cak_lifecycle_8d2e7f31c0'
const FAMILY = 'cloudaeye-metrics-agent'
const ROLE = 'CloudAEye.ecs@life.us-east-1'
const NEW_IMAGE = 'public.ecr.aws/cloudaeye/metrics-agent:1.1.0'
const LOG_GROUP = `/ecs/${FAMILY}`

let network: Network
const ecs = () => new ECSClient({ region: REGION })
const ec2 = () => new EC2Client({ region: REGION })

function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    platform: 'ecs',
    cluster: 'life',
    'vpc-id': network.vpcId,
    'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
    'cloudaeye-api-key': API_KEY,
    'wait-timeout': '60s',
    ...overrides
  }
}

/** A plan, run as a user holding only ecs-plan.json, with IAM enforced. */
async function plan(overrides: Record<string, string> = {}): Promise<BundleResult> {
  const asPlanner = await userWithPolicy(
    `planner-${Math.random().toString(36).slice(2, 8)}`,
    actionsOnly(policyStatements('permissions/ecs-plan.json'))
  )
  await enforceIam(true)
  try {
    const result = await runBundle(inputs({ ...overrides, mode: 'plan' }), asPlanner)
    expectSuccess(result)
    expect(mutatingCalls(result)).toEqual([])
    return result
  } finally {
    await enforceIam(false)
  }
}

const deploy = async (overrides: Record<string, string> = {}) =>
  expectSuccess(await runBundle(inputs(overrides), motoEnvironment()))
const remove = async (overrides: Record<string, string> = {}) =>
  expectSuccess(await runBundle(inputs({ ...overrides, mode: 'remove' }), motoEnvironment()))

function expectSuccess(result: BundleResult): BundleResult {
  expect(result.stdout).not.toContain('::error::')
  expect(result.exitCode).toBe(0)
  return result
}

const mutatingCalls = (result: BundleResult) =>
  actionsCalled(result.stdout).filter(call => !/:(Describe|List|Get)/.test(call))

const stepsOf = (result: BundleResult): Step[] => JSON.parse(result.outputs['plan'])
const summary = (steps: Step[]) => steps.map(step => `${step.action} ${step.resource}`)
/** The rows a remove reported, as `Kind id: status (note)` lines of its log. */
const rows = (result: BundleResult, kind: string) =>
  result.stdout.split('\n').filter(line => new RegExp(`^${kind} \\S+: `).test(line))

async function runningTasks(): Promise<string[]> {
  const answer = await ecs().send(
    new ListTasksCommand({ cluster: 'life', desiredStatus: 'RUNNING' })
  )
  return answer.taskArns ?? []
}

/** The agent's service while ECS knows it as ACTIVE or DRAINING. */
async function agentService(): Promise<string | undefined> {
  const answer = await ecs().send(
    new DescribeServicesCommand({ cluster: 'life', services: [FAMILY] })
  )
  return answer.services?.find(service => service.status !== 'INACTIVE')?.status
}

async function untagService(serviceArn: string): Promise<void> {
  await ecs().send(
    new UntagResourceCommand({ resourceArn: serviceArn, tagKeys: ['cloudaeye:managed-by'] })
  )
}

async function familyRevisions(): Promise<string[]> {
  const revisions: string[] = []
  for (const status of ['ACTIVE', 'INACTIVE'] as const) {
    const answer = await ecs().send(
      new ListTaskDefinitionsCommand({ familyPrefix: FAMILY, status })
    )
    revisions.push(...(answer.taskDefinitionArns ?? []))
  }
  return revisions
}

async function roleExists(): Promise<boolean> {
  try {
    await new IAMClient({ region: REGION }).send(new GetRoleCommand({ RoleName: ROLE }))
    return true
  } catch (error) {
    if (
      (error as Error).name === 'NoSuchEntityException' ||
      (error as Error).name === 'NoSuchEntity'
    )
      return false
    throw error
  }
}

/** What the awslogs driver makes on the task's first start; the emulator's tasks log nowhere. */
async function createAgentLogGroup(): Promise<void> {
  await new CloudWatchLogsClient({ region: REGION }).send(
    new CreateLogGroupCommand({ logGroupName: LOG_GROUP })
  )
}

async function logGroupExists(): Promise<boolean> {
  const answer = await new CloudWatchLogsClient({ region: REGION }).send(
    new DescribeLogGroupsCommand({ logGroupNamePrefix: LOG_GROUP })
  )
  return (answer.logGroups ?? []).some(group => group.logGroupName === LOG_GROUP)
}

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await holdTaskStates(50)
  network = await createNetwork()
  await createCluster('life')
})

afterEach(async () => {
  await enforceIam(false)
})

describe.each([
  { variant: 'without cloud services', extra: {} as Record<string, string>, role: false },
  { variant: 'with cloud services', extra: { 'enable-cloud-services': 'true' }, role: true }
])('the lifecycle $variant', ({ extra, role }) => {
  it('plans, deploys, plans nothing, plans an image change, removes, removes again', async () => {
    const runs: BundleResult[] = []

    // 1. On an empty account, every resource is a create.
    const first = await plan(extra)
    runs.push(first)
    expect(first.outputs['changed']).toBe('true')
    expect(summary(stepsOf(first))).toEqual([
      'keep Subnets',
      'create Security group',
      ...(role ? ['create IAM role'] : []),
      'create Task definition',
      'create Agent task'
    ])
    const created = stepsOf(first).find(step => step.resource === 'Task definition')!
    expect(created.changes).toContainEqual({
      field: 'environment.CLOUDAEYE_API_KEY',
      after: '***'
    })
    expect(first.summary).toContain('plan mode: nothing was changed')
    expect(await runningTasks()).toEqual([])
    expect(await agentSecurityGroups(network.vpcId)).toEqual([])
    expect(await familyRevisions()).toEqual([])

    // 2. Deploy.
    const deployed = await deploy(extra)
    runs.push(deployed)
    expect(await runningTasks()).toEqual([deployed.outputs['task-arn']])

    // 3. Nothing to do.
    const unchanged = await plan(extra)
    runs.push(unchanged)
    expect(unchanged.outputs['changed']).toBe('false')
    expect(stepsOf(unchanged).every(step => step.action === 'keep')).toBe(true)
    expect(unchanged.summary).toContain('No changes')

    // 4. An image change: exactly that field, and the agent task replaced.
    const upgrade = await plan({ ...extra, 'agent-image': NEW_IMAGE })
    runs.push(upgrade)
    expect(upgrade.outputs['changed']).toBe('true')
    const changes = stepsOf(upgrade).filter(step => step.action !== 'keep')
    expect(changes).toEqual([
      {
        resource: 'Task definition',
        id: `${FAMILY}:1`,
        action: 'update',
        reason: expect.any(String),
        changes: [
          {
            field: 'image',
            before: JSON.stringify('public.ecr.aws/cloudaeye/metrics-agent:1.0.0'),
            after: JSON.stringify(NEW_IMAGE)
          }
        ]
      },
      {
        resource: 'Agent task',
        id: deployed.outputs['task-arn'].split('/').pop(),
        action: 'replace',
        reason: expect.stringContaining(`${FAMILY}:1`)
      }
    ])
    expect(upgrade.stdout).toContain(
      `image: "public.ecr.aws/cloudaeye/metrics-agent:1.0.0" → "${NEW_IMAGE}"`
    )
    expect(await runningTasks()).toEqual([deployed.outputs['task-arn']])

    // 5. Remove: nothing the action made is left; the log group stays without remove-logs.
    await createAgentLogGroup()
    const removed = await remove(extra)
    runs.push(removed)
    expect(removed.outputs['changed']).toBe('true')
    expect(await runningTasks()).toEqual([])
    expect(await familyRevisions()).toEqual([])
    expect(await agentSecurityGroups(network.vpcId)).toEqual([])
    expect(await roleExists()).toBe(false)
    expect(await logGroupExists()).toBe(true)
    expect(rows(removed, 'Agent task')).toEqual([expect.stringMatching(/: stopped \(removed\)$/)])
    expect(rows(removed, 'Task definition')).toEqual([`Task definition ${FAMILY}:1: deleted`])
    expect(rows(removed, 'Security group')).toEqual([
      `Security group ${deployed.outputs['security-group-id']}: deleted (made by the action)`
    ])
    expect(rows(removed, 'Log group')).toEqual([
      `Log group ${LOG_GROUP}: kept (the agent's logs; remove-logs deletes it)`
    ])
    expect(rows(removed, 'IAM role')).toEqual([
      role ? `IAM role ${ROLE}: deleted (made by the action)` : `IAM role ${ROLE}: absent`
    ])

    // 6. Again: every resource absent, no change, no mutating call; remove-logs takes the logs.
    const again = await remove({ ...extra, 'remove-logs': 'true' })
    runs.push(again)
    expect(mutatingCalls(again).filter(call => call !== 'logs:DeleteLogGroup')).toEqual([])
    for (const kind of ['Agent task', 'Task definition', 'Security group', 'IAM role']) {
      expect(rows(again, kind)).toEqual([expect.stringMatching(/: absent$/)])
    }
    expect(rows(again, 'Log group')).toEqual([`Log group ${LOG_GROUP}: deleted (remove-logs)`])
    expect(await logGroupExists()).toBe(false)
    const third = await remove(extra)
    runs.push(third)
    expect(third.outputs['changed']).toBe('false')
    expect(mutatingCalls(third)).toEqual([])

    expect(exposedSecrets(runs, [API_KEY])).toEqual([])
  })
})

describe('the lifecycle as a service (ecs-run-as: service)', () => {
  const asService = { 'ecs-run-as': 'service' }

  it('plans, deploys, plans nothing, plans an image change, removes, removes again', async () => {
    const runs: BundleResult[] = []

    const first = await plan(asService)
    runs.push(first)
    expect(first.outputs['changed']).toBe('true')
    expect(summary(stepsOf(first))).toEqual([
      'keep Subnets',
      'create Security group',
      'create Task definition',
      'create Agent service'
    ])
    expect(await agentService()).toBeUndefined()

    const deployed = await deploy(asService)
    runs.push(deployed)
    expect(deployed.outputs['service-arn']).toContain(`service/life/${FAMILY}`)
    expect(await runningTasks()).toEqual([deployed.outputs['task-arn']])

    const unchanged = await plan(asService)
    runs.push(unchanged)
    expect(unchanged.outputs['changed']).toBe('false')
    expect(summary(stepsOf(unchanged))).toEqual([
      'keep Subnets',
      'keep Security group',
      'keep Task definition',
      'keep Agent service'
    ])

    // An image change: a new revision, and the service moved to it; nothing else.
    const upgrade = await plan({ ...asService, 'agent-image': NEW_IMAGE })
    runs.push(upgrade)
    expect(upgrade.outputs['changed']).toBe('true')
    expect(stepsOf(upgrade).filter(step => step.action !== 'keep')).toEqual([
      expect.objectContaining({
        resource: 'Task definition',
        action: 'update',
        changes: [expect.objectContaining({ field: 'image' })]
      }),
      {
        resource: 'Agent service',
        id: FAMILY,
        action: 'update',
        reason: 'fields differ',
        changes: [{ field: 'taskDefinition', before: `${FAMILY}:1`, after: 'the current revision' }]
      }
    ])
    expect(await runningTasks()).toEqual([deployed.outputs['task-arn']])

    // Remove, in the task mode's inputs: a teardown finds the service all the same.
    await createAgentLogGroup()
    const removed = await remove()
    runs.push(removed)
    expect(removed.outputs['changed']).toBe('true')
    expect(stepsOf(removed)).toContainEqual(
      expect.objectContaining({ resource: 'Agent service', action: 'delete' })
    )
    expect(rows(removed, 'Agent service')).toEqual([`Agent service ${FAMILY}: deleted`])
    expect(await agentService()).toBeUndefined()
    expect(await runningTasks()).toEqual([])
    expect(await familyRevisions()).toEqual([])
    expect(await agentSecurityGroups(network.vpcId)).toEqual([])

    const again = await remove(asService)
    runs.push(again)
    expect(again.outputs['changed']).toBe('false')
    expect(mutatingCalls(again)).toEqual([])
    for (const kind of ['Agent service', 'Agent task', 'Task definition', 'Security group']) {
      expect(rows(again, kind)).toEqual([expect.stringMatching(/: absent$/)])
    }
    expect(exposedSecrets(runs, [API_KEY])).toEqual([])
  })

  it("keeps and reports an untagged service of the agent's name", async () => {
    const deployed = await deploy(asService)
    // The same service as a hand-made one: its owner's tag taken off.
    await untagService(deployed.outputs['service-arn'])
    // Its task keeps the group in use: without wait, that is reported rather than waited out.
    const removed = await remove({ wait: 'false' })
    expect(rows(removed, 'Agent service')).toEqual([
      `Agent service ${FAMILY}: kept (not tagged as the action's)`
    ])
    expect(await agentService()).toBe('ACTIVE')
    expect(exposedSecrets([deployed, removed], [API_KEY])).toEqual([])
  })
})

describe('remove keeps what the action did not make', () => {
  it('keeps given groups, an untagged group named like the agent, and an untagged revision', async () => {
    const given = await ec2().send(
      new CreateSecurityGroupCommand({
        GroupName: 'platform-egress',
        Description: "the platform team's group",
        VpcId: network.vpcId
      })
    )
    const withGiven = { 'security-group-ids': given.GroupId! }
    const runs = [await deploy(withGiven), await remove(withGiven)]
    expect(rows(runs[1], 'Security group')).toEqual([
      `Security group ${given.GroupId}: kept (given)`
    ])
    expect(await runningTasks()).toEqual([])

    // Another agent's run, in a VPC where a group of the agent's name was made by hand.
    const lookAlike = await ec2().send(
      new CreateSecurityGroupCommand({
        GroupName: FAMILY,
        Description: 'made by hand',
        VpcId: network.vpcId
      })
    )
    const ours = await deploy()
    runs.push(ours)
    // A revision of the family registered by hand, without the action's tag.
    const { taskDefinition } = await ecs().send(
      new RegisterTaskDefinitionCommand({
        family: FAMILY,
        containerDefinitions: [{ name: 'agent', image: 'busybox', memory: 128 }]
      })
    )
    const removed = await remove()
    runs.push(removed)
    expect(rows(removed, 'Security group')).toEqual([
      `Security group ${lookAlike.GroupId}: kept (not tagged as the action's)`
    ])
    expect(rows(removed, 'Task definition')).toEqual([
      `Task definition ${FAMILY}:${taskDefinition!.revision}: kept (not tagged as the action's)`,
      `Task definition ${ours.outputs['task-definition-arn'].split('/').pop()}: deleted`
    ])
    expect(await agentSecurityGroups(network.vpcId)).toEqual([lookAlike.GroupId])
    expect(await familyRevisions()).toEqual([taskDefinition!.taskDefinitionArn])
    const { SecurityGroups } = await ec2().send(
      new DescribeSecurityGroupsCommand({
        GroupIds: [given.GroupId!]
      })
    )
    expect(SecurityGroups).toHaveLength(1)
    expect(exposedSecrets(runs, [API_KEY])).toEqual([])
  })

  it('without wait, keeps the group its stopped agent still holds; a re-run deletes it', async () => {
    const deployed = await deploy()
    const group = deployed.outputs['security-group-id']
    const removed = await remove({ wait: 'false' })
    expect(rows(removed, 'Security group')).toEqual([
      expect.stringMatching(new RegExp(`^Security group ${group}: kept \\(in use by eni-\\w+\\)$`))
    ])
    expect(removed.stdout).toContain('A re-run of remove deletes the group')
    expect(await agentSecurityGroups(network.vpcId)).toEqual([group])

    const rerun = await remove({ wait: 'false' })
    expect(rows(rerun, 'Security group')).toEqual([
      `Security group ${group}: deleted (made by the action)`
    ])
    expect(await agentSecurityGroups(network.vpcId)).toEqual([])
    expect(exposedSecrets([deployed, removed, rerun], [API_KEY])).toEqual([])
  })
})
