/**
 * The CI job that runs the action with `uses: ./` (.github/workflows/ci.yml, job `action`) needs
 * an AWS and an EKS cluster that outlive the step starting them. This script gives it the demo's
 * (demo-fixture.mjs): moto seeded with a VPC and an ECS cluster, and a Kubernetes control plane
 * with kwok nodes.
 *
 *   node scripts/workflow-fixture.mjs start   installs what is missing, starts both in a detached
 *       process, waits until it reports them ready, and hands them to the later steps: the
 *       endpoint, region and dummy keys in $GITHUB_ENV, helm 4 in $GITHUB_PATH, and the outputs
 *       `vpc-id`, `kubeconfig` and `cluster` in $GITHUB_OUTPUT.
 *   node scripts/workflow-fixture.mjs stop    asks that process to stop both, and waits until it has.
 *
 * The detached process keeps its state in $RUNNER_TEMP/workflow-fixture (.cache/workflow-fixture
 * outside a runner): state.json, and daemon.log with its own output.
 */
import { execFileSync, spawn } from 'node:child_process'
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { createServer, request } from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  CLUSTER,
  DUMMY_CREDENTIALS,
  HELM_DIRECTORY,
  REGION,
  seedEcs,
  startDemoPlane
} from './demo-fixture.mjs'
import { installKube } from './kube-plane.mjs'
import { installMoto, projectRoot, startMoto } from './moto-server.mjs'

const stateDir = path.join(
  process.env.RUNNER_TEMP || path.join(projectRoot, '.cache'),
  'workflow-fixture'
)
const stateFile = path.join(stateDir, 'state.json')
const logFile = path.join(stateDir, 'daemon.log')
/** A cold build of the control plane is done before the wait; this only bounds a stuck start. */
const START_TIMEOUT_MS = 5 * 60_000

/**
 * @typedef {{ pid: number, control: string, awsEndpoint: string, vpcId: string,
 *   kubeconfig: string, kubeServer: string }} FixtureState
 */

const logTail = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '')

/** `name=value` lines for one of the runner's command files, or printed outside a runner. */
function writeCommandFile(variable, lines) {
  const file = process.env[variable]
  if (file) appendFileSync(file, lines.map(line => `${line}\n`).join(''))
  else for (const line of lines) console.log(`${variable}: ${line}`)
}

async function start() {
  if (existsSync(stateFile)) {
    throw new Error(`a fixture already runs (${stateFile}); stop it first`)
  }
  // In the foreground, so that the step's log shows a download or a cold build of the tools.
  installMoto()
  execFileSync('bash', [path.join(projectRoot, 'scripts/fetch-helm.sh')], { stdio: 'inherit' })
  installKube()

  mkdirSync(stateDir, { recursive: true })
  const log = openSync(logFile, 'w')
  const daemon = spawn(process.execPath, [fileURLToPath(import.meta.url), 'serve'], {
    cwd: projectRoot,
    detached: true,
    stdio: ['ignore', log, log, 'ipc']
  })
  closeSync(log)
  /** @type {FixtureState} */
  const state = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      daemon.kill('SIGTERM')
      reject(new Error(`not ready within ${START_TIMEOUT_MS / 1000} s`))
    }, START_TIMEOUT_MS)
    daemon.once('message', message => {
      clearTimeout(timer)
      if (message.ready) resolve(message.state)
      else reject(new Error(message.error))
    })
    daemon.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`the fixture process ended (${signal ?? `exit code ${code}`})`))
    })
  }).catch(error => {
    throw new Error(`${error.message}\n--- ${logFile} ---\n${logTail()}`)
  })
  // Let go of it: it lives on after this step, until `stop`.
  daemon.removeAllListeners('exit')
  daemon.disconnect()
  daemon.unref()

  writeCommandFile('GITHUB_ENV', [
    `AWS_ENDPOINT_URL=${state.awsEndpoint}`,
    `AWS_REGION=${REGION}`,
    // The emulator accepts any key; these are placeholders, not secrets.
    `AWS_ACCESS_KEY_ID=${DUMMY_CREDENTIALS.accessKeyId}`,
    `AWS_SECRET_ACCESS_KEY=${DUMMY_CREDENTIALS.secretAccessKey}`
  ])
  writeCommandFile('GITHUB_PATH', [HELM_DIRECTORY])
  writeCommandFile('GITHUB_OUTPUT', [
    `vpc-id=${state.vpcId}`,
    `kubeconfig=${state.kubeconfig}`,
    `cluster=${CLUSTER}`
  ])
  console.log(
    `Emulated AWS (moto) on ${state.awsEndpoint}, VPC ${state.vpcId}, ECS cluster ${CLUSTER}`
  )
  console.log(`Kubernetes control plane on ${state.kubeServer} (process ${state.pid})`)
}

/** The detached process: starts both, reports over IPC, and stops both when asked. */
async function serve() {
  let moto
  let plane
  let stopping
  // Once, whichever asks first: the `stop` request, a signal, or a failed start.
  const stopAll = () =>
    (stopping ??= Promise.allSettled([plane?.stop(), moto?.stop()]).then(() =>
      rmSync(stateFile, { force: true })
    ))
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => stopAll().then(() => process.exit(0)))
  }
  try {
    moto = await startMoto()
    const vpcId = await seedEcs(moto.url)
    plane = await startDemoPlane()
    const control = createServer((req, res) => {
      if (req.method !== 'POST' || req.url !== '/stop') {
        res.writeHead(404).end()
        return
      }
      // Answered once everything is down, so that `stop` returns only then.
      stopAll().then(() => {
        console.log('stopped')
        res.writeHead(200).end('stopped\n', () => process.exit(0))
      })
    })
    await new Promise(resolve => control.listen(0, '127.0.0.1', resolve))
    /** @type {FixtureState} */
    const state = {
      pid: process.pid,
      control: `http://127.0.0.1:${control.address().port}/stop`,
      awsEndpoint: moto.url,
      vpcId,
      kubeconfig: plane.adminKubeconfig,
      kubeServer: plane.server
    }
    writeFileSync(stateFile, JSON.stringify(state, null, 2))
    console.log(`ready: ${JSON.stringify(state)}`)
    process.send({ ready: true, state })
  } catch (error) {
    console.error(error)
    await stopAll()
    process.send?.({ ready: false, error: String(error?.message ?? error) })
    process.exit(1)
  }
}

async function stop() {
  if (!existsSync(stateFile)) {
    console.log('No fixture runs: nothing to stop.')
    return
  }
  /** @type {FixtureState} */
  const state = JSON.parse(readFileSync(stateFile, 'utf8'))
  const answer = await new Promise((resolve, reject) => {
    const req = request(state.control, { method: 'POST' }, res => {
      let body = ''
      res.on('data', chunk => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode, body }))
    })
    req.on('error', reject)
    req.end()
  }).catch(error => {
    throw new Error(
      `the fixture process (${state.pid}) did not answer: ${error.message}\n--- ${logFile} ---\n${logTail()}`
    )
  })
  if (answer.status !== 200) throw new Error(`stop answered ${answer.status}: ${answer.body}`)
  console.log(`Stopped the emulator and the control plane (process ${state.pid}).`)
  rmSync(stateDir, { recursive: true, force: true })
}

const commands = { start, stop, serve }
const command = commands[process.argv[2]]
if (!command) {
  console.error('usage: node scripts/workflow-fixture.mjs start|stop')
  process.exit(2)
}
try {
  await command()
} catch (error) {
  console.error(`workflow-fixture ${process.argv[2]}: ${error.message}`)
  process.exit(1)
}
