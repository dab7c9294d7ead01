/**
 * Carries out the cloud-services part of a deploy plan: the OIDC provider, the role or user, the
 * association; then, once the agent's release has been read on each pass, the access key. Keys
 * made by this run that the agent did not get, and keys the agent moved off, are deleted here.
 */
import * as core from '@actions/core'
import { DeleteAccessKeyCommand } from '@aws-sdk/client-iam'
import { EVEN_IF_CANCELLED } from '../aws/clients.js'
import { errorCode, explainAwsFailure } from '../aws/errors.js'
import type { EksConfig } from '../inputs.js'
import type { Report } from '../report.js'
import { applyAgentIdentity, recordAgentIdentity } from './agent-identity.js'
import type { CloudClients } from './clients.js'
import { SEED_USER_NAME } from './names.js'
import type { CloudObservation } from './observe.js'
import type { AgentIdentity, CloudDeployPlan } from './plan.js'
import { ensureAccessKey, type AgentKey } from './resources/access-key.js'
import type { HeldKey } from './resources/held-key.js'
import { applyOidcProvider } from './resources/oidc-provider.js'
import { applyPodIdentityAssociation } from './resources/pod-identity.js'

export class CloudServices {
  /** The key this run made, while the agent may still get it. */
  private createdKey?: AgentKey
  /** access-key: the keys that user has, as agentKey last listed them. */
  private userKeyIds: Set<string>

  constructor(
    private readonly config: EksConfig,
    private readonly report: Report,
    private readonly clients: CloudClients,
    private readonly observed: CloudObservation,
    private readonly plan: CloudDeployPlan
  ) {
    this.userKeyIds = new Set(observed.keys.map(key => key.AccessKeyId ?? ''))
  }

  /** What the release is given, as planned. */
  get agentIdentity(): AgentIdentity {
    return this.plan.agentIdentity
  }

  private get identityName(): string {
    return this.observed.identityName
  }

  /** The provider, the role or user, and the association, in that order, as planned. */
  async applyIdentity(): Promise<void> {
    const { region, clusterName, namespace, tags } = this.config
    const { iam, eks } = this.clients
    if (this.plan.provider) {
      const provider = await applyOidcProvider(iam, this.plan.provider, tags)
      this.report.record({
        kind: 'IAM OIDC provider',
        id: provider.issuerHost,
        status: provider.status,
        note: provider.status === 'reused' ? 'already registered' : `for ${clusterName}'s issuer`
      })
    }
    const kind = this.observed.kind
    const identity = await applyAgentIdentity(
      iam,
      kind,
      this.plan.spec,
      this.observed.identity,
      this.plan.identity
    )
    const association = this.plan.association
    recordAgentIdentity(
      this.report,
      region,
      kind,
      identity,
      kind.noun === 'user'
        ? `the agent of ${clusterName} only; its key goes to the agent's Secret alone`
        : `only ServiceAccount ${namespace}/${this.plan.serviceAccount} of ${clusterName} may assume it`
    )
    if (association) {
      const settled = await applyPodIdentityAssociation(
        eks,
        { clusterName, namespace, serviceAccount: this.plan.serviceAccount, roleArn: identity.arn },
        this.observed.association,
        requestToken()
      )
      this.report.record({
        kind: 'Pod Identity association',
        id: settled.associationId,
        status: settled.status,
        note: `ServiceAccount ${namespace}/${this.plan.serviceAccount} gets ${identity.name}`
      })
    }
    const logGroups = this.observed.logGroups ?? []
    this.report.note(
      `The agent can read CloudWatch metrics and ${logGroups.length} log group(s) in ${region}.`
    )
    core.debug(`Log groups: ${logGroups.join(', ')}`)
  }

  /**
   * The key the agent holds, kept while it is active; else the key this run made on an earlier
   * pass; else a new one. The user's keys are listed again right before: a racing run may have
   * made one since the observation. A key this run made that the agent will not get (a racing
   * run's key won) is deleted.
   */
  async agentKey(held: HeldKey | undefined): Promise<AgentKey> {
    const { userKeyIds, ...key } = await ensureAccessKey(
      this.clients.iam,
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
      await this.clients.iam.send(
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
