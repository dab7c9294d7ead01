/**
 * Carries out a removal plan, in the order that keeps the agent working until it is gone: the
 * release (waited for), its namespace, then the identity the agent used. Each resource gets a row:
 * deleted, kept with why, or absent.
 */
import * as core from '@actions/core'
import type { CloudClients } from '../cloud-services/clients.js'
import type { EksConfig } from '../inputs.js'
import type { Report } from '../report.js'
import type { RunDependencies } from '../run-dependencies.js'
import { uninstallRelease } from './helm/release.js'
import type { EksObservation } from './observe.js'
import type { EksRemovalPlan } from './remove-plan.js'
import { deleteNamespace, namespaceContents, notEmpty } from './resources/namespace.js'
import { agentPodSelectors, awaitAgentGone } from './rollout/await-removal.js'
import { kubeReader } from './rollout/kube-api.js'

export async function applyEksRemoval(
  config: EksConfig,
  report: Report,
  deps: RunDependencies,
  observed: EksObservation,
  plan: EksRemovalPlan,
  clients: CloudClients | undefined
): Promise<void> {
  const step = (resource: string) => plan.steps.find(each => each.resource === resource)!
  await core.group(`Release ${config.agentName} in namespace ${config.namespace}`, async () => {
    const release = step('Helm release')
    if (plan.uninstall) {
      const kube = await kubeReader(observed.access.kubeconfigPath, observed.access.refusedAdvice)
      const removal = {
        kube,
        release: config.agentName,
        namespace: config.namespace,
        clock: deps.clock,
        timeoutMs: config.waitTimeoutMs
      }
      // Read before the uninstall, which deletes the DaemonSets that name the agent's pods.
      const selectors = config.wait ? await agentPodSelectors(removal) : []
      await uninstallRelease(observed.helm, config.agentName, config.namespace)
      report.record({ kind: release.resource, id: release.id, status: 'deleted' })
      await awaitAgentGone(removal, selectors)
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
