/**
 * The agent's log group, `/ecs/<agent-name>`: the awslogs driver creates it on the task's first
 * start; remove deletes it only when asked, since it holds the agent's history.
 */
import {
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  type CloudWatchLogsClient
} from '@aws-sdk/client-cloudwatch-logs'
import { errorCode } from '../../aws/errors.js'

export const agentLogGroup = (agentName: string) => `/ecs/${agentName}`

/** Whether the group exists: asked by its name as a prefix, then matched whole. */
export async function logGroupExists(logs: CloudWatchLogsClient, name: string): Promise<boolean> {
  let nextToken: string | undefined
  do {
    const page = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: name, nextToken })
    )
    if ((page.logGroups ?? []).some(group => group.logGroupName === name)) return true
    nextToken = page.nextToken
  } while (nextToken)
  return false
}

export async function deleteLogGroup(
  logs: CloudWatchLogsClient,
  name: string
): Promise<'deleted' | 'absent'> {
  try {
    await logs.send(new DeleteLogGroupCommand({ logGroupName: name }))
    return 'deleted'
  } catch (error) {
    if (errorCode(error) === 'ResourceNotFoundException') return 'absent'
    throw error
  }
}
