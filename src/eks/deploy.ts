/**
 * The EKS path: find helm, reach the cluster and (with cloud services) settle the agent's AWS
 * identity at once; then bring the agent's release to the desired chart and values with
 * `helm upgrade --install`, or leave it when it already is.
 */
import * as core from '@actions/core'
import type { EksConfig } from '../inputs.js'
import type { Report } from '../report.js'
import type { RunDependencies } from '../run-dependencies.js'
import type { CloudServices } from '../cloud-services/cloud-services.js'
import { heldKey } from '../cloud-services/held-key.js'
import type { Clock } from '../poll.js'
import { chartSource } from './chart-source.js'
import { clusterAccess, describedCluster, type ClusterAccess } from './cluster-access.js'
import { HelmRunner } from './helm-runner.js'
import { resolveHelm } from './helm-tool.js'
import { awaitAgent } from './rollout/await-agent.js'
import { kubeReader, type KubeReader } from './rollout/kube-api.js'
import {
  updateBudget,
  userSetBudget,
  withBudget,
  withoutChosenBudget
} from './rollout/update-budget.js'
import {
  isReleaseBusy,
  isUpToDate,
  listRelease,
  readRelease,
  releaseValues,
  upgradeInstall
} from './release.js'
import { actionValues, agentServiceAccountName, mergeValues, writeValuesFiles } from './values.js'

export async function deployToEks(config: EksConfig, report: Report, deps: RunDependencies) {
  const chart = chartSource(config)
  const cluster = describedCluster(config, deps.callLog, deps.signal)
  // Loaded only when asked for: four more SDK clients that most runs do not need.
  const cloud = config.enableCloudServices
    ? new (await import('../cloud-services/cloud-services.js')).CloudServices(config, report, deps)
    : undefined
  try {
    // All settle before anything fails, so a kubeconfig written by one is removed even when
    // another failed, and no download or IAM call goes on after the step has ended.
    const [helmResult, accessResult, identityResult] = await core.group(
      'Helm, cluster access and cloud services',
      () =>
        Promise.allSettled([
          resolveHelm({ version: config.helmVersion, downloadBaseUrl: config.helmDownloadBaseUrl }),
          clusterAccess(config, cluster),
          cloud?.provisionIdentity(agentServiceAccountName(config), cluster)
        ])
    )
    if (accessResult.status === 'rejected') throw accessResult.reason
    const access = accessResult.value
    try {
      if (helmResult.status === 'rejected') throw helmResult.reason
      if (identityResult.status === 'rejected') throw identityResult.reason
      const helm = new HelmRunner(
        helmResult.value,
        access.kubeconfigPath,
        access.refusedAdvice,
        deps.signal
      )
      await core.group(`Release ${config.agentName} in namespace ${config.namespace}`, () =>
        settleRelease(helm, access, config, report, chart, cloud, deps.clock)
      )
    } finally {
      await access.remove()
    }
  } finally {
    cloud?.close()
  }
}

/**
 * Passes at the release. A racing run's upgrade can take the release between this run's read and
 * its upgrade; helm then refuses, and the next pass waits for that run and starts from what it
 * left (its key, if the agent now holds one).
 */
const RELEASE_PASSES = 3

async function settleRelease(
  helm: HelmRunner,
  access: ClusterAccess,
  config: EksConfig,
  report: Report,
  chart: ReturnType<typeof chartSource>,
  cloud: CloudServices | undefined,
  clock: Clock
): Promise<void> {
  report.output('helm-release', config.agentName)
  report.output('namespace', config.namespace)
  const settleWait = { clock, timeoutMs: config.waitTimeoutMs }
  let kube: KubeReader | undefined
  for (let pass = 1; ; pass++) {
    const deployed = await readRelease(helm, config.agentName, config.namespace, settleWait)
    const held = heldKey(deployed?.values)
    const withKey = cloud && config.cloudServicesAuth === 'access-key'
    const cloudKey = withKey ? await cloud.agentKey(held) : undefined
    const ours = actionValues(config, cloudKey, cloud?.agentIdentity)
    const desired = mergeValues(ours, config.values ?? {})
    if (isUpToDate(withoutChosenBudget(deployed, desired), chart, desired)) {
      recordRelease(report, config, deployed!.revision, deployed!.chart, 'unchanged')
      return
    }
    if (deployed && !chart.matches) {
      core.info(`chart-version is not pinned: upgrading to whatever ${chart.description} is now.`)
    }
    core.info(`Installing ${chart.description} with helm ${helm.tool.version}`)
    try {
      kube ??= await kubeReader(access.kubeconfigPath, access.refusedAdvice)
      const [budget, namespaceExists] = await Promise.all([
        userSetBudget(config.values) ? undefined : kube.nodes().then(updateBudget),
        kube.namespaceExists(config.namespace)
      ])
      if (budget) {
        core.info(
          `Some nodes are NotReady or cordoned, and their agents can never become ready: an ` +
            `update may replace up to ${budget} agents at once, so that they cannot hold it up.`
        )
      }
      const values = budget ? withBudget(ours, budget) : ours
      await install(helm, config, chart, values, !namespaceExists)
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

async function install(
  helm: HelmRunner,
  config: EksConfig,
  chart: ReturnType<typeof chartSource>,
  ours: Record<string, unknown>,
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

/**
 * When a racing run upgraded the release after this run read it, this run's upgrade replaced that
 * run's revision, and with it the key that run delivered. Nothing holds that key now; it is
 * deleted, or each race would leave one more key towards IAM's limit of two. The key this run
 * delivered and the one it read are never deleted here.
 */
async function retireKeyOfRacingRun(
  helm: HelmRunner,
  config: EksConfig,
  cloud: CloudServices,
  revisions: { replacedRevision: number; readRevision: number; keptKeys: (string | undefined)[] }
): Promise<void> {
  if (revisions.replacedRevision <= revisions.readRevision) return
  let replaced
  try {
    replaced = heldKey(
      await releaseValues(helm, config.agentName, config.namespace, revisions.replacedRevision)
    )
  } catch (error) {
    core.warning(
      `Could not read revision ${revisions.replacedRevision} of release ${config.agentName}, ` +
        `which a racing run installed: ${(error as Error).message} Its access key, if any, is ` +
        'left for you to delete.'
    )
    return
  }
  if (replaced && !revisions.keptKeys.includes(replaced.accessKeyId)) {
    await cloud.deleteKey(
      replaced.accessKeyId,
      `a racing run delivered it in revision ${revisions.replacedRevision}, which this run's ` +
        'upgrade replaced'
    )
  }
}

/**
 * After the agent moved off the key its release held (to a role, or to its cluster's own user):
 * once the agent is seen running without it the key is deleted, so no long-lived key is left
 * behind; without `wait` that is not known, and the key is left with the command to delete it.
 */
async function retireMovedKey(
  cloud: CloudServices,
  config: EksConfig,
  accessKeyId: string
): Promise<void> {
  if (config.wait) {
    await cloud.retireHeldKey(accessKeyId, 'the agent now runs with its new identity instead')
    return
  }
  core.warning(
    `The agent no longer gets access key ${accessKeyId}, but with wait: false this run did not ` +
      'see it run with its new identity, so the key is kept. Delete it once the agent runs: ' +
      `aws iam get-access-key-last-used --access-key-id ${accessKeyId} names its user, then ` +
      `aws iam delete-access-key --user-name <that user> --access-key-id ${accessKeyId}`
  )
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
