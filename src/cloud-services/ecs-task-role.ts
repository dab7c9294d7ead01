/**
 * Cloud services on ECS: the agent's task role, read CloudWatch and capped by the same boundary as
 * every identity the action makes. Only when the user gave no task-role-arn; theirs wins.
 */
import { IAMClient } from '@aws-sdk/client-iam'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { clientConfig, instrument } from '../aws/clients.js'
import { explainAwsFailure } from '../aws/errors.js'
import type { EcsConfig } from '../inputs.js'
import type { Report } from '../report.js'
import type { RunDependencies } from '../run-dependencies.js'
import {
  AGENT_ROLE,
  agentIdentityName,
  ensureAgentIdentity,
  recordAgentIdentity
} from './agent-identity.js'
import { ecsTaskTrust } from './trust-policies.js'

/** The ARN of the task role the agent's task definition names. */
export async function provideEcsTaskRole(
  config: EcsConfig,
  report: Report,
  { callLog, signal }: RunDependencies
): Promise<string> {
  const settings = clientConfig(config.region, signal)
  const iam = instrument(new IAMClient(settings), 'iam', callLog)
  const sts = instrument(new STSClient(settings), 'sts', callLog)
  try {
    const caller = await sts.send(new GetCallerIdentityCommand({})).catch(error => {
      throw explainAwsFailure(error, 'the workflow identity')
    })
    const accountId = caller.Account ?? ''
    const partition = caller.Arn?.split(':')[1] ?? 'aws'
    const role = await ensureAgentIdentity(iam, AGENT_ROLE, {
      name: agentIdentityName(config.agentName, config.clusterName, config.region, 'ecs'),
      trust: ecsTaskTrust(accountId, partition, config.region),
      tags: config.tags,
      partition
    })
    recordAgentIdentity(
      report,
      config.region,
      AGENT_ROLE,
      role,
      `only ECS tasks of ${accountId} in ${config.region} may assume it`
    )
    return role.arn
  } finally {
    iam.destroy()
    sts.destroy()
  }
}
