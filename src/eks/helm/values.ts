/**
 * The values the action gives the chart, and the private files that carry them to helm: the API key
 * travels in a 0600 file that is removed afterwards, never in argv or the log.
 */
import { rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { AgentIdentity } from '../../cloud-services/plan.js'
import type { EksConfig } from '../../inputs.js'
import { privateTempDirectory } from '../../temp-dir.js'

export type Values = Record<string, unknown>

/** The AWS key of cloud services, delivered to the agent only through its Secret. */
export interface CloudKey {
  accessKeyId: string
  secretAccessKey: string
}

/**
 * The ServiceAccount the chart gives the agent: the one `values` names, else the release's own
 * name, as the chart's fullname helper makes it.
 */
export function agentServiceAccountName(config: EksConfig): string {
  const named = (config.values?.serviceAccount as { name?: unknown } | undefined)?.name
  if (typeof named === 'string' && named) return named
  return config.agentName.slice(0, 63).replace(/-+$/, '')
}

export function actionValues(
  config: EksConfig,
  cloudKey?: CloudKey,
  identity: AgentIdentity = {}
): Values {
  return {
    image: config.agentImage,
    cloudaeye: {
      endpoint: config.endpoint,
      cluster: config.clusterName,
      platform: 'eks',
      region: config.region,
      services: config.services
    },
    ...(config.existingSecret
      ? { existingSecret: config.existingSecret }
      : { apiKey: config.apiKey ?? '' }),
    ...(identity.roleArn ? { cloudServices: roleValues(identity) } : {}),
    ...(cloudKey
      ? {
          cloudServices: {
            enabled: true,
            auth: 'accessKey',
            accessKeyId: cloudKey.accessKeyId,
            secretAccessKey: cloudKey.secretAccessKey
          }
        }
      : {})
  }
}

/** irsa: the chart annotates the ServiceAccount with the role; Pod Identity needs nothing there. */
function roleValues(identity: AgentIdentity): Values {
  return identity.podIdentity
    ? { enabled: true, auth: 'podIdentity' }
    : { enabled: true, auth: 'irsa', roleArn: identity.roleArn }
}

function isMap(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Later files win, maps merge key by key, as helm merges repeated --values files. */
export function mergeValues(base: Values, override: Values): Values {
  const merged: Values = { ...base }
  for (const [key, value] of Object.entries(override)) {
    merged[key] = isMap(value) && isMap(merged[key]) ? mergeValues(merged[key], value) : value
  }
  return merged
}

export interface ValuesFiles {
  paths: string[]
  remove(): Promise<void>
}

/** One private directory under RUNNER_TEMP, one file per values document, all mode 0600. */
export async function writeValuesFiles(documents: Values[]): Promise<ValuesFiles> {
  const directory = await privateTempDirectory('cloudaeye-values-')
  const paths: string[] = []
  const remove = () => rm(directory, { recursive: true, force: true })
  try {
    for (const [index, document] of documents.entries()) {
      const file = path.join(directory, `values-${index}.json`)
      await writeFile(file, JSON.stringify(document), { mode: 0o600 })
      paths.push(file)
    }
  } catch (error) {
    await remove()
    throw error
  }
  return { paths, remove }
}
