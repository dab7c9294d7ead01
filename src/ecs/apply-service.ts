/**
 * Carries out the service part of a deploy plan. As a service: creates or updates it as planned,
 * waits until it is steady, and then stops the standalone agent tasks a task-mode run left. As a
 * task: deletes the action's service once the standalone task runs. The only re-reads are those
 * a racing run calls for: a service another run created first is adopted.
 */
import * as core from '@actions/core'
import type { Service, Task } from '@aws-sdk/client-ecs'
import { consoleLinks } from '../aws/console-links.js'
import { errorCode, explainAwsFailure } from '../aws/errors.js'
import { ActionError } from '../errors.js'
import type { EcsConfig } from '../inputs.js'
import type { Clock } from '../poll.js'
import type { Report } from '../report.js'
import { recordTask, taskId } from './apply.js'
import type { EcsClients } from './clients.js'
import type { EcsDeployPlan } from './plan.js'
import {
  createService,
  deleteService,
  desiredNetwork,
  desiredTags,
  findAgentService,
  isServiceTask,
  ownsService,
  runningServiceTask,
  sameNetwork,
  tagService,
  updateService,
  waitUntilDrained,
  waitUntilSteady
} from './resources/agent-service.js'
import { findAgentTasks, replacedBy, stopTask, type Placement } from './resources/agent-task.js'
import type { CurrentRevisions } from './resources/current-revisions.js'

export async function settleAgentService(
  { ecs }: EcsClients,
  config: EcsConfig,
  report: Report,
  clock: Clock,
  current: CurrentRevisions,
  placement: Placement,
  plan: EcsDeployPlan
): Promise<void> {
  const planned = plan.service
  const network = desiredNetwork(placement)
  const link = consoleLinks.service(config.region, config.clusterName, config.agentName)
  let service: Service | undefined = planned.existing
  let status: 'created' | 'updated' | 'unchanged' | 'reused' = 'unchanged'
  let note: string | undefined
  try {
    if (planned.action === 'create') {
      if (planned.draining) await waitUntilDrained(ecs, config, clock)
      const created = await createOrAdopt(ecs, config, current, network)
      service = created.service
      status = created.status
      note = created.note
    } else if (planned.action === 'update' && service) {
      const fields: string[] = []
      const update = {
        taskDefinition: planned.taskDefinition ? current.arn : undefined,
        // A group created by this run is known only now: the network is compared again.
        network: planned.network && !sameNetwork(service, network) ? network : undefined,
        desiredCount: planned.desiredCount ? 1 : undefined,
        deploymentConfiguration: planned.circuitBreaker
      }
      if (update.taskDefinition) fields.push('taskDefinition')
      if (update.network) fields.push('networkConfiguration')
      if (update.desiredCount) fields.push('desiredCount')
      if (update.deploymentConfiguration) fields.push('deploymentConfiguration')
      if (fields.length > 0) service = await updateService(ecs, config, update)
      if (planned.tags.length > 0) {
        await tagService(ecs, service.serviceArn!, planned.tags)
        fields.push('tags')
      }
      if (fields.length > 0) {
        status = 'updated'
        note = `changed: ${fields.join(', ')}`
      }
    }
    if (!service) throw new ActionError(`Service ${config.agentName} was not found.`)
    const record = () =>
      report.record({
        kind: 'Agent service',
        id: config.agentName,
        status,
        note,
        link
      })
    // Recorded at once, so a failed wait still tells the user the service exists.
    record()
    report.output('service-arn', service.serviceArn ?? '')
    if (config.wait) await waitUntilSteady(ecs, config, clock)
    const task = await runningServiceTask(ecs, config)
    if (task) recordTask(report, config, task, 'reused', "the service's task")
    await stopStandaloneTasks(ecs, config, report, plan, task)
  } catch (error) {
    throw explainAwsFailure(error, `service ${config.agentName} in cluster ${config.cluster}`)
  }
}

/**
 * Creates the service. A run racing this one may have created it first: ECS then refuses a
 * second one of the name, and that service is adopted, updated only where it is not current.
 */
async function createOrAdopt(
  ecs: EcsClients['ecs'],
  config: EcsConfig,
  current: CurrentRevisions,
  network: ReturnType<typeof desiredNetwork>
): Promise<{ service: Service; status: 'created' | 'reused' | 'updated'; note?: string }> {
  const tags = desiredTags(config)
  try {
    const service = await createService(ecs, config, {
      taskDefinition: current.arn,
      network,
      tags
    })
    return { service, status: 'created' }
  } catch (error) {
    if (errorCode(error) !== 'InvalidParameterException') throw error
    const existing = await findAgentService(ecs, config.cluster, config.agentName)
    if (existing?.status !== 'ACTIVE' || !ownsService(existing)) throw error
    core.info(`A concurrent run created service ${config.agentName} first; using that one.`)
    const revisionCurrent = await current.isCurrent(existing.taskDefinition ?? '')
    const networkSame = sameNetwork(existing, network)
    if (revisionCurrent && networkSame) {
      return { service: existing, status: 'reused', note: 'created by a concurrent run' }
    }
    const service = await updateService(ecs, config, {
      taskDefinition: revisionCurrent ? undefined : current.arn,
      network: networkSame ? undefined : network
    })
    return { service, status: 'updated', note: 'created by a concurrent run' }
  }
}

/**
 * Switching from task to service: the standalone agent tasks stop once the service's task runs,
 * so the agent is never down. Read again, as a racing task-mode run may have started one.
 */
async function stopStandaloneTasks(
  ecs: EcsClients['ecs'],
  config: EcsConfig,
  report: Report,
  plan: EcsDeployPlan,
  serviceTask: Task | undefined
): Promise<void> {
  if (!serviceTask) {
    if (plan.service.standalone.length > 0) {
      core.info(
        `Leaving ${plan.service.standalone.length} standalone agent task(s) until the ` +
          `service's task runs; a re-run stops them.`
      )
    }
    return
  }
  const standalone = (await findAgentTasks(ecs, config.cluster, config.agentName)).filter(
    task => !isServiceTask(task, config.agentName)
  )
  for (const task of standalone) {
    await stopTask(ecs, config.cluster, task.taskArn!, replacedBy(serviceTask.taskArn!))
    recordTask(report, config, task, 'stopped', `replaced by the service's ${taskId(serviceTask)}`)
  }
}

/**
 * Switching from service to task: the action's service is scaled to 0 and deleted once the
 * standalone task runs; until then it stays, and a re-run deletes it.
 */
export async function removeReplacedService(
  { ecs }: EcsClients,
  config: EcsConfig,
  report: Report,
  agent: Task
): Promise<void> {
  const link = consoleLinks.service(config.region, config.clusterName, config.agentName)
  if (agent.lastStatus !== 'RUNNING') {
    core.info(`Leaving service ${config.agentName} until the agent task runs; a re-run deletes it.`)
    report.record({
      kind: 'Agent service',
      id: config.agentName,
      status: 'kept',
      note: 'until the standalone task runs',
      link
    })
    return
  }
  try {
    // A racing run may have deleted it already.
    const service = await findAgentService(ecs, config.cluster, config.agentName)
    if (service?.status === 'ACTIVE' && ownsService(service)) {
      await deleteService(ecs, config).catch(error => {
        const gone = ['ServiceNotActiveException', 'ServiceNotFoundException']
        if (!gone.includes(errorCode(error) ?? '')) throw error
      })
    }
    report.record({
      kind: 'Agent service',
      id: config.agentName,
      status: 'deleted',
      note: `replaced by task ${taskId(agent)}`
    })
  } catch (error) {
    throw explainAwsFailure(error, `service ${config.agentName} in cluster ${config.cluster}`)
  }
}
