/**
 * What a deploy does, decided from the observation alone: the cloud-services identity, the
 * namespace, and the agent's release with the values that differ (secrets masked). `plan` mode
 * shows it; deploy carries it out.
 */
import {
  planCloudServices,
  type AgentIdentity,
  type CloudDeployPlan
} from '../cloud-services/plan.js'
import { heldKey } from '../cloud-services/resources/held-key.js'
import type { EksConfig } from '../inputs.js'
import { fieldChanges } from '../plan/field-changes.js'
import type { FieldChange, Step } from '../plan/step.js'
import type { ChartSource } from './helm/chart-source.js'
import { isUpToDate, type DeployedRelease } from './helm/release.js'
import {
  actionValues,
  agentServiceAccountName,
  mergeValues,
  type CloudKey,
  type Values
} from './helm/values.js'
import type { EksObservation } from './observe.js'
import { withoutChosenBudget } from './rollout/update-budget.js'

export interface ReleasePlan {
  action: 'create' | 'update' | 'keep'
  step: Step
  /** The action's own values: what the chart gets besides the user's `values`. */
  ours: Values
}

export interface EksDeployPlan {
  steps: Step[]
  cloud?: CloudDeployPlan
  /** The namespace is missing: the action makes it, labelled as its own. */
  createNamespace: boolean
  release: ReleasePlan
}

/**
 * What a plan shows of a key still to be made: the chart needs one to render, and its value never
 * shows (key material is masked), so any text serves.
 */
export const PLANNED_KEY: CloudKey = {
  accessKeyId: 'AKIA-TO-BE-CREATED',
  secretAccessKey: 'to-be-created-at-deploy'
}

/** Paths of the values whose content is a secret or key material: shown as `***`. */
export function isSecretValue(path: string): boolean {
  const last = path.split('.').pop() ?? ''
  return (
    /^(apiKey|accessKeyId|secretAccessKey)$/i.test(last) ||
    /(password|token|privateKey|secretKey)$/i.test(last)
  )
}

export function planEksDeploy(
  config: EksConfig,
  chart: ChartSource,
  observed: EksObservation
): EksDeployPlan {
  const held = heldKey(observed.release?.values)
  const cloud = observed.cloud
    ? planCloudServices(config, observed.cloud, agentServiceAccountName(config), held)
    : undefined
  const keyKept = cloud?.steps.find(
    step => step.resource === 'Access key' && step.action === 'keep'
  )
  const key =
    config.enableCloudServices && config.cloudServicesAuth === 'access-key'
      ? keyKept && held
        ? held
        : PLANNED_KEY
      : undefined
  const release = planRelease(config, chart, observed.release, cloud?.agentIdentity, key)
  const createNamespace = !observed.namespace.exists
  const namespaceStep: Step = {
    resource: 'Namespace',
    id: config.namespace,
    action: createNamespace ? 'create' : 'keep',
    reason: createNamespace
      ? "missing; labelled as the action's"
      : observed.namespace.ours
        ? "the action's"
        : 'exists'
  }
  return {
    steps: [...(cloud?.steps ?? []), namespaceStep, release.step],
    cloud,
    createNamespace,
    release
  }
}

/**
 * The release given this identity and key: kept when it already runs this chart with exactly
 * these values, else installed or upgraded with the fields that differ. Each pass of the deploy
 * plans it again from the release as that pass read it.
 */
export function planRelease(
  config: EksConfig,
  chart: ChartSource,
  deployed: DeployedRelease | undefined,
  identity: AgentIdentity | undefined,
  key: CloudKey | undefined
): ReleasePlan {
  const ours = actionValues(config, key, identity)
  const desired = mergeValues(ours, config.values ?? {})
  const resource = 'Helm release'
  const id = `${config.namespace}/${config.agentName}`
  const compared = withoutChosenBudget(deployed, desired)
  if (isUpToDate(compared, chart, desired)) {
    return { action: 'keep', ours, step: { resource, id, action: 'keep', reason: 'up to date' } }
  }
  if (!deployed) {
    return {
      action: 'create',
      ours,
      step: { resource, id, action: 'create', reason: `missing: ${chart.description}` }
    }
  }
  const changes: FieldChange[] = fieldChanges(compared?.values, desired, isSecretValue)
  const chartChanged = !chart.matches?.(deployed.chart)
  if (chartChanged) {
    changes.unshift({
      field: 'chart',
      before: deployed.chart,
      after: chart.matches ? chart.description : `${chart.description}, whatever it is now`
    })
  }
  const reasons = [
    ...(deployed.status !== 'deployed' ? [`status ${deployed.status}`] : []),
    ...(chartChanged ? ['chart'] : []),
    ...(changes.some(change => change.field !== 'chart') ? ['values changed'] : [])
  ]
  return {
    action: 'update',
    ours,
    step: {
      resource,
      id,
      action: 'update',
      reason: reasons.join(', ') || 'values changed',
      changes
    }
  }
}
