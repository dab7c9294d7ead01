/**
 * Carries out the cloud-services part of a removal: the association of this cluster's agent
 * ServiceAccount, then this cluster's role or user (with its policy and keys). What the plan keeps
 * (the OIDC provider, an identity the action did not make) is reported with why.
 */
import type { EksConfig } from '../inputs.js'
import type { Report } from '../report.js'
import { removeAgentIdentity } from './agent-identity.js'
import type { CloudClients } from './clients.js'
import type { CloudObservation } from './observe.js'
import type { CloudRemovalPlan } from './plan.js'
import { deletePodIdentityAssociation } from './resources/pod-identity.js'

export async function removeCloudServices(
  config: EksConfig,
  report: Report,
  clients: CloudClients,
  observed: CloudObservation,
  plan: CloudRemovalPlan
): Promise<void> {
  for (const step of plan.steps) {
    if (step.action !== 'delete') {
      report.recordKept(step)
    } else if (step.resource === 'Pod Identity association' && plan.associationId) {
      const status = await deletePodIdentityAssociation(
        clients.eks,
        config.clusterName,
        plan.associationId
      )
      report.record({ kind: step.resource, id: step.id, status, note: step.reason })
    } else if (plan.deleteIdentity) {
      const status = await removeAgentIdentity(clients.iam, observed.kind, observed.identityName)
      report.record({ kind: step.resource, id: step.id, status, note: step.reason })
    }
  }
}
