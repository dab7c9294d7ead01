/**
 * `npm run demo`: the action against a local emulated AWS, no account needed, as a runner runs
 * the bundle, twice each time to show that the second run changes nothing. ECS: moto with a VPC
 * and an ECS cluster. EKS: a real Kubernetes control plane on loopback (kwok nodes: three healthy,
 * one NotReady, one EKS Fargate), both from demo-fixture.mjs. `npm run demo -- ecs` or `-- eks` runs
 * one of them. The action's log is shown as a runner's log shows it (workflow-commands.mjs);
 * `ACTIONS_STEP_DEBUG=true npm run demo` adds its debug lines.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import {
  CLUSTER,
  DUMMY_CREDENTIALS,
  HELM_DIRECTORY,
  REGION,
  seedEcs,
  startDemoPlane
} from './demo-fixture.mjs'
import { projectRoot, startMoto } from './moto-server.mjs'
import { RUNNER_NOTE, createLogFormatter } from './workflow-commands.mjs'

// As on a runner: step debug logging is switched on with ACTIONS_STEP_DEBUG=true.
const stepDebug = process.env.ACTIONS_STEP_DEBUG === 'true'

/**
 * Runs the bundle with these inputs and environment, its log rendered as a runner shows it, then
 * prints its outputs and summary.
 */
async function runAction(inputs, environment, label) {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'demo-'))
  const files = {
    GITHUB_OUTPUT: path.join(directory, 'output'),
    GITHUB_STEP_SUMMARY: path.join(directory, 'summary')
  }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const env = {
    PATH: process.env.PATH,
    // helm and its credential plugin keep caches under HOME; a runner always sets it.
    HOME: directory,
    RUNNER_TEMP: directory,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
    // What a runner sets for the action when step debug logging is on.
    ...(stepDebug ? { RUNNER_DEBUG: '1' } : {}),
    ...environment,
    ...files,
    ...Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])
    )
  }
  console.log(`\n=== ${label} ===`)
  const child = spawn(process.execPath, [path.join(projectRoot, 'dist/index.js')], {
    env,
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const exited = once(child, 'exit')
  const formatter = createLogFormatter({ debug: stepDebug })
  for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
    for (const shown of formatter.format(line)) console.log(shown)
  }
  const [code, signal] = await exited
  if (code !== 0) throw new Error(`the action failed (${signal ?? `exit code ${code}`})`)
  console.log('\n--- outputs ---')
  const outputs = readFileSync(files.GITHUB_OUTPUT, 'utf8')
  console.log(outputs.replace(/<<(ghadelimiter_[\w-]+)\n([^]*?)\n\1/g, '=$2'))
  console.log('--- job summary ---')
  console.log(
    readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8')
      .replace(/<\/(tr|h3|p)>/g, '\n')
      .replace(/<\/t[dh]>/g, ' | ')
      .replace(/<[^>]+>/g, '')
  )
  rmSync(directory, { recursive: true, force: true })
}

async function demoEcs() {
  const moto = await startMoto()
  try {
    console.log(`Emulated AWS (moto) on ${moto.url}`)
    const vpcId = await seedEcs(moto.url)
    const inputs = {
      platform: 'ecs',
      cluster: CLUSTER,
      'vpc-id': vpcId,
      'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
      'cloudaeye-api-key': 'demo-api-key-not-a-real-one',
      services: 'checkout,payments'
    }
    const environment = { AWS_ENDPOINT_URL: moto.url }
    await runAction(
      inputs,
      environment,
      'ECS, first run: creates the security group, task definition and agent task'
    )
    await runAction(inputs, environment, 'ECS, second run: same inputs, nothing to change')
  } finally {
    await moto.stop()
  }
}

async function demoEks() {
  const plane = await startDemoPlane()
  try {
    console.log(`\nKubernetes control plane on ${plane.server}`)
    const inputs = {
      platform: 'eks',
      cluster: CLUSTER,
      kubeconfig: plane.adminKubeconfig,
      'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
      'cloudaeye-api-key': 'demo-api-key-not-a-real-one',
      services: 'checkout,payments'
    }
    const environment = { PATH: `${HELM_DIRECTORY}${path.delimiter}${process.env.PATH}` }
    await runAction(
      inputs,
      environment,
      'EKS, first run: installs the agent on every eligible node'
    )
    await runAction(inputs, environment, 'EKS, second run: same inputs, nothing to change')
  } finally {
    await plane.stop()
  }
}

const only = process.argv[2]
if (only && only !== 'ecs' && only !== 'eks') {
  console.error(`Unknown platform '${only}': run \`npm run demo\`, or with -- ecs or -- eks.`)
  process.exit(2)
}
console.log(RUNNER_NOTE)
if (only !== 'eks') await demoEcs()
if (only !== 'ecs') await demoEks()
