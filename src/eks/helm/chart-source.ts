/** Which chart helm installs: the one shipped in the action, or the user's. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { actionFile } from '../../action-files.js'
import type { EksConfig } from '../../inputs.js'

export const SHIPPED_CHART_NAME = 'cloudaeye-metrics-agent'

export interface ChartSource {
  /** The chart arguments for `helm upgrade --install <release> ...`. */
  args: string[]
  version?: string
  /**
   * Whether a deployed release already runs this chart: by `<name>-<version>` as helm lists it.
   * Undefined when the version is not known before installing (an unpinned remote chart).
   */
  matches?: (listedChart: string) => boolean
  description: string
}

export function chartSource(config: EksConfig): ChartSource {
  if (!config.chart) {
    const directory = path.dirname(actionFile(`charts/${SHIPPED_CHART_NAME}/Chart.yaml`))
    const chartYaml = readFileSync(path.join(directory, 'Chart.yaml'), 'utf8')
    const version = /^version:\s*['"]?([^'"\s]+)/m.exec(chartYaml)?.[1] ?? ''
    const listed = `${SHIPPED_CHART_NAME}-${version}`
    return {
      args: [directory],
      version,
      matches: chart => chart === listed,
      description: `${SHIPPED_CHART_NAME} ${version} (shipped)`
    }
  }
  const version = config.chartVersion
  const versionArgs = version ? ['--version', version] : []
  const matches = version ? (chart: string) => chart.endsWith(`-${version}`) : undefined
  const chart = config.chart
  // An https URL that is not an archive names a repository and, last, the chart in it.
  if (/^https?:\/\//.test(chart) && !/\.tgz$/.test(chart)) {
    const url = new URL(chart)
    const name = url.pathname.split('/').filter(Boolean).pop() ?? ''
    url.pathname = url.pathname.replace(/\/[^/]+\/?$/, '') || '/'
    return {
      args: ['--repo', url.toString(), name, ...versionArgs],
      version,
      matches,
      description: `${name} ${version ?? '(latest)'} from ${url}`
    }
  }
  return {
    args: [chart, ...versionArgs],
    version,
    matches,
    description: `${chart} ${version ?? ''}`.trim()
  }
}
