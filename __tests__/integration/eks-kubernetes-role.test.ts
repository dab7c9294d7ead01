/**
 * The Kubernetes role in permissions/, proven on a real API server as the IAM policies are proven
 * in the emulator: bound to the action's user and nothing else, it is enough to plan, install,
 * re-run, upgrade and remove; without any one of its rules a deploy, or the remove after it, fails,
 * naming the refused verb and resource. A
 * caller the cluster does not know (401) and one it knows but has not granted anything (403) each
 * get their own first line.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { parseAllDocuments } from 'yaml'
import { kubeconfigFor, startKubePlane, type KubePlane } from '../../scripts/kube-plane.mjs'
import { systemClock } from '../../src/poll.js'
import { runAction, type ActionResult } from '../support/action-harness.js'
import { useMotoEnvironment } from '../support/moto.js'
import { REAL_HELM_3, REAL_HELM_4 } from '../support/real-helm.js'

const run = promisify(execFile)
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const ROLE_FILE = path.join(projectRoot, 'permissions/eks-kubernetes-role.yaml')
const DEPLOYERS = 'cloudaeye-metrics-agent-deployers'
const RELEASE = 'cloudaeye-metrics-agent'
const NAMESPACE = 'cloudaeye'
const users = [
  { token: 'deployer-token-5c1e', name: 'deployer', groups: [DEPLOYERS] },
  { token: 'stranger-token-9a4d', name: 'stranger', groups: [] }
]

let plane: KubePlane
let work: string
const originalPath = process.env.PATH

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run('kubectl', ['--kubeconfig', plane.adminKubeconfig, ...args])
  return stdout
}

async function kubeconfigWithToken(name: string, token: string): Promise<string> {
  const file = path.join(work, `${name}.kubeconfig`)
  const config = kubeconfigFor({ server: plane.server, caData: plane.caData, user: { token } })
  await writeFile(file, config, { mode: 0o600 })
  return file
}

/** The shipped documents, with one rule left out of one of them when asked. */
async function applyRole(without?: { kind: string; index: number }): Promise<void> {
  const documents = parseAllDocuments(readFileSync(ROLE_FILE, 'utf8')).map(doc => doc.toJS())
  for (const document of documents) {
    if (without && document.kind === without.kind) document.rules.splice(without.index, 1)
  }
  const file = path.join(work, 'role.json')
  await writeFile(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: documents }))
  await kubectl('apply', '-f', file)
}

/** Every rule of the shipped ClusterRole and Role, to be taken out one at a time. */
const shippedRules = parseAllDocuments(readFileSync(ROLE_FILE, 'utf8'))
  .map(doc => doc.toJS())
  .filter(document => document.kind === 'ClusterRole' || document.kind === 'Role')
  .flatMap(document =>
    (document.rules as { resources: string[]; verbs: string[] }[]).map((rule, index) => ({
      kind: document.kind as string,
      index,
      label: `${document.kind} rule ${index} (${rule.verbs.join(',')} ${rule.resources.join(',')})`
    }))
  )

async function uninstallAsAdmin(): Promise<void> {
  await run(REAL_HELM_4, [
    'uninstall',
    RELEASE,
    '--namespace',
    NAMESPACE,
    '--ignore-not-found',
    '--kubeconfig',
    plane.adminKubeconfig
  ])
}

async function deploy(
  kubeconfig: string,
  helm: string,
  image = '1.0.0',
  inputs: Record<string, string> = {}
): Promise<ActionResult> {
  process.env.PATH = `${path.dirname(helm)}${path.delimiter}${originalPath}`
  process.env.RUNNER_TEMP = work
  return runAction(
    {
      platform: 'eks',
      cluster: 'least-privilege',
      kubeconfig,
      'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
      'cloudaeye-api-key': 'cak_role_test_31f0',
      'agent-image': `public.ecr.aws/cloudaeye/metrics-agent:${image}`,
      'wait-timeout': '60s',
      ...inputs
    },
    { clock: systemClock }
  )
}

const errorLine = (result: ActionResult) => /^::error::(.*)$/m.exec(result.log)?.[1] ?? ''

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'kubernetes-role-'))
  plane = await startKubePlane({ users })
  const nodes = ['node-a', 'node-b'].map(name => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/os': 'linux' },
      annotations: { 'kwok.x-k8s.io/node': 'fake' }
    }
  }))
  await writeFile(
    path.join(work, 'nodes.json'),
    JSON.stringify({ kind: 'List', apiVersion: 'v1', items: nodes })
  )
  await kubectl('apply', '-f', path.join(work, 'nodes.json'))
  await kubectl('wait', '--for=condition=Ready', '--timeout=60s', 'node/node-a', 'node/node-b')
  await applyRole()
}, 120_000)

afterAll(async () => {
  process.env.PATH = originalPath
  await plane?.stop()
  await rm(work, { recursive: true, force: true })
})

beforeEach(() => useMotoEnvironment())

describe.each([
  { helm: 'helm 4', binary: REAL_HELM_4 },
  { helm: 'helm 3', binary: REAL_HELM_3 }
])('the shipped role alone, with $helm', ({ binary }) => {
  it('is enough to install, re-run unchanged and upgrade', async () => {
    await uninstallAsAdmin()
    const kubeconfig = await kubeconfigWithToken('deployer', users[0].token)

    const install = await deploy(kubeconfig, binary)
    expect(errorLine(install)).toBe('')
    expect(install.outputs['helm-revision']).toBe('1')
    expect(install.summary).toContain('Agent ready on 2/2 eligible nodes')

    const rerun = await deploy(kubeconfig, binary)
    expect(errorLine(rerun)).toBe('')
    expect(rerun.outputs['changed']).toBe('false')

    const upgrade = await deploy(kubeconfig, binary, '1.0.1')
    expect(errorLine(upgrade)).toBe('')
    expect(upgrade.outputs['helm-revision']).toBe('2')
  })

  it('is enough to plan (with a server dry run), and to remove what it deployed', async () => {
    await uninstallAsAdmin()
    const kubeconfig = await kubeconfigWithToken('deployer', users[0].token)

    const plan = await deploy(kubeconfig, binary, '1.0.0', { mode: 'plan' })
    expect(errorLine(plan)).toBe('')
    expect(plan.outputs['changed']).toBe('true')
    expect(plan.summary).toContain('The API server accepted the')
    expect(await releases()).toEqual([])

    expect(errorLine(await deploy(kubeconfig, binary))).toBe('')
    const remove = await deploy(kubeconfig, binary, '1.0.0', { mode: 'remove' })
    expect(errorLine(remove)).toBe('')
    expect(remove.log).toContain(`Helm release ${NAMESPACE}/${RELEASE}: deleted`)
    // The role's namespace is the admin's, not the action's: it stays.
    expect(remove.log).toContain(`Namespace ${NAMESPACE}: kept (not labelled as the action's)`)
    expect(await releases()).toEqual([])
    expect(await kubectl('get', 'namespace', NAMESPACE, '-o', 'name')).toContain(NAMESPACE)
  })
})

async function releases(): Promise<unknown[]> {
  const { stdout } = await run(REAL_HELM_4, [
    'list',
    '--namespace',
    NAMESPACE,
    '--output',
    'json',
    '--kubeconfig',
    plane.adminKubeconfig
  ])
  return JSON.parse(stdout)
}

describe('each rule of the shipped role is needed', () => {
  it.each(shippedRules)('without $label the step fails naming what was refused', async rule => {
    await uninstallAsAdmin()
    await applyRole(rule)
    try {
      const kubeconfig = await kubeconfigWithToken('deployer', users[0].token)
      const deployed = await deploy(kubeconfig, REAL_HELM_4)
      // A rule that only remove needs fails the remove of what was deployed.
      const result = deployed.failed
        ? deployed
        : await deploy(kubeconfig, REAL_HELM_4, '1.0.0', { mode: 'remove' })
      expect(result.failed).toBe(true)
      expect(errorLine(result)).toMatch(
        /\(403 Forbidden\): .*User "deployer" cannot \w+ resource "[\w/]+"/
      )
      expect(errorLine(result)).toContain('permissions/eks-kubernetes-role.yaml')
    } finally {
      await applyRole()
    }
  })
})

describe('a caller the cluster refuses', () => {
  it('unknown (no mapping): 401, with the access-entry advice', async () => {
    const result = await deploy(await kubeconfigWithToken('unknown', 'no-such-token'), REAL_HELM_4)
    expect(result.failed).toBe(true)
    expect(errorLine(result)).toMatch(
      /^The cluster did not accept the action's credentials \(401 Unauthorized\)/
    )
  })

  it('known but bound to nothing: 403, naming the verb and resource', async () => {
    const result = await deploy(await kubeconfigWithToken('stranger', users[1].token), REAL_HELM_4)
    expect(result.failed).toBe(true)
    expect(errorLine(result)).toMatch(
      /^The cluster refused to let the action .*\(403 Forbidden\): .*User "stranger" cannot list resource "secrets"/
    )
  })
})
