/**
 * Cloud services: the AWS identity the agent uses to read CloudWatch, one per cluster.
 * - irsa: the cluster's IAM OIDC provider and a role trusted by the agent's ServiceAccount alone.
 * - pod-identity: the same role, trusted by EKS Pod Identity and associated with the
 *   ServiceAccount.
 * - access-key: the cluster's IAM user first; its access key last, once the agent's release has
 *   been read, since a key the release already holds is kept.
 */
import * as core from '@actions/core'
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { EKSClient, type Cluster } from '@aws-sdk/client-eks'
import { DeleteAccessKeyCommand, IAMClient } from '@aws-sdk/client-iam'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import type { RunDependencies } from '../run-dependencies.js'
import { EVEN_IF_CANCELLED, clientConfig, instrument } from '../aws/clients.js'
import { errorCode, explainAwsFailure } from '../aws/errors.js'
import { ActionError } from '../errors.js'
import type { EksConfig } from '../inputs.js'
import type { Report } from '../report.js'
import { ensureAccessKey, type AgentKey } from './access-key.js'
import {
  AGENT_ROLE,
  AGENT_USER,
  agentIdentityName,
  ensureAgentIdentity,
  recordAgentIdentity,
  type SettledIdentity
} from './agent-identity.js'
import type { HeldKey } from './held-key.js'
import { listLogGroupNames } from './log-groups.js'
import { irsaTrust, podIdentityTrust } from './trust-policies.js'
import { SEED_USER_NAME } from './names.js'
import { ensureOidcProvider } from './oidc-provider.js'
import { checkPodIdentityAgent, ensurePodIdentityAssociation } from './pod-identity.js'

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
  private readonly logs: CloudWatchLogsClient
  private readonly sts: STSClient
  private readonly eks: EKSClient
  private identity: AgentIdentity = {}
  /** The key this run made, while the agent may still get it. */
  private createdKey?: AgentKey
  /**
   * The name of this cluster's agent identity: its role (irsa, pod-identity) or its IAM user, whose
   * keys the agent gets (access-key).
   */
  private readonly identityName: string
  /** access-key: the keys that user has, as agentKey last listed them. */
  private userKeyIds = new Set<string>()

  constructor(
    private readonly config: EksConfig,
    private readonly report: Report,
    { callLog, signal }: RunDependencies
  ) {
    this.identityName = agentIdentityName(config.agentName, config.clusterName, config.region)
    const settings = clientConfig(config.region, signal)
    this.iam = instrument(new IAMClient(settings), 'iam', callLog)
    this.logs = instrument(new CloudWatchLogsClient(settings), 'logs', callLog)
    this.sts = instrument(new STSClient(settings), 'sts', callLog)
    this.eks = instrument(new EKSClient(settings), 'eks', callLog)
  }

  /** The identity settled by provisionIdentity, for the agent's release. */
  get agentIdentity(): AgentIdentity {
    return this.identity
  }

  /**
   * The identity of `serviceAccount` in the release namespace, or this cluster's user. `cluster`
   * is the run's one description of the EKS cluster, shared with cluster access.
   */
  async provisionIdentity(serviceAccount: string, cluster: () => Promise<Cluster>): Promise<void> {
    const auth = this.config.cloudServicesAuth
    const [caller, logGroups, described] = await Promise.all([
      this.sts.send(new GetCallerIdentityCommand({})).catch(error => {
        throw explainAwsFailure(error, 'the workflow identity')
      }),
      listLogGroupNames(this.logs),
      auth === 'access-key' ? undefined : cluster()
    ])
    const accountId = caller.Account ?? ''
    const partition = caller.Arn?.split(':')[1] ?? 'aws'
    if (described && auth === 'irsa') {
      await this.settleIrsaRole(clusterIssuer(described), serviceAccount, accountId, partition)
    } else if (described) {
      await this.settlePodIdentity(described, serviceAccount, accountId, partition)
    } else {
      await this.settleUser(partition)
    }
    this.report.note(
      `The agent can read CloudWatch metrics and ${logGroups.length} log group(s) in ${this.config.region}.`
    )
    core.debug(`Log groups: ${logGroups.join(', ')}`)
  }

  private async settlePodIdentity(
    cluster: Cluster,
    serviceAccount: string,
    accountId: string,
    partition: string
  ): Promise<void> {
    const { region, clusterName, namespace } = this.config
    // Before the role: without the agent in the cluster, nothing is worth creating.
    await checkPodIdentityAgent(this.eks, cluster, region)
    const role = await this.settleRole(
      podIdentityTrust(accountId, cluster.arn ?? '', namespace, serviceAccount),
      serviceAccount,
      partition
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
    const { clusterName, namespace, tags } = this.config
    const provider = await ensureOidcProvider(this.iam, issuer, accountId, partition, tags)
    this.report.record({
      kind: 'IAM OIDC provider',
      id: provider.issuerHost,
      status: provider.status,
      note: provider.status === 'reused' ? 'already registered' : `for ${clusterName}'s issuer`
    })
    const role = await this.settleRole(
      irsaTrust(provider, namespace, serviceAccount),
      serviceAccount,
      partition
    )
    this.identity = { roleArn: role.arn }
  }

  /** The cluster's agent role with `trust`, in the summary. */
  private async settleRole(
    trust: Record<string, unknown>,
    serviceAccount: string,
    partition: string
  ): Promise<SettledIdentity> {
    const { region, clusterName, namespace, tags } = this.config
    const role = await ensureAgentIdentity(this.iam, AGENT_ROLE, {
      name: this.identityName,
      trust,
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
    return role
  }

  /**
   * access-key: an IAM user of this cluster's own, so that every cluster has IAM's two keys per
   * user to itself: one the agent holds, one free for a rotation.
   */
  private async settleUser(partition: string): Promise<void> {
    const { region, clusterName, tags } = this.config
    const user = await ensureAgentIdentity(this.iam, AGENT_USER, {
      name: this.identityName,
      tags,
      partition
    })
    recordAgentIdentity(
      this.report,
      region,
      AGENT_USER,
      user,
      `the agent of ${clusterName} only; its key goes to the agent's Secret alone`
    )
  }

  /**
   * The key the agent holds, kept while it is active; else the key this run made on an earlier
   * pass; else a new one. A key this run made that the agent will not get (a racing run's key
   * won) is deleted.
   */
  async agentKey(held: HeldKey | undefined): Promise<AgentKey> {
    const { userKeyIds, ...key } = await ensureAccessKey(
      this.iam,
      this.identityName,
      held,
      this.createdKey
    )
    this.userKeyIds = new Set(userKeyIds)
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

  /**
   * After the agent moved to another identity (a role, or this cluster's own user): the key the
   * release held is deleted from whichever user has it, this cluster's or the seed's shared one.
   */
  async retireHeldKey(accessKeyId: string, why: string): Promise<void> {
    if (this.config.cloudServicesAuth === 'access-key') {
      // A key of this cluster's user that the agent no longer holds was made inactive by
      // someone, who decides whether it goes; a key of the seed's user is the one moved off.
      if (!this.userKeyIds.has(accessKeyId)) {
        await this.deleteKey(accessKeyId, why, SEED_USER_NAME, 'quietly if missing')
      }
      return
    }
    // A key deleted by hand meanwhile is missing from both: nothing is left to do.
    const deleted = await this.deleteKey(accessKeyId, why, this.identityName, 'quietly if missing')
    if (!deleted) await this.deleteKey(accessKeyId, why, SEED_USER_NAME, 'quietly if missing')
  }

  /**
   * Deletes a key nothing holds; true when it did. A failure is a warning, since the agent is not
   * affected.
   */
  async deleteKey(
    accessKeyId: string,
    why: string,
    userName = this.identityName,
    missing?: 'quietly if missing'
  ): Promise<boolean> {
    try {
      await this.iam.send(
        new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId }),
        EVEN_IF_CANCELLED
      )
    } catch (error) {
      if (missing && /^NoSuchEntity(Exception)?$/.test(errorCode(error) ?? '')) return false
      core.warning(
        `Could not delete access key ${accessKeyId} of IAM user ${userName} (${why}): ` +
          `${String((explainAwsFailure(error, 'the unused key') as Error).message)}`
      )
      return false
    }
    core.info(`Deleted access key ${accessKeyId}: ${why}.`)
    this.report.record({
      kind: 'Access key',
      id: accessKeyId,
      status: 'stopped',
      note: `deleted: ${why}`
    })
    return true
  }

  close(): void {
    for (const client of [this.iam, this.logs, this.sts, this.eks]) client.destroy()
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
 * Same across an SDK retry of CreatePodIdentityAssociation, new for every run (EKS allows 64
 * characters).
 */
function requestToken(): string {
  const run = process.env.GITHUB_RUN_ID
  const attempt = process.env.GITHUB_RUN_ATTEMPT ?? '1'
  return run ? `metrics-agent-action-${run}-${attempt}` : `metrics-agent-action-${Date.now()}`
}
