/**
 * Cloud services on ECS: the agent's task role, read CloudWatch and capped by the same boundary as
 * every identity the action makes. Only when the user gave no task-role-arn; theirs wins, and is
 * never touched. Observed, planned and applied like the rest of the ECS path.
 */
import { IAMClient } from '@aws-sdk/client-iam'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { clientConfig, instrument } from '../aws/clients.js'
import { consoleLinks } from '../aws/console-links.js'
import { explainAwsFailure } from '../aws/errors.js'
import type { EcsConfig } from '../inputs.js'
import type { Step } from '../plan/step.js'
import type { Report } from '../report.js'
import type { RunDependencies } from '../run-dependencies.js'
import {
  AGENT_ROLE,
  agentIdentityName,
  applyAgentIdentity,
  findAgentIdentity,
  planAgentIdentity,
  planAgentIdentityRemoval,
  recordAgentIdentity,
  removeAgentIdentity,
  type IdentityPlan,
  type IdentitySpec,
  type ObservedIdentity
} from './agent-identity.js'
import { ecsTaskTrust } from './trust-policies.js'

/** The role the action provides: with cloud services, and no task-role-arn of the user's. */
export const providesTaskRole = (config: EcsConfig) =>
  config.enableCloudServices && !config.taskRoleArn

const roleName = (config: EcsConfig) =>
  agentIdentityName(config.agentName, config.clusterName, config.region, 'ecs')

export interface EcsTaskRoleObservation {
  name: string
  accountId: string
  partition: string
  observed?: ObservedIdentity
}

export interface EcsTaskRolePlan {
  spec: IdentitySpec
  observed?: ObservedIdentity
  identity: IdentityPlan
  /** The role's ARN, as it is or will be once created: the task definition names it. */
  arn: string
}

async function withIam<T>(
  config: EcsConfig,
  { callLog, signal }: RunDependencies,
  use: (iam: IAMClient, sts: STSClient) => Promise<T>
): Promise<T> {
  const settings = clientConfig(config.region, signal)
  const iam = instrument(new IAMClient(settings), 'iam', callLog)
  const sts = instrument(new STSClient(settings), 'sts', callLog)
  try {
    return await use(iam, sts)
  } finally {
    iam.destroy()
    sts.destroy()
  }
}

/** Who runs the workflow (the trust names the account) and the role, if it exists. */
export function observeEcsTaskRole(
  config: EcsConfig,
  deps: RunDependencies
): Promise<EcsTaskRoleObservation> {
  return withIam(config, deps, async (iam, sts) => {
    const name = roleName(config)
    const [caller, observed] = await Promise.all([
      sts.send(new GetCallerIdentityCommand({})).catch(error => {
        throw explainAwsFailure(error, 'the workflow identity')
      }),
      findAgentIdentity(iam, AGENT_ROLE, name)
    ])
    return {
      name,
      accountId: caller.Account ?? '',
      partition: caller.Arn?.split(':')[1] ?? 'aws',
      observed
    }
  })
}

/** Refuses, before anything changes, a role of that name the action did not make. */
export function planEcsTaskRole(
  config: EcsConfig,
  { name, accountId, partition, observed }: EcsTaskRoleObservation
): EcsTaskRolePlan {
  const spec: IdentitySpec = {
    name,
    trust: ecsTaskTrust(accountId, partition, config.region),
    tags: config.tags,
    partition
  }
  return {
    spec,
    observed,
    identity: planAgentIdentity(AGENT_ROLE, observed, spec),
    arn: observed?.arn ?? `arn:${partition}:iam::${accountId}:role/${name}`
  }
}

/** The ARN of the task role the agent's task definition names. */
export function applyEcsTaskRole(
  config: EcsConfig,
  report: Report,
  deps: RunDependencies,
  plan: EcsTaskRolePlan
): Promise<string> {
  return withIam(config, deps, async iam => {
    const role = await applyAgentIdentity(iam, AGENT_ROLE, plan.spec, plan.observed, plan.identity)
    const accountId = plan.arn.split(':')[4]
    recordAgentIdentity(
      report,
      config.region,
      AGENT_ROLE,
      role,
      `only ECS tasks of ${accountId} in ${config.region} may assume it`
    )
    return role.arn
  })
}

export interface EcsTaskRoleRemoval {
  name: string
  observed?: ObservedIdentity
}

/** The action's role of this agent, whatever enable-cloud-services says now. */
export function observeEcsTaskRoleRemoval(
  config: EcsConfig,
  deps: RunDependencies
): Promise<EcsTaskRoleRemoval> {
  return withIam(config, deps, async iam => {
    const name = roleName(config)
    return { name, observed: await findAgentIdentity(iam, AGENT_ROLE, name) }
  })
}

export function planEcsTaskRoleRemoval({ name, observed }: EcsTaskRoleRemoval): Step {
  return planAgentIdentityRemoval(AGENT_ROLE, name, observed)
}

export function removeEcsTaskRole(
  config: EcsConfig,
  report: Report,
  deps: RunDependencies,
  name: string
): Promise<void> {
  return withIam(config, deps, async iam => {
    const status = await removeAgentIdentity(iam, AGENT_ROLE, name)
    report.record({
      kind: 'IAM role',
      id: name,
      status,
      note: status === 'deleted' ? 'made by the action' : undefined,
      link: status === 'deleted' ? undefined : consoleLinks.iamRole(config.region, name)
    })
  })
}
