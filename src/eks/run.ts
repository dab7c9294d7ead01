/**
 * The EKS path, in every mode: observe what exists, plan from it, report the plan; then `plan`
 * validates the release with the API server and stops, `deploy` applies the plan, and `remove`
 * applies the removal plan.
 */
import type { EksConfig } from '../inputs.js'
import type { Report } from '../report.js'
import type { RunDependencies } from '../run-dependencies.js'
import { describedCluster } from './access/cluster-access.js'
import { applyEksDeploy } from './apply.js'
import { chartSource } from './helm/chart-source.js'
import { observeEks } from './observe.js'
import { planEksDeploy } from './plan.js'
import { applyEksRemoval } from './remove.js'
import { planEksRemoval } from './remove-plan.js'
import { validatePlannedRelease } from './validate.js'

export async function runEks(config: EksConfig, report: Report, deps: RunDependencies) {
  const cluster = describedCluster(config, deps.callLog, deps.signal)
  // Loaded only when asked for: four more SDK clients that most runs do not need.
  const clients = config.enableCloudServices
    ? (await import('../cloud-services/clients.js')).cloudClients(config.region, deps)
    : undefined
  try {
    const observed = await observeEks(config, deps, cluster, clients)
    try {
      if (config.mode === 'remove') {
        const plan = planEksRemoval(config, observed)
        report.plan(plan.steps, false)
        await applyEksRemoval(config, report, deps, observed, plan, clients)
        return
      }
      const chart = chartSource(config)
      const plan = planEksDeploy(config, chart, observed)
      report.plan(plan.steps, config.mode === 'plan')
      if (config.mode === 'plan') {
        await validatePlannedRelease(config, report, chart, observed, plan)
        return
      }
      const cloud =
        clients && observed.cloud && plan.cloud
          ? new (await import('../cloud-services/apply.js')).CloudServices(
              config,
              report,
              clients,
              observed.cloud,
              plan.cloud
            )
          : undefined
      await applyEksDeploy(config, report, deps, chart, observed, plan, cloud)
    } finally {
      await observed.access.remove()
    }
  } finally {
    clients?.close()
  }
}
