/**
 * The ECS plans are pure: from a configuration and what was observed, every decision of a deploy
 * or a remove. These cases pin the decisions that the emulator runs cannot easily reach: an
 * outdated task beside a current one, extra tasks, untagged look-alikes, a given role.
 */
import { describe, expect, it } from '@jest/globals'
import type { Service, Task } from '@aws-sdk/client-ecs'
import type { EcsConfig } from '../../src/inputs.js'
import { planEcsDeploy } from '../../src/ecs/plan.js'
import { planEcsRemoval } from '../../src/ecs/plan-removal.js'
import { planAgentService } from '../../src/ecs/plan-service.js'
import type { EcsObservation } from '../../src/ecs/observe.js'
import type { EcsRemovalObservation } from '../../src/ecs/observe-removal.js'
import { STARTED_BY } from '../../src/ecs/resources/agent-task.js'
import {
  desiredTaskDefinition,
  type ExistingTaskDefinition
} from '../../src/ecs/resources/task-definition.js'
import { MANAGED_BY, MANAGED_BY_TAG } from '../../src/inputs.js'

const API_KEY = 'cak_unit_ecs_plan_0f3b9a2e7c5d4e61'
const FAMILY = 'cloudaeye-metrics-agent'
const ARN = (revision: number) =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${FAMILY}:${revision}`

function config(overrides: Partial<EcsConfig> = {}): EcsConfig {
  return {
    platform: 'ecs',
    mode: 'plan',
    removeLogs: false,
    runAs: 'task',
    cluster: 'prod',
    clusterName: 'prod',
    region: 'us-east-1',
    endpoint: 'https://metrics.cloudaeye.example/v1',
    apiKey: API_KEY,
    agentImage: 'public.ecr.aws/cloudaeye/metrics-agent:1.0.0',
    agentName: FAMILY,
    services: [],
    wait: true,
    waitTimeoutMs: 300_000,
    tags: { 'cloudaeye:agent': FAMILY, [MANAGED_BY_TAG]: MANAGED_BY },
    vpcId: 'vpc-0123abcd',
    assignPublicIp: 'auto',
    enableCloudServices: false,
    cpu: 256,
    memory: 512,
    ...overrides
  }
}

/** A revision as DescribeTaskDefinition returns it, registered from `base`. */
function revision(base: EcsConfig, number: number): ExistingTaskDefinition {
  const desired = desiredTaskDefinition(base)
  return {
    definition: { ...desired, taskDefinitionArn: ARN(number), revision: number },
    tags: desired.tags ?? []
  } as ExistingTaskDefinition
}

const task = (id: string, revisionNumber: number, startedBy = STARTED_BY): Task => ({
  taskArn: `arn:aws:ecs:us-east-1:123456789012:task/prod/${id}`,
  taskDefinitionArn: ARN(revisionNumber),
  lastStatus: 'RUNNING',
  startedBy
})

function observed(overrides: Partial<EcsObservation> = {}): EcsObservation {
  return {
    tasks: [],
    subnets: { ids: ['subnet-1', 'subnet-2'], mapsPublicIp: false, offered: 2 },
    taskRevisions: new Map(),
    ...overrides
  }
}

const summary = (steps: { resource: string; id: string; action: string }[]) =>
  steps.map(step => `${step.action} ${step.resource} ${step.id}`)

describe('the ECS deploy plan', () => {
  it('on an empty account creates the group, the task definition and the task', () => {
    const plan = planEcsDeploy(config(), observed())
    expect(summary(plan.steps)).toEqual([
      'keep Subnets subnet-1, subnet-2',
      `create Security group ${FAMILY}`,
      `create Task definition ${FAMILY}`,
      `create Agent task ${FAMILY}`
    ])
    const definition = plan.steps.find(step => step.resource === 'Task definition')!
    expect(JSON.stringify(plan.steps)).not.toContain(API_KEY)
    expect(definition.changes).toContainEqual(
      expect.objectContaining({ after: expect.stringContaining('***') })
    )
  })

  it('with nothing changed keeps everything, the oldest current task among them', () => {
    const base = config()
    const plan = planEcsDeploy(
      base,
      observed({
        agentGroup: { id: 'sg-1', owned: true },
        latestDefinition: revision(base, 3),
        tasks: [task('a', 3), task('b', 3)]
      })
    )
    expect(summary(plan.steps)).toEqual([
      'keep Subnets subnet-1, subnet-2',
      'keep Security group sg-1',
      `keep Task definition ${FAMILY}:3`,
      'keep Agent task a',
      'delete Agent task b'
    ])
    expect(plan.taskDefinition.register).toBe(false)
    expect(plan.agentTask.keep?.taskArn).toContain('/a')
  })

  it('after an image change: exactly the image differs, and the running task is replaced', () => {
    const before = config()
    const plan = planEcsDeploy(
      config({ agentImage: 'public.ecr.aws/cloudaeye/metrics-agent:1.0.1' }),
      observed({
        agentGroup: { id: 'sg-1', owned: true },
        latestDefinition: revision(before, 3),
        tasks: [task('a', 3)]
      })
    )
    const definition = plan.steps.find(step => step.resource === 'Task definition')!
    expect(definition.action).toBe('update')
    expect(definition.changes?.map(change => change.field)).toEqual([
      expect.stringMatching(/image$/)
    ])
    expect(definition.changes?.[0]).toMatchObject({
      before: expect.stringContaining(':1.0.0'),
      after: expect.stringContaining(':1.0.1')
    })
    expect(summary(plan.steps)).toContain('replace Agent task a')
  })

  it('keeps a current task of an older revision (a racing run registered the same content)', () => {
    const base = config()
    const plan = planEcsDeploy(
      base,
      observed({
        latestDefinition: revision(base, 4),
        tasks: [task('a', 3)],
        taskRevisions: new Map([[ARN(3), revision(base, 3)]])
      })
    )
    expect(summary(plan.steps)).toContain('keep Agent task a')
  })

  it('given groups and a given role are kept as given, and none is created', () => {
    const plan = planEcsDeploy(
      config({
        securityGroupIds: ['sg-user'],
        taskRoleArn: 'arn:aws:iam::123456789012:role/agent'
      }),
      observed()
    )
    expect(summary(plan.steps)).toEqual(
      expect.arrayContaining([
        'keep Security group sg-user',
        'keep IAM role arn:aws:iam::123456789012:role/agent'
      ])
    )
    expect(plan.securityGroup).toEqual({ given: ['sg-user'] })
  })
})

function removal(overrides: Partial<EcsRemovalObservation> = {}): EcsRemovalObservation {
  return {
    tasks: [],
    revisions: [],
    logGroupExists: false,
    taskRole: { name: 'CloudAEye.ecs@prod.us-east-1' },
    ...overrides
  }
}

describe('the ECS remove plan', () => {
  it('deletes only what the action made, and keeps look-alikes with the reason', () => {
    const plan = planEcsRemoval(
      config({ mode: 'remove' }),
      removal({
        tasks: [task('ours', 2), task('theirs', 2, 'someone-else')],
        revisions: [
          { arn: ARN(1), id: `${FAMILY}:1`, status: 'INACTIVE', owned: true },
          { arn: ARN(2), id: `${FAMILY}:2`, status: 'ACTIVE', owned: true },
          { arn: ARN(3), id: `${FAMILY}:3`, status: 'ACTIVE', owned: false }
        ],
        agentGroup: { id: 'sg-lookalike', owned: false },
        logGroupExists: true,
        taskRole: {
          name: 'CloudAEye.ecs@prod.us-east-1',
          observed: {
            arn: 'arn:aws:iam::123456789012:role/CloudAEye.ecs@prod.us-east-1',
            tags: [{ Key: MANAGED_BY_TAG, Value: MANAGED_BY }]
          }
        }
      })
    )
    expect(summary(plan.steps)).toEqual([
      `keep Agent service ${FAMILY}`,
      'delete Agent task ours',
      'keep Agent task theirs',
      `delete Task definition ${FAMILY}:1`,
      `delete Task definition ${FAMILY}:2`,
      `keep Task definition ${FAMILY}:3`,
      'keep Security group sg-lookalike',
      `keep Log group /ecs/${FAMILY}`,
      'delete IAM role CloudAEye.ecs@prod.us-east-1'
    ])
    expect(plan.deregister).toEqual([ARN(2)])
    expect(plan.delete).toEqual([ARN(1), ARN(2)])
    expect(plan.securityGroup).toBeUndefined()
    expect(plan.logGroup).toBeUndefined()
    expect(plan.steps.find(step => step.id === 'sg-lookalike')?.reason).toContain('not tagged')
  })

  it('deletes the log group only with remove-logs, and never a given role', () => {
    const given = 'arn:aws:iam::123456789012:role/CloudAEye.ecs@prod.us-east-1'
    const plan = planEcsRemoval(
      config({ mode: 'remove', removeLogs: true, taskRoleArn: given }),
      removal({
        logGroupExists: true,
        taskRole: {
          name: 'CloudAEye.ecs@prod.us-east-1',
          observed: { arn: given, tags: [{ Key: MANAGED_BY_TAG, Value: MANAGED_BY }] }
        }
      })
    )
    expect(plan.logGroup).toBe(`/ecs/${FAMILY}`)
    expect(plan.taskRole).toBeUndefined()
    expect(summary(plan.steps)).toContain(`keep IAM role ${given}`)
  })

  it('finds everything absent a second time, and a deleted cluster is no error', () => {
    const plan = planEcsRemoval(config({ mode: 'remove' }), removal({ tasks: undefined }))
    expect(plan.steps.every(step => step.action === 'keep')).toBe(true)
    expect(plan.steps.map(step => step.reason)).toEqual([
      'absent: no cluster prod',
      'absent: no cluster prod',
      'absent',
      'absent',
      'absent',
      'absent'
    ])
  })
})

describe('the ECS service plan (ecs-run-as: service)', () => {
  const TAGS = [{ key: MANAGED_BY_TAG, value: MANAGED_BY }]
  const placement = {
    subnetIds: ['subnet-b', 'subnet-a'],
    assignPublicIp: 'DISABLED' as const,
    securityGroupIds: ['sg-1']
  }
  const asService = () =>
    config({ runAs: 'service', tags: { [MANAGED_BY_TAG]: MANAGED_BY, team: 'metrics' } })
  const current = (overrides: Partial<Service> = {}): Service => ({
    serviceName: FAMILY,
    status: 'ACTIVE',
    desiredCount: 1,
    taskDefinition: ARN(1),
    tags: [...TAGS, { key: 'team', value: 'metrics' }],
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: ['subnet-a', 'subnet-b'],
        securityGroups: ['sg-1'],
        assignPublicIp: 'DISABLED'
      }
    },
    ...overrides
  })
  const plan = (service: Service | undefined, revisionCurrent = true, tasks: Task[] = []) =>
    planAgentService(asService(), { service, tasks, revisionCurrent, placement })

  it('creates a missing service, and one whose predecessor drains', () => {
    expect(plan(undefined).steps).toEqual([
      { resource: 'Agent service', id: FAMILY, action: 'create', reason: 'missing' }
    ])
    const draining = plan(current({ status: 'DRAINING' }))
    expect(draining.plan).toMatchObject({ action: 'create', draining: true })
    expect(draining.steps[0].reason).toBe('missing; the deleted one drains first')
  })

  it('keeps a service as it should be, whatever the order of its subnets', () => {
    const kept = plan(current())
    expect(kept.plan.action).toBe('keep')
    expect(kept.steps).toEqual([
      { resource: 'Agent service', id: FAMILY, action: 'keep', reason: 'as it should be' }
    ])
  })

  it('updates exactly the fields that differ', () => {
    expect(plan(current(), false).steps[0].changes).toEqual([
      { field: 'taskDefinition', before: `${FAMILY}:1`, after: 'the current revision' }
    ])
    const drifted = plan(
      current({
        desiredCount: 0,
        tags: TAGS,
        deploymentConfiguration: {},
        networkConfiguration: {
          awsvpcConfiguration: { subnets: ['subnet-a'], securityGroups: ['sg-1'] }
        }
      })
    )
    expect(drifted.plan).toMatchObject({
      action: 'update',
      taskDefinition: false,
      network: true,
      desiredCount: true,
      circuitBreaker: true,
      tags: [{ key: 'team', value: 'metrics' }]
    })
    expect(drifted.steps[0].changes?.map(change => change.field)).toEqual([
      'networkConfiguration',
      'tags.team',
      'desiredCount',
      'deploymentConfiguration.deploymentCircuitBreaker'
    ])
  })

  it('refuses a service of the name it did not make, planning no change', () => {
    const theirs = plan(current({ tags: [] }))
    expect(theirs.plan.conflict).toContain("not tagged as the action's")
    expect(theirs.steps).toEqual([
      expect.objectContaining({ action: 'keep', reason: "not tagged as the action's" })
    ])
  })

  it('switching: stops standalone tasks for a service, deletes its own service for a task', () => {
    const switched = plan(current(), true, [
      task('standalone', 1),
      { ...task('ofService', 1), group: `service:${FAMILY}` }
    ])
    expect(switched.steps.map(step => `${step.action} ${step.resource} ${step.id}`)).toEqual([
      `keep Agent service ${FAMILY}`,
      'delete Agent task standalone'
    ])
    const asTask = (service: Service) =>
      planAgentService(config({ runAs: 'task' }), {
        service,
        tasks: [],
        revisionCurrent: true,
        placement
      })
    expect(asTask(current()).steps).toEqual([
      expect.objectContaining({ resource: 'Agent service', action: 'delete' })
    ])
    expect(asTask(current({ tags: [] })).steps).toEqual([
      expect.objectContaining({ action: 'keep', reason: "not tagged as the action's" })
    ])
  })
})
