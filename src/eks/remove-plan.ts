/**
 * What remove does, decided from the observation alone: the agent's release; its namespace only
 * when the action made it (labelled) and once nothing else is left in it; this cluster's
 * cloud-services identity only when the action made it. A Secret the user gave (existing-secret),
 * the OIDC provider, and whatever is not the action's are kept, and the plan says why.
 */
import { planCloudServicesRemoval, type CloudRemovalPlan } from '../cloud-services/plan.js'
import type { EksConfig } from '../inputs.js'
import type { Step } from '../plan/step.js'
import { agentServiceAccountName } from './helm/values.js'
import type { EksObservation } from './observe.js'
import { notEmpty } from './resources/namespace.js'

export interface EksRemovalPlan {
  steps: Step[]
  uninstall: boolean
  /** Delete the namespace if it is empty once the release is gone. */
  deleteNamespace: boolean
  cloud?: CloudRemovalPlan
}

export function planEksRemoval(config: EksConfig, observed: EksObservation): EksRemovalPlan {
  const release: Step = {
    resource: 'Helm release',
    id: `${config.namespace}/${config.agentName}`,
    action: observed.release ? 'delete' : 'keep',
    reason: observed.release ? `revision ${observed.release.revision}` : 'absent'
  }
  const { exists, ours, terminating } = observed.namespace
  // With no release to uninstall, what is in the namespace now is what will be left in it.
  const left = observed.namespaceLeft ?? []
  const deleteNamespace = exists && ours === true && !terminating && left.length === 0
  const namespace: Step = {
    resource: 'Namespace',
    id: config.namespace,
    action: deleteNamespace ? 'delete' : 'keep',
    reason:
      !exists || terminating
        ? 'absent'
        : !ours
          ? "not labelled as the action's"
          : left.length > 0
            ? notEmpty(left)
            : "the action's; deleted only if empty once the release is gone"
  }
  const userSecret: Step[] = config.existingSecret
    ? [
        {
          resource: 'Secret',
          id: `${config.namespace}/${config.existingSecret}`,
          action: 'keep',
          reason: "the user's (existing-secret)"
        }
      ]
    : []
  const cloud = observed.cloud
    ? planCloudServicesRemoval(config, observed.cloud, agentServiceAccountName(config))
    : undefined
  return {
    steps: [release, ...userSecret, namespace, ...(cloud?.steps ?? [])],
    uninstall: release.action === 'delete',
    deleteNamespace,
    cloud
  }
}
