/**
 * The agent as an ECS service of one Fargate task (`ecs-run-as: service`): ECS starts another task
 * when one stops, which a standalone task does not get. Finding the service, what it should be,
 * creating, updating and tagging it, waiting until it is steady, and deleting it.
 */
import { createHash, randomUUID } from 'node:crypto'
import * as core from '@actions/core'
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  TagResourceCommand,
  UpdateServiceCommand,
  type ECSClient,
  type NetworkConfiguration,
  type Service,
  type Tag,
  type Task
} from '@aws-sdk/client-ecs'
import { ActionError } from '../../errors.js'
import { MANAGED_BY, MANAGED_BY_TAG, type EcsConfig } from '../../inputs.js'
import { formatElapsed, pollUntil, type Clock } from '../../poll.js'
import { findAgentTasks, stoppedReasons, type Placement } from './agent-task.js'

/** The agent runs as one task: a second would double every metric. */
export const SERVICE_TASKS = 1

/** The group ECS gives a service's tasks; a standalone task's group is `family:<family>`. */
export const serviceGroup = (name: string) => `service:${name}`

export const isServiceTask = (task: Task, name: string) => task.group === serviceGroup(name)

export const ownsService = (service: Service) =>
  (service.tags ?? []).some(tag => tag.key === MANAGED_BY_TAG && tag.value === MANAGED_BY)

/**
 * The agent's service when ECS still knows it as ACTIVE or DRAINING; an INACTIVE one is gone for
 * every purpose but its name, which may be used again.
 */
export async function findAgentService(
  ecs: ECSClient,
  cluster: string,
  name: string
): Promise<Service | undefined> {
  const answer = await ecs.send(
    new DescribeServicesCommand({ cluster, services: [name], include: ['TAGS'] })
  )
  return answer.services?.find(
    service => service.serviceName === name && service.status !== 'INACTIVE'
  )
}

export interface DesiredService {
  taskDefinition: string
  network: NetworkConfiguration
  tags: Tag[]
}

export function desiredNetwork(placement: Placement): NetworkConfiguration {
  return {
    awsvpcConfiguration: {
      subnets: [...placement.subnetIds].sort(),
      securityGroups: [...placement.securityGroupIds].sort(),
      assignPublicIp: placement.assignPublicIp
    }
  }
}

export const desiredTags = (config: EcsConfig): Tag[] =>
  Object.entries(config.tags).map(([key, value]) => ({ key, value }))

/** Whether the service's network is the desired one; the order of IDs does not matter. */
export function sameNetwork(service: Service, desired: NetworkConfiguration): boolean {
  const have = service.networkConfiguration?.awsvpcConfiguration
  const want = desired.awsvpcConfiguration
  const ids = (list?: string[]) => [...(list ?? [])].sort().join(',')
  return (
    ids(have?.subnets) === ids(want?.subnets) &&
    ids(have?.securityGroups) === ids(want?.securityGroups) &&
    (have?.assignPublicIp ?? 'DISABLED') === want?.assignPublicIp
  )
}

/** The desired tags the service lacks or has with another value; tags it has besides stay. */
export function missingTags(service: Service, desired: Tag[]): Tag[] {
  const have = new Map((service.tags ?? []).map(tag => [tag.key, tag.value]))
  return desired.filter(tag => have.get(tag.key) !== tag.value)
}

/** The circuit breaker stops a deployment whose tasks keep failing and rolls it back. */
export function hasCircuitBreaker(service: Service): boolean {
  const breaker = service.deploymentConfiguration?.deploymentCircuitBreaker
  return breaker?.enable === true && breaker.rollback === true
}

const DEPLOYMENT = {
  deploymentCircuitBreaker: { enable: true, rollback: true },
  // One agent at a time: the old task stops before the new one starts would leave a gap, two at
  // once a short double count; a gap-free rollout is what the circuit breaker can roll back.
  maximumPercent: 200,
  minimumHealthyPercent: 100
}

/**
 * The same token for the same cluster, service and workflow run attempt, so an SDK retry of
 * CreateService is answered with the service it created; CreateService takes 36 characters.
 */
function createServiceToken(config: EcsConfig): string {
  const runId = process.env.GITHUB_RUN_ID
  if (!runId) return randomUUID()
  const parts = [config.cluster, config.agentName, runId, process.env.GITHUB_RUN_ATTEMPT ?? '1']
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 36)
}

export async function createService(
  ecs: ECSClient,
  config: EcsConfig,
  desired: DesiredService
): Promise<Service> {
  const answer = await ecs.send(
    new CreateServiceCommand({
      cluster: config.cluster,
      serviceName: config.agentName,
      taskDefinition: desired.taskDefinition,
      desiredCount: SERVICE_TASKS,
      launchType: 'FARGATE',
      networkConfiguration: desired.network,
      deploymentConfiguration: DEPLOYMENT,
      schedulingStrategy: 'REPLICA',
      propagateTags: 'TASK_DEFINITION',
      enableECSManagedTags: true,
      tags: desired.tags,
      clientToken: createServiceToken(config)
    })
  )
  if (!answer.service?.serviceArn) throw new ActionError('ecs:CreateService returned no service.')
  return answer.service
}

export interface ServiceUpdate {
  taskDefinition?: string
  network?: NetworkConfiguration
  desiredCount?: number
  deploymentConfiguration?: boolean
}

export async function updateService(
  ecs: ECSClient,
  config: EcsConfig,
  update: ServiceUpdate
): Promise<Service> {
  const answer = await ecs.send(
    new UpdateServiceCommand({
      cluster: config.cluster,
      service: config.agentName,
      taskDefinition: update.taskDefinition,
      networkConfiguration: update.network,
      desiredCount: update.desiredCount,
      deploymentConfiguration: update.deploymentConfiguration ? DEPLOYMENT : undefined
    })
  )
  if (!answer.service?.serviceArn) throw new ActionError('ecs:UpdateService returned no service.')
  return answer.service
}

/** UpdateService takes no tags: they are added with TagResource. */
export async function tagService(ecs: ECSClient, serviceArn: string, tags: Tag[]): Promise<void> {
  await ecs.send(new TagResourceCommand({ resourceArn: serviceArn, tags }))
}

/** ECS deletes only a service scaled to 0; its tasks then stop while it drains. */
export async function deleteService(ecs: ECSClient, config: EcsConfig): Promise<void> {
  await updateService(ecs, config, { desiredCount: 0 })
  await ecs.send(new DeleteServiceCommand({ cluster: config.cluster, service: config.agentName }))
}

const primaryOf = (service?: Service) =>
  service?.deployments?.find(deployment => deployment.status === 'PRIMARY')

/** Steady: the primary deployment rolled out and runs as many tasks as it should. */
export function isSteady(service?: Service): boolean {
  const primary = primaryOf(service)
  return (
    primary?.rolloutState === 'COMPLETED' &&
    service?.runningCount === service?.desiredCount &&
    (service?.deployments?.length ?? 0) === 1
  )
}

const hasFailed = (service?: Service) => primaryOf(service)?.rolloutState === 'FAILED'

/**
 * A deleted service drains while its tasks stop; its name can be used again only once it is
 * INACTIVE. Waits for that within wait-timeout.
 */
export async function waitUntilDrained(
  ecs: ECSClient,
  config: EcsConfig,
  clock: Clock
): Promise<void> {
  const { value } = await pollUntil({
    clock,
    timeoutMs: config.waitTimeoutMs,
    probe: () => findAgentService(ecs, config.cluster, config.agentName),
    done: service => service?.status !== 'DRAINING',
    progress: (_service, elapsedMs) =>
      core.info(`Service ${config.agentName}: draining (${formatElapsed(elapsedMs)})`)
  })
  if (value?.status === 'DRAINING') {
    throw new ActionError(
      `Service ${config.agentName} in cluster ${config.cluster} is still draining after ` +
        `wait-timeout: ECS refuses a new service of its name until its tasks stopped. Re-run ` +
        `once it is INACTIVE, or raise 'wait-timeout'.`
    )
  }
}

/**
 * Polls until the service is steady, and returns it. A deployment the circuit breaker failed,
 * or none steady by the deadline, fails the step with the reasons its tasks stopped.
 */
export async function waitUntilSteady(
  ecs: ECSClient,
  config: EcsConfig,
  clock: Clock
): Promise<Service> {
  const { value: service, elapsedMs } = await pollUntil({
    clock,
    timeoutMs: config.waitTimeoutMs,
    probe: () => findAgentService(ecs, config.cluster, config.agentName),
    done: service => isSteady(service) || hasFailed(service) || !service,
    progress: (service, elapsedMs) => {
      const primary = primaryOf(service)
      core.info(
        `Service ${config.agentName}: ${primary?.rolloutState ?? 'no deployment'}, ` +
          `${service?.runningCount ?? 0} of ${service?.desiredCount ?? SERVICE_TASKS} running ` +
          `(${formatElapsed(elapsedMs)})`
      )
    }
  })
  if (service && isSteady(service)) return service
  const stopped = await stoppedServiceTasks(ecs, config)
  const reasons =
    stopped.length > 0
      ? ` Its stopped tasks: ${stopped.map(task => `${taskId(task)}: ${stoppedReasons(task)}`).join(' | ')}.`
      : ''
  if (!service) {
    throw new ActionError(`Service ${config.agentName} is gone from cluster ${config.cluster}.`)
  }
  if (hasFailed(service)) {
    const why = primaryOf(service)?.rolloutStateReason ?? 'the deployment failed'
    throw new ActionError(
      `Service ${config.agentName}'s deployment failed (${why}); the circuit breaker rolls it ` +
        `back.${reasons}`
    )
  }
  throw new ActionError(
    `Service ${config.agentName} is not steady after ${formatElapsed(elapsedMs)}, past ` +
      `wait-timeout: ${service.runningCount ?? 0} of ${service.desiredCount ?? 1} task(s) ` +
      `running.${reasons} Raise 'wait-timeout' if pulls are slow, or check the service's events.`
  )
}

const taskId = (task: Task) => task.taskArn?.split('/').pop() ?? ''

/** The service's tasks that stopped, newest first, from the family's recent tasks. */
async function stoppedServiceTasks(ecs: ECSClient, config: EcsConfig): Promise<Task[]> {
  const tasks = await findAgentTasks(ecs, config.cluster, config.agentName, 'STOPPED').catch(
    () => []
  )
  return tasks
    .filter(task => isServiceTask(task, config.agentName))
    .reverse()
    .slice(0, 3)
}

/** The service's task that runs, if one does: the `task-arn` output. */
export async function runningServiceTask(
  ecs: ECSClient,
  config: EcsConfig
): Promise<Task | undefined> {
  const tasks = await findAgentTasks(ecs, config.cluster, config.agentName)
  return tasks.find(task => isServiceTask(task, config.agentName) && task.lastStatus === 'RUNNING')
}
