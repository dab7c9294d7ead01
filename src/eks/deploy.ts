/**
 * The EKS path: find helm and reach the cluster at once, then bring the agent's release to the
 * desired chart and values with `helm upgrade --install`, or leave it when it already is.
 */
import * as core from '@actions/core'
import type { EksConfig } from '../inputs.js'
import type { Report } from '../report.js'
import type { CallLog } from '../aws/clients.js'
import { chartSource } from './chart-source.js'
import { clusterAccess } from './cluster-access.js'
import { HelmRunner } from './helm-runner.js'
import { resolveHelm } from './helm-tool.js'
import { isUpToDate, listRelease, readRelease, upgradeInstall } from './release.js'
import { actionValues, mergeValues, writeValuesFiles } from './values.js'

export interface EksDependencies {
  callLog: CallLog
}

export async function deployToEks(config: EksConfig, report: Report, deps: EksDependencies) {
  const chart = chartSource(config)
  // Both settle before anything fails, so a kubeconfig written by one is removed even when the
  // other failed, and no download goes on after the step has ended.
  const [helmResult, accessResult] = await core.group('Helm and cluster access', () =>
    Promise.allSettled([
      resolveHelm({ version: config.helmVersion, downloadBaseUrl: config.helmDownloadBaseUrl }),
      clusterAccess(config, deps.callLog)
    ])
  )
  if (accessResult.status === 'rejected') throw accessResult.reason
  const access = accessResult.value
  if (helmResult.status === 'rejected') {
    await access.remove()
    throw helmResult.reason
  }
  const helmTool = helmResult.value
  try {
    const helm = new HelmRunner(helmTool, access.kubeconfigPath, access.refusedAdvice)
    await core.group(`Release ${config.agentName} in namespace ${config.namespace}`, () =>
      settleRelease(helm, config, report, chart)
    )
  } finally {
    await access.remove()
  }
}

async function settleRelease(
  helm: HelmRunner,
  config: EksConfig,
  report: Report,
  chart: ReturnType<typeof chartSource>
): Promise<void> {
  const ours = actionValues(config)
  const desired = mergeValues(ours, config.values ?? {})
  const deployed = await readRelease(helm, config.agentName, config.namespace)
  report.output('helm-release', config.agentName)
  report.output('namespace', config.namespace)
  if (isUpToDate(deployed, chart, desired)) {
    recordRelease(report, config, deployed!.revision, deployed!.chart, 'unchanged')
    return
  }
  if (deployed && !chart.matches) {
    core.info(`chart-version is not pinned: upgrading to whatever ${chart.description} is now.`)
  }
  core.info(`Installing ${chart.description} with helm ${helm.tool.version}`)
  const files = await writeValuesFiles(config.values ? [ours, config.values] : [ours])
  try {
    await upgradeInstall(helm, {
      name: config.agentName,
      namespace: config.namespace,
      chart,
      valuesFiles: files.paths,
      wait: config.wait,
      timeoutSeconds: Math.ceil(config.waitTimeoutMs / 1000)
    })
  } finally {
    await files.remove()
  }
  const installed = await listRelease(helm, config.agentName, config.namespace)
  recordRelease(
    report,
    config,
    Number(installed?.revision ?? 0),
    installed?.chart ?? chart.description,
    deployed ? 'updated' : 'created'
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
