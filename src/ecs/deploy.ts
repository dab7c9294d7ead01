/**
 * The ECS Fargate path: look everything up at once, fail before creating anything if the cluster
 * or network is wrong, then converge the security group, the task definition and the one agent task.
 */
import * as core from '@actions/core'
import { EC2Client } from '@aws-sdk/client-ec2'
import { ECSClient, type RegisterTaskDefinitionCommandInput, type Task } from '@aws-sdk/client-ecs'
import type { RunDependencies } from '../run-dependencies.js'
import { clientConfig, instrument } from '../aws/clients.js'
import { consoleLinks } from '../aws/console-links.js'
import { errorCode, explainAwsFailure } from '../aws/errors.js'
import { ActionError } from '../errors.js'
import { MAX_TASK_SUBNETS, type EcsConfig } from '../inputs.js'
import type { Clock } from '../poll.js'
import type { Report } from '../report.js'
import {
  findAgentTasks,
  replacedBy,
  runAgentTask,
  stopTask,
  stoppedReasons,
  waitUntilSettled,
  type Placement
} from './agent-task.js'
import { CurrentRevisions } from './current-revisions.js'
import {
  checkGivenSecurityGroups,
  createAgentSecurityGroup,
  findAgentSecurityGroup,
  findSubnets
} from './network.js'
import {
  desiredTaskDefinition,
  findLatestTaskDefinition,
  registerTaskDefinition,
  taskDefinitionChanges
} from './task-definition.js'

export async function deployToEcs(config: EcsConfig, report: Report, deps: RunDependencies) {
  const settings = clientConfig(config.region, deps.signal)
  const ecs = instrument(new ECSClient(settings), 'ecs', deps.callLog)
  const ec2 = instrument(new EC2Client(settings), 'ec2', deps.callLog)
  try {
    if (config.apiKey) {
      core.warning(
        'cloudaeye-api-key is stored in the task definition, where anyone allowed ' +
          'ecs:DescribeTaskDefinition can read it. Store it in Secrets Manager or SSM and pass ' +
          'cloudaeye-api-key-secret-arn instead.'
      )
    }
    const found = await core.group('Looking up cluster, network and task definition', () =>
      lookUp(ecs, ec2, config)
    )
    // With cloud services and no task-role-arn, the task definition names the role the action
    // provides, so the role comes first.
    const roleThenDefinition = async () => {
      const taskRoleArn =
        config.enableCloudServices && !config.taskRoleArn
          ? await (
              await import('../cloud-services/ecs-task-role.js')
            ).provideEcsTaskRole(config, report, deps)
          : config.taskRoleArn
      const desired = desiredTaskDefinition({ ...config, taskRoleArn })
      const arn = await settleTaskDefinition(ecs, config, report, found.latestDefinition, desired)
      return { desired, arn }
    }
    // Independent of each other, so one wave of calls; both settle before a failure is thrown,
    // so the summary lists whatever the other created.
    const [network, definition] = await core.group('Security group and task definition', () =>
      Promise.allSettled([settleNetwork(ec2, config, report, found), roleThenDefinition()])
    )
    if (network.status === 'rejected') throw network.reason
    if (definition.status === 'rejected') throw definition.reason
    const placement = network.value
    const { desired, arn: taskDefinitionArn } = definition.value
    const current = new CurrentRevisions(ecs, desired, taskDefinitionArn)
    await core.group('Agent task', () =>
      settleAgentTask(ecs, config, report, deps.clock, current, placement, found.tasks)
    )
  } finally {
    ecs.destroy()
    ec2.destroy()
  }
}

type Lookups = Awaited<ReturnType<typeof lookUp>>

/** Independent reads, concurrently; any of them failing stops the step with nothing created. */
async function lookUp(ecs: ECSClient, ec2: EC2Client, config: EcsConfig) {
  const [tasks, subnets, agentGroupId, latestDefinition] = await Promise.all([
    findAgentTasks(ecs, config.cluster, config.agentName).catch(error => {
      if (errorCode(error) === 'ClusterNotFoundException') {
        throw new ActionError(
          `ECS cluster '${config.cluster}' not found in region ${config.region}. Check 'cluster' ` +
            `and 'aws-region', and that the credentials are for the cluster's account.`
        )
      }
      throw explainAwsFailure(error, `agent tasks in cluster ${config.cluster}`)
    }),
    findSubnets(ec2, config).catch(error => {
      throw explainAwsFailure(error, `subnets of ${config.vpcId}`)
    }),
    (config.securityGroupIds
      ? checkGivenSecurityGroups(ec2, config, config.securityGroupIds).then(() => undefined)
      : findAgentSecurityGroup(ec2, config)
    ).catch(error => {
      throw explainAwsFailure(error, `security groups of ${config.vpcId}`)
    }),
    findLatestTaskDefinition(ecs, config.agentName).catch(error => {
      throw explainAwsFailure(error, `task definition ${config.agentName}`)
    })
  ])
  if (subnets.ids.length < subnets.offered) {
    core.info(
      `${config.vpcId} has ${subnets.offered} subnets, more than the ${MAX_TASK_SUBNETS} RunTask ` +
        `takes: using ${subnets.ids.join(', ')}, chosen as the README describes. Set ` +
        `'subnet-ids' to choose others.`
    )
  }
  core.info(
    `Found ${subnets.ids.length} subnet(s), ${tasks.length} agent task(s), ` +
      `task definition ${latestDefinition ? `revision ${latestDefinition.definition.revision}` : 'none'}.`
  )
  return { tasks, subnets, agentGroupId, latestDefinition }
}

async function settleNetwork(
  ec2: EC2Client,
  config: EcsConfig,
  report: Report,
  found: Lookups
): Promise<Placement> {
  const subnetIds = found.subnets.ids
  report.record({
    kind: 'Subnets',
    id: subnetIds.join(', '),
    status: 'reused',
    link: consoleLinks.subnets(config.region, config.vpcId),
    note: config.subnetIds
      ? 'given'
      : found.subnets.ids.length < found.subnets.offered
        ? `${found.subnets.ids.length} of the ${found.subnets.offered} in ${config.vpcId}`
        : `all of ${config.vpcId}`
  })
  report.output('subnet-ids', subnetIds.join(','))

  let securityGroupIds = config.securityGroupIds
  if (securityGroupIds) {
    for (const id of securityGroupIds) {
      report.record({
        kind: 'Security group',
        id,
        status: 'reused',
        note: 'given',
        link: consoleLinks.securityGroup(config.region, id)
      })
    }
  } else {
    let id = found.agentGroupId
    let status: 'created' | 'reused' = 'reused'
    if (!id) {
      const created = await createAgentSecurityGroup(ec2, config).catch(error => {
        throw explainAwsFailure(error, `security group ${config.agentName} in ${config.vpcId}`)
      })
      id = created.id
      if (created.createdHere) status = 'created'
    }
    report.record({
      kind: 'Security group',
      id,
      status,
      link: consoleLinks.securityGroup(config.region, id)
    })
    securityGroupIds = [id]
  }
  report.output('security-group-id', securityGroupIds.join(','))

  const publicIp =
    config.assignPublicIp === 'auto'
      ? found.subnets.mapsPublicIp
      : config.assignPublicIp === 'enabled'
  return { subnetIds, securityGroupIds, assignPublicIp: publicIp ? 'ENABLED' : 'DISABLED' }
}

async function settleTaskDefinition(
  ecs: ECSClient,
  config: EcsConfig,
  report: Report,
  latest: Lookups['latestDefinition'],
  desired: RegisterTaskDefinitionCommandInput
): Promise<string> {
  const changes = latest ? taskDefinitionChanges(latest, desired) : []
  let definition = latest?.definition
  if (!definition || changes.length > 0) {
    definition = await registerTaskDefinition(ecs, desired).catch(error => {
      throw explainAwsFailure(error, `task definition ${config.agentName}`)
    })
  }
  const arn = definition.taskDefinitionArn ?? ''
  report.record({
    kind: 'Task definition',
    id: `${config.agentName}:${definition.revision}`,
    status: !latest ? 'created' : changes.length > 0 ? 'updated' : 'unchanged',
    note: changes.length > 0 ? `changed: ${changes.join(', ')}` : undefined,
    link: consoleLinks.taskDefinition(config.region, config.agentName, definition.revision ?? 0)
  })
  report.output('task-definition-arn', arn)
  return arn
}

async function settleAgentTask(
  ecs: ECSClient,
  config: EcsConfig,
  report: Report,
  clock: Clock,
  current: CurrentRevisions,
  placement: Placement,
  tasks: Task[]
): Promise<void> {
  try {
    let agent = (await current.of(tasks))[0]
    let status: 'created' | 'reused' = 'reused'
    if (!agent) {
      agent = await runAgentTask(ecs, config, current.arn, placement)
      status = 'created'
      // Recorded at once, so a failed wait still tells the user which task exists.
      recordTask(report, config, agent, status)
    }
    if (config.wait && agent.lastStatus !== 'RUNNING') {
      agent = await waitUntilSettled(ecs, config, agent.taskArn!, clock)
    }
    let everyAgent = tasks
    if (status === 'created' && config.wait) {
      const kept = await keepOldestAgent(ecs, config, clock, agent, current)
      if (kept.agent.taskArn !== agent.taskArn) status = 'reused'
      agent = kept.agent
      everyAgent = kept.everyAgent
    }
    if (agent.lastStatus === 'STOPPED') {
      recordTask(report, config, agent, status)
      throw new ActionError(
        `Agent task ${agent.taskArn} stopped before it ran: ${stoppedReasons(agent)}`
      )
    }
    recordTask(report, config, agent, status)
    const others = everyAgent.filter(task => task.taskArn !== agent.taskArn)
    if (agent.lastStatus !== 'RUNNING') {
      if (others.length > 0) {
        core.info(
          `Leaving ${others.length} older agent task(s) until this one runs; a re-run stops them.`
        )
      }
      return
    }
    for (const task of others) {
      await stopTask(ecs, config.cluster, task.taskArn!, replacedBy(agent.taskArn!))
      recordTask(report, config, task, 'stopped', `replaced by ${taskId(agent)}`)
    }
  } catch (error) {
    throw explainAwsFailure(error, `agent task in cluster ${config.cluster}`)
  }
}

/**
 * After starting a task, a run racing this one may have started its own. Both keep the oldest
 * task of a current revision; the run whose task lost adopts (and waits for) the other.
 */
async function keepOldestAgent(
  ecs: ECSClient,
  config: EcsConfig,
  clock: Clock,
  ours: Task,
  current: CurrentRevisions
): Promise<{ agent: Task; everyAgent: Task[] }> {
  const everyAgent = await findAgentTasks(ecs, config.cluster, config.agentName)
  const oldest = (await current.of(everyAgent))[0]
  if (!oldest || oldest.taskArn === ours.taskArn) return { agent: ours, everyAgent }
  core.info(`A concurrent run started ${oldest.taskArn} first; keeping that one.`)
  const agent =
    oldest.lastStatus === 'RUNNING'
      ? oldest
      : await waitUntilSettled(ecs, config, oldest.taskArn!, clock)
  return { agent, everyAgent }
}

function taskId(task: Task): string {
  return task.taskArn?.split('/').pop() ?? ''
}

function recordTask(
  report: Report,
  config: EcsConfig,
  task: Task,
  status: 'created' | 'reused' | 'stopped',
  note?: string
): void {
  report.record({
    kind: 'Agent task',
    id: taskId(task),
    status,
    note: note ?? task.lastStatus,
    link: consoleLinks.task(config.region, config.clusterName, taskId(task))
  })
  if (status !== 'stopped') report.output('task-arn', task.taskArn ?? '')
}
