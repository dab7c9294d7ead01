/**
 * The agent's standalone Fargate task: finding the ones that run, starting one, waiting until it
 * runs, and stopping the ones it replaces.
 */
import { createHash, randomUUID } from 'node:crypto'
import * as core from '@actions/core'
import {
  DescribeTasksCommand,
  ListTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ECSClient,
  type Task
} from '@aws-sdk/client-ecs'
import { ActionError } from '../../errors.js'
import type { EcsConfig } from '../../inputs.js'
import { formatElapsed, pollUntil, type Clock } from '../../poll.js'

/** Shown in the console as "started by"; ECS allows 36 characters. */
export const STARTED_BY = 'cloudaeye-metrics-agent-action'

/** Tasks of the family that ECS means to keep running (or, asked, has stopped), oldest first. */
export async function findAgentTasks(
  ecs: ECSClient,
  cluster: string,
  family: string,
  desiredStatus: 'RUNNING' | 'STOPPED' = 'RUNNING'
): Promise<Task[]> {
  const arns: string[] = []
  let nextToken: string | undefined
  do {
    const page = await ecs.send(new ListTasksCommand({ cluster, family, desiredStatus, nextToken }))
    arns.push(...(page.taskArns ?? []))
    nextToken = page.nextToken
  } while (nextToken)
  const tasks: Task[] = []
  // DescribeTasks takes at most 100 tasks a call.
  for (let start = 0; start < arns.length; start += 100) {
    tasks.push(...(await describeTasks(ecs, cluster, arns.slice(start, start + 100))))
  }
  return tasks.sort(olderFirst)
}

async function describeTasks(ecs: ECSClient, cluster: string, taskArns: string[]): Promise<Task[]> {
  const answer = await ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns }))
  return answer.tasks ?? []
}

/**
 * The order that decides which agent stays when several run: the oldest, then the lowest ARN.
 * Two racing runs apply the same rule, so they keep the same task.
 */
export function olderFirst(a: Task, b: Task): number {
  const age = (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0)
  return age !== 0 ? age : (a.taskArn ?? '').localeCompare(b.taskArn ?? '')
}

/**
 * The same token for the same cluster, revision and workflow run attempt, so an SDK retry of
 * RunTask cannot start a second agent; a later run gets a new token, so it can start a fresh task.
 */
function runTaskToken(config: EcsConfig, taskDefinitionArn: string): string {
  const runId = process.env.GITHUB_RUN_ID
  if (!runId) return randomUUID()
  const parts = [config.cluster, taskDefinitionArn, runId, process.env.GITHUB_RUN_ATTEMPT ?? '1']
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 64)
}

export interface Placement {
  subnetIds: string[]
  securityGroupIds: string[]
  assignPublicIp: 'ENABLED' | 'DISABLED'
}

export async function runAgentTask(
  ecs: ECSClient,
  config: EcsConfig,
  taskDefinitionArn: string,
  placement: Placement
): Promise<Task> {
  const answer = await ecs.send(
    new RunTaskCommand({
      cluster: config.cluster,
      taskDefinition: taskDefinitionArn,
      launchType: 'FARGATE',
      count: 1,
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: placement.subnetIds,
          securityGroups: placement.securityGroupIds,
          assignPublicIp: placement.assignPublicIp
        }
      },
      startedBy: STARTED_BY,
      clientToken: runTaskToken(config, taskDefinitionArn),
      tags: Object.entries(config.tags).map(([key, value]) => ({ key, value })),
      propagateTags: 'TASK_DEFINITION',
      enableECSManagedTags: true
    })
  )
  // RunTask reports capacity and placement problems in `failures` with HTTP 200.
  const failures = answer.failures ?? []
  if (failures.length > 0) {
    const reasons = failures
      .map(failure => [failure.arn, failure.reason, failure.detail].filter(Boolean).join(': '))
      .join('; ')
    throw new ActionError(
      `ecs:RunTask could not start the agent in cluster ${config.cluster}: ${reasons}`
    )
  }
  const task = answer.tasks?.[0]
  if (!task?.taskArn) throw new ActionError('ecs:RunTask returned no task and no failure.')
  return task
}

/** Why a task stopped, from the task and each container, in one line. */
export function stoppedReasons(task: Task): string {
  const reasons = [task.stopCode, task.stoppedReason].filter(Boolean).join(': ')
  const containers = (task.containers ?? [])
    .filter(container => container.reason || container.exitCode !== undefined)
    .map(container => {
      const exit = container.exitCode !== undefined ? `exit code ${container.exitCode}` : ''
      return `container ${container.name}: ${[exit, container.reason].filter(Boolean).join(', ')}`
    })
  return [reasons || 'no reason given', ...containers].join('; ')
}

/** Shown as a stopped task's reason; also how a run tells that a racing run replaced its task. */
export const REPLACED_BY = 'Replaced by '

/** StopTask refuses a longer reason. */
const MAX_STOP_REASON = 255

/**
 * The reason a replaced task is stopped with: the replacement's ARN, or, when a long cluster name
 * makes that too long for StopTask, its task ID, which is what the console shows.
 */
export function replacedBy(replacementArn: string): string {
  const reason = `${REPLACED_BY}${replacementArn}`
  return reason.length <= MAX_STOP_REASON
    ? reason
    : `${REPLACED_BY}${replacementArn.split('/').pop()}`
}

/**
 * Polls until the task runs or stops, and returns it; past the deadline, fails the step with its
 * status. What a stopped task means is for the caller to say.
 */
export async function waitUntilSettled(
  ecs: ECSClient,
  config: EcsConfig,
  taskArn: string,
  clock: Clock
): Promise<Task> {
  const taskId = taskArn.split('/').pop()
  const { value: task, elapsedMs } = await pollUntil<Task | undefined>({
    clock,
    timeoutMs: config.waitTimeoutMs,
    probe: async () => (await describeTasks(ecs, config.cluster, [taskArn]))[0],
    done: task => task?.lastStatus === 'RUNNING' || task?.lastStatus === 'STOPPED',
    progress: (task, elapsedMs) =>
      core.info(
        `Task ${taskId}: ${task?.lastStatus ?? 'not visible yet'} (${formatElapsed(elapsedMs)})`
      )
  })
  if (task?.lastStatus !== 'RUNNING' && task?.lastStatus !== 'STOPPED') {
    throw new ActionError(
      `Agent task ${taskArn} is ${task?.lastStatus ?? 'not visible'} after ` +
        `${formatElapsed(elapsedMs)}, past wait-timeout. It may still start: a re-run reuses it. ` +
        `Raise 'wait-timeout' if pulls are slow, or check the task's events in the console.`
    )
  }
  return task
}

export async function stopTask(
  ecs: ECSClient,
  cluster: string,
  taskArn: string,
  reason: string
): Promise<void> {
  await ecs.send(new StopTaskCommand({ cluster, task: taskArn, reason }))
}
