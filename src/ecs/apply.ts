/**
 * Carries out a deploy plan: the security group and the task definition (after the task role it
 * names), then the one agent task. Nothing is decided here that the plan decided; the only
 * re-reads are those a run racing this one calls for.
 */
import * as core from '@actions/core'
import type { Task } from '@aws-sdk/client-ecs'
import { applyEcsTaskRole } from '../cloud-services/ecs-task-role.js'
import { consoleLinks } from '../aws/console-links.js'
import { explainAwsFailure } from '../aws/errors.js'
import { ActionError } from '../errors.js'
import type { EcsConfig } from '../inputs.js'
import type { Clock } from '../poll.js'
import type { Report } from '../report.js'
import type { RunDependencies } from '../run-dependencies.js'
import type { EcsClients } from './clients.js'
import type { EcsDeployPlan } from './plan.js'
import {
  findAgentTasks,
  replacedBy,
  runAgentTask,
  stopTask,
  stoppedReasons,
  waitUntilSettled,
  type Placement
} from './resources/agent-task.js'
import { CurrentRevisions } from './resources/current-revisions.js'
import { createAgentSecurityGroup } from './resources/network.js'
import { isServiceTask } from './resources/agent-service.js'
import { removeReplacedService, settleAgentService } from './apply-service.js'
import { registerTaskDefinition } from './resources/task-definition.js'

export async function applyEcsDeploy(
  clients: EcsClients,
  config: EcsConfig,
  report: Report,
  deps: RunDependencies,
  plan: EcsDeployPlan
): Promise<void> {
  if (plan.service.conflict) throw new ActionError(plan.service.conflict)
  // The task definition names the role the action provides, so the role comes first.
  const roleThenDefinition = async () => {
    if (plan.taskRole) await applyEcsTaskRole(config, report, deps, plan.taskRole)
    return settleTaskDefinition(clients, config, report, plan)
  }
  // Independent of each other, so one wave of calls; both settle before a failure is thrown,
  // so the summary lists whatever the other created.
  const [network, definition] = await core.group('Security group and task definition', () =>
    Promise.allSettled([settleNetwork(clients, config, report, plan), roleThenDefinition()])
  )
  if (network.status === 'rejected') throw network.reason
  if (definition.status === 'rejected') throw definition.reason
  const current = new CurrentRevisions(
    clients.ecs,
    plan.taskDefinition.desired,
    definition.value,
    plan.agentTask.currentRevisions
  )
  if (config.runAs === 'service') {
    await core.group('Agent service', () =>
      settleAgentService(clients, config, report, deps.clock, current, network.value, plan)
    )
    return
  }
  const agent = await core.group('Agent task', () =>
    settleAgentTask(clients, config, report, deps.clock, current, network.value, plan)
  )
  if (plan.service.action === 'delete') {
    await core.group('Agent service', () => removeReplacedService(clients, config, report, agent))
  }
}

async function settleNetwork(
  { ec2 }: EcsClients,
  config: EcsConfig,
  report: Report,
  plan: EcsDeployPlan
): Promise<Placement> {
  const subnetIds = plan.subnets.ids
  report.record({
    kind: 'Subnets',
    id: subnetIds.join(', '),
    status: 'reused',
    link: consoleLinks.subnets(config.region, config.vpcId),
    note: plan.subnetsNote
  })
  report.output('subnet-ids', subnetIds.join(','))

  let securityGroupIds: string[]
  const group = plan.securityGroup
  if ('given' in group) {
    securityGroupIds = group.given
    for (const id of group.given) {
      report.record({
        kind: 'Security group',
        id,
        status: 'reused',
        note: 'given',
        link: consoleLinks.securityGroup(config.region, id)
      })
    }
  } else {
    let id: string
    let status: 'created' | 'reused' = 'reused'
    if ('existing' in group) id = group.existing
    else {
      // A racing run may have created it since: then it is reused, not created.
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
  return { subnetIds, securityGroupIds, assignPublicIp: plan.assignPublicIp }
}

async function settleTaskDefinition(
  { ecs }: EcsClients,
  config: EcsConfig,
  report: Report,
  plan: EcsDeployPlan
): Promise<string> {
  const { desired, latest, register, changes } = plan.taskDefinition
  let definition = latest?.definition
  if (register || !definition) {
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
  { ecs }: EcsClients,
  config: EcsConfig,
  report: Report,
  clock: Clock,
  current: CurrentRevisions,
  placement: Placement,
  plan: EcsDeployPlan
): Promise<Task> {
  try {
    let agent = plan.agentTask.keep
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
    let everyAgent = plan.agentTask.found
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
      return agent
    }
    for (const task of others) {
      await stopTask(ecs, config.cluster, task.taskArn!, replacedBy(agent.taskArn!))
      recordTask(report, config, task, 'stopped', `replaced by ${taskId(agent)}`)
    }
    return agent
  } catch (error) {
    throw explainAwsFailure(error, `agent task in cluster ${config.cluster}`)
  }
}

/**
 * After starting a task, a run racing this one may have started its own. Both keep the oldest
 * task of a current revision; the run whose task lost adopts (and waits for) the other.
 */
async function keepOldestAgent(
  ecs: EcsClients['ecs'],
  config: EcsConfig,
  clock: Clock,
  ours: Task,
  current: CurrentRevisions
): Promise<{ agent: Task; everyAgent: Task[] }> {
  const everyAgent = (await findAgentTasks(ecs, config.cluster, config.agentName)).filter(
    task => !isServiceTask(task, config.agentName)
  )
  const oldest = (await current.of(everyAgent))[0]
  if (!oldest || oldest.taskArn === ours.taskArn) return { agent: ours, everyAgent }
  core.info(`A concurrent run started ${oldest.taskArn} first; keeping that one.`)
  const agent =
    oldest.lastStatus === 'RUNNING'
      ? oldest
      : await waitUntilSettled(ecs, config, oldest.taskArn!, clock)
  return { agent, everyAgent }
}

export function taskId(task: Task): string {
  return task.taskArn?.split('/').pop() ?? ''
}

export function recordTask(
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
