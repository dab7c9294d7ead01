/**
 * Carries out a remove plan: the agent's service and tasks go first (they hold the group's
 * network interfaces and run as the role), then the revisions, the security group, the log group
 * and the role go at once. Each resource ends as a row: stopped, deleted, kept (with why) or
 * absent.
 */
import * as core from '@actions/core'
import { removeEcsTaskRole } from '../cloud-services/ecs-task-role.js'
import { consoleLinks } from '../aws/console-links.js'
import { errorCode, explainAwsFailure } from '../aws/errors.js'
import { ActionError } from '../errors.js'
import type { EcsConfig } from '../inputs.js'
import { formatElapsed, pollUntil } from '../poll.js'
import type { Report } from '../report.js'
import type { RunDependencies } from '../run-dependencies.js'
import type { EcsClients } from './clients.js'
import type { EcsRemovalPlan } from './plan-removal.js'
import { deleteService, waitUntilDrained } from './resources/agent-service.js'
import { stopTask } from './resources/agent-task.js'
import { deleteLogGroup } from './resources/log-group.js'
import { deleteRevisions, deregisterRevision } from './resources/revisions.js'
import { deleteSecurityGroup, interfacesUsing } from './resources/security-group-removal.js'

/** Shown as the stopped task's reason in the console. */
export const REMOVED = 'Removed by metrics-agent-action (mode: remove)'

export async function applyEcsRemoval(
  clients: EcsClients,
  config: EcsConfig,
  report: Report,
  deps: RunDependencies,
  plan: EcsRemovalPlan
): Promise<void> {
  for (const step of plan.steps) if (step.action === 'keep') report.recordKept(step)
  if (plan.service) {
    await core.group('Agent service', () => removeAgentService(clients, config, report, deps, plan))
  }
  await core.group('Agent tasks', () => stopAgentTasks(clients, config, report, plan))
  const results = await core.group('Task definitions, security group, log group, role', () =>
    Promise.allSettled([
      removeRevisions(clients, config, report, plan),
      removeSecurityGroup(clients, config, report, deps, plan),
      removeLogGroup(clients, report, plan),
      plan.taskRole ? removeEcsTaskRole(config, report, deps, plan.taskRole) : undefined
    ])
  )
  const failed = results.find(result => result.status === 'rejected')
  if (failed) throw failed.reason
}

/**
 * ECS deletes only a service scaled to 0, and it then drains while its tasks stop. With `wait`
 * the drain is waited for, so that nothing of the agent runs when the step ends.
 */
async function removeAgentService(
  { ecs }: EcsClients,
  config: EcsConfig,
  report: Report,
  { clock }: RunDependencies,
  plan: EcsRemovalPlan
): Promise<void> {
  const where = `service ${config.agentName} in cluster ${config.cluster}`
  try {
    if (!plan.service?.draining) {
      await deleteService(ecs, config).catch(error => {
        // A racing remove deleted it first.
        const gone = ['ServiceNotActiveException', 'ServiceNotFoundException']
        if (!gone.includes(errorCode(error) ?? '')) throw error
      })
    }
    report.record({ kind: 'Agent service', id: config.agentName, status: 'deleted' })
    if (config.wait) await waitUntilDrained(ecs, config, clock)
  } catch (error) {
    throw explainAwsFailure(error, where)
  }
}

async function stopAgentTasks(
  { ecs }: EcsClients,
  config: EcsConfig,
  report: Report,
  plan: EcsRemovalPlan
): Promise<void> {
  for (const task of plan.stop) {
    const id = task.taskArn?.split('/').pop() ?? ''
    await stopTask(ecs, config.cluster, task.taskArn!, REMOVED).catch(error => {
      throw explainAwsFailure(error, `agent task ${id} in cluster ${config.cluster}`)
    })
    report.record({
      kind: 'Agent task',
      id,
      status: 'stopped',
      note: 'removed',
      link: consoleLinks.task(config.region, config.clusterName, id)
    })
  }
}

async function removeRevisions(
  { ecs }: EcsClients,
  config: EcsConfig,
  report: Report,
  plan: EcsRemovalPlan
): Promise<void> {
  if (plan.delete.length === 0) return
  try {
    // ECS deletes only deregistered revisions.
    for (const arn of plan.deregister) await deregisterRevision(ecs, arn)
    const failures = await deleteRevisions(ecs, plan.delete)
    for (const arn of plan.delete) {
      if (failures.some(failure => failure.arn === arn)) continue
      report.record({ kind: 'Task definition', id: arn.split('/').pop() ?? arn, status: 'deleted' })
    }
    if (failures.length > 0) {
      throw new ActionError(
        `ecs:DeleteTaskDefinitions could not delete ${failures
          .map(failure => `${failure.arn} (${failure.reason})`)
          .join('; ')}`
      )
    }
  } catch (error) {
    throw explainAwsFailure(error, `task definition ${config.agentName}`)
  }
}

/**
 * AWS refuses to delete a group a network interface uses, and a Fargate task's interface is
 * released a while after the task stops. With `wait`, that release is waited for within
 * wait-timeout; otherwise, or past it, the group is kept and a re-run deletes it.
 */
async function removeSecurityGroup(
  { ec2 }: EcsClients,
  config: EcsConfig,
  report: Report,
  { clock }: RunDependencies,
  plan: EcsRemovalPlan
): Promise<void> {
  const id = plan.securityGroup
  if (!id) return
  const link = consoleLinks.securityGroup(config.region, id)
  try {
    let interfaces = await interfacesUsing(ec2, id)
    if (interfaces.length > 0 && config.wait) {
      const waited = await pollUntil({
        clock,
        timeoutMs: config.waitTimeoutMs,
        probe: () => interfacesUsing(ec2, id),
        done: ids => ids.length === 0,
        progress: (ids, elapsedMs) =>
          core.info(
            `Security group ${id}: still used by ${ids.join(', ')} (${formatElapsed(elapsedMs)})`
          )
      })
      interfaces = waited.value
    }
    const outcome = interfaces.length > 0 ? 'in use' : await deleteSecurityGroup(ec2, id)
    if (outcome === 'in use') {
      const users = interfaces.length > 0 ? interfaces.join(', ') : 'a network interface'
      report.record({
        kind: 'Security group',
        id,
        status: 'kept',
        note: `in use by ${users}`,
        link
      })
      report.note(
        `Security group ${id} is still used by ${users}: AWS releases a stopped task's network ` +
          `interface a while after the task stops. A re-run of remove deletes the group once ` +
          `nothing uses it${config.wait ? '' : " (or set 'wait: true' to wait for that)"}.`
      )
      return
    }
    report.record({ kind: 'Security group', id, status: outcome, note: 'made by the action' })
  } catch (error) {
    throw explainAwsFailure(error, `security group ${id}`)
  }
}

async function removeLogGroup(
  { logs }: EcsClients,
  report: Report,
  plan: EcsRemovalPlan
): Promise<void> {
  const name = plan.logGroup
  if (!name) return
  const status = await deleteLogGroup(logs(), name).catch(error => {
    throw explainAwsFailure(error, `log group ${name}`)
  })
  report.record({ kind: 'Log group', id: name, status, note: 'remove-logs' })
}
