import { beforeEach, describe, expect, it } from '@jest/globals'
import { CreateSecurityGroupCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2'
import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  ListTasksCommand
} from '@aws-sdk/client-ecs'
import { runAction } from '../support/action-harness.js'
import {
  agentSecurityGroups,
  REGION,
  createCluster,
  createNetwork,
  holdTaskStates,
  resetMoto,
  useMotoEnvironment,
  type Network
} from '../support/moto.js'

const API_KEY = 'cak_integration_0123456789abcdef'

let network: Network
const ecs = () => new ECSClient({ region: REGION })
const ec2 = () => new EC2Client({ region: REGION })

function ecsInputs(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    platform: 'ecs',
    cluster: 'prod',
    'vpc-id': network.vpcId,
    'cloudaeye-endpoint': 'https://metrics.cloudaeye.example/v1',
    'cloudaeye-api-key': API_KEY,
    services: 'checkout, payments',
    ...overrides
  }
}

async function runningAgentTasks(cluster = 'prod'): Promise<string[]> {
  const answer = await ecs().send(new ListTasksCommand({ cluster, desiredStatus: 'RUNNING' }))
  return answer.taskArns ?? []
}

const agentGroups = () => agentSecurityGroups(network.vpcId)

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await holdTaskStates()
  network = await createNetwork()
  await createCluster('prod')
})

describe('ECS deploy against the emulator', () => {
  it('creates the group, registers the task definition and runs one agent', async () => {
    const result = await runAction(ecsInputs())

    expect(result.failed).toBe(false)
    expect(result.outputs['changed']).toBe('true')
    expect(result.outputs['subnet-ids']).toBe(network.subnetIds.join(','))
    expect(await agentGroups()).toEqual([result.outputs['security-group-id']])
    expect(await runningAgentTasks()).toEqual([result.outputs['task-arn']])

    const described = await ecs().send(
      new DescribeTaskDefinitionCommand({ taskDefinition: result.outputs['task-definition-arn'] })
    )
    const container = described.taskDefinition!.containerDefinitions![0]
    expect(described.taskDefinition!.requiresCompatibilities).toEqual(['FARGATE'])
    expect(described.taskDefinition!.networkMode).toBe('awsvpc')
    expect(container.environment).toEqual(
      expect.arrayContaining([
        { name: 'CLOUDAEYE_ENDPOINT', value: 'https://metrics.cloudaeye.example/v1' },
        { name: 'CLOUDAEYE_CLUSTER', value: 'prod' },
        { name: 'CLOUDAEYE_PLATFORM', value: 'ecs' },
        { name: 'CLOUDAEYE_SERVICES', value: 'checkout,payments' },
        { name: 'AWS_REGION', value: REGION }
      ])
    )
    const task = await ecs().send(
      new DescribeTasksCommand({ cluster: 'prod', tasks: [result.outputs['task-arn']] })
    )
    expect(task.tasks![0].startedBy).toBe('cloudaeye-metrics-agent-action')
    expect(result.summary).toContain('Security group')
    expect(result.summary).toContain('created')
    expect(result.summary).not.toContain(API_KEY)
  })

  it('re-runs with nothing changed without a single mutating call', async () => {
    const first = await runAction(ecsInputs())
    const second = await runAction(ecsInputs())

    expect(second.failed).toBe(false)
    expect(second.mutatingCalls).toEqual([])
    expect(second.outputs['changed']).toBe('false')
    expect(second.outputs['task-arn']).toBe(first.outputs['task-arn'])
    expect(second.outputs['task-definition-arn']).toBe(first.outputs['task-definition-arn'])
    expect(second.outputs['security-group-id']).toBe(first.outputs['security-group-id'])
    expect(second.log).toMatch(/Task definition cloudaeye-metrics-agent:1: unchanged/)
    expect(second.log).toMatch(/Agent task \S+: reused/)
  })

  it('rolls an image change out as a new revision with one agent left running', async () => {
    const first = await runAction(ecsInputs())
    const second = await runAction(
      ecsInputs({ 'agent-image': 'public.ecr.aws/cloudaeye/metrics-agent:1.1.0' })
    )

    expect(second.failed).toBe(false)
    expect(second.outputs['task-definition-arn']).toMatch(/:2$/)
    expect(second.outputs['task-arn']).not.toBe(first.outputs['task-arn'])
    expect(await runningAgentTasks()).toEqual([second.outputs['task-arn']])
    expect(second.log).toMatch(
      /Task definition cloudaeye-metrics-agent:2: updated \(changed: image\)/
    )
    expect(second.log).toMatch(/: stopped \(replaced by/)
    const revisions = await ecs().send(
      new ListTaskDefinitionsCommand({ familyPrefix: 'cloudaeye-metrics-agent' })
    )
    expect(revisions.taskDefinitionArns).toHaveLength(2)
  })

  it('reuses a security group of that name that already exists in the VPC', async () => {
    const existing = await ec2().send(
      new CreateSecurityGroupCommand({
        GroupName: 'cloudaeye-metrics-agent',
        Description: 'made earlier',
        VpcId: network.vpcId
      })
    )
    const result = await runAction(ecsInputs())

    expect(result.failed).toBe(false)
    expect(result.outputs['security-group-id']).toBe(existing.GroupId)
    expect(result.mutatingCalls).not.toContain('ec2:CreateSecurityGroup')
    expect(result.log).toContain(`Security group ${existing.GroupId}: reused`)
    expect(await agentGroups()).toEqual([existing.GroupId])
  })

  it('puts the key in a container secret and logs to CloudWatch when given a secret ARN', async () => {
    const secretArn = `arn:aws:secretsmanager:${REGION}:123456789012:secret:cloudaeye-key-AbCdEf`
    const executionRole = 'arn:aws:iam::123456789012:role/agent-execution'
    const result = await runAction(
      ecsInputs({
        'cloudaeye-api-key': '',
        'cloudaeye-api-key-secret-arn': secretArn,
        'execution-role-arn': executionRole
      })
    )

    expect(result.failed).toBe(false)
    expect(result.log).not.toContain('::warning::')
    const described = await ecs().send(
      new DescribeTaskDefinitionCommand({ taskDefinition: result.outputs['task-definition-arn'] })
    )
    const container = described.taskDefinition!.containerDefinitions![0]
    expect(container.secrets).toEqual([{ name: 'CLOUDAEYE_API_KEY', valueFrom: secretArn }])
    expect(container.environment!.map(variable => variable.name)).not.toContain('CLOUDAEYE_API_KEY')
    expect(described.taskDefinition!.executionRoleArn).toBe(executionRole)
    expect(container.logConfiguration?.options?.['awslogs-group']).toBe(
      '/ecs/cloudaeye-metrics-agent'
    )
  })

  it('fails a VPC without subnets before creating anything', async () => {
    const empty = await ec2().send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))
    const result = await runAction(ecsInputs({ 'vpc-id': empty.Vpc!.VpcId! }))

    expect(result.failed).toBe(true)
    expect(result.log).toContain(
      `::error::VPC ${empty.Vpc!.VpcId} in region ${REGION} has no subnets.`
    )
    expect(result.mutatingCalls).toEqual([])
    expect(result.summary).toContain('Nothing was created.')
  })

  it('fails a VPC that does not exist, naming it and the region', async () => {
    const result = await runAction(ecsInputs({ 'vpc-id': 'vpc-0123456789abcdef0' }))

    expect(result.failed).toBe(true)
    expect(result.log).toContain(
      `::error::VPC vpc-0123456789abcdef0 not found in region ${REGION}. Check 'vpc-id' and 'aws-region'.`
    )
    expect(result.mutatingCalls).toEqual([])
  })

  it('refuses given subnets of another VPC before creating anything', async () => {
    const other = await createNetwork(1)
    const result = await runAction(ecsInputs({ 'subnet-ids': other.subnetIds[0] }))

    expect(result.failed).toBe(true)
    expect(result.log).toContain(
      `::error::Input 'subnet-ids': ${other.subnetIds[0]} (${other.vpcId}) not in ${network.vpcId}.`
    )
    expect(result.mutatingCalls).toEqual([])
  })

  it('runs in the given subnets and groups without creating a group', async () => {
    const group = await ec2().send(
      new CreateSecurityGroupCommand({
        GroupName: 'platform-egress',
        Description: "the platform team's group",
        VpcId: network.vpcId
      })
    )
    const result = await runAction(
      ecsInputs({ 'subnet-ids': network.subnetIds[1], 'security-group-ids': group.GroupId! })
    )

    expect(result.failed).toBe(false)
    expect(result.outputs['subnet-ids']).toBe(network.subnetIds[1])
    expect(result.outputs['security-group-id']).toBe(group.GroupId)
    expect(await agentGroups()).toEqual([])
    const task = await ecs().send(
      new DescribeTasksCommand({ cluster: 'prod', tasks: [result.outputs['task-arn']] })
    )
    const eni = task.tasks![0].attachments![0].details!
    expect(eni.find(detail => detail.name === 'subnetId')?.value).toBe(network.subnetIds[1])
  })
})
