/**
 * `npm run bench`: how long the bundle takes to start, against bare node. Prints medians of
 * repeated cold starts; a figure for the README and notes, never an assertion in a test.
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { projectRoot } from './moto-server.mjs'

const RUNS = Number(process.env.BENCH_RUNS ?? 20)
const bundle = path.join(projectRoot, 'dist/index.js')

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

function time(label, args, env) {
  const samples = []
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint()
    spawnSync(process.execPath, args, { env: { PATH: process.env.PATH, ...env }, stdio: 'ignore' })
    samples.push(Number(process.hrtime.bigint() - started) / 1e6)
  }
  console.log(
    `${label.padEnd(48)} median ${median(samples).toFixed(0).padStart(5)} ms  (${RUNS} runs)`
  )
  return median(samples)
}

console.log(`node ${process.version}`)
const bare = time('bare node (node -e 0)', ['-e', '0'], {})
const inputError = time('bundle, no inputs (fails on the first input)', [bundle], {})
const lateInputError = time('bundle, bad vpc-id (fails after every other input)', [bundle], {
  INPUT_PLATFORM: 'ecs',
  INPUT_CLUSTER: 'prod',
  'INPUT_AWS-REGION': 'us-east-1',
  'INPUT_CLOUDAEYE-ENDPOINT': 'https://metrics.example',
  'INPUT_CLOUDAEYE-API-KEY': 'k',
  'INPUT_VPC-ID': 'vpc-1'
})
console.log(
  `bundle overhead over bare node: ${(inputError - bare).toFixed(0)} ms to the first input error, ` +
    `${(lateInputError - bare).toFixed(0)} ms to the last`
)

// To the first AWS request: a loopback endpoint notes when the first request arrives and ends the
// run there, so the figure is start-up, input validation and loading the path's SDK clients.
const { createServer: createHttpServer } = await import('node:http')
const { spawn: spawnChild } = await import('node:child_process')
let firstRequest
const endpoint = createHttpServer((request, response) => {
  firstRequest?.()
  response.writeHead(500).end()
})
await new Promise(resolve => endpoint.listen(0, '127.0.0.1', resolve))
const toFirstRequest = async (label, inputs) => {
  const samples = []
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint()
    const child = spawnChild(process.execPath, [bundle], {
      env: {
        PATH: process.env.PATH,
        AWS_ENDPOINT_URL: `http://127.0.0.1:${endpoint.address().port}`,
        AWS_ACCESS_KEY_ID: 'bench',
        AWS_SECRET_ACCESS_KEY: 'bench',
        ...inputs
      },
      stdio: 'ignore'
    })
    await new Promise(resolve => {
      firstRequest = () => {
        samples.push(Number(process.hrtime.bigint() - started) / 1e6)
        firstRequest = undefined
        resolve()
      }
    })
    child.kill('SIGKILL')
    await new Promise(resolve => child.once('exit', resolve))
  }
  console.log(
    `${label.padEnd(48)} median ${median(samples).toFixed(0).padStart(5)} ms  (${RUNS} runs)`
  )
  return median(samples)
}
const firstInputs = {
  INPUT_CLUSTER: 'prod',
  'INPUT_AWS-REGION': 'us-east-1',
  'INPUT_CLOUDAEYE-ENDPOINT': 'https://metrics.example',
  'INPUT_CLOUDAEYE-API-KEY': 'k'
}
const ecsFirst = await toFirstRequest('bundle to its first AWS request, ECS', {
  ...firstInputs,
  INPUT_PLATFORM: 'ecs',
  'INPUT_VPC-ID': 'vpc-0123abcd'
})
const eksFirst = await toFirstRequest('bundle to its first AWS request, EKS', {
  ...firstInputs,
  INPUT_PLATFORM: 'eks'
})
endpoint.close()
console.log(
  `bundle overhead over bare node to the first AWS request: ${(ecsFirst - bare).toFixed(0)} ms ECS, ` +
    `${(eksFirst - bare).toFixed(0)} ms EKS`
)

// Helm: the EKS path's first run downloads and verifies helm from a mirror; the second finds it in
// the tool cache. Served from loopback, so the figure is the action's own work, not the network.
const { createHash } = await import('node:crypto')
const { createServer } = await import('node:http')
const { mkdtempSync, mkdirSync, copyFileSync, readFileSync, writeFileSync, rmSync } =
  await import('node:fs')
const os = await import('node:os')

const work = mkdtempSync(path.join(os.tmpdir(), 'bench-helm-'))
mkdirSync(path.join(work, 'linux-amd64'))
copyFileSync(path.join(projectRoot, '.cache/helm/v3/helm'), path.join(work, 'linux-amd64/helm'))
const archiveName = 'helm-v3.17.2-linux-amd64.tar.gz'
spawnSync('tar', ['czf', archiveName, 'linux-amd64'], { cwd: work })
const archive = readFileSync(path.join(work, archiveName))
const digest = createHash('sha256').update(archive).digest('hex')
const server = createServer((request, response) => {
  if (request.url === `/${archiveName}`) return response.end(archive)
  if (request.url === `/${archiveName}.sha256sum`)
    return response.end(`${digest}  ${archiveName}\n`)
  response.writeHead(404).end()
})
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
const kubeconfig = path.join(work, 'kubeconfig')
// A cluster that refuses connections: the run ends right after helm is ready.
writeFileSync(
  kubeconfig,
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:9' } }],
    users: [{ name: 'c', user: { token: 't' } }],
    contexts: [{ name: 'c', context: { cluster: 'c', user: 'c' } }],
    'current-context': 'c'
  })
)
const eksEnv = {
  INPUT_PLATFORM: 'eks',
  INPUT_CLUSTER: 'bench',
  'INPUT_AWS-REGION': 'us-east-1',
  'INPUT_CLOUDAEYE-ENDPOINT': 'https://metrics.example',
  'INPUT_CLOUDAEYE-API-KEY': 'k',
  INPUT_KUBECONFIG: kubeconfig,
  'INPUT_HELM-VERSION': '3.17.2',
  'INPUT_HELM-DOWNLOAD-BASE-URL': `http://127.0.0.1:${server.address().port}`,
  RUNNER_TEMP: path.join(work, 'temp')
}
mkdirSync(eksEnv.RUNNER_TEMP)
const runEks = cache =>
  new Promise(resolve => {
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, [bundle], {
      env: { PATH: '/usr/bin:/bin', ...eksEnv, RUNNER_TOOL_CACHE: cache },
      stdio: 'ignore'
    })
    child.on('exit', () => resolve(Number(process.hrtime.bigint() - started) / 1e6))
  })
const { spawn } = await import('node:child_process')
const downloads = []
const hits = []
for (let i = 0; i < 5; i++) {
  const cache = path.join(work, `cache-${i}`)
  downloads.push(await runEks(cache))
  hits.push(await runEks(cache))
}
server.close()
rmSync(work, { recursive: true, force: true })
console.log(
  `EKS run to the cluster, helm ${(archive.length / 1e6).toFixed(1)} MB downloaded and verified: median ${median(downloads).toFixed(0)} ms (5 runs)`
)
console.log(
  `EKS run to the cluster, helm found in the tool cache:      median ${median(hits).toFixed(0)} ms (5 runs)`
)

// AWS calls at 100 ms of added latency per request: how many calls a fresh ECS deploy and a
// re-run make, and in how many waves (rounds that wait on each other), through the fault proxy
// with latency and no faults, against the emulator.
const { startMoto } = await import('./moto-server.mjs')
const { startFaultProxy } = await import('./fault-proxy.mjs')
const { EC2Client, CreateVpcCommand, CreateSubnetCommand, ModifyVpcAttributeCommand } =
  await import('@aws-sdk/client-ec2')
const { ECSClient, CreateClusterCommand } = await import('@aws-sdk/client-ecs')

const LATENCY_MS = 100
const moto = await startMoto()
const awsEnv = url => ({
  AWS_ENDPOINT_URL: url,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench'
})
try {
  const sdk = {
    region: 'us-east-1',
    endpoint: moto.url,
    credentials: { accessKeyId: 'b', secretAccessKey: 'b' }
  }
  const ec2 = new EC2Client(sdk)
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))
  await ec2.send(
    new ModifyVpcAttributeCommand({ VpcId: Vpc.VpcId, EnableDnsHostnames: { Value: true } })
  )
  await ec2.send(
    new CreateSubnetCommand({
      VpcId: Vpc.VpcId,
      CidrBlock: '10.0.1.0/24',
      AvailabilityZone: 'us-east-1a'
    })
  )
  await new ECSClient(sdk).send(new CreateClusterCommand({ clusterName: 'bench' }))
  await fetch(`${moto.url}/moto-api/state-manager/set-transition`, {
    method: 'POST',
    body: JSON.stringify({
      model_name: 'ecs::task',
      transition: { progression: 'manual', times: 50 }
    })
  })
  const ecsInputs = {
    INPUT_PLATFORM: 'ecs',
    INPUT_CLUSTER: 'bench',
    'INPUT_VPC-ID': Vpc.VpcId,
    'INPUT_CLOUDAEYE-ENDPOINT': 'https://metrics.example',
    'INPUT_CLOUDAEYE-API-KEY': 'k'
  }
  /** Waves: a new one starts when a request arrives after the previous wave's first answer. */
  const waves = arrivals => {
    let count = 0
    let waveStart = -Infinity
    for (const at of [...arrivals].sort((a, b) => a - b)) {
      if (at >= waveStart + LATENCY_MS) {
        count++
        waveStart = at
      }
    }
    return count
  }
  for (const [label, mode] of [
    ['fresh ECS deploy', 'deploy'],
    ['ECS re-run, nothing to change', 'deploy'],
    ['ECS plan, nothing to change', 'plan'],
    ['ECS remove', 'remove']
  ]) {
    const proxy = await startFaultProxy({ target: moto.url, latencyMs: LATENCY_MS })
    const started = process.hrtime.bigint()
    // Not spawnSync: the proxy answering the bundle runs in this process's event loop.
    await new Promise(resolve =>
      spawn(process.execPath, [bundle], {
        env: { PATH: process.env.PATH, ...awsEnv(proxy.url), ...ecsInputs, INPUT_MODE: mode },
        stdio: 'ignore'
      }).on('exit', resolve)
    )
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    await proxy.close()
    console.log(
      `${label.padEnd(30)} at +${LATENCY_MS} ms/request: ${proxy.stats.requests} calls in ` +
        `${waves(proxy.stats.arrivals)} waves, ${ms.toFixed(0)} ms`
    )
  }
} finally {
  await moto.stop()
}

// The JavaScript each path loads: the dist files a run resolved, recorded by a loader hook.
const { statSync } = await import('node:fs')
const { pathToFileURL, fileURLToPath } = await import('node:url')
const hook = pathToFileURL(path.join(projectRoot, '__tests__/support/module-log.mjs')).href
const loadedBytes = env => {
  const log = path.join(os.tmpdir(), `bench-modules-${process.pid}-${Math.random()}`)
  spawnSync(process.execPath, [bundle], {
    env: { PATH: process.env.PATH, NODE_OPTIONS: `--import=${hook}`, MODULE_LOG: log, ...env },
    stdio: 'ignore'
  })
  const files = new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))
  rmSync(log, { force: true })
  return [...files]
    .map(url => fileURLToPath(url))
    .filter(file => file.startsWith(path.join(projectRoot, 'dist')))
    .reduce((total, file) => total + statSync(file).size, 0)
}
const common = {
  INPUT_CLUSTER: 'c',
  'INPUT_AWS-REGION': 'us-east-1',
  'INPUT_CLOUDAEYE-ENDPOINT': 'https://metrics.example',
  'INPUT_CLOUDAEYE-API-KEY': 'k',
  // Nothing answers here: each run stops at its first AWS call, after loading its path.
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_ACCESS_KEY_ID: 'b',
  AWS_SECRET_ACCESS_KEY: 'b',
  AWS_MAX_ATTEMPTS: '1'
}
const kb = bytes => `${(bytes / 1024).toFixed(0)} KiB`
console.log(`JavaScript loaded, to an input error:        ${kb(loadedBytes({}))}`)
console.log(
  `JavaScript loaded, ECS path:                 ${kb(loadedBytes({ ...common, INPUT_PLATFORM: 'ecs', 'INPUT_VPC-ID': 'vpc-0123abcd' }))}`
)
console.log(
  `JavaScript loaded, EKS path:                 ${kb(loadedBytes({ ...common, INPUT_PLATFORM: 'eks' }))}`
)
console.log(
  `JavaScript loaded, EKS with cloud services:  ${kb(loadedBytes({ ...common, INPUT_PLATFORM: 'eks', 'INPUT_ENABLE-CLOUD-SERVICES': 'true' }))}`
)
