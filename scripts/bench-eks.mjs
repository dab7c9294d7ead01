/**
 * The EKS half of `npm run bench`: the bundle against a real control plane (kwok nodes), with the
 * real helm 4 and the action's own rollout watch. Wall time of install, unchanged re-run and upgrade
 * on 3 and 100 nodes, and of an image upgrade on 100 and 300 nodes whose pods take 2 s to start.
 * Figures for the README and notes, never an assertion in a test.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { addNodes, startKubePlane } from './kube-plane.mjs'
import { projectRoot } from './moto-server.mjs'

const bundle = path.join(projectRoot, 'dist/index.js')
const helmDirectory = path.join(projectRoot, '.cache/helm/v4')
const stages = path.join(projectRoot, '__tests__/support/kwok-stages.yaml')
const work = mkdtempSync(path.join(os.tmpdir(), 'bench-eks-'))

const plane = await startKubePlane({ stageFiles: [stages] })
const kubectl = (...args) =>
  execFileSync('kubectl', ['--kubeconfig', plane.adminKubeconfig, ...args], { stdio: 'pipe' })

let nodeCount = 0
/** Adds healthy kwok nodes up to `total`. */
async function growTo(total) {
  const added = []
  for (; nodeCount < total; nodeCount++)
    added.push({ name: `node-${String(nodeCount).padStart(3, '0')}` })
  await addNodes(plane, added)
}

/** One bundle run; its wall time and how many times it ran helm. */
function runBundle(inputs) {
  const env = {
    PATH: `${helmDirectory}${path.delimiter}${process.env.PATH}`,
    HOME: work,
    AWS_REGION: 'us-east-1',
    RUNNER_TEMP: path.join(work, 'runner-temp'),
    GITHUB_OUTPUT: path.join(work, 'output'),
    GITHUB_STEP_SUMMARY: path.join(work, 'summary')
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  writeFileSync(env.GITHUB_OUTPUT, '')
  writeFileSync(env.GITHUB_STEP_SUMMARY, '')
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, [bundle], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.on('close', code => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      const failure = /^::error::(.*)$/m.exec(stdout)?.[1]
      if (code !== 0) return reject(new Error(`bundle failed: ${failure ?? code}`))
      const helmCalls = stdout.match(/^::debug::helm /gm)?.length ?? 0
      resolve({ ms, helmCalls })
    })
  })
}

const inputs = (release, extra = {}) => ({
  platform: 'eks',
  cluster: 'bench',
  kubeconfig: plane.adminKubeconfig,
  namespace: release,
  'agent-name': release,
  'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
  'cloudaeye-api-key': 'cak_bench',
  'wait-timeout': '10m',
  ...extra
})
const image = tag => ({ 'agent-image': `public.ecr.aws/cloudaeye/metrics-agent:${tag}` })
const line = (label, { ms, helmCalls }) =>
  console.log(
    `${label.padEnd(58)} ${(ms / 1000).toFixed(1).padStart(6)} s  (${helmCalls} helm runs)`
  )

try {
  for (const nodes of [3, 100]) {
    await growTo(nodes)
    const release = `agent-${nodes}`
    line(`EKS install on ${nodes} nodes`, await runBundle(inputs(release, image('1.0.0'))))
    line(`EKS unchanged re-run on ${nodes} nodes`, await runBundle(inputs(release, image('1.0.0'))))
    line(
      `EKS plan of an image upgrade on ${nodes} nodes`,
      await runBundle(inputs(release, { ...image('1.0.1'), mode: 'plan' }))
    )
    line(`EKS image upgrade on ${nodes} nodes`, await runBundle(inputs(release, image('1.0.1'))))
    line(`EKS remove on ${nodes} nodes`, await runBundle(inputs(release, { mode: 'remove' })))
  }
  const slowPods = {
    values: JSON.stringify({ podAnnotations: { 'kwok.x-k8s.io/start-delay': '2s' } })
  }
  for (const nodes of [100, 300]) {
    await growTo(nodes)
    const release = `slow-${nodes}`
    await runBundle(inputs(release, { ...slowPods, ...image('1.0.0') }))
    line(
      `EKS image upgrade on ${nodes} nodes, pods start in 2 s`,
      await runBundle(inputs(release, { ...slowPods, ...image('1.0.1') }))
    )
    kubectl('delete', 'namespace', release, '--wait=false')
  }
} finally {
  await plane.stop()
  rmSync(work, { recursive: true, force: true })
}
