/**
 * Cloud services: the AWS identity the agent uses to read CloudWatch.
 * - irsa: the cluster's IAM OIDC provider and a role trusted by the agent's ServiceAccount alone.
 * - access-key: the stack (or, for what the old script made by hand, the IAM resources
 *   themselves) first; the access key last, once the agent's release has been read, since a key
 *   the release already holds is kept.
 */
import * as core from '@actions/core'
import { CloudFormationClient } from '@aws-sdk/client-cloudformation'
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { DescribeClusterCommand, EKSClient, type Cluster } from '@aws-sdk/client-eks'
import { DeleteAccessKeyCommand, IAMClient } from '@aws-sdk/client-iam'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import type { RunDependencies } from '../run-dependencies.js'
import { EVEN_IF_CANCELLED, clientConfig, instrument } from '../aws/clients.js'
import { consoleLinks } from '../aws/console-links.js'
import { explainAwsFailure } from '../aws/errors.js'
import { ActionError } from '../errors.js'
import type { EksConfig } from '../inputs.js'
import type { Clock } from '../poll.js'
import type { Report } from '../report.js'
import { ensureAccessKey, type AgentKey } from './access-key.js'
import {
  AGENT_ROLE,
  agentIdentityName,
  ensureAgentIdentity,
  recordAgentIdentity
} from './agent-identity.js'
import type { HeldKey } from './held-key.js'
import { adoptIdentity, findIdentity } from './identity.js'
import { listLogGroupNames } from './log-groups.js'
import { irsaTrust, podIdentityTrust } from './trust-policies.js'
import { BOUNDARY_POLICY_NAME, POLICY_NAME, STACK_NAME, USER_NAME } from './names.js'
import { ensureOidcProvider } from './oidc-provider.js'
import { checkPodIdentityAgent, ensurePodIdentityAssociation } from './pod-identity.js'
import { ensureStack, findStack } from './stack.js'

/**
 * What the agent's release is given: a role (irsa: annotated on its ServiceAccount; pod-identity:
 * associated in EKS, so the chart adds nothing) or, once agentKey has run, a key.
 */
export interface AgentIdentity {
  roleArn?: string
  podIdentity?: boolean
}

export class CloudServices {
  private readonly iam: IAMClient
  private readonly cfn: CloudFormationClient
  private readonly logs: CloudWatchLogsClient
  private readonly sts: STSClient
  private readonly eks: EKSClient
  private identity: AgentIdentity = {}
  /** The key this run made, while the agent may still get it. */
  private createdKey?: AgentKey
  private readonly clock: Clock

  constructor(
    private readonly config: EksConfig,
    private readonly report: Report,
    { clock, callLog, signal }: RunDependencies
  ) {
    this.clock = clock
    const settings = clientConfig(config.region, signal)
    this.iam = instrument(new IAMClient(settings), 'iam', callLog)
    this.cfn = instrument(new CloudFormationClient(settings), 'cloudformation', callLog)
    this.logs = instrument(new CloudWatchLogsClient(settings), 'logs', callLog)
    this.sts = instrument(new STSClient(settings), 'sts', callLog)
    this.eks = instrument(new EKSClient(settings), 'eks', callLog)
  }

  /** The identity settled by provisionIdentity, for the agent's release. */
  get agentIdentity(): AgentIdentity {
    return this.identity
  }

  /**
   * irsa and pod-identity: the role for `serviceAccount` in the release namespace. access-key:
   * the user and its policy, through the stack unless the old script made them by hand.
   */
  async provisionIdentity(serviceAccount: string): Promise<void> {
    const auth = this.config.cloudServicesAuth
    const withRole = auth !== 'access-key'
    const [stack, caller, logGroups, cluster] = await Promise.all([
      withRole ? undefined : findStack(this.cfn),
      this.sts.send(new GetCallerIdentityCommand({})).catch(error => {
        throw explainAwsFailure(error, 'the workflow identity')
      }),
      listLogGroupNames(this.logs),
      withRole ? this.describeCluster() : undefined
    ])
    const accountId = caller.Account ?? ''
    const partition = caller.Arn?.split(':')[1] ?? 'aws'
    if (cluster && auth === 'irsa') {
      await this.settleIrsaRole(clusterIssuer(cluster), serviceAccount, accountId, partition)
    } else if (cluster) {
      await this.settlePodIdentity(cluster, serviceAccount, accountId, partition)
    } else if (stack) {
      await this.settleStack(stack)
    } else {
      const found = await findIdentity(this.iam, accountId, partition)
      if (found.user || found.policy) await this.adopt(found, accountId, partition)
      else await this.settleStack(undefined)
    }
    this.report.note(
      `The agent can read CloudWatch metrics and ${logGroups.length} log group(s) in ${this.config.region}.`
    )
    core.debug(`Log groups: ${logGroups.join(', ')}`)
  }

  private async describeCluster(): Promise<Cluster> {
    const name = this.config.clusterName
    const answer = await this.eks.send(new DescribeClusterCommand({ name })).catch(error => {
      throw explainAwsFailure(error, `EKS cluster ${name}`)
    })
    if (!answer.cluster) throw new ActionError(`EKS cluster '${name}' was described as nothing.`)
    return answer.cluster
  }

  private async settlePodIdentity(
    cluster: Cluster,
    serviceAccount: string,
    accountId: string,
    partition: string
  ): Promise<void> {
    const { region, clusterName, namespace, agentName, tags } = this.config
    // Before the role: without the agent in the cluster, nothing is worth creating.
    await checkPodIdentityAgent(this.eks, cluster, region)
    const role = await ensureAgentIdentity(this.iam, AGENT_ROLE, {
      name: agentIdentityName(agentName, clusterName, region),
      trust: podIdentityTrust(accountId, cluster.arn ?? '', namespace, serviceAccount),
      tags,
      partition
    })
    recordAgentIdentity(
      this.report,
      region,
      AGENT_ROLE,
      role,
      `only ServiceAccount ${namespace}/${serviceAccount} of ${clusterName} may assume it`
    )
    const association = await ensurePodIdentityAssociation(
      this.eks,
      { clusterName, namespace, serviceAccount, roleArn: role.arn },
      requestToken()
    )
    this.report.record({
      kind: 'Pod Identity association',
      id: association.associationId,
      status: association.status,
      note: `ServiceAccount ${namespace}/${serviceAccount} gets ${role.name}`
    })
    this.identity = { roleArn: role.arn, podIdentity: true }
  }

  private async settleIrsaRole(
    issuer: string,
    serviceAccount: string,
    accountId: string,
    partition: string
  ): Promise<void> {
    const { region, clusterName, namespace, agentName, tags } = this.config
    const provider = await ensureOidcProvider(this.iam, issuer, accountId, partition, tags)
    this.report.record({
      kind: 'IAM OIDC provider',
      id: provider.issuerHost,
      status: provider.status,
      note: provider.status === 'reused' ? 'already registered' : `for ${clusterName}'s issuer`
    })
    const role = await ensureAgentIdentity(this.iam, AGENT_ROLE, {
      name: agentIdentityName(agentName, clusterName, region),
      trust: irsaTrust(provider, namespace, serviceAccount),
      tags,
      partition
    })
    recordAgentIdentity(
      this.report,
      region,
      AGENT_ROLE,
      role,
      `only ServiceAccount ${namespace}/${serviceAccount} of ${clusterName} may assume it`
    )
    this.identity = { roleArn: role.arn }
  }

  private async settleStack(existing: Awaited<ReturnType<typeof findStack>>): Promise<void> {
    // ensureStack also answers a racing run's stack: it waits for theirs instead of creating one.
    const outcome = await ensureStack(this.cfn, existing, {
      tags: this.config.tags,
      clock: this.clock,
      timeoutMs: this.config.waitTimeoutMs,
      requestToken: requestToken()
    })
    this.report.record({
      kind: 'CloudFormation stack',
      id: STACK_NAME,
      status: outcome.status,
      link: consoleLinks.stack(this.config.region, outcome.stackId)
    })
    this.recordIdentity(
      outcome.userArn,
      outcome.policyArn,
      outcome.status,
      outcome.status,
      'in the stack'
    )
    this.report.output('stack-id', outcome.stackId)
  }

  private async adopt(
    found: Awaited<ReturnType<typeof findIdentity>>,
    accountId: string,
    partition: string
  ): Promise<void> {
    core.info(
      `${USER_NAME} or ${POLICY_NAME} exists outside CloudFormation (made by hand or by an older ` +
        `tool): managing them directly, without the stack.`
    )
    const adopted = await adoptIdentity(this.iam, accountId, found, this.config.tags, partition)
    if (adopted.user === 'updated') {
      core.info(
        `Gave IAM user ${USER_NAME} the permissions boundary ${BOUNDARY_POLICY_NAME}: the deploy ` +
          `policy attaches the agent's policy only to a user capped at CloudWatch read.`
      )
    }
    // Attaching an unchanged policy to the user is still a change worth reporting.
    const policyStatus =
      adopted.policy === 'unchanged' && adopted.attached ? 'updated' : adopted.policy
    this.recordIdentity(
      adopted.userArn,
      adopted.policyArn,
      adopted.user,
      policyStatus,
      'managed outside CloudFormation'
    )
  }

  private recordIdentity(
    userArn: string,
    policyArn: string,
    userStatus: 'created' | 'updated' | 'reused' | 'unchanged',
    policyStatus: 'created' | 'updated' | 'unchanged',
    note: string
  ): void {
    this.report.record({
      kind: 'IAM user',
      id: USER_NAME,
      status: userStatus,
      note,
      link: consoleLinks.iamUser(this.config.region, USER_NAME)
    })
    this.report.record({
      kind: 'IAM policy',
      id: POLICY_NAME,
      status: policyStatus,
      note,
      link: consoleLinks.iamPolicy(this.config.region, policyArn)
    })
    this.report.output('iam-user-arn', userArn)
    this.report.output('policy-arn', policyArn)
  }

  /**
   * The key the agent holds, kept while it is active; else the key this run made on an earlier
   * pass; else a new one. A key this run made that the agent will not get (a racing run's key
   * won) is deleted.
   */
  async agentKey(held: HeldKey | undefined): Promise<AgentKey> {
    const key = await ensureAccessKey(this.iam, USER_NAME, held, this.createdKey)
    if (this.createdKey && key.accessKeyId !== this.createdKey.accessKeyId) {
      await this.discardCreatedKey()
    }
    if (key.status === 'created') this.createdKey = key
    this.report.record({
      kind: 'Access key',
      id: key.accessKeyId,
      status: key.status,
      note: 'delivered only to the agent Secret in the cluster'
    })
    this.report.output('access-key-id', key.accessKeyId)
    return key
  }

  /**
   * After the release failed, or went to another run's key: a key made by this run reached
   * nothing, so it is deleted. Left in place, each failed run would add one until IAM's limit of
   * two blocks every run.
   */
  async discardCreatedKey(): Promise<void> {
    if (!this.createdKey) return
    const { accessKeyId } = this.createdKey
    this.createdKey = undefined
    await this.deleteKey(accessKeyId, 'made by this run, and the agent did not get it')
  }

  /** Deletes a key nothing holds; a failure is a warning, since the agent is not affected. */
  async deleteKey(accessKeyId: string, why: string): Promise<void> {
    try {
      await this.iam.send(
        new DeleteAccessKeyCommand({ UserName: USER_NAME, AccessKeyId: accessKeyId }),
        EVEN_IF_CANCELLED
      )
      core.info(`Deleted access key ${accessKeyId}: ${why}.`)
      this.report.record({
        kind: 'Access key',
        id: accessKeyId,
        status: 'stopped',
        note: `deleted: ${why}`
      })
    } catch (error) {
      core.warning(
        `Could not delete access key ${accessKeyId} (${why}): ` +
          `${String((explainAwsFailure(error, 'the unused key') as Error).message)}`
      )
    }
  }

  close(): void {
    for (const client of [this.iam, this.cfn, this.logs, this.sts, this.eks]) client.destroy()
  }
}

/** The cluster's OIDC issuer, which IAM must trust for the agent's tokens. */
function clusterIssuer(cluster: Cluster): string {
  const issuer = cluster.identity?.oidc?.issuer
  if (!issuer) {
    throw new ActionError(
      `EKS cluster '${cluster.name}' has no OIDC issuer, which cloud-services-auth: irsa needs. ` +
        'Every EKS cluster has one; check that cluster and aws-region name an EKS cluster.'
    )
  }
  return issuer
}

/**
 * Same across an SDK retry of CreateStack or CreatePodIdentityAssociation, new for every run; CloudFormation allows 128
 * characters of [a-zA-Z][-a-zA-Z0-9]*.
 */
function requestToken(): string {
  const run = process.env.GITHUB_RUN_ID
  const attempt = process.env.GITHUB_RUN_ATTEMPT ?? '1'
  return run ? `metrics-agent-action-${run}-${attempt}` : `metrics-agent-action-${Date.now()}`
}
