/**
 * The deploy plan: from the configuration and what was observed, every decision of a deploy,
 * made before any change and without a call. `plan` mode prints its steps; deploy carries it out.
 */
import type { RegisterTaskDefinitionCommandInput, Task } from '@aws-sdk/client-ecs'
import { planEcsTaskRole, type EcsTaskRolePlan } from '../cloud-services/ecs-task-role.js'
import type { EcsConfig } from '../inputs.js'
import type { Step } from '../plan/step.js'
import type { EcsObservation } from './observe.js'
import { planAgentService, type ServicePlan } from './plan-service.js'
import { isServiceTask } from './resources/agent-service.js'
import type { Subnets } from './resources/network.js'
import {
  desiredTaskDefinition,
  taskDefinitionChanges,
  taskDefinitionDiff,
  type ExistingTaskDefinition
} from './resources/task-definition.js'

export interface EcsDeployPlan {
  steps: Step[]
  subnets: Subnets
  /** Why these subnets, for the summary. */
  subnetsNote: string
  assignPublicIp: 'ENABLED' | 'DISABLED'
  /** The user's groups, or the agent's own, to create when it does not exist. */
  securityGroup: { given: string[] } | { existing: string } | { create: true }
  taskRole?: EcsTaskRolePlan
  taskDefinition: {
    desired: RegisterTaskDefinitionCommandInput
    latest?: ExistingTaskDefinition
    /** A new revision is registered only when the latest differs (or there is none). */
    register: boolean
    /** The names of the fields that differ, for the summary. */
    changes: string[]
  }
  agentTask: {
    /** The oldest task of a current revision: kept. Without one, a task is started. */
    keep?: Task
    /** Every task found, in the order found: those not kept are stopped once the agent runs. */
    found: Task[]
    /** Whether each observed revision is current; a race may bring others, described then. */
    currentRevisions: Map<string, boolean>
  }
  /** The agent's service: what becomes of it, in either mode. */
  service: ServicePlan
}

export function planEcsDeploy(config: EcsConfig, observed: EcsObservation): EcsDeployPlan {
  const steps: Step[] = []
  const subnets = observed.subnets
  const subnetsNote = config.subnetIds
    ? 'given'
    : subnets.ids.length < subnets.offered
      ? `${subnets.ids.length} of the ${subnets.offered} in ${config.vpcId}`
      : `all of ${config.vpcId}`
  steps.push({
    resource: 'Subnets',
    id: subnets.ids.join(', '),
    action: 'keep',
    reason: subnetsNote
  })
  const publicIp =
    config.assignPublicIp === 'auto' ? subnets.mapsPublicIp : config.assignPublicIp === 'enabled'

  let securityGroup: EcsDeployPlan['securityGroup']
  if (config.securityGroupIds) {
    securityGroup = { given: config.securityGroupIds }
    for (const id of config.securityGroupIds) {
      steps.push({ resource: 'Security group', id, action: 'keep', reason: 'given' })
    }
  } else if (observed.agentGroup) {
    securityGroup = { existing: observed.agentGroup.id }
    steps.push({
      resource: 'Security group',
      id: observed.agentGroup.id,
      action: 'keep',
      reason: observed.agentGroup.owned ? 'exists' : `exists, named ${config.agentName}`
    })
  } else {
    securityGroup = { create: true }
    steps.push({
      resource: 'Security group',
      id: config.agentName,
      action: 'create',
      reason: 'missing'
    })
  }

  const taskRole = observed.taskRole && planEcsTaskRole(config, observed.taskRole)
  if (taskRole) steps.push(taskRole.identity.step)
  else if (config.taskRoleArn) {
    steps.push({ resource: 'IAM role', id: config.taskRoleArn, action: 'keep', reason: 'given' })
  }

  const desired = desiredTaskDefinition({
    ...config,
    taskRoleArn: taskRole?.arn ?? config.taskRoleArn
  })
  const latest = observed.latestDefinition
  const changes = latest ? taskDefinitionChanges(latest, desired) : []
  const register = !latest || changes.length > 0
  steps.push(taskDefinitionStep(config, latest, desired, register))

  const isCurrent = (definition: ExistingTaskDefinition) =>
    taskDefinitionChanges(definition, desired).length === 0
  const currentRevisions = new Map<string, boolean>()
  if (latest?.definition.taskDefinitionArn) {
    currentRevisions.set(latest.definition.taskDefinitionArn, !register)
  }
  for (const [arn, definition] of observed.taskRevisions) {
    currentRevisions.set(arn, isCurrent(definition))
  }
  // The service's tasks are the service's business; the task mode deals in standalone tasks.
  const standalone = observed.tasks.filter(task => !isServiceTask(task, config.agentName))
  const asTask = config.runAs === 'task'
  const keep = asTask
    ? standalone.find(task => currentRevisions.get(task.taskDefinitionArn ?? ''))
    : undefined
  if (asTask) steps.push(...agentTaskSteps(config, standalone, keep))
  const service = planAgentService(config, {
    service: observed.service,
    tasks: observed.tasks,
    revisionCurrent: currentRevisions.get(observed.service?.taskDefinition ?? '') === true,
    placement: {
      subnetIds: subnets.ids,
      assignPublicIp: publicIp ? 'ENABLED' : 'DISABLED',
      securityGroupIds:
        'given' in securityGroup
          ? securityGroup.given
          : 'existing' in securityGroup
            ? [securityGroup.existing]
            : undefined
    }
  })
  steps.push(...service.steps)

  return {
    steps,
    subnets,
    subnetsNote,
    assignPublicIp: publicIp ? 'ENABLED' : 'DISABLED',
    securityGroup,
    taskRole,
    taskDefinition: { desired, latest, register, changes },
    agentTask: { keep, found: asTask ? standalone : [], currentRevisions },
    service: service.plan
  }
}

function taskDefinitionStep(
  config: EcsConfig,
  latest: ExistingTaskDefinition | undefined,
  desired: RegisterTaskDefinitionCommandInput,
  register: boolean
): Step {
  const resource = 'Task definition'
  if (!latest) {
    return {
      resource,
      id: config.agentName,
      action: 'create',
      reason: 'missing',
      changes: taskDefinitionDiff(undefined, desired)
    }
  }
  const id = `${config.agentName}:${latest.definition.revision}`
  if (!register) return { resource, id, action: 'keep', reason: 'as it should be' }
  return {
    resource,
    id,
    action: 'update',
    reason: 'a new revision, as fields differ',
    changes: taskDefinitionDiff(latest, desired)
  }
}

const taskId = (task: Task) => task.taskArn?.split('/').pop() ?? ''
const revisionOf = (task: Task) => task.taskDefinitionArn?.split('/').pop() ?? 'unknown'

/**
 * One agent task: the oldest current one is kept; without one, the oldest outdated task is
 * replaced (or a task created), and every other agent task is stopped once the agent runs.
 */
function agentTaskSteps(config: EcsConfig, tasks: Task[], keep: Task | undefined): Step[] {
  const resource = 'Agent task'
  const steps: Step[] = []
  const replaced = keep ? undefined : tasks[0]
  if (keep) {
    steps.push({ resource, id: taskId(keep), action: 'keep', reason: 'runs the current revision' })
  } else if (replaced) {
    steps.push({
      resource,
      id: taskId(replaced),
      action: 'replace',
      reason: `runs ${revisionOf(replaced)}, not the current revision`
    })
  } else {
    steps.push({ resource, id: config.agentName, action: 'create', reason: 'none runs' })
  }
  for (const task of tasks) {
    if (task === keep || task === replaced) continue
    steps.push({
      resource,
      id: taskId(task),
      action: 'delete',
      reason: `an extra agent task (${revisionOf(task)}); one is kept`
    })
  }
  return steps
}
