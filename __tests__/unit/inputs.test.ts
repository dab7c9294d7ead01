/**
 * readConfig takes its inputs through a reader function, so every case here is a plain map of
 * input values. `@actions/core` is replaced before src/inputs.js loads, so the tests see which
 * values were masked and which warnings were printed, and in what order.
 */
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { InputError, InputErrors } from '../../src/errors.js'
// Types only: erased, so src/inputs.js still loads after the mock below.
import type { EcsConfig } from '../../src/inputs.js'

/** Every masking and warning call, and every input read, in the order they happened. */
const events: string[] = []
const setSecret = jest.fn((value: string) => {
  events.push(`setSecret:${value}`)
})
const warning = jest.fn((message: string) => {
  events.push(`warning:${message}`)
})
const getInput = jest.fn<(name: string) => string>()
jest.unstable_mockModule('@actions/core', () => ({
  setSecret,
  warning,
  getInput,
  info: jest.fn(),
  debug: jest.fn()
}))

const { readConfig, DEFAULT_AGENT_IMAGE, DEFAULT_AGENT_NAME } = await import('../../src/inputs.js')

const API_KEY = 'cak_unit_inputs_8c1f2e77d0b94a53'
const VPC = 'vpc-0a1b2c3d4e5f60718'
const EXECUTION_ROLE = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole'
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cloudaeye/api-key-AbCdEf'

/** The smallest set of inputs an ECS run needs. */
const minimal: Record<string, string> = {
  platform: 'ecs',
  cluster: 'prod',
  'aws-region': 'us-east-1',
  'cloudaeye-endpoint': 'https://metrics.cloudaeye.example/v1',
  'cloudaeye-api-key': API_KEY,
  'vpc-id': VPC
}

function reader(inputs: Record<string, string>) {
  return (name: string) => {
    events.push(`read:${name}`)
    return inputs[name] ?? ''
  }
}

const noRegionEnv: NodeJS.ProcessEnv = {}

/** readConfig for inputs that must make an ECS configuration. */
async function configWith(
  overrides: Record<string, string>,
  env: NodeJS.ProcessEnv = noRegionEnv
): Promise<EcsConfig> {
  const config = await readConfig(reader({ ...minimal, ...overrides }), env)
  if (config.platform !== 'ecs') throw new Error(`expected platform ecs, got ${config.platform}`)
  return config
}

async function inputErrorOf(
  overrides: Record<string, string>,
  env: NodeJS.ProcessEnv = noRegionEnv
): Promise<InputError> {
  const error = await configWith(overrides, env).then(
    () => new Error(`no error for ${JSON.stringify(overrides)}`),
    (rejection: unknown) => rejection
  )
  expect(error).toBeInstanceOf(InputError)
  return error as InputError
}

/** The failure names the input and echoes the bad value, so the user can find it in the workflow. */
async function expectRefused(overrides: Record<string, string>, input: string, value: string) {
  const error = await inputErrorOf(overrides)
  expect(error.input).toBe(input)
  expect(error.message).toContain(`'${input}'`)
  expect(error.message).toContain(value)
  expect(error.message).not.toContain(API_KEY)
  return error
}

beforeEach(() => {
  events.length = 0
  setSecret.mockClear()
  warning.mockClear()
  getInput.mockReset()
})

describe('readConfig: a valid ECS configuration', () => {
  it('fills every default from the minimal inputs', async () => {
    const config = await configWith({})

    expect(config).toEqual({
      platform: 'ecs',
      mode: 'deploy',
      cluster: 'prod',
      clusterName: 'prod',
      region: 'us-east-1',
      endpoint: 'https://metrics.cloudaeye.example/v1',
      apiKey: API_KEY,
      agentImage: DEFAULT_AGENT_IMAGE,
      agentName: DEFAULT_AGENT_NAME,
      services: [],
      wait: true,
      waitTimeoutMs: 300_000,
      tags: {
        'cloudaeye:agent': 'cloudaeye-metrics-agent',
        'cloudaeye:managed-by': 'metrics-agent-action'
      },
      apiKeySecretArn: undefined,
      vpcId: VPC,
      subnetIds: undefined,
      securityGroupIds: undefined,
      assignPublicIp: 'auto',
      executionRoleArn: undefined,
      taskRoleArn: undefined,
      enableCloudServices: false,
      removeLogs: false,
      runAs: 'task',
      cpu: 256,
      memory: 512
    })
    expect(DEFAULT_AGENT_NAME).toBe('cloudaeye-metrics-agent')
    // A pinned default: a tag that is neither missing nor `latest`.
    expect(DEFAULT_AGENT_IMAGE).toMatch(/:\d+\.\d+\.\d+$/)
    expect(warning).not.toHaveBeenCalled()
  })

  it('reads every optional input', async () => {
    const config = await configWith({
      platform: 'ECS',
      'agent-image': 'registry.example:5000/team/agent:2.3.4',
      'agent-name': 'agent-b',
      services: 'checkout,\npayments, checkout',
      wait: 'FALSE',
      'wait-timeout': '90s',
      tags: 'team=platform\ncost-center = 42',
      'subnet-ids': 'subnet-0123abcd',
      'security-group-ids': 'sg-0123456789abcdef0',
      'assign-public-ip': 'true',
      'execution-role-arn': EXECUTION_ROLE,
      'task-role-arn': 'arn:aws:iam::123456789012:role/service-role/cloudaeye-agent',
      cpu: '1024',
      memory: '4096',
      'enable-cloud-services': 'false'
    })

    expect(config).toMatchObject({
      platform: 'ecs',
      agentImage: 'registry.example:5000/team/agent:2.3.4',
      agentName: 'agent-b',
      services: ['checkout', 'payments'],
      wait: false,
      waitTimeoutMs: 90_000,
      subnetIds: ['subnet-0123abcd'],
      securityGroupIds: ['sg-0123456789abcdef0'],
      assignPublicIp: 'enabled',
      executionRoleArn: EXECUTION_ROLE,
      taskRoleArn: 'arn:aws:iam::123456789012:role/service-role/cloudaeye-agent',
      cpu: 1024,
      memory: 4096
    })
    // The action's own tags follow the agent name and sit beside the user's.
    expect(config.tags).toEqual({
      team: 'platform',
      'cost-center': '42',
      'cloudaeye:agent': 'agent-b',
      'cloudaeye:managed-by': 'metrics-agent-action'
    })
  })

  it('takes the region from AWS_REGION, then AWS_DEFAULT_REGION, and the input over both', async () => {
    expect((await configWith({ 'aws-region': '' }, { AWS_REGION: 'eu-west-1' })).region).toBe(
      'eu-west-1'
    )
    expect(
      (await configWith({ 'aws-region': '' }, { AWS_DEFAULT_REGION: 'eu-north-1' })).region
    ).toBe('eu-north-1')
    expect(
      (await configWith({ 'aws-region': 'ap-southeast-2' }, { AWS_REGION: 'eu-west-1' })).region
    ).toBe('ap-southeast-2')
  })

  it('accepts a cluster ARN in the run region and keeps its name', async () => {
    const arn = 'arn:aws:ecs:us-east-1:123456789012:cluster/prod_cluster-1'
    const config = await configWith({ cluster: arn })
    expect(config.cluster).toBe(arn)
    expect(config.clusterName).toBe('prod_cluster-1')
  })

  it('accepts the key as a secret ARN (Secrets Manager or SSM) with an execution role', async () => {
    const config = await configWith({
      'cloudaeye-api-key': '',
      'cloudaeye-api-key-secret-arn': SECRET_ARN,
      'execution-role-arn': EXECUTION_ROLE
    })
    expect(config.apiKey).toBeUndefined()
    expect(config.apiKeySecretArn).toBe(SECRET_ARN)

    const parameter = 'arn:aws:ssm:us-east-1:123456789012:parameter/cloudaeye/api-key'
    expect(
      (
        await configWith({
          'cloudaeye-api-key': '',
          'cloudaeye-api-key-secret-arn': parameter,
          'execution-role-arn': EXECUTION_ROLE
        })
      ).apiKeySecretArn
    ).toBe(parameter)
    expect(warning).not.toHaveBeenCalled()
  })

  it('warns when the secret lives in another region, since the role must read it across', async () => {
    await configWith({
      'cloudaeye-api-key': '',
      'cloudaeye-api-key-secret-arn': SECRET_ARN.replace('us-east-1', 'eu-west-1'),
      'execution-role-arn': EXECUTION_ROLE
    })
    expect(warning).toHaveBeenCalledTimes(1)
    expect(warning.mock.calls[0][0]).toContain('eu-west-1')
  })

  it('reads through core.getInput and process.env when given no reader', async () => {
    getInput.mockImplementation((name: string) => ({ ...minimal, 'aws-region': '' })[name] ?? '')
    const saved = process.env.AWS_REGION
    process.env.AWS_REGION = 'ca-central-1'
    try {
      expect((await readConfig()).region).toBe('ca-central-1')
      expect(getInput).toHaveBeenCalledWith('platform')
      expect(getInput).toHaveBeenCalledWith('vpc-id')
    } finally {
      if (saved === undefined) delete process.env.AWS_REGION
      else process.env.AWS_REGION = saved
    }
  })
})

describe('readConfig: the API key', () => {
  it('is masked before any other input is read, so no later error can print it', async () => {
    await expect(
      configWith({ 'cloudaeye-api-key': `  ${API_KEY}\n`, cluster: 'bad name' })
    ).rejects.toThrow(InputError)

    expect(events[0]).toBe('read:cloudaeye-api-key')
    expect(events[1]).toBe(`setSecret:${API_KEY}`)
    expect(setSecret).toHaveBeenCalledTimes(1)
  })

  it('is masked before a warning about another input is printed', async () => {
    await configWith({ 'agent-image': 'cloudaeye/agent:latest' })
    const masked = events.indexOf(`setSecret:${API_KEY}`)
    const warned = events.findIndex(event => event.startsWith('warning:'))
    expect(masked).toBeGreaterThanOrEqual(0)
    expect(warned).toBeGreaterThan(masked)
  })

  it('masks nothing when no key is given', async () => {
    await configWith({
      'cloudaeye-api-key': '',
      'cloudaeye-api-key-secret-arn': SECRET_ARN,
      'execution-role-arn': EXECUTION_ROLE
    })
    expect(setSecret).not.toHaveBeenCalled()
  })

  it('must come from exactly one of the two key inputs', async () => {
    const both = await inputErrorOf({ 'cloudaeye-api-key-secret-arn': SECRET_ARN })
    expect(both.message).toContain('cloudaeye-api-key-secret-arn')
    expect(both.message).toContain('both')
    expect(both.message).not.toContain(API_KEY)

    const neither = await inputErrorOf({ 'cloudaeye-api-key': '' })
    expect(neither.input).toBe('cloudaeye-api-key-secret-arn')
    expect(neither.message).toContain('cloudaeye-api-key')
  })

  it('from a secret needs an execution role to read it', async () => {
    const error = await inputErrorOf({
      'cloudaeye-api-key': '',
      'cloudaeye-api-key-secret-arn': SECRET_ARN
    })
    expect(error.input).toBe('execution-role-arn')
    expect(error.message).toContain('cloudaeye-api-key-secret-arn')
  })

  it('refuses a secret ARN of another service', async () => {
    await expectRefused(
      {
        'cloudaeye-api-key': '',
        'cloudaeye-api-key-secret-arn': 'arn:aws:s3:::bucket/key',
        'execution-role-arn': EXECUTION_ROLE
      },
      'cloudaeye-api-key-secret-arn',
      'arn:aws:s3:::bucket/key'
    )
  })
})

describe('readConfig: mode', () => {
  it('is deploy by default, and plan or remove when asked', async () => {
    expect((await configWith({})).mode).toBe('deploy')
    expect((await configWith({ mode: 'plan' })).mode).toBe('plan')
    expect((await configWith({ mode: 'Remove' })).mode).toBe('remove')
  })

  it('remove needs neither the endpoint nor the key, and reads remove-logs', async () => {
    const config = await configWith({
      mode: 'remove',
      'cloudaeye-endpoint': '',
      'cloudaeye-api-key': '',
      'remove-logs': 'true'
    })
    expect(config).toMatchObject({ mode: 'remove', endpoint: '', removeLogs: true })
    expect(config.apiKey).toBeUndefined()
  })

  it('plan needs what deploy needs', async () => {
    await expectRefused(
      { mode: 'plan', 'cloudaeye-endpoint': 'http://x' },
      'cloudaeye-endpoint',
      'http://x'
    )
    const error = await inputErrorOf({ mode: 'plan', 'cloudaeye-api-key': '' })
    expect(error.input).toBe('cloudaeye-api-key-secret-arn')
  })

  it('refuses another mode, and remove-logs that is not a boolean', async () => {
    await expectRefused({ mode: 'destroy' }, 'mode', 'destroy')
    await expectRefused(
      { mode: 'remove', 'remove-logs': 'yes please' },
      'remove-logs',
      'yes please'
    )
  })
})

describe('readConfig: refused values name the input and the value', () => {
  it('platform', async () => {
    await expectRefused({ platform: 'k8s' }, 'platform', 'k8s')
    expect((await inputErrorOf({ platform: '' })).message).toContain('required')
  })

  it('cluster name and ARN', async () => {
    await expectRefused({ cluster: 'prod cluster' }, 'cluster', 'prod cluster')
    expect((await inputErrorOf({ cluster: '' })).input).toBe('cluster')
    // An account of 11 digits is not an ARN ECS would accept.
    const malformed = 'arn:aws:ecs:us-east-1:12345678901:cluster/prod'
    await expectRefused({ cluster: malformed }, 'cluster', malformed)
    await expectRefused(
      { cluster: 'arn:aws:ecs:us-east-1:123456789012:service/prod/x' },
      'cluster',
      'service/prod/x'
    )
  })

  it('cluster ARN in another region, with the region to set', async () => {
    const error = await inputErrorOf({ cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod' })
    expect(error.input).toBe('cluster')
    expect(error.message).toContain('eu-west-1')
    expect(error.message).toContain('us-east-1')
    expect(error.message).toContain('aws-region')
  })

  it('aws-region missing everywhere', async () => {
    const error = await inputErrorOf({ 'aws-region': '' }, {})
    expect(error.input).toBe('aws-region')
    expect(error.message).toContain('AWS_REGION')
  })

  it('aws-region malformed, from the input or the environment', async () => {
    await expectRefused({ 'aws-region': 'us_east_1' }, 'aws-region', 'us_east_1')
    await expectRefused({ 'aws-region': 'useast1' }, 'aws-region', 'useast1')
    const fromEnv = await inputErrorOf({ 'aws-region': '' }, { AWS_REGION: 'Virginia' })
    expect(fromEnv.input).toBe('aws-region')
    expect(fromEnv.message).toContain('Virginia')
  })

  it('cloudaeye-endpoint that is not https or not a URL', async () => {
    await expectRefused(
      { 'cloudaeye-endpoint': 'http://metrics.cloudaeye.example' },
      'cloudaeye-endpoint',
      'http://metrics.cloudaeye.example'
    )
    await expectRefused(
      { 'cloudaeye-endpoint': 'metrics dot example' },
      'cloudaeye-endpoint',
      'metrics dot example'
    )
    expect((await inputErrorOf({ 'cloudaeye-endpoint': '' })).input).toBe('cloudaeye-endpoint')
  })

  it('agent-image without a tag or digest', async () => {
    await expectRefused({ 'agent-image': 'cloudaeye/agent' }, 'agent-image', 'cloudaeye/agent')
    // A registry port is not a tag.
    await expectRefused(
      { 'agent-image': 'registry:5000/agent' },
      'agent-image',
      'registry:5000/agent'
    )
    await expectRefused(
      { 'agent-image': 'cloudaeye/agent: 1.0' },
      'agent-image',
      'cloudaeye/agent: 1.0'
    )
  })

  it('agent-image with a digest is accepted without a warning', async () => {
    const image = `cloudaeye/agent@sha256:${'ab'.repeat(32)}`
    expect((await configWith({ 'agent-image': image })).agentImage).toBe(image)
    expect(warning).not.toHaveBeenCalled()
  })

  it('agent-image :latest is accepted with a warning naming the image', async () => {
    expect((await configWith({ 'agent-image': 'cloudaeye/agent:latest' })).agentImage).toBe(
      'cloudaeye/agent:latest'
    )
    expect(warning).toHaveBeenCalledTimes(1)
    expect(warning.mock.calls[0][0]).toContain('cloudaeye/agent:latest')
  })

  it('agent-name', async () => {
    await expectRefused({ 'agent-name': 'Metrics_Agent' }, 'agent-name', 'Metrics_Agent')
    await expectRefused({ 'agent-name': '-agent' }, 'agent-name', '-agent')
    await expectRefused({ 'agent-name': 'agent-' }, 'agent-name', 'agent-')
    await expectRefused({ 'agent-name': 'a'.repeat(54) }, 'agent-name', 'a'.repeat(54))
    expect((await configWith({ 'agent-name': 'a'.repeat(53) })).agentName).toBe('a'.repeat(53))
    expect((await configWith({ 'agent-name': 'a' })).agentName).toBe('a')
  })

  it('wait that is not a boolean', async () => {
    await expectRefused({ wait: 'yes' }, 'wait', 'yes')
    expect((await configWith({ wait: 'True' })).wait).toBe(true)
  })

  it('wait-timeout in its accepted forms', async () => {
    expect((await configWith({ 'wait-timeout': '300' })).waitTimeoutMs).toBe(300_000)
    expect((await configWith({ 'wait-timeout': '300s' })).waitTimeoutMs).toBe(300_000)
    expect((await configWith({ 'wait-timeout': '5m' })).waitTimeoutMs).toBe(300_000)
    expect((await configWith({ 'wait-timeout': '1h' })).waitTimeoutMs).toBe(3_600_000)
  })

  it('wait-timeout that is not a duration, zero, or over the maximum', async () => {
    await expectRefused({ 'wait-timeout': '5x' }, 'wait-timeout', '5x')
    await expectRefused({ 'wait-timeout': '0' }, 'wait-timeout', '0')
    const tooLong = await expectRefused({ 'wait-timeout': '2h' }, 'wait-timeout', '2h')
    expect(tooLong.message).toContain('60 minutes')
  })

  it('tags that are not key=value, reserved by the action, or prefixed aws:', async () => {
    await expectRefused({ tags: 'team' }, 'tags', 'team')
    await expectRefused({ tags: '=platform' }, 'tags', '=platform')
    await expectRefused({ tags: 'cloudaeye:agent=other' }, 'tags', 'cloudaeye:agent')
    await expectRefused({ tags: 'team=a\ncloudaeye:managed-by=me' }, 'tags', 'cloudaeye:managed-by')
    await expectRefused({ tags: 'aws:owner=me' }, 'tags', 'aws:owner')
    await expectRefused({ tags: 'AWS:owner=me' }, 'tags', 'AWS:owner')
    await expectRefused({ tags: 'team=a;b' }, 'tags', 'team')
  })

  it('vpc-id of 8 or 17 hex digits only', async () => {
    expect((await configWith({ 'vpc-id': 'vpc-0123abcd' })).vpcId).toBe('vpc-0123abcd')
    expect((await configWith({ 'vpc-id': 'vpc-0123456789abcdef0' })).vpcId).toBe(
      'vpc-0123456789abcdef0'
    )
    await expectRefused({ 'vpc-id': 'vpc-0123abc' }, 'vpc-id', 'vpc-0123abc')
    await expectRefused({ 'vpc-id': 'vpc-0123abcde' }, 'vpc-id', 'vpc-0123abcde')
    await expectRefused({ 'vpc-id': 'vpc-0123456789abcdef01' }, 'vpc-id', 'vpc-0123456789abcdef01')
    await expectRefused({ 'vpc-id': 'vpc-0123abcg' }, 'vpc-id', 'vpc-0123abcg')
    await expectRefused({ 'vpc-id': 'subnet-0123abcd' }, 'vpc-id', 'subnet-0123abcd')
    await expectRefused(
      { 'vpc-id': 'vpc-0123abcd,vpc-4567cdef' },
      'vpc-id',
      'vpc-0123abcd, vpc-4567cdef'
    )
    expect((await inputErrorOf({ 'vpc-id': '' })).input).toBe('vpc-id')
  })

  it('subnet-ids and security-group-ids as lists with commas and newlines', async () => {
    const config = await configWith({
      'subnet-ids': 'subnet-0123abcd, subnet-0123456789abcdef0\nsubnet-4567cdef\n',
      'security-group-ids': 'sg-0123abcd\nsg-4567cdef,sg-0123abcd'
    })
    expect(config.subnetIds).toEqual([
      'subnet-0123abcd',
      'subnet-0123456789abcdef0',
      'subnet-4567cdef'
    ])
    expect(config.securityGroupIds).toEqual(['sg-0123abcd', 'sg-4567cdef'])

    await expectRefused({ 'subnet-ids': 'subnet-0123abcd\nsubnet-xyz' }, 'subnet-ids', 'subnet-xyz')
    await expectRefused(
      { 'security-group-ids': 'sg-0123abcd, vpc-0123abcd' },
      'security-group-ids',
      'vpc-0123abcd'
    )
    // Empty lists mean "use the defaults", not "no subnets".
    expect((await configWith({ 'subnet-ids': ' , \n' })).subnetIds).toBeUndefined()
  })

  it('assign-public-ip', async () => {
    expect((await configWith({ 'assign-public-ip': 'auto' })).assignPublicIp).toBe('auto')
    expect((await configWith({ 'assign-public-ip': 'true' })).assignPublicIp).toBe('enabled')
    expect((await configWith({ 'assign-public-ip': 'False' })).assignPublicIp).toBe('disabled')
    await expectRefused({ 'assign-public-ip': 'enabled' }, 'assign-public-ip', 'enabled')
  })

  it('role ARNs that are not IAM roles', async () => {
    const user = 'arn:aws:iam::123456789012:user/deployer'
    await expectRefused({ 'execution-role-arn': user }, 'execution-role-arn', user)
    await expectRefused({ 'task-role-arn': 'ecsTaskRole' }, 'task-role-arn', 'ecsTaskRole')
    await expectRefused(
      { 'task-role-arn': 'arn:aws:iam::1234:role/agent' },
      'task-role-arn',
      'arn:aws:iam::1234:role/agent'
    )
  })

  it('enable-cloud-services: a boolean; cloud-services-auth other than irsa is ignored on ECS', async () => {
    expect(
      ((await configWith({ 'enable-cloud-services': 'true' })) as EcsConfig).enableCloudServices
    ).toBe(true)
    await expectRefused({ 'enable-cloud-services': 'maybe' }, 'enable-cloud-services', 'maybe')
    const config = (await configWith({
      'enable-cloud-services': 'true',
      'cloud-services-auth': 'access-key'
    })) as EcsConfig
    expect(config.enableCloudServices).toBe(true)
    expect(warning).toHaveBeenCalledWith(
      expect.stringContaining("'cloud-services-auth' applies to EKS only")
    )
  })

  it('cpu and memory pairs Fargate accepts', async () => {
    const size = async (cpu: string, memory: string) => {
      const config = await configWith({ cpu, memory })
      return [config.cpu, config.memory]
    }
    expect(await size('256', '1GB')).toEqual([256, 1024])
    expect(await size('256', '2048')).toEqual([256, 2048])
    expect(await size('512', '4 GB')).toEqual([512, 4096])
    expect(await size('4096', '30720')).toEqual([4096, 30720])
    expect(await size('16384', '122880')).toEqual([16384, 122880])
  })

  it('cpu and memory pairs Fargate refuses', async () => {
    await expectRefused({ cpu: '300' }, 'cpu', '300')
    await expectRefused({ cpu: 'one' }, 'cpu', 'one')
    const memory = await expectRefused({ cpu: '256', memory: '4096' }, 'memory', '4096')
    // Says what would fit.
    expect(memory.message).toContain('512')
    await expectRefused({ cpu: '512', memory: '512' }, 'memory', '512')
    await expectRefused({ cpu: '1024', memory: '1GB' }, 'memory', '1GB')
    await expectRefused({ cpu: '256', memory: '1GiB' }, 'memory', '1GiB')
  })
})

/** Limits AWS documents and the emulator does not enforce: refused here, before any AWS call. */
describe('readConfig: AWS limits the emulator does not enforce', () => {
  const subnets = (count: number) =>
    Array.from({ length: count }, (_, i) => `subnet-${(0x1000_0000 + i).toString(16)}`).join(',')
  const groups = (count: number) =>
    Array.from({ length: count }, (_, i) => `sg-${(0x2000_0000 + i).toString(16)}`).join(',')

  it('subnet-ids: at most the 16 subnets RunTask takes, with the way out named', async () => {
    expect((await configWith({ 'subnet-ids': subnets(16) })).subnetIds).toHaveLength(16)
    const error = await expectRefused(
      { 'subnet-ids': subnets(17) },
      'subnet-ids',
      'subnet-1000000f'
    )
    expect(error.message).toContain('17 subnets')
    expect(error.message).toContain('at most 16')
    expect(error.message).toContain('leave it empty')
  })

  it('security-group-ids: at most the 5 groups RunTask takes', async () => {
    expect((await configWith({ 'security-group-ids': groups(5) })).securityGroupIds).toHaveLength(5)
    const error = await expectRefused(
      { 'security-group-ids': groups(6) },
      'security-group-ids',
      'sg-20000005'
    )
    expect(error.message).toContain('at most 5')
  })

  it('agent-name starting with sg-, which EC2 refuses as a group name, unless groups are given', async () => {
    const error = await expectRefused({ 'agent-name': 'sg-agent' }, 'agent-name', 'sg-agent')
    expect(error.message).toContain('security-group-ids')
    const given = await configWith({ 'agent-name': 'sg-agent', 'security-group-ids': groups(1) })
    expect(given.agentName).toBe('sg-agent')
    expect((await configWith({ 'agent-name': 'agent-sg-1' })).agentName).toBe('agent-sg-1')
  })

  it('agent-image: 255 characters before any digest, of the characters ECS allows', async () => {
    const tagged = (length: number) => `registry.example/${'a'.repeat(length - 23)}:1.0.0`
    expect(tagged(255)).toHaveLength(255)
    expect((await configWith({ 'agent-image': tagged(255) })).agentImage).toBe(tagged(255))
    await expectRefused({ 'agent-image': tagged(256) }, 'agent-image', tagged(256))
    // With a digest only the name counts, so the whole reference may be longer.
    const digest = `${'r'.repeat(255)}@sha256:${'ab'.repeat(32)}`
    expect((await configWith({ 'agent-image': digest })).agentImage).toBe(digest)
    const longDigest = `${'r'.repeat(256)}@sha256:${'ab'.repeat(32)}`
    await expectRefused({ 'agent-image': longDigest }, 'agent-image', longDigest)
    await expectRefused({ 'agent-image': 'team+x/agent:1.0' }, 'agent-image', 'team+x/agent:1.0')
  })

  it('role ARNs whose name is longer than IAM allows (64) or whose path is (512)', async () => {
    const role = (path: string, name: string) => `arn:aws:iam::123456789012:role/${path}${name}`
    const longest = role('', 'r'.repeat(64))
    expect((await configWith({ 'task-role-arn': longest })).taskRoleArn).toBe(longest)
    const longName = role('', 'r'.repeat(65))
    await expectRefused({ 'task-role-arn': longName }, 'task-role-arn', longName)
    // A path of 512 with its slashes: '/' + 510 + '/'.
    const deepest = role(`${'p'.repeat(510)}/`, 'agent')
    expect((await configWith({ 'execution-role-arn': deepest })).executionRoleArn).toBe(deepest)
    const tooDeep = role(`${'p'.repeat(511)}/`, 'agent')
    await expectRefused({ 'execution-role-arn': tooDeep }, 'execution-role-arn', tooDeep)
  })

  it('services: a list that would crowd the task definition past what ECS registers', async () => {
    // 16 KiB exactly once joined with commas: 1024 names of 15 characters.
    const names = (count: number) =>
      Array.from({ length: count }, (_, i) => `svc-${String(i).padStart(11, '0')}`)
    expect((await configWith({ services: names(1024).join(',') })).services).toHaveLength(1024)
    const error = await inputErrorOf({ services: names(1025).join(',') })
    expect(error.input).toBe('services')
    expect(error.message).toContain('1025 services')
    expect(error.message).toContain('16 KiB')
  })
})

/** Every bad input of a run is reported at once: the count first, then one line each. */
describe('readConfig: every invalid input in one run', () => {
  async function inputErrorsOf(
    overrides: Record<string, string>,
    env: NodeJS.ProcessEnv = noRegionEnv
  ): Promise<InputErrors> {
    const error = await configWith(overrides, env).then(
      () => new Error(`no error for ${JSON.stringify(overrides)}`),
      (rejection: unknown) => rejection
    )
    expect(error).toBeInstanceOf(InputErrors)
    return error as InputErrors
  }

  it('gives five wrong inputs as five lines, the count first, each as it reads alone', async () => {
    const wrong: Record<string, string> = {
      cpu: '300',
      wait: 'yes',
      'vpc-id': 'vpc-xyz',
      'agent-name': 'Metrics_Agent',
      cluster: 'prod cluster'
    }
    const error = await inputErrorsOf(wrong)
    const lines = error.message.split('\n')
    expect(lines).toHaveLength(6)
    expect(lines[0]).toBe('5 inputs are invalid:')
    // action.yml's order, not the order given or read.
    expect(error.errors.map(e => e.input)).toEqual([
      'cluster',
      'agent-name',
      'wait',
      'vpc-id',
      'cpu'
    ])
    for (const [i, e] of error.errors.entries()) {
      const alone = await inputErrorOf({ [e.input]: wrong[e.input] })
      expect(lines[i + 1]).toBe(alone.message)
      expect(e.message).toBe(alone.message)
      expect(lines[i + 1]).toContain(wrong[e.input])
    }
  })

  it('with one wrong input, throws that InputError alone with today’s message', async () => {
    const error = await inputErrorOf({ wait: 'yes' })
    expect(error).not.toBeInstanceOf(InputErrors)
    expect(error.message).toBe("Input 'wait': 'yes' is not a boolean; use true or false.")
  })

  it('does not report a check that depends on a refused value', async () => {
    // A refused cpu says nothing about memory.
    expect((await inputErrorOf({ cpu: '300', memory: '4096' })).input).toBe('cpu')
    // A refused mode: whether remove (no endpoint, no key) was meant is not known.
    expect(
      (await inputErrorOf({ mode: 'destroy', 'cloudaeye-endpoint': '', 'cloudaeye-api-key': '' }))
        .input
    ).toBe('mode')
    // A refused platform: which platform's inputs apply, and the cluster's syntax, are not known.
    expect(
      (await inputErrorOf({ platform: 'k8s', 'vpc-id': '', cluster: 'prod cluster' })).input
    ).toBe('platform')
    // A refused region is not compared with the cluster ARN's.
    expect(
      (
        await inputErrorOf({
          'aws-region': 'Virginia',
          cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod'
        })
      ).input
    ).toBe('aws-region')
    // A refused agent-name is not also checked as a security group name.
    expect((await inputErrorOf({ 'agent-name': 'sg-Agent' })).input).toBe('agent-name')
    // A refused or unneeded execution role is not also reported as missing.
    const user = 'arn:aws:iam::123456789012:user/deployer'
    const role = await inputErrorOf({
      'cloudaeye-api-key': '',
      'cloudaeye-api-key-secret-arn': SECRET_ARN,
      'execution-role-arn': user
    })
    expect(role.input).toBe('execution-role-arn')
    expect(role.message).toContain(user)
    expect((await inputErrorOf({ 'cloudaeye-api-key-secret-arn': SECRET_ARN })).input).toBe(
      'cloudaeye-api-key'
    )
    // A refused list is not also counted.
    const many = Array.from({ length: 17 }, (_, i) => `subnet-${i}`).join(',')
    expect((await inputErrorOf({ 'subnet-ids': many })).input).toBe('subnet-ids')
    // Independent inputs are still all reported beside a refused one.
    const error = await inputErrorsOf({ mode: 'destroy', 'cloudaeye-api-key': '', wait: 'yes' })
    expect(error.errors.map(e => e.input)).toEqual(['mode', 'wait'])
  })

  it('never prints the key, even when it was pasted into another input', async () => {
    const error = await inputErrorsOf({
      cluster: `${API_KEY} prod`,
      tags: API_KEY,
      'agent-name': `x${API_KEY}`,
      'cloudaeye-api-key-secret-arn': SECRET_ARN
    })
    // Both key inputs set: the missing execution role is not reported on top.
    expect(error.errors.map(e => e.input)).toEqual([
      'cluster',
      'cloudaeye-api-key',
      'agent-name',
      'tags'
    ])
    expect(error.message).not.toContain(API_KEY)
    for (const e of error.errors) expect(e.message).not.toContain(API_KEY)
    expect(error.message).toContain("Input 'cluster': '*** prod'")
    expect(error.message).toContain("Input 'agent-name': 'x***'")
    expect(events.slice(0, 2)).toEqual(['read:cloudaeye-api-key', `setSecret:${API_KEY}`])
  })
})
