/**
 * Reads every input once, validates it, and returns one typed configuration. Runs before any AWS
 * client exists, so a user's mistake fails the step in milliseconds with nothing created.
 */
import * as core from '@actions/core'
import { InputError } from './errors.js'
import { InputChecks, parseBoolean, parseDuration, parseList, parseTags } from './input-parsers.js'
import { validateFargateSize } from './fargate-sizes.js'
import { readEksInputs, type EksInputs } from './inputs-eks.js'
import { registerSecret } from './secrets.js'
import { useProxyInput } from './aws/proxy.js'

export const DEFAULT_AGENT_IMAGE = 'public.ecr.aws/cloudaeye/metrics-agent:1.0.0'
export const DEFAULT_AGENT_NAME = 'cloudaeye-metrics-agent'

/** Tags the action puts on everything it creates, so a resource says who made it and for what. */
export const AGENT_TAG = 'cloudaeye:agent'
export const MANAGED_BY_TAG = 'cloudaeye:managed-by'
export const MANAGED_BY = 'metrics-agent-action'

const MAX_WAIT_MS = 60 * 60_000

/** RunTask's awsvpcConfiguration takes at most 16 subnets and 5 security groups. */
export const MAX_TASK_SUBNETS = 16
export const MAX_TASK_SECURITY_GROUPS = 5

/**
 * `deploy` converges the agent; `plan` only shows what deploy would do; `remove` deletes what the
 * action made.
 */
export type Mode = 'deploy' | 'plan' | 'remove'
const MODES: readonly Mode[] = ['deploy', 'plan', 'remove']

interface CommonConfig {
  mode: Mode
  /** The cluster as given: a name, or for ECS an ARN. */
  cluster: string
  /** The cluster's name, also when an ARN was given. */
  clusterName: string
  region: string
  endpoint: string
  apiKey?: string
  agentImage: string
  agentName: string
  services: string[]
  wait: boolean
  waitTimeoutMs: number
  /** The user's tags and the action's own. */
  tags: Record<string, string>
}

export type AssignPublicIp = 'auto' | 'enabled' | 'disabled'

export interface EcsConfig extends CommonConfig {
  platform: 'ecs'
  apiKeySecretArn?: string
  vpcId: string
  subnetIds?: string[]
  securityGroupIds?: string[]
  assignPublicIp: AssignPublicIp
  executionRoleArn?: string
  taskRoleArn?: string
  /** Without taskRoleArn, the action provides the agent's task role to read CloudWatch. */
  enableCloudServices: boolean
  /** remove: also delete the agent's log group, which is kept by default. */
  removeLogs: boolean
  /** A standalone task, or a service of one task that ECS restarts when it stops. */
  runAs: 'task' | 'service'

  cpu: number
  memory: number
}

export interface EksConfig extends CommonConfig, EksInputs {
  platform: 'eks'
}

export type Config = EcsConfig | EksConfig

export type InputReader = (name: string) => string

const readActionInput: InputReader = name => core.getInput(name)

export async function readConfig(
  read: InputReader = readActionInput,
  env = process.env
): Promise<Config> {
  // The key is masked before anything else happens, so no later message can print it.
  const apiKey = read('cloudaeye-api-key').trim()
  registerSecret(apiKey)

  // Every input is read and checked before anything is thrown, so one run reports them all.
  const checks = new InputChecks()
  // The proxy's credentials are masked as it is read, before any other input.
  checks.check(() => useProxyInput(read('http-proxy'), env))
  const platform = checks.check(() => readPlatform(read))
  const region = checks.check(() => readRegion(read, env))
  const common = readCommon(read, checks, platform, region, apiKey)
  let platformInputs: EksInputs | ReturnType<typeof readEcs> | undefined
  if (platform === 'eks') {
    if (read('remove-logs').trim()) {
      core.warning("Input 'remove-logs' applies to ECS only; it is ignored on EKS.")
    }
    platformInputs = await readEksInputs(read, checks, apiKey, common.mode)
  } else if (platform === 'ecs') {
    platformInputs = readEcs(read, checks, region, apiKey, common)
  }
  // Without a platform its own inputs are not checked: which apply is not known.
  checks.throwIfAny()
  // Nothing was refused, so every field the parsers left undefined on a refusal is set.
  return { platform, ...(common as CommonConfig), ...platformInputs } as Config
}

function readPlatform(read: InputReader): 'ecs' | 'eks' {
  const platform = required(read, 'platform').toLowerCase()
  if (platform !== 'ecs' && platform !== 'eks') {
    throw new InputError('platform', `'${platform}' is not a platform; use ecs or eks.`)
  }
  return platform
}

/** The inputs both platforms read; a field is undefined where its input was refused. */
function readCommon(
  read: InputReader,
  checks: InputChecks,
  platform: 'ecs' | 'eks' | undefined,
  region: string | undefined,
  apiKey: string
) {
  const agentName = checks.check(() => readAgentName(read))
  const userTags = checks.check(() => parseTags('tags', read('tags'), [AGENT_TAG, MANAGED_BY_TAG]))
  const waitTimeout = read('wait-timeout').trim() || '5m'
  const cluster = checks.check(() => required(read, 'cluster'))
  const mode = checks.check(() => readMode(read))
  // The name's syntax depends on the platform, and an ARN's region is compared with the run's.
  const clusterName =
    cluster === undefined || platform === undefined
      ? undefined
      : checks.check(() =>
          platform === 'ecs' ? ecsClusterName(cluster, region) : eksClusterName(cluster)
        )
  const endpointGiven = read('cloudaeye-endpoint').trim() !== ''
  // Removing needs neither where the agent reports nor its key. With the mode refused, an empty
  // endpoint is not reported: whether it is needed is not known.
  const endpoint =
    endpointGiven || mode === 'deploy' || mode === 'plan'
      ? checks.check(() => readEndpoint(read))
      : ''
  const agentImage = checks.check(() => readImage(read))
  const services = parseList(read('services'))
  const wait = checks.check(() => parseBoolean('wait', read('wait') || 'true'))
  const waitTimeoutMs = checks.check(() => parseDuration('wait-timeout', waitTimeout, MAX_WAIT_MS))
  return {
    mode,
    cluster,
    clusterName,
    region,
    endpoint,
    apiKey: apiKey || undefined,
    agentImage,
    agentName,
    services,
    wait,
    waitTimeoutMs,
    tags: { ...userTags, [AGENT_TAG]: agentName, [MANAGED_BY_TAG]: MANAGED_BY }
  }
}

function readAgentName(read: InputReader): string {
  const agentName = read('agent-name').trim() || DEFAULT_AGENT_NAME
  if (!/^[a-z0-9]([a-z0-9-]{0,51}[a-z0-9])?$/.test(agentName)) {
    throw new InputError(
      'agent-name',
      `'${agentName}' is not a valid name; use 1 to 53 lowercase letters, digits and hyphens, ` +
        `starting and ending with a letter or digit.`
    )
  }
  return agentName
}

function readEcs(
  read: InputReader,
  checks: InputChecks,
  region: string | undefined,
  apiKey: string,
  common: ReturnType<typeof readCommon>
) {
  const { agentName, agentImage: image, services } = common
  const apiKeySecretArn = read('cloudaeye-api-key-secret-arn').trim() || undefined
  if (apiKey && apiKeySecretArn) {
    checks.add(
      new InputError(
        'cloudaeye-api-key',
        'and cloudaeye-api-key-secret-arn are both set; give only one (the secret ARN is preferred).'
      )
    )
  }
  // With the mode refused, whether remove (which needs no key) was meant is not known.
  if (!apiKey && !apiKeySecretArn && common.mode !== undefined && common.mode !== 'remove') {
    checks.add(
      new InputError(
        'cloudaeye-api-key-secret-arn',
        'is empty and so is cloudaeye-api-key; give the ARN of a Secrets Manager secret or SSM ' +
          'parameter holding the key (or the key itself in cloudaeye-api-key).'
      )
    )
  }
  if (apiKeySecretArn) checks.check(() => checkSecretArn(apiKeySecretArn, region))

  const executionRoleArn = checks.check(() => optionalRoleArn(read, 'execution-role-arn'))
  // Not when the role was refused already, nor when the key inputs were: their fix may drop the ARN.
  if (
    apiKeySecretArn &&
    !executionRoleArn &&
    !checks.refused('execution-role-arn', 'cloudaeye-api-key', 'cloudaeye-api-key-secret-arn')
  ) {
    checks.add(
      new InputError(
        'execution-role-arn',
        'is required with cloudaeye-api-key-secret-arn: ECS reads the secret with the task ' +
          'execution role. Give a role that may read the secret.'
      )
    )
  }
  const cpu = read('cpu').trim() || '256'
  const memory = read('memory').trim() || '512'
  // Memory is checked against the cpu's sizes, so a refused cpu refuses nothing about memory.
  const size = checks.check(() => validateFargateSize(cpu, memory))
  const subnetIds = checks.check(() => optionalIds(read, 'subnet-ids', 'subnet'))
  checks.check(() => checkCount('subnet-ids', subnetIds, MAX_TASK_SUBNETS, 'subnets'))
  const securityGroupIds = checks.check(() => optionalIds(read, 'security-group-ids', 'sg'))
  checks.check(() =>
    checkCount('security-group-ids', securityGroupIds, MAX_TASK_SECURITY_GROUPS, 'security groups')
  )
  // Groups given, even refused ones, mean no group of the agent's name is made.
  if (agentName !== undefined && !securityGroupIds && !checks.refused('security-group-ids')) {
    checks.check(() => checkSecurityGroupName(agentName))
  }
  if (image !== undefined) checks.check(() => checkEcsImage(image))
  checks.check(() => checkServicesSize(services))
  return {
    apiKeySecretArn,
    vpcId: checks.check(() => readVpcId(read)),
    subnetIds,
    securityGroupIds,
    assignPublicIp: checks.check(() => readAssignPublicIp(read)),
    executionRoleArn,
    taskRoleArn: checks.check(() => optionalRoleArn(read, 'task-role-arn')),
    enableCloudServices: checks.check(() => readEcsCloudServices(read)),
    removeLogs: checks.check(() => parseBoolean('remove-logs', read('remove-logs') || 'false')),
    runAs: checks.check(() => readRunAs(read)),
    ...size
  }
}

function readRunAs(read: InputReader): 'task' | 'service' {
  const runAs = read('ecs-run-as').trim().toLowerCase() || 'task'
  if (runAs !== 'task' && runAs !== 'service') {
    throw new InputError(
      'ecs-run-as',
      `'${runAs}' is not a way to run the agent; use task or service.`
    )
  }
  return runAs
}

/** On ECS the agent's identity is always its task role; the EKS choice of how does not apply. */
function readEcsCloudServices(read: InputReader): boolean {
  const enabled = parseBoolean('enable-cloud-services', read('enable-cloud-services') || 'false')
  const auth = read('cloud-services-auth').trim()
  // irsa is action.yml's default, so it arrives whether or not the user wrote it.
  if (auth && auth !== 'irsa') {
    core.warning(
      "Input 'cloud-services-auth' applies to EKS only; on ECS the agent reads CloudWatch " +
        'through its task role. It is ignored.'
    )
  }
  return enabled
}

function required(read: InputReader, name: string): string {
  const value = read(name).trim()
  if (!value) throw new InputError(name, 'is required and was not given.')
  return value
}

function readRegion(read: InputReader, env: NodeJS.ProcessEnv): string {
  const region = read('aws-region').trim() || env.AWS_REGION || env.AWS_DEFAULT_REGION || ''
  if (!region) {
    throw new InputError(
      'aws-region',
      'no region given and none in the environment (AWS_REGION); set aws-region, or set ' +
        'aws-region on aws-actions/configure-aws-credentials before this step.'
    )
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw new InputError('aws-region', `'${region}' is not an AWS region name such as us-east-1.`)
  }
  return region
}

const CLUSTER_ARN = /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):\d{12}:cluster\/([A-Za-z0-9_-]{1,255})$/

/** The name in an ECS cluster ARN; the ARN's region is compared only with a valid run region. */
function ecsClusterName(cluster: string, region: string | undefined): string {
  if (cluster.startsWith('arn:')) {
    const match = CLUSTER_ARN.exec(cluster)
    if (!match) {
      throw new InputError(
        'cluster',
        `'${cluster}' is not an ECS cluster ARN (arn:aws:ecs:<region>:<account>:cluster/<name>).`
      )
    }
    if (region !== undefined && match[1] !== region) {
      throw new InputError(
        'cluster',
        `the ARN is in region ${match[1]} but the action runs in ${region}; set aws-region to ${match[1]}.`
      )
    }
    return match[2]
  }
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(cluster)) {
    throw new InputError(
      'cluster',
      `'${cluster}' is not a cluster name; use letters, digits, hyphens and underscores, or an ARN.`
    )
  }
  return cluster
}

function eksClusterName(cluster: string): string {
  if (!/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(cluster)) {
    throw new InputError(
      'cluster',
      `'${cluster}' is not an EKS cluster name; use up to 100 letters, digits, hyphens and ` +
        'underscores, starting with a letter or digit.'
    )
  }
  return cluster
}

function readMode(read: InputReader): Mode {
  const mode = (read('mode').trim() || 'deploy').toLowerCase()
  if (!MODES.includes(mode as Mode)) {
    throw new InputError('mode', `'${mode}' is not a mode; use deploy, plan or remove.`)
  }
  return mode as Mode
}

function readEndpoint(read: InputReader): string {
  const endpoint = required(read, 'cloudaeye-endpoint')
  let url: URL | undefined
  try {
    url = new URL(endpoint)
  } catch {
    url = undefined
  }
  if (!url || url.protocol !== 'https:' || !url.hostname) {
    throw new InputError(
      'cloudaeye-endpoint',
      `'${endpoint}' is not an https URL; give the metrics service URL shown on CloudAEye.`
    )
  }
  return endpoint
}

function readImage(read: InputReader): string {
  const image = read('agent-image').trim() || DEFAULT_AGENT_IMAGE
  const digest = /@sha256:[a-f0-9]{64}$/.test(image)
  const lastSegment = image.split('/').pop() ?? ''
  const tag = /^[a-z0-9._-]+:([\w][\w.-]{0,127})$/.exec(lastSegment)?.[1]
  if (/\s/.test(image) || (!digest && !tag)) {
    throw new InputError(
      'agent-image',
      `'${image}' has no tag or digest; pin a version such as ${DEFAULT_AGENT_IMAGE} ` +
        `or name@sha256:<digest>.`
    )
  }
  if (tag === 'latest' && !digest) {
    core.warning(
      `agent-image '${image}' uses the tag 'latest': a re-run will not notice a new image behind ` +
        `it. Pin a version or a digest.`
    )
  }
  return image
}

const ID_PATTERN = '(?:[0-9a-f]{8}|[0-9a-f]{17})'

function readId(read: InputReader, name: string, prefix: string, isRequired: boolean): string[] {
  const ids = parseList(read(name))
  if (ids.length === 0 && isRequired) {
    throw new InputError(name, `is required for platform ecs; give the ID (${prefix}-...).`)
  }
  const pattern = new RegExp(`^${prefix}-${ID_PATTERN}$`)
  const bad = ids.find(id => !pattern.test(id))
  if (bad !== undefined) {
    throw new InputError(
      name,
      `'${bad}' is not a ${prefix} ID; expected ${prefix}- followed by 8 or 17 hex digits.`
    )
  }
  return ids
}

function readVpcId(read: InputReader): string {
  const ids = readId(read, 'vpc-id', 'vpc', true)
  if (ids.length > 1) {
    throw new InputError('vpc-id', `'${ids.join(', ')}' names ${ids.length} VPCs; give one.`)
  }
  return ids[0]
}

function optionalIds(read: InputReader, name: string, prefix: string): string[] | undefined {
  const ids = readId(read, name, prefix, false)
  return ids.length > 0 ? ids : undefined
}

function checkCount(input: string, ids: string[] | undefined, max: number, what: string) {
  if (!ids || ids.length <= max) return
  // Without subnet-ids the action picks the subnets itself, so it never sends more than allowed.
  const orLeaveEmpty =
    input === 'subnet-ids' ? `, or leave it empty and the action chooses ${max} itself` : ''
  throw new InputError(
    input,
    `'${ids.join(', ')}' names ${ids.length} ${what}; an ECS task takes at most ${max}. ` +
      `Give ${max} or fewer${orLeaveEmpty}.`
  )
}

function readAssignPublicIp(read: InputReader): AssignPublicIp {
  const value = (read('assign-public-ip').trim() || 'auto').toLowerCase()
  if (value === 'auto') return 'auto'
  if (value === 'true') return 'enabled'
  if (value === 'false') return 'disabled'
  throw new InputError('assign-public-ip', `'${value}' is not accepted; use auto, true or false.`)
}

function optionalRoleArn(read: InputReader, name: string): string | undefined {
  const arn = read(name).trim()
  if (!arn) return undefined
  const match = /^arn:aws[a-z-]*:iam::\d{12}:role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]+)$/.exec(arn)
  if (!match) {
    throw new InputError(
      name,
      `'${arn}' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).`
    )
  }
  // IAM caps a role's name at 64 characters and its path at 512: no such role can exist.
  if (match[2].length > 64 || match[1].length + 1 > 512) {
    throw new InputError(
      name,
      `'${arn}' cannot name an IAM role: role names take at most 64 characters and paths 512.`
    )
  }
  return arn
}

/** EC2 refuses a security group name that starts with sg-, the prefix of group IDs. */
function checkSecurityGroupName(agentName: string): void {
  if (agentName.toLowerCase().startsWith('sg-')) {
    throw new InputError(
      'agent-name',
      `'${agentName}' cannot name the agent's security group: EC2 refuses group names that ` +
        `start with sg-. Choose another agent-name, or give security-group-ids.`
    )
  }
}

/**
 * ECS takes at most 255 characters of letters, digits and - _ : . / # for an image, counting
 * only the part before the @ of a digest.
 */
function checkEcsImage(image: string): void {
  const name = image.split('@')[0]
  if (name.length > 255 || !/^[A-Za-z0-9_:./#-]+$/.test(name)) {
    throw new InputError(
      'agent-image',
      `'${image}' is not an image ECS accepts: before any @digest, at most 255 letters, digits ` +
        `and - _ : . / #.`
    )
  }
}

/**
 * The services travel in one environment variable of the task definition, and ECS caps the
 * size of a whole task definition; this leaves the rest of it ample room.
 */
const MAX_SERVICES_BYTES = 16 * 1024

function checkServicesSize(services: string[]): void {
  const bytes = Buffer.byteLength(services.join(','))
  if (bytes > MAX_SERVICES_BYTES) {
    throw new InputError(
      'services',
      `lists ${services.length} services, ${Math.ceil(bytes / 1024)} KiB in all; on ECS the ` +
        `list goes into the task definition, whose size ECS caps. Keep it within ` +
        `${MAX_SERVICES_BYTES / 1024} KiB.`
    )
  }
}

function checkSecretArn(arn: string, region: string | undefined): void {
  const match =
    /^arn:aws[a-z-]*:(secretsmanager|ssm):([a-z0-9-]+):\d{12}:(secret:.+|parameter\/.+)$/.exec(arn)
  if (!match) {
    throw new InputError(
      'cloudaeye-api-key-secret-arn',
      `'${arn}' is not the ARN of a Secrets Manager secret or an SSM parameter.`
    )
  }
  if (region !== undefined && match[2] !== region) {
    core.warning(
      `cloudaeye-api-key-secret-arn is in region ${match[2]}, the task runs in ${region}: ` +
        `the execution role must be allowed to read it across regions.`
    )
  }
}
