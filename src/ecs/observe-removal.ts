/**
 * What exists of the agent before a remove: its service, its tasks, its family's revisions, its
 * security group, its log group and the task role the action provides. Reads only, made at once.
 * The service is looked for in either `ecs-run-as`: a teardown need not know the mode.
 */
import type { Service, Task } from '@aws-sdk/client-ecs'
import {
  observeEcsTaskRoleRemoval,
  type EcsTaskRoleRemoval
} from '../cloud-services/ecs-task-role.js'
import { errorCode, explainAwsFailure } from '../aws/errors.js'
import type { EcsConfig } from '../inputs.js'
import type { RunDependencies } from '../run-dependencies.js'
import type { EcsClients } from './clients.js'
import { findAgentService } from './resources/agent-service.js'
import { findAgentTasks } from './resources/agent-task.js'
import { agentLogGroup, logGroupExists } from './resources/log-group.js'
import { findAgentSecurityGroup, type AgentSecurityGroup } from './resources/network.js'
import { listFamilyRevisions, type FamilyRevision } from './resources/revisions.js'

export interface EcsRemovalObservation {
  /** The family's tasks ECS means to keep running; undefined when the cluster is gone. */
  tasks?: Task[]
  /** The agent's service, ACTIVE or DRAINING. */
  service?: Service
  revisions: FamilyRevision[]
  /** The group named like the agent in the VPC, when the user named no groups. */
  agentGroup?: AgentSecurityGroup
  logGroupExists: boolean
  taskRole: EcsTaskRoleRemoval
}

export async function observeEcsRemoval(
  clients: EcsClients,
  config: EcsConfig,
  deps: RunDependencies
): Promise<EcsRemovalObservation> {
  // A cluster deleted first took its service and tasks with it; the rest is still the agent's.
  const withoutCluster = (what: string) => (error: unknown) => {
    if (errorCode(error) === 'ClusterNotFoundException') return undefined
    throw explainAwsFailure(error, `${what} in cluster ${config.cluster}`)
  }
  const [tasks, service, revisions, agentGroup, logGroup, taskRole] = await Promise.all([
    findAgentTasks(clients.ecs, config.cluster, config.agentName).catch(
      withoutCluster('agent tasks')
    ),
    findAgentService(clients.ecs, config.cluster, config.agentName).catch(
      withoutCluster(`service ${config.agentName}`)
    ),
    listFamilyRevisions(clients.ecs, config.agentName).catch(error => {
      throw explainAwsFailure(error, `task definition ${config.agentName}`)
    }),
    config.securityGroupIds
      ? undefined
      : findAgentSecurityGroup(clients.ec2, config).catch(error => {
          throw explainAwsFailure(error, `security groups of ${config.vpcId}`)
        }),
    logGroupExists(clients.logs(), agentLogGroup(config.agentName)).catch(error => {
      throw explainAwsFailure(error, `log group ${agentLogGroup(config.agentName)}`)
    }),
    observeEcsTaskRoleRemoval(config, deps)
  ])
  return { tasks, service, revisions, agentGroup, logGroupExists: logGroup, taskRole }
}
