/** The inputs of the EKS path, validated like the others before any AWS client exists. */
import { existsSync } from 'node:fs'
import * as core from '@actions/core'
import { InputError } from './errors.js'
import { InputChecks, parseBoolean } from './input-parsers.js'
import type { InputReader, Mode } from './inputs.js'

export const DEFAULT_NAMESPACE = 'cloudaeye'
export const DEFAULT_HELM_DOWNLOAD_BASE_URL = 'https://get.helm.sh'

/** Inputs that only the ECS path reads; given on EKS they would be silently ignored. */
const ECS_ONLY_INPUTS = [
  'vpc-id',
  'subnet-ids',
  'security-group-ids',
  'execution-role-arn',
  'task-role-arn'
]
/** ECS inputs with an action.yml default, which the runner passes on every run: warned only when changed. */
const ECS_INPUT_DEFAULTS: Record<string, string> = { 'ecs-run-as': 'task' }

export interface EksInputs {
  namespace: string
  kubeconfig?: string
  helmVersion?: string
  helmDownloadBaseUrl: string
  chart?: string
  chartVersion?: string
  values?: Record<string, unknown>
  existingSecret?: string
  enableCloudServices: boolean
  cloudServicesAuth: CloudServicesAuth
}

/**
 * How the agent gets its AWS identity with cloud services. `irsa` is the default: it works on
 * every EKS cluster without an add-on, and the agent holds no long-lived key.
 */
export type CloudServicesAuth = 'irsa' | 'pod-identity' | 'access-key'
const CLOUD_SERVICES_AUTH: readonly CloudServicesAuth[] = ['irsa', 'pod-identity', 'access-key']

export async function readEksInputs(
  read: InputReader,
  checks: InputChecks,
  apiKey: string,
  mode: Mode | undefined
): Promise<EksInputs> {
  if (read('cloudaeye-api-key-secret-arn').trim()) {
    checks.add(
      new InputError(
        'cloudaeye-api-key-secret-arn',
        'applies to ECS only. On EKS give cloudaeye-api-key (it goes into a Kubernetes Secret) or ' +
          'existing-secret.'
      )
    )
  }
  const enableCloudServices = checks.check(() =>
    parseBoolean('enable-cloud-services', read('enable-cloud-services') || 'false')
  )
  const cloudServicesAuth = checks.check(() => readCloudServicesAuth(read, enableCloudServices))
  const existingSecret = checks.check(() => kubernetesName(read, 'existing-secret', 253))
  // A refused existing-secret was still given: the checks of which key input to use are skipped.
  const secretGiven = existingSecret !== undefined || checks.refused('existing-secret')
  // Only when both cloud-services inputs are known: a refused one says nothing of access-key.
  if (enableCloudServices === true && cloudServicesAuth === 'access-key' && existingSecret) {
    checks.add(
      new InputError(
        'existing-secret',
        'cannot be used with cloud-services-auth: access-key: the AWS key the action makes reaches ' +
          'the agent only through the Secret the chart creates. Give cloudaeye-api-key instead, ' +
          'or use cloud-services-auth: irsa, which needs no key.'
      )
    )
  }
  if (apiKey && existingSecret) {
    checks.add(
      new InputError(
        'existing-secret',
        'and cloudaeye-api-key are both set; give one: the key, or the Secret that holds it.'
      )
    )
  }
  // With the mode refused, whether remove (which needs no key) was meant is not known.
  if (!apiKey && !secretGiven && mode !== undefined && mode !== 'remove') {
    checks.add(
      new InputError(
        'cloudaeye-api-key',
        'is empty and so is existing-secret; give the key, or the name of a Secret in the ' +
          "namespace holding it under 'api-key'."
      )
    )
  }
  for (const name of ECS_ONLY_INPUTS) {
    if (read(name).trim())
      core.warning(`Input '${name}' applies to ECS only; it is ignored on EKS.`)
  }
  for (const [name, byDefault] of Object.entries(ECS_INPUT_DEFAULTS)) {
    const value = read(name).trim().toLowerCase()
    if (value && value !== byDefault) {
      core.warning(`Input '${name}' applies to ECS only; it is ignored on EKS.`)
    }
  }
  const kubeconfig = read('kubeconfig').trim() || undefined
  if (kubeconfig && !existsSync(kubeconfig)) {
    checks.add(
      new InputError(
        'kubeconfig',
        `'${kubeconfig}' does not exist; give the path of a kubeconfig file.`
      )
    )
  }
  const values = await checks.checkAsync(() => readValues(read))
  // Refused values, or a refused cloud-services input, skip the check of the ServiceAccount.
  if (enableCloudServices === true && cloudServicesAuth === 'irsa' && !checks.refused('values')) {
    checks.check(() => checkServiceAccountIsTheCharts(values))
  }
  return {
    namespace: checks.check(() => kubernetesName(read, 'namespace', 63)) ?? DEFAULT_NAMESPACE,
    kubeconfig,
    helmVersion: checks.check(() => readHelmVersion(read)),
    helmDownloadBaseUrl: checks.check(() => readDownloadBaseUrl(read)),
    chart: read('chart').trim() || undefined,
    chartVersion: checks.check(() => readChartVersion(read)),
    values,
    existingSecret,
    enableCloudServices,
    cloudServicesAuth
  } as EksInputs
}

function readCloudServicesAuth(read: InputReader, enabled: boolean | undefined): CloudServicesAuth {
  const raw = read('cloud-services-auth').trim()
  if (!raw) return 'irsa'
  if (!CLOUD_SERVICES_AUTH.includes(raw as CloudServicesAuth)) {
    throw new InputError(
      'cloud-services-auth',
      `'${raw}' is not one of ${CLOUD_SERVICES_AUTH.join(', ')}; leave it empty for irsa.`
    )
  }
  // irsa is action.yml's default, so it arrives whether or not the user wrote it.
  // Not when enable-cloud-services was refused: whether it is on is not known.
  if (enabled === false && raw !== 'irsa') {
    core.warning(
      "Input 'cloud-services-auth' applies only with enable-cloud-services: true; it is ignored."
    )
  }
  return raw as CloudServicesAuth
}

/**
 * With irsa the role is given to the agent by an annotation on the ServiceAccount the chart
 * creates; a ServiceAccount the user manages would never get it.
 */
function checkServiceAccountIsTheCharts(values: Record<string, unknown> | undefined): void {
  const serviceAccount = values?.serviceAccount as { create?: unknown } | undefined
  if (serviceAccount?.create === false) {
    throw new InputError(
      'values',
      "sets serviceAccount.create: false, so the agent's ServiceAccount is yours and the action " +
        'cannot annotate it with the role cloud-services-auth: irsa gives the agent. Let the ' +
        'chart create it (drop serviceAccount.create), or use cloud-services-auth: access-key.'
    )
  }
}

/** A DNS-1123 label (namespaces) or subdomain (Secrets); undefined when empty. */
function kubernetesName(read: InputReader, name: string, maxLength: number): string | undefined {
  const value = read(name).trim()
  if (!value) return undefined
  const pattern =
    maxLength === 63 ? /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/ : /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/
  if (value.length > maxLength || !pattern.test(value)) {
    throw new InputError(
      name,
      `'${value}' is not a Kubernetes name; use at most ${maxLength} lowercase letters, digits and ` +
        `hyphens, starting and ending with a letter or digit.`
    )
  }
  return value
}

function readHelmVersion(read: InputReader): string | undefined {
  const raw = read('helm-version').trim()
  if (!raw) return undefined
  const match = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(raw)
  const major = Number(match?.[1])
  const minor = Number(match?.[2])
  if (!match || !(major === 4 || (major === 3 && minor >= 13))) {
    throw new InputError(
      'helm-version',
      `'${raw}' is not a supported helm version; give 3.13.0 or later, or 4.x (e.g. 4.1.4), or ` +
        'leave it empty to use the helm on PATH or the pinned default.'
    )
  }
  return `${match[1]}.${match[2]}.${match[3]}`
}

function readDownloadBaseUrl(read: InputReader): string {
  const raw = read('helm-download-base-url').trim() || DEFAULT_HELM_DOWNLOAD_BASE_URL
  let url: URL | undefined
  try {
    url = new URL(raw)
  } catch {
    url = undefined
  }
  // Plain http is for a mirror on the runner itself; anything else must be https.
  const loopback = url && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
  if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
    throw new InputError(
      'helm-download-base-url',
      `'${raw}' is not an https URL; give a mirror of ${DEFAULT_HELM_DOWNLOAD_BASE_URL}.`
    )
  }
  return raw.replace(/\/+$/, '')
}

function readChartVersion(read: InputReader): string | undefined {
  const raw = read('chart-version').trim()
  if (!raw) return undefined
  if (!read('chart').trim()) {
    throw new InputError('chart-version', 'needs chart: the shipped chart has its own version.')
  }
  if (/\s/.test(raw)) throw new InputError('chart-version', `'${raw}' is not a chart version.`)
  return raw
}

async function readValues(read: InputReader): Promise<Record<string, unknown> | undefined> {
  const raw = read('values')
  if (!raw.trim()) return undefined
  const { parse } = await import('yaml')
  let values: unknown
  try {
    values = parse(raw)
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0]
    throw new InputError('values', `is not valid YAML: ${reason}`)
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new InputError('values', 'must be a YAML mapping of helm values (key: value).')
  }
  return values as Record<string, unknown>
}
