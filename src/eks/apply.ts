/**
 * Carries out a deploy plan: the cloud-services identity, the namespace, then the release with
 * `helm upgrade --install` and the watch of its rollout. A racing run can take the release
 * between the observation and the upgrade: helm then refuses, and the next pass reads the release
 * again and plans it from what that run left.
 */
import * as core from '@actions/core'
import type { CloudServices } from '../cloud-services/apply.js'
import { heldKey } from '../cloud-services/resources/held-key.js'
import type { EksConfig } from '../inputs.js'
import type { Report } from '../report.js'
import type { RunDependencies } from '../run-dependencies.js'
import type { ChartSource } from './helm/chart-source.js'
import type { HelmRunner } from './helm/helm-runner.js'
import { isReleaseBusy, listRelease, readRelease, upgradeInstall } from './helm/release.js'
import { writeValuesFiles, type Values } from './helm/values.js'
import { retireKeyOfRacingRun, retireMovedKey } from './release-keys.js'
import type { EksObservation } from './observe.js'
import { planRelease, type EksDeployPlan } from './plan.js'
import { createOwnedNamespace } from './resources/namespace.js'
import { awaitAgent } from './rollout/await-agent.js'
import { kubeReader, type KubeReader } from './rollout/kube-api.js'
import { updateBudget, userSetBudget, withBudget } from './rollout/update-budget.js'

/**
 * Passes at the release. A racing run's upgrade can take the release between this run's read and
 * its upgrade; helm then refuses, and the next pass waits for that run and starts from what it
 * left (its key, if the agent now holds one).
 */
const RELEASE_PASSES = 3

export async function applyEksDeploy(
  config: EksConfig,
  report: Report,
  deps: RunDependencies,
  chart: ChartSource,
  observed: EksObservation,
  plan: EksDeployPlan,
  cloud: CloudServices | undefined
): Promise<void> {
  if (cloud) await core.group('Cloud services', () => cloud.applyIdentity())
  await core.group(`Release ${config.agentName} in namespace ${config.namespace}`, async () => {
    if (plan.createNamespace) {
      await createOwnedNamespace(await observed.namespaces(), config.namespace)
    }
    await settleRelease(config, report, deps, chart, observed, plan, cloud)
    // Reported with the release it was made for, as helm's --create-namespace was.
    if (plan.createNamespace) {
      report.record({
        kind: 'Namespace',
        id: config.namespace,
        status: 'created',
        note: "labelled as the action's, so remove may delete it"
      })
    }
  })
}

async function settleRelease(
  config: EksConfig,
  report: Report,
  { clock }: RunDependencies,
  chart: ChartSource,
  observed: EksObservation,
  plan: EksDeployPlan,
  cloud: CloudServices | undefined
): Promise<void> {
  const { helm, access } = observed
  report.output('helm-release', config.agentName)
  report.output('namespace', config.namespace)
  const settleWait = { clock, timeoutMs: config.waitTimeoutMs }
  let kube: KubeReader | undefined
  let deployed = observed.release
  for (let pass = 1; ; pass++) {
    // The first pass carries out the plan; a later one follows a racing run and reads again.
    if (pass > 1) deployed = await readRelease(helm, config.agentName, config.namespace, settleWait)
    const held = heldKey(deployed?.values)
    const withKey = cloud && config.cloudServicesAuth === 'access-key'
    const cloudKey = withKey ? await cloud.agentKey(held) : undefined
    const release =
      pass === 1 && !withKey
        ? plan.release
        : planRelease(config, chart, deployed, cloud?.agentIdentity, cloudKey)
    if (release.action === 'keep') {
      recordRelease(report, config, deployed!.revision, deployed!.chart, 'unchanged')
      return
    }
    if (deployed && !chart.matches) {
      core.info(`chart-version is not pinned: upgrading to whatever ${chart.description} is now.`)
    }
    core.info(`Installing ${chart.description} with helm ${helm.tool.version}`)
    try {
      kube ??= await kubeReader(access.kubeconfigPath, access.refusedAdvice)
      const budget = userSetBudget(config.values) ? undefined : updateBudget(await kube.nodes())
      if (budget) {
        core.info(
          `Some nodes are NotReady or cordoned, and their agents can never become ready: an ` +
            `update may replace up to ${budget} agents at once, so that they cannot hold it up.`
        )
      }
      const values = budget ? withBudget(release.ours, budget) : release.ours
      await install(helm, config, chart, values, plan.createNamespace)
      if (config.wait) {
        await awaitAgent({
          helm,
          kube,
          release: config.agentName,
          namespace: config.namespace,
          previousRevision: deployed?.revision,
          clock,
          timeoutMs: config.waitTimeoutMs,
          report
        })
      }
    } catch (error) {
      if (isReleaseBusy(error) && pass < RELEASE_PASSES) {
        core.info(
          `Another run is changing release ${config.agentName}: waiting, then starting over.`
        )
        continue
      }
      await cloud?.discardCreatedKey()
      throw error
    }
    const installed = await listRelease(helm, config.agentName, config.namespace)
    const revision = Number(installed?.revision ?? 0)
    if (cloud && held && held.accessKeyId !== cloudKey?.accessKeyId) {
      await retireMovedKey(cloud, config, held.accessKeyId)
    }
    if (cloud && cloudKey) {
      await retireKeyOfRacingRun(helm, config, cloud, {
        replacedRevision: revision - 1,
        readRevision: deployed?.revision ?? 0,
        keptKeys: [cloudKey.accessKeyId, heldKey(deployed?.values)?.accessKeyId]
      })
    }
    recordRelease(
      report,
      config,
      revision,
      installed?.chart ?? chart.description,
      deployed ? 'updated' : 'created'
    )
    return
  }
}

/**
 * `--create-namespace` when the plan found the namespace missing: the action has just made it,
 * labelled, and helm leaves an existing one as it is.
 */
async function install(
  helm: HelmRunner,
  config: EksConfig,
  chart: ChartSource,
  ours: Values,
  createNamespace: boolean
): Promise<void> {
  const files = await writeValuesFiles(config.values ? [ours, config.values] : [ours])
  try {
    await upgradeInstall(helm, {
      name: config.agentName,
      namespace: config.namespace,
      chart,
      valuesFiles: files.paths,
      createNamespace,
      timeoutSeconds: Math.ceil(config.waitTimeoutMs / 1000)
    })
  } finally {
    await files.remove()
  }
}

function recordRelease(
  report: Report,
  config: EksConfig,
  revision: number,
  listedChart: string,
  status: 'created' | 'updated' | 'unchanged'
): void {
  const version = /-(\d[^-]*(?:-[^-]+)?)$/.exec(listedChart)?.[1] ?? listedChart
  report.record({
    kind: 'Helm release',
    id: `${config.namespace}/${config.agentName}`,
    status,
    note: `revision ${revision}, chart ${listedChart}`
  })
  report.output('helm-revision', String(revision))
  report.output('chart-version', version)
}
