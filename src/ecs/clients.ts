/** The AWS clients of the ECS path, each call named in the run's call log. */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { EC2Client } from '@aws-sdk/client-ec2'
import { ECSClient } from '@aws-sdk/client-ecs'
import { clientConfig, instrument } from '../aws/clients.js'
import type { EcsConfig } from '../inputs.js'
import type { RunDependencies } from '../run-dependencies.js'

export interface EcsClients {
  ecs: ECSClient
  ec2: EC2Client
  /** The agent's log group is remove's business only. */
  logs: () => CloudWatchLogsClient
}

export async function withEcsClients<T>(
  config: EcsConfig,
  { callLog, signal }: RunDependencies,
  use: (clients: EcsClients) => Promise<T>
): Promise<T> {
  const settings = clientConfig(config.region, signal)
  const made: { destroy(): void }[] = []
  const make = <C extends { destroy(): void }>(client: C) => (made.push(client), client)
  let logs: CloudWatchLogsClient | undefined
  const clients: EcsClients = {
    ecs: make(instrument(new ECSClient(settings), 'ecs', callLog)),
    ec2: make(instrument(new EC2Client(settings), 'ec2', callLog)),
    logs: () => (logs ??= make(instrument(new CloudWatchLogsClient(settings), 'logs', callLog)))
  }
  try {
    return await use(clients)
  } finally {
    for (const client of made) client.destroy()
  }
}
