/**
 * What exists before a deploy or a plan: independent reads, made at once. Any of them failing
 * stops the step with nothing created.
 */
import * as core from '@actions/core'
import type { Service, Task } from '@aws-sdk/client-ecs'
import {
  observeEcsTaskRole,
  providesTaskRole,
  type EcsTaskRoleObservation
} from '../cloud-services/ecs-task-role.js'
import { errorCode, explainAwsFailure } from '../aws/errors.js'
import { ActionError } from '../errors.js'
import { MAX_TASK_SUBNETS, type EcsConfig } from '../inputs.js'
import type { RunDependencies } from '../run-dependencies.js'
import type { EcsClients } from './clients.js'
import { findAgentTasks } from './resources/agent-task.js'
import { findAgentService } from './resources/agent-service.js'
import {
  checkGivenSecurityGroups,
  findAgentSecurityGroup,
  findSubnets,
  type AgentSecurityGroup,
  type Subnets
} from './resources/network.js'
import {
  describeTaskDefinition,
  findLatestTaskDefinition,
  type ExistingTaskDefinition
} from './resources/task-definition.js'

export interface EcsObservation {
  /** The family's tasks ECS means to keep running, oldest first: standalone and the service's. */
  tasks: Task[]
  /** The agent's service, ACTIVE or DRAINING, in either mode: switching modes removes it. */
  service?: Service
  subnets: Subnets
  /** The agent's own group, when the user named none and it exists. */
  agentGroup?: AgentSecurityGroup
  latestDefinition?: ExistingTaskDefinition
  /** The revisions the tasks run, other than the latest: whether each is current is planned. */
  taskRevisions: Map<string, ExistingTaskDefinition>
  /** With cloud services and no task-role-arn: the role the action provides. */
  taskRole?: EcsTaskRoleObservation
}

export async function observeEcs(
  { ecs, ec2 }: EcsClients,
  config: EcsConfig,
  deps: RunDependencies
): Promise<EcsObservation> {
  const clusterLookup = (what: string) => (error: unknown) => {
    if (errorCode(error) === 'ClusterNotFoundException') {
      throw new ActionError(
        `ECS cluster '${config.cluster}' not found in region ${config.region}. Check 'cluster' ` +
          `and 'aws-region', and that the credentials are for the cluster's account.`
      )
    }
    throw explainAwsFailure(error, `${what} in cluster ${config.cluster}`)
  }
  const [tasks, service, subnets, agentGroup, latestDefinition, taskRole] = await Promise.all([
    findAgentTasks(ecs, config.cluster, config.agentName).catch(clusterLookup('agent tasks')),
    findAgentService(ecs, config.cluster, config.agentName).catch(
      clusterLookup(`service ${config.agentName}`)
    ),
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
    }),
    providesTaskRole(config) ? observeEcsTaskRole(config, deps) : undefined
  ])
  const revisionsInUse = [...tasks.map(task => task.taskDefinitionArn), service?.taskDefinition]
  const taskRevisions = await describeTaskRevisions(ecs, revisionsInUse, latestDefinition)
  if (subnets.ids.length < subnets.offered) {
    core.info(
      `${config.vpcId} has ${subnets.offered} subnets, more than the ${MAX_TASK_SUBNETS} RunTask ` +
        `takes: using ${subnets.ids.join(', ')}, chosen as the README describes. Set ` +
        `'subnet-ids' to choose others.`
    )
  }
  core.info(
    `Found ${subnets.ids.length} subnet(s), ${tasks.length} agent task(s), ` +
      (service ? `service ${service.serviceName} (${service.status}), ` : '') +
      `task definition ${latestDefinition ? `revision ${latestDefinition.definition.revision}` : 'none'}.`
  )
  return { tasks, service, subnets, agentGroup, latestDefinition, taskRevisions, taskRole }
}

/** Each revision a task or the service runs, once; the latest is known already. */
async function describeTaskRevisions(
  ecs: EcsClients['ecs'],
  inUse: (string | undefined)[],
  latest: ExistingTaskDefinition | undefined
): Promise<Map<string, ExistingTaskDefinition>> {
  const arns = [...new Set(inUse.map(arn => arn ?? ''))].filter(
    arn => arn && arn !== latest?.definition.taskDefinitionArn
  )
  const described = await Promise.all(
    arns.map(arn =>
      describeTaskDefinition(ecs, arn).catch(error => {
        throw explainAwsFailure(error, `task definition ${arn}`)
      })
    )
  )
  return new Map(arns.map((arn, index) => [arn, described[index]]))
}
