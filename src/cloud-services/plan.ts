/**
 * What deploy and remove do to the agent's cloud-services identity, decided from the observation
 * alone. Deploy: the OIDC provider (irsa), this cluster's role or user, the Pod Identity
 * association, the access key. Remove: only what the action made for this cluster; the OIDC
 * provider always stays, since other tools of the account may trust it.
 */
import type { EksConfig } from '../inputs.js'
import type { Step } from '../plan/step.js'
import {
  planAgentIdentity,
  planAgentIdentityRemoval,
  type IdentityPlan,
  type IdentitySpec
} from './agent-identity.js'
import type { HeldKey } from './resources/held-key.js'
import { providerAction, type ObservedProvider } from './resources/oidc-provider.js'
import type { CloudObservation } from './observe.js'
import { irsaTrust, podIdentityTrust } from './trust-policies.js'

/**
 * What the agent's release is given: a role (irsa: annotated on its ServiceAccount; pod-identity:
 * associated in EKS, so the chart adds nothing) or, with access-key, a key.
 */
export interface AgentIdentity {
  roleArn?: string
  podIdentity?: boolean
}

export interface CloudDeployPlan {
  steps: Step[]
  /** The agent's ServiceAccount, which alone may become the role. */
  serviceAccount: string
  spec: IdentitySpec
  identity: IdentityPlan
  /** What the release gets; the role's ARN is known before the role exists. */
  agentIdentity: AgentIdentity
  /** irsa: the provider to create, give the agent's audience, or keep. */
  provider?: ObservedProvider
  /** pod-identity: the association's target. */
  association?: { roleArn: string }
}

const ASSOCIATION = 'Pod Identity association'
const PROVIDER = 'IAM OIDC provider'

export function planCloudServices(
  config: EksConfig,
  observed: CloudObservation,
  serviceAccount: string,
  held: HeldKey | undefined
): CloudDeployPlan {
  const { namespace, clusterName, tags } = config
  const auth = config.cloudServicesAuth
  const steps: Step[] = []
  const provider = observed.provider
  if (provider) {
    const action = providerAction(provider)
    steps.push({
      resource: PROVIDER,
      id: provider.issuerHost,
      action,
      reason:
        action === 'create'
          ? `missing: ${clusterName}'s issuer`
          : action === 'update'
            ? 'registered without the agent audience'
            : 'already registered'
    })
  }
  const trust =
    auth === 'irsa' && provider
      ? irsaTrust(provider, namespace, serviceAccount)
      : auth === 'pod-identity'
        ? podIdentityTrust(observed.accountId, observed.clusterArn ?? '', namespace, serviceAccount)
        : undefined
  const spec: IdentitySpec = {
    name: observed.identityName,
    tags,
    partition: observed.partition,
    ...(trust ? { trust } : {})
  }
  const identity = planAgentIdentity(observed.kind, observed.identity, spec)
  steps.push(identity.step)
  const roleArn =
    observed.identity?.arn ??
    `arn:${observed.partition}:iam::${observed.accountId}:role/${observed.identityName}`
  let association: CloudDeployPlan['association']
  if (auth === 'pod-identity') {
    association = { roleArn }
    const found = observed.association
    steps.push({
      resource: ASSOCIATION,
      id: found?.associationId ?? `${namespace}/${serviceAccount}`,
      action: !found ? 'create' : found.roleArn === roleArn ? 'keep' : 'update',
      reason: !found
        ? 'missing'
        : found.roleArn === roleArn
          ? 'names the agent role'
          : 'names another role',
      ...(found && found.roleArn !== roleArn
        ? { changes: [{ field: 'roleArn', before: found.roleArn, after: roleArn }] }
        : {})
    })
  }
  steps.push(...keySteps(config, observed, held))
  return {
    steps,
    serviceAccount,
    spec,
    identity,
    agentIdentity:
      auth === 'access-key'
        ? {}
        : { roleArn, ...(auth === 'pod-identity' ? { podIdentity: true } : {}) },
    provider,
    association
  }
}

/** The key the agent holds while it is active, else a new one; a key moved off is retired. */
function keySteps(config: EksConfig, observed: CloudObservation, held?: HeldKey): Step[] {
  const ofUser = held && observed.keys.find(key => key.AccessKeyId === held.accessKeyId)
  const steps: Step[] = []
  if (config.cloudServicesAuth === 'access-key') {
    steps.push(
      ofUser?.Status === 'Active'
        ? {
            resource: 'Access key',
            id: ofUser.AccessKeyId!,
            action: 'keep',
            reason: 'the agent holds it'
          }
        : {
            resource: 'Access key',
            id: `new key of ${observed.identityName}`,
            action: 'create',
            reason: held ? 'the agent holds no active key of its user' : 'missing'
          }
    )
  }
  const movedOff = held && (config.cloudServicesAuth !== 'access-key' || !ofUser)
  if (movedOff) {
    steps.push({
      resource: 'Access key',
      id: held.accessKeyId,
      action: 'delete',
      reason: config.wait
        ? 'the agent moves off it; deleted once it runs with its new identity'
        : 'the agent moves off it (kept with wait: false)'
    })
  }
  return steps
}

export interface CloudRemovalPlan {
  steps: Step[]
  /** The identity to delete, when it is the action's. */
  deleteIdentity: boolean
  /** pod-identity: the association to delete, when it names this cluster's agent role. */
  associationId?: string
}

export function planCloudServicesRemoval(
  config: EksConfig,
  observed: CloudObservation,
  serviceAccount: string
): CloudRemovalPlan {
  const steps: Step[] = []
  const identityStep = planAgentIdentityRemoval(
    observed.kind,
    observed.identityName,
    observed.identity
  )
  let associationId: string | undefined
  const found = observed.association
  if (config.cloudServicesAuth === 'pod-identity') {
    const ours = found && observed.identity && found.roleArn === observed.identity.arn
    if (ours && identityStep.action === 'delete') associationId = found.associationId
    steps.push({
      resource: ASSOCIATION,
      id: found?.associationId ?? `${config.namespace}/${serviceAccount}`,
      action: associationId ? 'delete' : 'keep',
      reason: !found
        ? 'absent'
        : associationId
          ? "names this cluster's agent role"
          : "does not name a role of the action's"
    })
  }
  steps.push(
    observed.kind.noun === 'user' && identityStep.action === 'delete'
      ? {
          ...identityStep,
          reason: `${identityStep.reason}; with its ${observed.keys.length} access key(s)`
        }
      : identityStep
  )
  if (observed.provider) {
    steps.push({
      resource: PROVIDER,
      id: observed.provider.issuerHost,
      action: 'keep',
      reason: observed.provider.audiences
        ? 'kept: other roles and tools of the account may trust it'
        : 'absent'
    })
  }
  return { steps, deleteIdentity: identityStep.action === 'delete', associationId }
}
