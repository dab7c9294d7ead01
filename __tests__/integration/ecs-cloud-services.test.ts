/**
 * Cloud services on ECS against the emulator: without task-role-arn the action provides the
 * agent's task role (trusted by this account's ECS tasks in this region, capped by the
 * CloudWatch read-only boundary) and the task definition names it; a given task-role-arn wins.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs'
import {
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolesCommand
} from '@aws-sdk/client-iam'
import { desiredPolicyDocument } from '../../src/cloud-services/policy-document.js'
import { runAction } from '../support/action-harness.js'
import {
  REGION,
  createCluster,
  createNetwork,
  holdTaskStates,
  resetMoto,
  useMotoEnvironment,
  type Network
} from '../support/moto.js'

const ROLE = 'CloudAEye.ecs@prod.us-east-1'
let network: Network
const iam = () => new IAMClient({ region: REGION })

function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    platform: 'ecs',
    cluster: 'prod',
    'vpc-id': network.vpcId,
    'cloudaeye-endpoint': 'https://metrics.cloudaeye.example/v1',
    'cloudaeye-api-key': 'cak_ecs_cloud_3e61a0',
    'enable-cloud-services': 'true',
    ...overrides
  }
}

async function taskRoleOf(taskDefinitionArn: string): Promise<string | undefined> {
  const { taskDefinition } = await new ECSClient({ region: REGION }).send(
    new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn })
  )
  return taskDefinition?.taskRoleArn
}

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await holdTaskStates()
  network = await createNetwork()
  await createCluster('prod')
})

describe('ECS cloud services', () => {
  it('provides the task role, capped and trusted by this account and region only', async () => {
    const result = await runAction(inputs())
    expect(result.failed).toBe(false)

    const { Role } = await iam().send(new GetRoleCommand({ RoleName: ROLE }))
    expect(result.outputs['role-arn']).toBe(Role!.Arn)
    expect(await taskRoleOf(result.outputs['task-definition-arn'])).toBe(Role!.Arn)
    expect(Role!.PermissionsBoundary?.PermissionsBoundaryArn).toBe(
      'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess'
    )
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'EcsTasksOfThisAccountAndRegion',
          Effect: 'Allow',
          Principal: { Service: 'ecs-tasks.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': '123456789012' },
            ArnLike: { 'aws:SourceArn': 'arn:aws:ecs:us-east-1:123456789012:*' }
          }
        }
      ]
    })
    const policy = await iam().send(
      new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: 'CloudAEyeCloudWatchRead' })
    )
    expect(JSON.parse(decodeURIComponent(policy.PolicyDocument!))).toEqual(desiredPolicyDocument())
    expect(result.summary).toContain(ROLE)

    const again = await runAction(inputs())
    expect(again.failed).toBe(false)
    expect(again.outputs['changed']).toBe('false')
    expect(again.calls.filter(call => !/:(Describe|List|Get)/.test(call))).toEqual([])
  })

  it('uses a given task-role-arn and makes no role', async () => {
    const given = 'arn:aws:iam::123456789012:role/CloudAEyeAgentTask'
    const result = await runAction(inputs({ 'task-role-arn': given }))
    expect(result.failed).toBe(false)
    expect(await taskRoleOf(result.outputs['task-definition-arn'])).toBe(given)
    expect(result.outputs['role-arn']).toBeUndefined()
    const roles = await iam().send(new ListRolesCommand({}))
    expect(roles.Roles?.filter(role => role.RoleName?.startsWith('CloudAEye'))).toEqual([])
  })

  it('leaves alone a role of that name it did not make, before registering anything', async () => {
    await iam().send(
      new CreateRoleCommand({
        RoleName: ROLE,
        AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] })
      })
    )
    const result = await runAction(inputs())
    expect(result.failed).toBe(true)
    expect(result.log).toContain(
      `IAM role arn:aws:iam::123456789012:role/${ROLE} exists but was not made by this action`
    )
    expect(result.outputs['task-definition-arn']).toBeUndefined()
  })
})
