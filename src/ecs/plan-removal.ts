/**
 * The remove plan: what of the agent is deleted, and what is kept and why. Only what the action
 * made goes: a service and revisions and a security group it tagged, tasks it started, its own
 * task role; the log group only when asked. A second remove finds each resource absent.
 */
import type { Task } from '@aws-sdk/client-ecs'
import { planEcsTaskRoleRemoval } from '../cloud-services/ecs-task-role.js'
import type { EcsConfig } from '../inputs.js'
import type { Step } from '../plan/step.js'
import type { EcsRemovalObservation } from './observe-removal.js'
import { isServiceTask, ownsService } from './resources/agent-service.js'
import { STARTED_BY } from './resources/agent-task.js'
import { agentLogGroup } from './resources/log-group.js'

export const NOT_OURS = "not tagged as the action's"

export interface EcsRemovalPlan {
  steps: Step[]
  /** The agent's service to scale to 0 and delete: it stops its own tasks. */
  service?: { draining: boolean }
  /** Agent tasks to stop. */
  stop: Task[]
  /** Revisions to deregister (the ACTIVE ones), then to delete (all of them). */
  deregister: string[]
  delete: string[]
  /** The agent's own group, deleted once no network interface uses it. */
  securityGroup?: string
  logGroup?: string
  taskRole?: string
}

const ABSENT = 'absent'

export function planEcsRemoval(config: EcsConfig, observed: EcsRemovalObservation): EcsRemovalPlan {
  const steps: Step[] = []
  const plan: EcsRemovalPlan = { steps, stop: [], deregister: [], delete: [] }

  const service = observed.service
  if (!service) {
    steps.push({
      resource: 'Agent service',
      id: config.agentName,
      action: 'keep',
      reason: observed.tasks ? ABSENT : `${ABSENT}: no cluster ${config.cluster}`
    })
  } else if (!ownsService(service)) {
    steps.push({
      resource: 'Agent service',
      id: config.agentName,
      action: 'keep',
      reason: NOT_OURS
    })
  } else {
    plan.service = { draining: service.status === 'DRAINING' }
    steps.push({
      resource: 'Agent service',
      id: config.agentName,
      action: 'delete',
      reason:
        service.status === 'DRAINING'
          ? 'deleted already; its tasks stop'
          : 'made by the action; scaled to 0 and deleted, which stops its tasks'
    })
  }

  // A service's tasks go (or stay) with their service.
  const tasks = (observed.tasks ?? []).filter(task => !isServiceTask(task, config.agentName))
  for (const task of tasks) {
    const id = task.taskArn?.split('/').pop() ?? ''
    if (task.startedBy === STARTED_BY) {
      plan.stop.push(task)
      steps.push({ resource: 'Agent task', id, action: 'delete', reason: 'started by the action' })
    } else {
      steps.push({
        resource: 'Agent task',
        id,
        action: 'keep',
        reason: 'not started by the action'
      })
    }
  }
  if (tasks.length === 0) {
    steps.push({
      resource: 'Agent task',
      id: config.agentName,
      action: 'keep',
      reason: observed.tasks ? ABSENT : `${ABSENT}: no cluster ${config.cluster}`
    })
  }

  for (const revision of observed.revisions) {
    if (!revision.owned) {
      steps.push({ resource: 'Task definition', id: revision.id, action: 'keep', reason: NOT_OURS })
      continue
    }
    if (revision.status === 'ACTIVE') plan.deregister.push(revision.arn)
    plan.delete.push(revision.arn)
    steps.push({
      resource: 'Task definition',
      id: revision.id,
      action: 'delete',
      reason: `registered by the action (${revision.status})`
    })
  }
  if (observed.revisions.length === 0) {
    steps.push({
      resource: 'Task definition',
      id: config.agentName,
      action: 'keep',
      reason: ABSENT
    })
  }

  if (config.securityGroupIds) {
    for (const id of config.securityGroupIds) {
      steps.push({ resource: 'Security group', id, action: 'keep', reason: 'given' })
    }
  } else if (!observed.agentGroup) {
    steps.push({ resource: 'Security group', id: config.agentName, action: 'keep', reason: ABSENT })
  } else if (!observed.agentGroup.owned) {
    steps.push({
      resource: 'Security group',
      id: observed.agentGroup.id,
      action: 'keep',
      reason: NOT_OURS
    })
  } else {
    plan.securityGroup = observed.agentGroup.id
    steps.push({
      resource: 'Security group',
      id: observed.agentGroup.id,
      action: 'delete',
      reason: 'made by the action; once no network interface uses it'
    })
  }

  const logGroup = agentLogGroup(config.agentName)
  if (!observed.logGroupExists) {
    steps.push({ resource: 'Log group', id: logGroup, action: 'keep', reason: ABSENT })
  } else if (config.removeLogs) {
    plan.logGroup = logGroup
    steps.push({ resource: 'Log group', id: logGroup, action: 'delete', reason: 'remove-logs' })
  } else {
    steps.push({
      resource: 'Log group',
      id: logGroup,
      action: 'keep',
      reason: "the agent's logs; remove-logs deletes it"
    })
  }

  const given = config.taskRoleArn
  if (given) steps.push({ resource: 'IAM role', id: given, action: 'keep', reason: 'given' })
  // A given role of the action's name is the user's to keep.
  if (!given || given.split('/').pop() !== observed.taskRole.name) {
    const step = planEcsTaskRoleRemoval(observed.taskRole)
    if (step.action === 'delete') plan.taskRole = observed.taskRole.name
    steps.push(step)
  }
  return plan
}
