import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'
import { InputErrors } from '../../src/errors.js'
import { ACTION_INPUTS } from '../../src/input-parsers.js'
import { readConfig } from '../../src/inputs.js'
import { runAction } from '../support/action-harness.js'

interface ActionMetadata {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}

const metadata = parse(
  readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')
) as ActionMetadata

const kubeconfig = path.join(mkdtempSync(path.join(os.tmpdir(), 'meta-')), 'config')
writeFileSync(kubeconfig, '{}')

/** Reads a valid configuration and records every input name the parser asked for. */
async function inputsRead(given: Record<string, string>): Promise<Set<string>> {
  const asked = new Set<string>()
  await readConfig(name => {
    asked.add(name)
    return given[name] ?? metadata.inputs[name]?.default ?? ''
  }, {})
  return asked
}

describe('action.yml', () => {
  it('runs the committed bundle on node24', () => {
    expect(metadata.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })

  it('declares every input the parser reads, with a description', async () => {
    const common = {
      cluster: 'prod',
      'aws-region': 'us-east-1',
      'cloudaeye-endpoint': 'https://metrics.example',
      'cloudaeye-api-key': 'k'
    }
    const asked = new Set([
      ...(await inputsRead({ ...common, platform: 'ecs', 'vpc-id': 'vpc-0123abcd' })),
      ...(await inputsRead({ ...common, platform: 'eks', kubeconfig, values: 'a: 1' }))
    ])
    expect([...asked].sort()).toEqual(Object.keys(metadata.inputs).sort())
    for (const [name, input] of Object.entries(metadata.inputs)) {
      expect(`${name}: ${input.description ?? ''}`.length).toBeGreaterThan(name.length + 20)
    }
  })

  it.each([
    ['ecs', { 'vpc-id': 'vpc-0123abcd' }],
    ['eks', {}]
  ])(
    'declares the defaults the %s parser applies when an input is empty',
    async (platform, extra) => {
      const given: Record<string, string> = {
        platform,
        cluster: 'prod',
        'aws-region': 'us-east-1',
        'cloudaeye-endpoint': 'https://metrics.example',
        'cloudaeye-api-key': 'k',
        ...extra
      }
      const withoutDefaults = await readConfig(name => given[name] ?? '', {})
      const withDefaults = await readConfig(
        name => given[name] ?? metadata.inputs[name]?.default ?? '',
        {}
      )
      expect(withDefaults).toEqual(withoutDefaults)
    }
  )

  it('declares every output the action sets, none of them secret', () => {
    expect(Object.keys(metadata.outputs).sort()).toEqual(
      [
        'access-key-id',
        'iam-user-arn',
        'role-arn',
        'changed',
        'chart-version',
        'helm-release',
        'helm-revision',
        'namespace',
        'plan',
        'security-group-id',
        'service-arn',
        'subnet-ids',
        'task-arn',
        'task-definition-arn'
      ].sort()
    )
  })

  it('has every input and output documented in the README tables', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const rows = readme.split('\n').filter(line => line.startsWith('| `'))
    const documented = new Set(
      rows.flatMap(row => [...row.split('|')[1].matchAll(/`([\w-]+)`/g)].map(m => m[1]))
    )
    const declared = [...Object.keys(metadata.inputs), ...Object.keys(metadata.outputs)]
    expect(declared.filter(name => !documented.has(name))).toEqual([])
  })

  it('gives in the README each IAM policy exactly as its file in permissions/', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const blocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map(match => match[1])
    for (const file of [
      'ecs.json',
      'ecs-cloud-services.json',
      'ecs-plan.json',
      'ecs-remove.json',
      'eks.json',
      'eks-cloud-services-irsa.json',
      'eks-cloud-services-pod-identity.json',
      'eks-cloud-services-access-key.json',
      ...['irsa', 'pod-identity', 'access-key'].flatMap(auth =>
        ['plan', 'remove'].map(mode => `eks-cloud-services-${auth}-${mode}.json`)
      ),
      // The set-up's trusts for the workflow roles, and the agent's own ECS roles.
      'github-oidc-trust-deploy.json',
      'github-oidc-trust-plan.json',
      'ecs-agent-execution-trust.json',
      'ecs-agent-execution-role.json',
      'ecs-agent-task-trust.json',
      'ecs-agent-task-role.json'
    ]) {
      const policy = readFileSync(new URL(`../../permissions/${file}`, import.meta.url), 'utf8')
      expect(readme).toContain(`(permissions/${file})`)
      expect(blocks.filter(block => block === policy)).toHaveLength(1)
    }
  })
})

describe('every invalid input in one run', () => {
  const KEY = 'cak_action_metadata_4b7e0d19a2'

  it('lists refused inputs in action.yml order', async () => {
    expect([...ACTION_INPUTS]).toEqual(Object.keys(metadata.inputs))
    // Given, and read, in another order than action.yml's.
    const error = await readConfig(
      name =>
        ({
          'ecs-run-as': 'daemon',
          memory: 'lots',
          'assign-public-ip': 'maybe',
          tags: 'team',
          'wait-timeout': 'soon',
          'agent-image': 'agent',
          mode: 'destroy',
          platform: 'ecs',
          cluster: 'prod',
          'aws-region': 'us-east-1',
          'cloudaeye-api-key': KEY,
          'vpc-id': 'vpc-0123abcd'
        })[name] ?? '',
      {}
    ).catch((rejection: unknown) => rejection)
    expect(error).toBeInstanceOf(InputErrors)
    const inputs = (error as InputErrors).errors.map(e => e.input)
    expect(inputs).toEqual([
      'mode',
      'agent-image',
      'wait-timeout',
      'tags',
      'assign-public-ip',
      'memory',
      'ecs-run-as'
    ])
    expect(inputs).toEqual(Object.keys(metadata.inputs).filter(name => inputs.includes(name)))
  })

  it('fails the step with the count, then one error annotation per input, the key masked', async () => {
    const result = await runAction({
      platform: 'ecs',
      cluster: 'prod cluster',
      'aws-region': 'us-east-1',
      'cloudaeye-endpoint': 'http://metrics.example',
      'cloudaeye-api-key': KEY,
      'agent-name': `${KEY}_x`,
      wait: 'yes',
      'vpc-id': ''
    })
    expect(result.failed).toBe(true)
    expect(result.calls).toEqual([])
    const errors = result.log.split('\n').filter(line => line.startsWith('::error::'))
    expect(errors).toEqual([
      '::error::5 inputs are invalid:',
      "::error::Input 'cluster': 'prod cluster' is not a cluster name; use letters, digits, hyphens and underscores, or an ARN.",
      "::error::Input 'cloudaeye-endpoint': 'http://metrics.example' is not an https URL; give the metrics service URL shown on CloudAEye.",
      // Masked: the key's place holds *** (what else is masked depends on earlier tests' secrets).
      expect.stringMatching(/^::error::Input 'agent-name': '[^']*\*\*\*[^']*' is not a valid name/),
      "::error::Input 'wait': 'yes' is not a boolean; use true or false.",
      "::error::Input 'vpc-id': is required for platform ecs; give the ID (vpc-...)."
    ])
    // The key is only ever printed to be masked.
    expect(result.log.split(KEY)).toHaveLength(2)
    expect(result.log).toContain(`::add-mask::${KEY}`)
    expect(result.summary).not.toContain(KEY)
    // One line per input in the summary too.
    expect(result.summary).toMatch(/5 inputs are invalid:<br>Input &#39;cluster&#39;/)
  })

  it('fails with one annotation, as before, when one input is wrong', async () => {
    const result = await runAction({
      platform: 'ecs',
      cluster: 'prod',
      'aws-region': 'us-east-1',
      'cloudaeye-endpoint': 'https://metrics.example',
      'cloudaeye-api-key': KEY,
      'vpc-id': 'vpc-0123abcd',
      wait: 'yes'
    })
    expect(result.failed).toBe(true)
    const errors = result.log.split('\n').filter(line => line.startsWith('::error::'))
    expect(errors).toEqual(["::error::Input 'wait': 'yes' is not a boolean; use true or false."])
  })
})
