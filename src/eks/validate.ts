/**
 * Plan mode's last step: the release as deploy would install it, rendered by helm and dry-run by
 * the API server, so that a plan that passes does not fail on a schema error at deploy. A key
 * still to be made is rendered with a stand-in, which never leaves the values file.
 */
import * as core from '@actions/core'
import type { EksConfig } from '../inputs.js'
import type { Report } from '../report.js'
import type { ChartSource } from './helm/chart-source.js'
import { writeValuesFiles } from './helm/values.js'
import type { EksObservation } from './observe.js'
import type { EksDeployPlan } from './plan.js'
import { renderRelease, validateManifest } from './resources/manifests.js'

export async function validatePlannedRelease(
  config: EksConfig,
  report: Report,
  chart: ChartSource,
  observed: EksObservation,
  plan: EksDeployPlan
): Promise<void> {
  if (plan.release.action === 'keep') return
  await core.group(`Validate release ${config.agentName} (server dry run)`, async () => {
    const files = await writeValuesFiles(
      config.values ? [plan.release.ours, config.values] : [plan.release.ours]
    )
    let manifest: string
    try {
      manifest = await renderRelease(observed.helm, {
        name: config.agentName,
        namespace: config.namespace,
        chart,
        valuesFiles: files.paths
      })
    } finally {
      await files.remove()
    }
    const { accepted, deferred } = await validateManifest(
      observed.access.kubeconfigPath,
      observed.access.refusedAdvice,
      manifest,
      { name: config.namespace, exists: observed.namespace.exists }
    )
    const stand = observed.namespace.exists
      ? ''
      : ` (namespace ${config.namespace} does not exist yet: its objects were checked in default)`
    report.note(
      `The API server accepted the ${accepted} object(s) of release ${config.agentName} in a dry ` +
        `run${stand}.` +
        (deferred.length
          ? ` ${deferred.join(', ')} binds a role the release creates, which a dry run does not ` +
            'make: the deploy checks it.'
          : '')
    )
  })
}
