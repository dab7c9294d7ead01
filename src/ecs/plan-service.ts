/**
 * The agent's service in a deploy plan, in both modes. As a service: created when missing,
 * updated in the fields that differ, kept otherwise, and the standalone tasks of the task mode
 * stopped once its task runs. As a task: a service the action made is deleted once the standalone
 * task runs. Pure, like the rest of the plan.
 */
import type { Service, Tag, Task } from '@aws-sdk/client-ecs'
import type { EcsConfig } from '../inputs.js'
import type { FieldChange, Step } from '../plan/step.js'
import {
  SERVICE_TASKS,
  hasCircuitBreaker,
  isServiceTask,
  missingTags,
  ownsService,
  sameNetwork,
  desiredNetwork,
  desiredTags
} from './resources/agent-service.js'
import type { Placement } from './resources/agent-task.js'

const RESOURCE = 'Agent service'
const NOT_OURS = "not tagged as the action's"

export interface ServicePlan {
  /** What happens to the service: none when there is none and none is wanted. */
  action: 'create' | 'update' | 'keep' | 'delete' | 'none'
  existing?: Service
  /** The service of the agent's name drains after a delete: a new one waits for that. */
  draining: boolean
  /** For update: the revision must change (to the one the run settles on). */
  taskDefinition: boolean
  /** For update: the network to set, when it differs (or the group is still to be created). */
  network: boolean
  tags: Tag[]
  desiredCount: boolean
  circuitBreaker: boolean
  /** A service named like the agent the action did not make: the run stops before any change. */
  conflict?: string
  /** Service mode: the standalone agent tasks, stopped once the service's task runs. */
  standalone: Task[]
}

export interface ServiceInputs {
  service?: Service
  tasks: Task[]
  /** Whether the service's revision has the desired content. */
  revisionCurrent: boolean
  /** The network the plan can know; the group is missing when it is still to be created. */
  placement: Omit<Placement, 'securityGroupIds'> & { securityGroupIds?: string[] }
}

export function planAgentService(
  config: EcsConfig,
  { service, tasks, revisionCurrent, placement }: ServiceInputs
): { plan: ServicePlan; steps: Step[] } {
  const active = service?.status === 'ACTIVE' ? service : undefined
  const plan: ServicePlan = {
    action: 'none',
    existing: active,
    draining: service?.status === 'DRAINING',
    taskDefinition: false,
    network: false,
    tags: [],
    desiredCount: false,
    circuitBreaker: false,
    standalone: []
  }
  const steps: Step[] = []
  const id = config.agentName

  if (config.runAs === 'task') {
    if (!active) return { plan, steps }
    if (!ownsService(active)) {
      steps.push({ resource: RESOURCE, id, action: 'keep', reason: NOT_OURS })
      return { plan: { ...plan, action: 'keep' }, steps }
    }
    steps.push({
      resource: RESOURCE,
      id,
      action: 'delete',
      reason: 'ecs-run-as is task: scaled to 0 and deleted once the standalone task runs'
    })
    return { plan: { ...plan, action: 'delete' }, steps }
  }

  if (active && !ownsService(active)) {
    plan.conflict =
      `A service named ${id} exists in cluster ${config.cluster}, ${NOT_OURS}. Give another ` +
      `'agent-name', or delete that service.`
    steps.push({ resource: RESOURCE, id, action: 'keep', reason: NOT_OURS })
    return { plan: { ...plan, action: 'keep' }, steps }
  }

  if (!active) {
    plan.action = 'create'
    steps.push({
      resource: RESOURCE,
      id,
      action: 'create',
      reason: plan.draining ? 'missing; the deleted one drains first' : 'missing'
    })
  } else {
    const changes: FieldChange[] = []
    const revision = (arn?: string) => arn?.split('/').pop()
    if (!revisionCurrent) {
      plan.taskDefinition = true
      changes.push({
        field: 'taskDefinition',
        before: revision(active.taskDefinition),
        after: 'the current revision'
      })
    }
    const network = placement.securityGroupIds
      ? desiredNetwork({ ...placement, securityGroupIds: placement.securityGroupIds })
      : undefined
    if (!network || !sameNetwork(active, network)) {
      plan.network = true
      const awsvpc = active.networkConfiguration?.awsvpcConfiguration
      changes.push({
        field: 'networkConfiguration',
        before: JSON.stringify(awsvpc ?? {}),
        after: network
          ? JSON.stringify(network.awsvpcConfiguration)
          : 'the security group to be created'
      })
    }
    plan.tags = missingTags(active, desiredTags(config))
    for (const tag of plan.tags) {
      const before = active.tags?.find(have => have.key === tag.key)?.value
      changes.push({ field: `tags.${tag.key}`, before, after: tag.value })
    }
    if (active.desiredCount !== SERVICE_TASKS) {
      plan.desiredCount = true
      changes.push({
        field: 'desiredCount',
        before: String(active.desiredCount),
        after: String(SERVICE_TASKS)
      })
    }
    if (!hasCircuitBreaker(active)) {
      plan.circuitBreaker = true
      changes.push({
        field: 'deploymentConfiguration.deploymentCircuitBreaker',
        before: JSON.stringify(active.deploymentConfiguration?.deploymentCircuitBreaker ?? {}),
        after: JSON.stringify({ enable: true, rollback: true })
      })
    }
    plan.action = changes.length > 0 ? 'update' : 'keep'
    steps.push(
      changes.length > 0
        ? { resource: RESOURCE, id, action: 'update', reason: 'fields differ', changes }
        : { resource: RESOURCE, id, action: 'keep', reason: 'as it should be' }
    )
  }

  plan.standalone = tasks.filter(task => !isServiceTask(task, config.agentName))
  for (const task of plan.standalone) {
    steps.push({
      resource: 'Agent task',
      id: task.taskArn?.split('/').pop() ?? '',
      action: 'delete',
      reason: "a standalone agent task; stopped once the service's task runs"
    })
  }
  return { plan, steps }
}
