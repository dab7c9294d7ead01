/**
 * `ecs-run-as: service` against the emulator, whose service scheduler (scripts/moto-atomic-server.py)
 * runs the service's task as ECS does: created, steady, re-run without a change, an image rolled
 * out as a new deployment, and the switch between task and service both ways ending with one agent.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  type Service
} from '@aws-sdk/client-ecs'
import { runAction, type ActionResult } from '../support/action-harness.js'
import {
  REGION,
  createCluster,
  createNetwork,
  holdTaskStates,
  resetMoto,
  useMotoEnvironment,
  type Network
} from '../support/moto.js'

const API_KEY = 'cak_integration_service_5e1f0a9d7c'
const NAME = 'cloudaeye-metrics-agent'
const NEW_IMAGE = 'public.ecr.aws/cloudaeye/metrics-agent:1.1.0'

let network: Network
const ecs = () => new ECSClient({ region: REGION })

function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    platform: 'ecs',
    cluster: 'prod',
    'vpc-id': network.vpcId,
    'cloudaeye-endpoint': 'https://metrics.cloudaeye.example/v1',
    'cloudaeye-api-key': API_KEY,
    'ecs-run-as': 'service',
    ...overrides
  }
}

async function service(): Promise<Service | undefined> {
  const answer = await ecs().send(
    new DescribeServicesCommand({ cluster: 'prod', services: [NAME], include: ['TAGS'] })
  )
  return answer.services?.find(found => found.status !== 'INACTIVE')
}

/** Every agent task ECS keeps running, as [group, task ARN]. */
async function agents(): Promise<[string, string][]> {
  const listed = await ecs().send(
    new ListTasksCommand({ cluster: 'prod', family: NAME, desiredStatus: 'RUNNING' })
  )
  if (!listed.taskArns?.length) return []
  const described = await ecs().send(
    new DescribeTasksCommand({ cluster: 'prod', tasks: listed.taskArns })
  )
  return (described.tasks ?? []).map(task => [task.group!, task.taskArn!])
}

function expectClean(result: ActionResult): void {
  expect(result.failed).toBe(false)
  // The mask registration is the one place the key may appear: the runner hides it.
  const log = result.log.replace(/^::add-mask::.*$/gm, '')
  const shown = [log, result.summary, JSON.stringify(result.outputs)].join('\n')
  expect(shown).not.toContain(API_KEY)
}

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await holdTaskStates(50)
  network = await createNetwork()
  await createCluster('prod')
})

describe('ECS service mode against the emulator', () => {
  it('creates one steady Fargate service of the agent, with circuit breaker and tags', async () => {
    const result = await runAction(inputs())

    expectClean(result)
    expect(result.outputs['changed']).toBe('true')
    const created = await service()
    expect(created).toMatchObject({
      serviceArn: result.outputs['service-arn'],
      status: 'ACTIVE',
      desiredCount: 1,
      runningCount: 1,
      launchType: 'FARGATE',
      taskDefinition: result.outputs['task-definition-arn'],
      propagateTags: 'TASK_DEFINITION',
      enableECSManagedTags: true,
      deploymentConfiguration: expect.objectContaining({
        deploymentCircuitBreaker: { enable: true, rollback: true }
      }),
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: network.subnetIds,
          securityGroups: [result.outputs['security-group-id']],
          assignPublicIp: 'DISABLED'
        }
      }
    })
    expect(created!.tags).toEqual(
      expect.arrayContaining([{ key: 'cloudaeye:managed-by', value: 'metrics-agent-action' }])
    )
    expect(await agents()).toEqual([[`service:${NAME}`, result.outputs['task-arn']]])
    expect(result.log).toMatch(/Agent service cloudaeye-metrics-agent: created/)
    expect(result.summary).toContain(`/ecs/v2/clusters/prod/services/${NAME}`)
    expect(JSON.parse(result.outputs['plan'])).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ resource: 'Agent service', action: 'create' })
      ])
    )
  })

  it('re-runs without a mutating call, and rolls an image out as a new deployment', async () => {
    const first = await runAction(inputs())
    const second = await runAction(inputs())

    expectClean(second)
    expect(second.mutatingCalls).toEqual([])
    expect(second.outputs['changed']).toBe('false')
    expect(second.outputs['service-arn']).toBe(first.outputs['service-arn'])
    expect(second.outputs['task-arn']).toBe(first.outputs['task-arn'])
    expect(second.log).toMatch(/Agent service cloudaeye-metrics-agent: unchanged/)

    const third = await runAction(inputs({ 'agent-image': NEW_IMAGE }))
    expectClean(third)
    expect(third.mutatingCalls).toEqual(['ecs:RegisterTaskDefinition', 'ecs:UpdateService'])
    expect(third.log).toMatch(
      /Agent service cloudaeye-metrics-agent: updated \(changed: taskDefinition\)/
    )
    const step = (JSON.parse(third.outputs['plan']) as { resource: string; action: string }[]).find(
      found => found.resource === 'Agent service'
    )
    expect(step).toMatchObject({ action: 'update' })
    expect((await service())!.taskDefinition).toBe(third.outputs['task-definition-arn'])
    expect(await agents()).toEqual([[`service:${NAME}`, third.outputs['task-arn']]])
    expect(third.outputs['task-arn']).not.toBe(first.outputs['task-arn'])
  })

  it('switches from task to service and back, one agent at every end', async () => {
    const asTask = await runAction(inputs({ 'ecs-run-as': 'task' }))
    expectClean(asTask)
    expect(await agents()).toEqual([[`family:${NAME}`, asTask.outputs['task-arn']]])

    const asService = await runAction(inputs())
    expectClean(asService)
    expect(asService.log).toMatch(/: stopped \(replaced by the service's/)
    expect(await agents()).toEqual([[`service:${NAME}`, asService.outputs['task-arn']]])

    const back = await runAction(inputs({ 'ecs-run-as': 'task' }))
    expectClean(back)
    expect(back.log).toMatch(/Agent service cloudaeye-metrics-agent: deleted/)
    expect(await service()).toBeUndefined()
    expect(await agents()).toEqual([[`family:${NAME}`, back.outputs['task-arn']]])

    const again = await runAction(inputs({ 'ecs-run-as': 'task' }))
    expect(again.mutatingCalls).toEqual([])
  })

  it('refuses to take over a service of the agent name the action did not make', async () => {
    const first = await runAction(inputs())
    expectClean(first)
    const { UntagResourceCommand } = await import('@aws-sdk/client-ecs')
    await ecs().send(
      new UntagResourceCommand({
        resourceArn: first.outputs['service-arn'],
        tagKeys: ['cloudaeye:managed-by']
      })
    )
    const second = await runAction(inputs({ 'agent-image': NEW_IMAGE }))
    expect(second.failed).toBe(true)
    expect(second.mutatingCalls).toEqual([])
    expect(second.log).toMatch(/not tagged as the action's/)
  })
})
