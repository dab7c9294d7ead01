/**
 * The agent's task definition: what it should be, what the latest active revision is, and whether
 * they differ. A new revision is registered only when they do, so re-runs leave the family alone.
 */
import {
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  paginateListTaskDefinitionFamilies,
  type ContainerDefinition,
  type ECSClient,
  type KeyValuePair,
  type RegisterTaskDefinitionCommandInput,
  type Tag,
  type TaskDefinition
} from '@aws-sdk/client-ecs'
import type { EcsConfig } from '../../inputs.js'
import { fieldChanges } from '../../plan/field-changes.js'
import type { FieldChange } from '../../plan/step.js'

export const AGENT_CONTAINER = 'agent'
export const API_KEY_VARIABLE = 'CLOUDAEYE_API_KEY'

export interface ExistingTaskDefinition {
  definition: TaskDefinition
  tags: Tag[]
}

export function desiredTaskDefinition(config: EcsConfig): RegisterTaskDefinitionCommandInput {
  const environment: KeyValuePair[] = [
    { name: 'AWS_REGION', value: config.region },
    { name: 'CLOUDAEYE_CLUSTER', value: config.clusterName },
    { name: 'CLOUDAEYE_ENDPOINT', value: config.endpoint },
    { name: 'CLOUDAEYE_PLATFORM', value: 'ecs' },
    { name: 'CLOUDAEYE_SERVICES', value: config.services.join(',') }
  ].filter(variable => variable.value !== '')
  if (config.apiKey) environment.push({ name: API_KEY_VARIABLE, value: config.apiKey })
  const container: ContainerDefinition = {
    name: AGENT_CONTAINER,
    image: config.agentImage,
    essential: true,
    // A soft limit equal to the task's memory: Fargate needs none, but it keeps the container
    // definition valid on every ECS implementation (the emulator requires one).
    memoryReservation: config.memory,
    environment,
    secrets: config.apiKeySecretArn
      ? [{ name: API_KEY_VARIABLE, valueFrom: config.apiKeySecretArn }]
      : undefined,
    // awslogs needs the execution role to write; without one the agent logs nowhere.
    logConfiguration: config.executionRoleArn
      ? {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': `/ecs/${config.agentName}`,
            'awslogs-region': config.region,
            'awslogs-stream-prefix': AGENT_CONTAINER,
            'awslogs-create-group': 'true'
          }
        }
      : undefined
  }
  return {
    family: config.agentName,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: String(config.cpu),
    memory: String(config.memory),
    executionRoleArn: config.executionRoleArn,
    taskRoleArn: config.taskRoleArn,
    containerDefinitions: [container],
    tags: Object.entries(config.tags).map(([key, value]) => ({ key, value }))
  }
}

/** The latest ACTIVE revision of the family, with its tags; undefined when there is none. */
export async function findLatestTaskDefinition(
  ecs: ECSClient,
  family: string
): Promise<ExistingTaskDefinition | undefined> {
  // The prefix also matches longer family names; only an exact match is ours.
  let exists = false
  const pages = paginateListTaskDefinitionFamilies(
    { client: ecs },
    { familyPrefix: family, status: 'ACTIVE' }
  )
  for await (const page of pages) exists ||= (page.families ?? []).includes(family)
  return exists ? describeTaskDefinition(ecs, family) : undefined
}

/** One revision (an ARN, or a family for its latest ACTIVE revision), with its tags. */
export async function describeTaskDefinition(
  ecs: ECSClient,
  taskDefinition: string
): Promise<ExistingTaskDefinition> {
  const answer = await ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] })
  )
  if (!answer.taskDefinition)
    throw new Error(`ecs:DescribeTaskDefinition found no ${taskDefinition}`)
  return { definition: answer.taskDefinition, tags: answer.tags ?? [] }
}

/**
 * The fields of a definition that this action sets, with ECS's defaults filled in and lists
 * sorted, so that a described revision and a desired one compare equal when nothing changed.
 */
function comparable(definition: RegisterTaskDefinitionCommandInput | TaskDefinition, tags: Tag[]) {
  const byName = (a: { name?: string }, b: { name?: string }) =>
    (a.name ?? '').localeCompare(b.name ?? '')
  return {
    family: definition.family,
    networkMode: definition.networkMode,
    requiresCompatibilities: [...(definition.requiresCompatibilities ?? [])].sort(),
    cpu: definition.cpu,
    memory: definition.memory,
    executionRoleArn: definition.executionRoleArn ?? null,
    taskRoleArn: definition.taskRoleArn ?? null,
    containers: (definition.containerDefinitions ?? []).map(container => ({
      name: container.name,
      image: container.image,
      essential: container.essential ?? true,
      memoryReservation: container.memoryReservation ?? null,
      // ECS may drop variables with empty values; an empty one and a missing one mean the same.
      environment: [...(container.environment ?? [])]
        .filter(({ value }) => value)
        .map(({ name, value }) => ({ name, value }))
        .sort(byName),
      secrets: [...(container.secrets ?? [])]
        .map(({ name, valueFrom }) => ({ name, valueFrom }))
        .sort(byName),
      logConfiguration: container.logConfiguration
        ? {
            logDriver: container.logConfiguration.logDriver,
            options: Object.entries(container.logConfiguration.options ?? {}).sort()
          }
        : null
    })),
    tags: tags
      .map(({ key, value }) => ({ key, value }))
      .sort((a, b) => a.key!.localeCompare(b.key!))
  }
}

/**
 * Names the fields that differ between the latest revision and the desired one; empty when a
 * new revision is not needed. Names only: values may hold the API key.
 */
export function taskDefinitionChanges(
  existing: ExistingTaskDefinition,
  desired: RegisterTaskDefinitionCommandInput
): string[] {
  const before = flatten(comparable(existing.definition, existing.tags))
  const after = flatten(comparable(desired, desired.tags ?? []))
  const fields = new Set([...Object.keys(before), ...Object.keys(after)])
  return [...fields].filter(field => before[field] !== after[field])
}

/**
 * The field-by-field difference a plan shows: `image`, `environment.CLOUDAEYE_ENDPOINT`, with
 * the API key's variable masked. From nothing, every field the new definition sets.
 */
export function taskDefinitionDiff(
  existing: ExistingTaskDefinition | undefined,
  desired: RegisterTaskDefinitionCommandInput
): FieldChange[] {
  const before = existing && displayed(comparable(existing.definition, existing.tags))
  return fieldChanges(before, displayed(comparable(desired, desired.tags ?? [])), isApiKey)
}

const isApiKey = (path: string) =>
  path === `environment.${API_KEY_VARIABLE}` || path.endsWith(`.environment.${API_KEY_VARIABLE}`)

/**
 * Lists keyed by name, so that one changed variable is one changed field; the one container's
 * fields at the top, as `taskDefinitionChanges` names them.
 */
function displayed(value: ReturnType<typeof comparable>): Record<string, unknown> {
  const { containers, tags, ...task } = value
  const byName = <T extends { name?: string }>(list: T[], value: (item: T) => unknown) =>
    Object.fromEntries(list.map(item => [item.name ?? '', value(item)]))
  const shown = containers.map(({ name, environment, secrets, logConfiguration, ...rest }) => ({
    name,
    fields: {
      ...rest,
      environment: byName(environment, variable => variable.value),
      secrets: byName(secrets, secret => secret.valueFrom),
      logConfiguration: logConfiguration && {
        logDriver: logConfiguration.logDriver,
        options: Object.fromEntries(logConfiguration.options)
      }
    }
  }))
  return {
    ...task,
    tags: Object.fromEntries(tags.map(({ key, value }) => [key, value])),
    ...(shown.length === 1
      ? shown[0].fields
      : { containers: Object.fromEntries(shown.map(({ name, fields }) => [name, fields])) })
  }
}

/** `{ containers: [{ image }] }` into `{ image: '"..."' }`: one entry per field a user would name. */
function flatten(value: ReturnType<typeof comparable>): Record<string, string> {
  const { containers, ...task } = value
  const fields: Record<string, string> = {}
  for (const [key, field] of Object.entries(task)) fields[key] = JSON.stringify(field)
  fields.containers = String(containers.length)
  for (const container of containers) {
    for (const [key, field] of Object.entries(container)) {
      const name = containers.length > 1 ? `${container.name}.${key}` : key
      fields[name] = JSON.stringify(field)
    }
  }
  return fields
}

export async function registerTaskDefinition(
  ecs: ECSClient,
  desired: RegisterTaskDefinitionCommandInput
): Promise<TaskDefinition> {
  const answer = await ecs.send(new RegisterTaskDefinitionCommand(desired))
  if (!answer.taskDefinition?.taskDefinitionArn) {
    throw new Error('ecs:RegisterTaskDefinition returned no task definition')
  }
  return answer.taskDefinition
}
