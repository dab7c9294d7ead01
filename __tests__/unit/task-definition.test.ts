/**
 * The desired task definition, and the comparison that decides whether a re-run registers a new
 * revision. The described revisions here carry what ECS adds on its own (ARN, status, defaults of
 * container fields, reordered lists), which must not count as a change.
 */
import { describe, expect, it } from '@jest/globals'
import type { ContainerDefinition, TaskDefinition } from '@aws-sdk/client-ecs'
import type { EcsConfig } from '../../src/inputs.js'
import {
  API_KEY_VARIABLE,
  desiredTaskDefinition,
  taskDefinitionChanges,
  type ExistingTaskDefinition
} from '../../src/ecs/resources/task-definition.js'

const API_KEY = 'cak_unit_taskdef_5d0e3a9c71f24b68'
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cloudaeye/key-AbCdEf'
const EXECUTION_ROLE = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole'
const TASK_ROLE = 'arn:aws:iam::123456789012:role/cloudaeye-agent'

function config(overrides: Partial<EcsConfig> = {}): EcsConfig {
  return {
    platform: 'ecs',
    mode: 'deploy',
    removeLogs: false,
    runAs: 'task',
    cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
    clusterName: 'prod',
    region: 'us-east-1',
    endpoint: 'https://metrics.cloudaeye.example/v1',
    apiKey: API_KEY,
    agentImage: 'public.ecr.aws/cloudaeye/metrics-agent:1.0.0',
    agentName: 'cloudaeye-metrics-agent',
    services: ['checkout', 'payments'],
    wait: true,
    waitTimeoutMs: 300_000,
    tags: { team: 'platform', 'cloudaeye:agent': 'cloudaeye-metrics-agent' },
    vpcId: 'vpc-0123abcd',
    assignPublicIp: 'auto',
    taskRoleArn: TASK_ROLE,
    enableCloudServices: false,
    cpu: 256,
    memory: 512,
    ...overrides
  }
}

function containerOf(definition: { containerDefinitions?: ContainerDefinition[] }) {
  expect(definition.containerDefinitions).toHaveLength(1)
  return definition.containerDefinitions![0]
}

/**
 * What DescribeTaskDefinition returns for a revision registered from `desired`: the same fields
 * plus everything ECS fills in, with environment and tags in another order.
 */
function describedAs(base: EcsConfig): ExistingTaskDefinition {
  const desired = desiredTaskDefinition(base)
  const container = containerOf(desired)
  const definition: TaskDefinition = {
    taskDefinitionArn: `arn:aws:ecs:us-east-1:123456789012:task-definition/${desired.family}:7`,
    family: desired.family,
    revision: 7,
    status: 'ACTIVE',
    networkMode: desired.networkMode,
    requiresCompatibilities: desired.requiresCompatibilities,
    compatibilities: ['EC2', 'FARGATE'],
    requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.task-iam-role' }],
    cpu: desired.cpu,
    memory: desired.memory,
    executionRoleArn: desired.executionRoleArn,
    taskRoleArn: desired.taskRoleArn,
    registeredAt: new Date('2026-01-02T03:04:05Z'),
    registeredBy: 'arn:aws:sts::123456789012:assumed-role/deployer/gha',
    volumes: [],
    placementConstraints: [],
    containerDefinitions: [
      {
        // ECS returns fields it defaulted, and `essential` only when it was set.
        name: container.name,
        image: container.image,
        cpu: 0,
        memoryReservation: container.memoryReservation,
        portMappings: [],
        essential: true,
        environment: [...(container.environment ?? [])].reverse(),
        secrets: container.secrets,
        mountPoints: [],
        volumesFrom: [],
        systemControls: [],
        logConfiguration: container.logConfiguration
          ? {
              logDriver: container.logConfiguration.logDriver,
              options: Object.fromEntries(
                Object.entries(container.logConfiguration.options ?? {}).reverse()
              ),
              secretOptions: []
            }
          : undefined
      }
    ]
  }
  return { definition, tags: [...(desired.tags ?? [])].reverse() }
}

describe('desiredTaskDefinition', () => {
  it('is one essential Fargate container with the sizes, roles and tags', () => {
    const desired = desiredTaskDefinition(config({ executionRoleArn: EXECUTION_ROLE }))

    expect(desired).toMatchObject({
      family: 'cloudaeye-metrics-agent',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      executionRoleArn: EXECUTION_ROLE,
      taskRoleArn: TASK_ROLE
    })
    expect(desired.tags).toEqual([
      { key: 'team', value: 'platform' },
      { key: 'cloudaeye:agent', value: 'cloudaeye-metrics-agent' }
    ])
    const container = containerOf(desired)
    expect(container.name).toBe('agent')
    expect(container.image).toBe('public.ecr.aws/cloudaeye/metrics-agent:1.0.0')
    expect(container.essential).toBe(true)
  })

  it('tells the agent where to stream and what to collect', () => {
    const environment = containerOf(desiredTaskDefinition(config())).environment
    expect(environment).toEqual(
      expect.arrayContaining([
        { name: 'AWS_REGION', value: 'us-east-1' },
        // The name, not the ARN the user gave.
        { name: 'CLOUDAEYE_CLUSTER', value: 'prod' },
        { name: 'CLOUDAEYE_ENDPOINT', value: 'https://metrics.cloudaeye.example/v1' },
        { name: 'CLOUDAEYE_PLATFORM', value: 'ecs' },
        { name: 'CLOUDAEYE_SERVICES', value: 'checkout,payments' }
      ])
    )
  })

  it('puts a raw key in the environment and uses no secrets', () => {
    const container = containerOf(desiredTaskDefinition(config()))
    expect(container.environment).toContainEqual({ name: API_KEY_VARIABLE, value: API_KEY })
    expect(container.secrets).toBeUndefined()
  })

  it('injects a key kept in a secret, and keeps it out of the environment', () => {
    const container = containerOf(
      desiredTaskDefinition(
        config({ apiKey: undefined, apiKeySecretArn: SECRET_ARN, executionRoleArn: EXECUTION_ROLE })
      )
    )
    expect(container.secrets).toEqual([{ name: API_KEY_VARIABLE, valueFrom: SECRET_ARN }])
    expect(container.environment?.map(variable => variable.name)).not.toContain(API_KEY_VARIABLE)
  })

  it('logs to /ecs/<agent-name> with awslogs only when an execution role can write there', () => {
    const withRole = containerOf(
      desiredTaskDefinition(config({ agentName: 'agent-b', executionRoleArn: EXECUTION_ROLE }))
    )
    expect(withRole.logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: {
        'awslogs-group': '/ecs/agent-b',
        'awslogs-region': 'us-east-1',
        'awslogs-stream-prefix': 'agent',
        'awslogs-create-group': 'true'
      }
    })

    const withoutRole = desiredTaskDefinition(config({ executionRoleArn: undefined }))
    expect(containerOf(withoutRole).logConfiguration).toBeUndefined()
    expect(withoutRole.executionRoleArn).toBeUndefined()
  })

  it('reserves the task memory for the container', () => {
    const desired = desiredTaskDefinition(config({ cpu: 1024, memory: 3072 }))
    expect(desired.cpu).toBe('1024')
    expect(desired.memory).toBe('3072')
    expect(containerOf(desired).memoryReservation).toBe(3072)
  })
})

describe('taskDefinitionChanges', () => {
  it('finds nothing to change in a revision ECS filled with defaults and reordered', () => {
    for (const base of [
      config(),
      config({ executionRoleArn: EXECUTION_ROLE }),
      config({ apiKey: undefined, apiKeySecretArn: SECRET_ARN, executionRoleArn: EXECUTION_ROLE }),
      config({ taskRoleArn: undefined, services: [] })
    ]) {
      expect(taskDefinitionChanges(describedAs(base), desiredTaskDefinition(base))).toEqual([])
    }
  })

  it('treats an essential flag ECS left out as the default, true', () => {
    const existing = describedAs(config())
    delete existing.definition.containerDefinitions![0].essential
    expect(taskDefinitionChanges(existing, desiredTaskDefinition(config()))).toEqual([])
  })

  it('names the image when only the image differs', () => {
    const existing = describedAs(config())
    const desired = desiredTaskDefinition(config({ agentImage: 'cloudaeye/agent:1.1.0' }))
    expect(taskDefinitionChanges(existing, desired)).toEqual(['image'])
  })

  it('names cpu, and memory with its reservation, when the size differs', () => {
    const existing = describedAs(config())
    expect(
      taskDefinitionChanges(existing, desiredTaskDefinition(config({ cpu: 512, memory: 512 })))
    ).toEqual(['cpu'])
    expect(
      taskDefinitionChanges(existing, desiredTaskDefinition(config({ memory: 1024 }))).sort()
    ).toEqual(['memory', 'memoryReservation'])
  })

  it('names the environment when a variable differs, without printing any value', () => {
    const existing = describedAs(config())
    const rotated = desiredTaskDefinition(config({ apiKey: 'cak_rotated_key_00000000' }))
    const changes = taskDefinitionChanges(existing, rotated)
    expect(changes).toEqual(['environment'])
    expect(changes.join(' ')).not.toContain(API_KEY)

    const services = desiredTaskDefinition(config({ services: ['checkout'] }))
    expect(taskDefinitionChanges(existing, services)).toEqual(['environment'])
  })

  it('names the tags when a tag differs', () => {
    const existing = describedAs(config())
    const desired = desiredTaskDefinition(
      config({ tags: { team: 'data', 'cloudaeye:agent': 'cloudaeye-metrics-agent' } })
    )
    expect(taskDefinitionChanges(existing, desired)).toEqual(['tags'])
  })

  it('names every field that differs at once', () => {
    const existing = describedAs(config())
    const desired = desiredTaskDefinition(
      config({
        agentImage: 'cloudaeye/agent:2.0.0',
        cpu: 512,
        memory: 1024,
        services: [],
        tags: { 'cloudaeye:agent': 'cloudaeye-metrics-agent' },
        executionRoleArn: EXECUTION_ROLE
      })
    )
    expect(taskDefinitionChanges(existing, desired).sort()).toEqual(
      [
        'cpu',
        'environment',
        'executionRoleArn',
        'image',
        'logConfiguration',
        'memory',
        'memoryReservation',
        'tags'
      ].sort()
    )
  })

  it('names the switch from a raw key to a secret', () => {
    const existing = describedAs(config({ executionRoleArn: EXECUTION_ROLE }))
    const desired = desiredTaskDefinition(
      config({ apiKey: undefined, apiKeySecretArn: SECRET_ARN, executionRoleArn: EXECUTION_ROLE })
    )
    expect(taskDefinitionChanges(existing, desired).sort()).toEqual(['environment', 'secrets'])
  })
})
