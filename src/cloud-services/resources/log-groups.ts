/** The log groups the agent's identity may list: their count tells the user what it will see. */
import {
  paginateDescribeLogGroups,
  type CloudWatchLogsClient
} from '@aws-sdk/client-cloudwatch-logs'
import { explainAwsFailure } from '../../aws/errors.js'

/** The service's largest page, so an account with many groups costs few calls. */
const PAGE_SIZE = 50

export async function listLogGroupNames(logs: CloudWatchLogsClient): Promise<string[]> {
  const names: string[] = []
  try {
    for await (const page of paginateDescribeLogGroups({ client: logs, pageSize: PAGE_SIZE }, {})) {
      for (const group of page.logGroups ?? [])
        if (group.logGroupName) names.push(group.logGroupName)
    }
  } catch (error) {
    throw explainAwsFailure(error, 'log groups of the region')
  }
  return names
}
