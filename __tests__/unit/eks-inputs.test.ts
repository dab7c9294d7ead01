/**
 * readConfig for platform eks. Every case is a plain map of input values handed to the reader
 * function; `@actions/core` is replaced before src/inputs.js loads, so the tests see what was masked
 * and warned, in order.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { InputError, InputErrors } from '../../src/errors.js'
// Types only: erased, so src/inputs.js still loads after the mock below.
import type { EksConfig } from '../../src/inputs.js'

const events: string[] = []
const setSecret = jest.fn((value: string) => {
  events.push(`setSecret:${value}`)
})
const warning = jest.fn((message: string) => {
  events.push(`warning:${message}`)
})
jest.unstable_mockModule('@actions/core', () => ({
  setSecret,
  warning,
  getInput: jest.fn(() => ''),
  info: jest.fn(),
  debug: jest.fn()
}))

const { readConfig, DEFAULT_AGENT_IMAGE } = await import('../../src/inputs.js')

const API_KEY = 'cak_unit_eks_inputs_51d0c3a9e7f2'
const work = mkdtempSync(path.join(os.tmpdir(), 'eks-inputs-'))
const KUBECONFIG = path.join(work, 'kubeconfig')
writeFileSync(KUBECONFIG, '{}\n', { mode: 0o600 })

afterAll(() => rmSync(work, { recursive: true, force: true }))

/** The smallest set of inputs an EKS run needs. */
const minimal: Record<string, string> = {
  platform: 'eks',
  cluster: 'prod-cluster',
  'aws-region': 'us-east-1',
  'cloudaeye-endpoint': 'https://metrics.cloudaeye.example/v1',
  'cloudaeye-api-key': API_KEY
}

function reader(inputs: Record<string, string>) {
  return (name: string) => {
    events.push(`read:${name}`)
    return inputs[name] ?? ''
  }
}

async function eksConfig(overrides: Record<string, string>): Promise<EksConfig> {
  const config = await readConfig(reader({ ...minimal, ...overrides }), {})
  if (config.platform !== 'eks') throw new Error(`expected platform eks, got ${config.platform}`)
  return config
}

async function inputErrorOf(overrides: Record<string, string>): Promise<InputError> {
  const error = await eksConfig(overrides).then(
    () => new Error(`no error for ${JSON.stringify(overrides)}`),
    (rejection: unknown) => rejection
  )
  expect(error).toBeInstanceOf(InputError)
  // Whatever was refused, the key must not be in the line the user reads first.
  expect((error as Error).message).not.toContain(API_KEY)
  return error as InputError
}

/** The failure names the input and echoes the value, so the user can find it in the workflow. */
async function expectRefused(overrides: Record<string, string>, input: string, value: string) {
  const error = await inputErrorOf(overrides)
  expect(error.input).toBe(input)
  expect(error.message).toContain(`'${input}'`)
  expect(error.message).toContain(value)
  return error
}

beforeEach(() => {
  events.length = 0
  setSecret.mockClear()
  warning.mockClear()
})

describe('readConfig (eks): a valid configuration', () => {
  it('fills every EKS default from the minimal inputs', async () => {
    const config = await eksConfig({})

    expect(config).toEqual({
      platform: 'eks',
      mode: 'deploy',
      cluster: 'prod-cluster',
      clusterName: 'prod-cluster',
      region: 'us-east-1',
      endpoint: 'https://metrics.cloudaeye.example/v1',
      apiKey: API_KEY,
      agentImage: DEFAULT_AGENT_IMAGE,
      agentName: 'cloudaeye-metrics-agent',
      services: [],
      wait: true,
      waitTimeoutMs: 300_000,
      tags: {
        'cloudaeye:agent': 'cloudaeye-metrics-agent',
        'cloudaeye:managed-by': 'metrics-agent-action'
      },
      namespace: 'cloudaeye',
      kubeconfig: undefined,
      helmVersion: undefined,
      helmDownloadBaseUrl: 'https://get.helm.sh',
      chart: undefined,
      chartVersion: undefined,
      values: undefined,
      existingSecret: undefined,
      enableCloudServices: false,
      cloudServicesAuth: 'irsa'
    })
    expect(warning).not.toHaveBeenCalled()
  })

  it('reads every EKS input', async () => {
    const config = await eksConfig({
      platform: 'EKS',
      namespace: 'observability',
      kubeconfig: KUBECONFIG,
      'helm-version': '4.1.4',
      'helm-download-base-url': 'https://mirror.example/helm/',
      chart: 'oci://registry.example/charts/agent',
      'chart-version': '2.0.1',
      values: 'resources:\n  limits:\n    memory: 512Mi\ntolerations: []\n'
    })

    expect(config).toMatchObject({
      platform: 'eks',
      namespace: 'observability',
      kubeconfig: KUBECONFIG,
      helmVersion: '4.1.4',
      helmDownloadBaseUrl: 'https://mirror.example/helm',
      chart: 'oci://registry.example/charts/agent',
      chartVersion: '2.0.1',
      values: { resources: { limits: { memory: '512Mi' } }, tolerations: [] }
    })
  })

  it('takes existing-secret instead of the key, and masks nothing then', async () => {
    const config = await eksConfig({ 'cloudaeye-api-key': '', 'existing-secret': 'agent.keys-1' })
    expect(config.existingSecret).toBe('agent.keys-1')
    expect(config.apiKey).toBeUndefined()
    expect(setSecret).not.toHaveBeenCalled()
  })

  it('masks the key before any other input is read', async () => {
    await expect(eksConfig({ namespace: 'Bad_NS' })).rejects.toThrow(InputError)
    expect(events.slice(0, 2)).toEqual(['read:cloudaeye-api-key', `setSecret:${API_KEY}`])
  })
})

describe('readConfig (eks): the API key', () => {
  it('refuses both the key and existing-secret', async () => {
    const error = await inputErrorOf({ 'existing-secret': 'agent-keys' })
    expect(error.input).toBe('existing-secret')
    expect(error.message).toContain('cloudaeye-api-key')
    expect(error.message).toContain('both')
  })

  it('refuses neither the key nor existing-secret', async () => {
    const error = await inputErrorOf({ 'cloudaeye-api-key': '' })
    expect(error.input).toBe('cloudaeye-api-key')
    expect(error.message).toContain('existing-secret')
  })

  it('is not needed to remove, nor is the endpoint; remove-logs is ECS only', async () => {
    const config = await eksConfig({
      mode: 'remove',
      'cloudaeye-api-key': '',
      'cloudaeye-endpoint': '',
      'remove-logs': 'true'
    })
    expect(config).toMatchObject({ mode: 'remove', endpoint: '', apiKey: undefined })
    const warnings = warning.mock.calls.map(call => call[0])
    expect(warnings).toEqual([expect.stringContaining("'remove-logs' applies to ECS only")])
  })

  it('refuses cloudaeye-api-key-secret-arn, which only ECS can inject', async () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cloudaeye/api-key-AbCdEf'
    const error = await inputErrorOf({ 'cloudaeye-api-key-secret-arn': arn })
    expect(error.input).toBe('cloudaeye-api-key-secret-arn')
    expect(error.message).toContain('ECS only')
    expect(error.message).toContain('existing-secret')
  })
})

describe('readConfig (eks): refused values name the input and the value', () => {
  it('enable-cloud-services: a boolean, and not with existing-secret', async () => {
    expect((await eksConfig({ 'enable-cloud-services': 'TRUE' })).enableCloudServices).toBe(true)
    expect((await eksConfig({ 'enable-cloud-services': 'false' })).enableCloudServices).toBe(false)
    await expectRefused({ 'enable-cloud-services': 'yes' }, 'enable-cloud-services', 'yes')
    const error = await inputErrorOf({
      'enable-cloud-services': 'true',
      'cloud-services-auth': 'access-key',
      'cloudaeye-api-key': '',
      'existing-secret': 'agent-keys'
    })
    expect(error.input).toBe('existing-secret')
    expect(error.message).toContain('cloud-services-auth: access-key')
    expect(error.message).toContain('cloud-services-auth: irsa, which needs no key')
  })

  it('cloud-services-auth: irsa by default, pod-identity or access-key on request, nothing else', async () => {
    const on = { 'enable-cloud-services': 'true' }
    expect((await eksConfig(on)).cloudServicesAuth).toBe('irsa')
    expect(
      (await eksConfig({ ...on, 'cloud-services-auth': 'pod-identity' })).cloudServicesAuth
    ).toBe('pod-identity')
    expect(
      (await eksConfig({ ...on, 'cloud-services-auth': 'access-key' })).cloudServicesAuth
    ).toBe('access-key')
    const error = await expectRefused(
      { ...on, 'cloud-services-auth': 'keyless' },
      'cloud-services-auth',
      'keyless'
    )
    expect(error.message).toContain('irsa, pod-identity, access-key')
  })

  it('irsa: with existing-secret (no key to deliver)', async () => {
    const config = await eksConfig({
      'enable-cloud-services': 'true',
      'cloudaeye-api-key': '',
      'existing-secret': 'agent-keys',
      tags: 'team=platform, owner='
    })
    expect(config.cloudServicesAuth).toBe('irsa')
    expect(config.existingSecret).toBe('agent-keys')
  })

  it('irsa: not with a ServiceAccount the chart does not create', async () => {
    const error = await expectRefused(
      { 'enable-cloud-services': 'true', values: 'serviceAccount:\n  create: false' },
      'values',
      'serviceAccount.create: false'
    )
    expect(error.message).toContain('cloud-services-auth: access-key')
    const keyed = await eksConfig({
      'enable-cloud-services': 'true',
      'cloud-services-auth': 'access-key',
      values: 'serviceAccount:\n  create: false'
    })
    expect(keyed.cloudServicesAuth).toBe('access-key')
  })

  it('tags with an empty value in every mode: IAM takes them, and nothing goes to CloudFormation', async () => {
    for (const auth of ['irsa', 'pod-identity', 'access-key']) {
      const config = await eksConfig({
        'enable-cloud-services': 'true',
        'cloud-services-auth': auth,
        tags: 'team=platform, owner='
      })
      expect(config.tags.owner).toBe('')
    }
  })

  it('namespace that is not a Kubernetes name', async () => {
    await expectRefused({ namespace: 'Prod' }, 'namespace', 'Prod')
    await expectRefused({ namespace: 'my_ns' }, 'namespace', 'my_ns')
    await expectRefused({ namespace: 'team.metrics' }, 'namespace', 'team.metrics')
    await expectRefused({ namespace: '-cloudaeye' }, 'namespace', '-cloudaeye')
    await expectRefused({ namespace: 'n'.repeat(64) }, 'namespace', 'n'.repeat(64))
    expect((await eksConfig({ namespace: 'n'.repeat(63) })).namespace).toBe('n'.repeat(63))
  })

  it('existing-secret that is not a Kubernetes name', async () => {
    const keyless = { 'cloudaeye-api-key': '' }
    await expectRefused({ ...keyless, 'existing-secret': 'Agent Keys' }, 'existing-secret', 'Agent')
    await expectRefused({ ...keyless, 'existing-secret': 'keys.' }, 'existing-secret', 'keys.')
    await expectRefused(
      { ...keyless, 'existing-secret': 's'.repeat(254) },
      'existing-secret',
      's'.repeat(254)
    )
  })

  it('kubeconfig path that does not exist', async () => {
    const missing = path.join(work, 'no-such-kubeconfig')
    await expectRefused({ kubeconfig: missing }, 'kubeconfig', missing)
  })

  it('helm-version outside 3.13+ and 4.x, or not a version', async () => {
    for (const version of ['3.12.0', '5.0.0', 'latest', '3.17', 'v4']) {
      const error = await expectRefused({ 'helm-version': version }, 'helm-version', version)
      expect(error.message).toContain('3.13.0 or later')
    }
  })

  it('helm-version with or without a v, at the lower bound and on 4.x', async () => {
    expect((await eksConfig({ 'helm-version': 'v3.17.2' })).helmVersion).toBe('3.17.2')
    expect((await eksConfig({ 'helm-version': '3.13.0' })).helmVersion).toBe('3.13.0')
    expect((await eksConfig({ 'helm-version': ' v4.0.0 ' })).helmVersion).toBe('4.0.0')
  })

  it('helm-download-base-url over plain http to anything but the runner itself', async () => {
    const name = 'helm-download-base-url'
    await expectRefused({ [name]: 'http://mirror.example' }, name, 'http://mirror.example')
    // A host that merely starts with a loopback name is somewhere else.
    await expectRefused(
      { [name]: 'http://localhost.attacker.example/helm' },
      name,
      'http://localhost.attacker.example/helm'
    )
    await expectRefused({ [name]: 'ftp://mirror.example' }, name, 'ftp://mirror.example')
    await expectRefused({ [name]: 'get.helm.sh' }, name, 'get.helm.sh')
  })

  it('helm-download-base-url over http on loopback, and trailing slashes trimmed', async () => {
    const url = async (value: string) =>
      (await eksConfig({ 'helm-download-base-url': value })).helmDownloadBaseUrl
    expect(await url('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080')
    expect(await url('http://localhost:9000/helm/')).toBe('http://localhost:9000/helm')
    expect(await url('http://[::1]:8080/')).toBe('http://[::1]:8080')
    expect(await url('https://mirror.example/helm//')).toBe('https://mirror.example/helm')
  })

  it('chart-version without chart, since the shipped chart has its own', async () => {
    const error = await inputErrorOf({ 'chart-version': '1.2.3' })
    expect(error.input).toBe('chart-version')
    expect(error.message).toContain('chart')
  })

  it('values that are not YAML, or not a mapping', async () => {
    const broken = await inputErrorOf({ values: 'resources: [unclosed' })
    expect(broken.input).toBe('values')
    expect(broken.message).toContain('YAML')

    for (const values of ['- a\n- b\n', 'just a sentence', 'null', 'a: 1\n---\nb: 2\n']) {
      const error = await inputErrorOf({ values })
      expect(error.input).toBe('values')
    }
    const list = await inputErrorOf({ values: '- a\n- b\n' })
    expect(list.message).toContain('mapping')
  })

  it('cluster that is not an EKS cluster name', async () => {
    await expectRefused({ cluster: 'prod cluster' }, 'cluster', 'prod cluster')
    await expectRefused({ cluster: '-prod' }, 'cluster', '-prod')
    await expectRefused({ cluster: '_prod' }, 'cluster', '_prod')
    await expectRefused({ cluster: 'c'.repeat(101) }, 'cluster', 'c'.repeat(101))
    // EKS takes the name: an ARN is an ECS habit here.
    const arn = 'arn:aws:eks:us-east-1:123456789012:cluster/prod'
    await expectRefused({ cluster: arn }, 'cluster', arn)
    expect((await eksConfig({ cluster: 'c'.repeat(100) })).clusterName).toBe('c'.repeat(100))
    expect((await eksConfig({ cluster: '9_prod-Cluster' })).clusterName).toBe('9_prod-Cluster')
  })
})

describe('readConfig (eks): ECS-only inputs', () => {
  it('warns for each ECS-only input given, naming it, and still reads the configuration', async () => {
    const config = await eksConfig({
      'vpc-id': 'vpc-0a1b2c3d',
      'task-role-arn': 'arn:aws:iam::123456789012:role/agent'
    })
    expect(config.platform).toBe('eks')
    const warnings = warning.mock.calls.map(call => call[0])
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toContain("'vpc-id'")
    expect(warnings[1]).toContain("'task-role-arn'")
    for (const text of warnings) expect(text).toContain('ECS only')
  })

  it('does not warn for ECS inputs that carry action.yml defaults', async () => {
    // The runner passes these defaults on every run, so warning about them would always fire.
    await eksConfig({
      'assign-public-ip': 'auto',
      cpu: '256',
      memory: '512',
      'ecs-run-as': 'task'
    })
    expect(warning).not.toHaveBeenCalled()
  })

  it('warns for ecs-run-as changed from its default', async () => {
    await eksConfig({ 'ecs-run-as': 'service' })
    expect(warning).toHaveBeenCalledWith(
      "Input 'ecs-run-as' applies to ECS only; it is ignored on EKS."
    )
  })
})

describe('readConfig (eks): every invalid input in one run', () => {
  async function inputErrorsOf(overrides: Record<string, string>): Promise<InputErrors> {
    const error = await eksConfig(overrides).then(
      () => new Error(`no error for ${JSON.stringify(overrides)}`),
      (rejection: unknown) => rejection
    )
    expect(error).toBeInstanceOf(InputErrors)
    expect((error as Error).message).not.toContain(API_KEY)
    return error as InputErrors
  }

  it('lists every refused EKS input in action.yml order, the count first', async () => {
    const error = await inputErrorsOf({
      values: 'resources: [unclosed',
      namespace: 'Bad_NS',
      'helm-version': '2.0.0',
      'cloudaeye-api-key-secret-arn': 'arn:aws:secretsmanager:us-east-1:1:secret:x',
      cluster: '-prod'
    })
    expect(error.message.split('\n')[0]).toBe('5 inputs are invalid:')
    expect(error.errors.map(e => e.input)).toEqual([
      'cluster',
      'cloudaeye-api-key-secret-arn',
      'namespace',
      'helm-version',
      'values'
    ])
    expect(error.message.split('\n').slice(1)).toEqual(error.errors.map(e => e.message))
  })

  it('does not report a check that depends on a refused value', async () => {
    // With enable-cloud-services refused, neither the access-key conflict nor the auth warning.
    const cloud = await inputErrorOf({
      'enable-cloud-services': 'maybe',
      'cloud-services-auth': 'access-key',
      'cloudaeye-api-key': '',
      'existing-secret': 'agent-keys'
    })
    expect(cloud.input).toBe('enable-cloud-services')
    expect(warning).not.toHaveBeenCalled()
    // A refused existing-secret was still given: the key is not also reported missing.
    expect(
      (await inputErrorOf({ 'cloudaeye-api-key': '', 'existing-secret': 'Agent Keys' })).input
    ).toBe('existing-secret')
    // Refused values are not also checked for serviceAccount.create.
    expect(
      (await inputErrorOf({ 'enable-cloud-services': 'true', values: 'serviceAccount: [' })).input
    ).toBe('values')
  })
})
