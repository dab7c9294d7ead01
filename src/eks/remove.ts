/**
 * Carries out a removal plan, in the order that keeps the agent working until it is gone: the
 * release (waited for), its namespace, then the identity the agent used. Each resource gets a row:
 * deleted, kept with why, or absent.
 */
import * as core from '@actions/core'
import type { CloudClients } from '../cloud-services/clients.js'
import type { EksConfig } from '../inputs.js'
import type { Report } from '../report.js'
import { uninstallReleaseAndWait } from './helm/release.js'
import type { EksObservation } from './observe.js'
import type { EksRemovalPlan } from './remove-plan.js'
import { deleteNamespace, namespaceContents, notEmpty } from './resources/namespace.js'

export async function applyEksRemoval(
  config: EksConfig,
  report: Report,
  observed: EksObservation,
  plan: EksRemovalPlan,
  clients: CloudClients | undefined
): Promise<void> {
  const step = (resource: string) => plan.steps.find(each => each.resource === resource)!
  await core.group(`Release ${config.agentName} in namespace ${config.namespace}`, async () => {
    const release = step('Helm release')
    if (plan.uninstall) {
      await uninstallReleaseAndWait(
        observed.helm,
        config.agentName,
        config.namespace,
        Math.ceil(config.waitTimeoutMs / 1000)
      )
      report.record({ kind: release.resource, id: release.id, status: 'deleted' })
    } else report.recordKept(release)
    const userSecret = plan.steps.find(each => each.resource === 'Secret')
    if (userSecret) report.recordKept(userSecret)
    const namespace = step('Namespace')
    if (!plan.deleteNamespace) report.recordKept(namespace)
    else {
      const left = await namespaceContents(await observed.namespaces(), config.namespace)
      if (left.length > 0) {
        report.record({
          kind: 'Namespace',
          id: config.namespace,
          status: 'kept',
          note: notEmpty(left)
        })
      } else {
        const status = await deleteNamespace(await observed.namespaces(), config.namespace)
        report.record({ kind: 'Namespace', id: config.namespace, status })
      }
    }
  })
  if (plan.cloud && observed.cloud && clients) {
    const { removeCloudServices } = await import('../cloud-services/remove.js')
    await core.group('Cloud services', () =>
      removeCloudServices(config, report, clients, observed.cloud!, plan.cloud!)
    )
  }
}
