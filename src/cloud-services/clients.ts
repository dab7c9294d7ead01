/** The AWS clients of cloud services, made once per run and closed with it. */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { EKSClient } from '@aws-sdk/client-eks'
import { IAMClient } from '@aws-sdk/client-iam'
import { STSClient } from '@aws-sdk/client-sts'
import { clientConfig, instrument } from '../aws/clients.js'
import type { RunDependencies } from '../run-dependencies.js'

export interface CloudClients {
  iam: IAMClient
  logs: CloudWatchLogsClient
  sts: STSClient
  eks: EKSClient
  close(): void
}

export function cloudClients(region: string, { callLog, signal }: RunDependencies): CloudClients {
  const settings = clientConfig(region, signal)
  const clients = {
    iam: instrument(new IAMClient(settings), 'iam', callLog),
    logs: instrument(new CloudWatchLogsClient(settings), 'logs', callLog),
    sts: instrument(new STSClient(settings), 'sts', callLog),
    eks: instrument(new EKSClient(settings), 'eks', callLog)
  }
  return {
    ...clients,
    close: () => Object.values(clients).forEach(client => client.destroy())
  }
}
