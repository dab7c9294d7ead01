/**
 * Starts and stops a real Kubernetes control plane on free loopback ports: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, and kwok, which plays the kubelet of every Node that
 * carries its annotation (a Node without it stays NotReady, like a sick node). Shared by the
 * tests' global set-up, the demo and the benchmark. The binaries come from scripts/setup-kube.sh.
 */
import { execFileSync, spawn } from 'node:child_process'
import { Buffer } from 'node:buffer'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort, projectRoot } from './moto-server.mjs'

/** The annotation kwok's nodes carry: kwok makes exactly these Ready and runs their pods. */
export const KWOK_ANNOTATION = 'kwok.x-k8s.io/node'

/** Builds the binaries when missing; returns their folder. */
export function installKube() {
  execFileSync('bash', [path.join(projectRoot, 'scripts/setup-kube.sh')], { stdio: 'inherit' })
  const cache = path.join(projectRoot, '.cache/kube')
  const [versions] = readdirSync(cache).filter(name => name.startsWith('k8s-'))
  return path.join(cache, versions, 'bin')
}

/** A kubeconfig (JSON, which kubeconfig readers accept) for one user of the plane. */
export function kubeconfigFor({ server, caData, user }) {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'plane', cluster: { server, 'certificate-authority-data': caData } }],
    users: [{ name: 'user', user }],
    contexts: [{ name: 'plane', context: { cluster: 'plane', user: 'user' } }],
    'current-context': 'plane'
  })
}

/**
 * @param {{ authenticationWebhook?: string, stageFiles?: string[], users?: { token: string, name: string, groups: string[] }[], auditLog?: boolean }} options
 *   `authenticationWebhook`: a kubeconfig file for kube-apiserver's webhook token authenticator.
 *   `stageFiles`: kwok Stage configurations; kwok's defaults when absent.
 *   `users`: more static bearer tokens, each for a user in those groups (beside the admin).
 *   `auditLog`: keep kube-apiserver's audit log, every request's metadata (its user, verb and URI
 *   with the `dryRun` query), one JSON event a line, at the returned plane's `auditLog`.
 */
export async function startKubePlane(options = {}) {
  const bin = installKube()
  // A free port can be taken by another process between the look and the bind: try new ones.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(bin, options)
    } catch (error) {
      if (attempt === 3 || !/address already in use/.test(String(error))) throw error
    }
  }
}

async function startOnce(bin, options) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kube-plane-'))
  const children = []
  const logs = new Map()
  // Each component logs to a file of its own, not to a pipe: a pipe that nobody reads while the
  // caller blocks (a synchronous child process, say) fills up and stalls the component.
  const run = (name, args) => {
    const logFile = path.join(dir, `${name}.log`)
    const log = openSync(logFile, 'a')
    const child = spawn(path.join(bin, name), args, { stdio: ['ignore', 'ignore', log] })
    closeSync(log)
    logs.set(name, () => readFileSync(logFile, 'utf8').slice(-6000))
    children.push({ name, child })
    return child
  }
  // A test plane keeps nothing worth a graceful shutdown, and kube-apiserver takes up to a minute
  // to stop gracefully once etcd is gone: every component is killed at once.
  const stop = async () => {
    await Promise.all(
      children.map(
        ({ child }) =>
          new Promise(resolve => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined)
            child.once('exit', () => resolve(undefined))
            child.kill('SIGKILL')
          })
      )
    )
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()]
    const etcdUrl = `http://127.0.0.1:${etcdPort}`
    const peerUrl = `http://127.0.0.1:${peerPort}`
    run('etcd', [
      '--name=plane',
      `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=plane=${peerUrl}`,
      // A test cluster lives for one run: durability buys nothing and costs every write a fsync.
      '--unsafe-no-fsync',
      '--log-level=warn'
    ])

    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const saKey = path.join(dir, 'sa.key')
    const saPub = path.join(dir, 'sa.pub')
    await writeFile(saKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
    await writeFile(saPub, publicKey.export({ type: 'spki', format: 'pem' }))
    const adminToken = `admin-${Math.random().toString(36).slice(2)}`
    const tokens = path.join(dir, 'tokens.csv')
    const users = [
      { token: adminToken, name: 'plane-admin', groups: ['system:masters'] },
      ...(options.users ?? [])
    ]
    const line = user => `${user.token},${user.name},${user.name},"${user.groups.join(',')}"`
    await writeFile(tokens, `${users.map(line).join('\n')}\n`, { mode: 0o600 })
    const certDir = path.join(dir, 'certs')
    const auditLog = path.join(dir, 'audit.log')
    const auditPolicy = path.join(dir, 'audit-policy.yaml')
    if (options.auditLog) {
      // Each request once, when its answer is complete, with metadata only (no bodies, no secrets).
      await writeFile(
        auditPolicy,
        [
          'apiVersion: audit.k8s.io/v1',
          'kind: Policy',
          'omitStages: ["RequestReceived"]',
          'rules:',
          '  - level: Metadata',
          ''
        ].join('\n')
      )
    }
    run('kube-apiserver', [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${certDir}`,
      `--token-auth-file=${tokens}`,
      ...(options.authenticationWebhook
        ? [
            `--authentication-token-webhook-config-file=${options.authenticationWebhook}`,
            // Every run's token must be checked afresh: the tests move the authenticator's clock.
            '--authentication-token-webhook-cache-ttl=0s'
          ]
        : []),
      ...(options.auditLog
        ? [`--audit-policy-file=${auditPolicy}`, `--audit-log-path=${auditLog}`]
        : []),
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--allow-privileged=true',
      '--enable-priority-and-fairness=false',
      '--profiling=false',
      '--v=0'
    ])
    const server = `https://127.0.0.1:${apiPort}`
    await waitFor(
      'kube-apiserver',
      async () => {
        const answer = await insecureGet(`${server}/readyz`, adminToken)
        return answer === 'ok'
      },
      children,
      logs
    )
    const chain = await readFile(path.join(certDir, 'apiserver.crt'), 'utf8')
    const caData = Buffer.from(chain).toString('base64')
    const adminKubeconfig = path.join(dir, 'admin.kubeconfig')
    await writeFile(
      adminKubeconfig,
      kubeconfigFor({ server, caData, user: { token: adminToken } }),
      { mode: 0o600 }
    )
    run('kube-controller-manager', [
      `--kubeconfig=${adminKubeconfig}`,
      '--leader-elect=false',
      `--service-account-private-key-file=${saKey}`,
      '--use-service-account-credentials=false',
      // Fake nodes have no kubelet to evict pods or to route; these controllers only add noise.
      '--controllers=*,-nodeipam,-service-lb-controller,-cloud-node-lifecycle,-route',
      // Its default 20 requests a second untaints new nodes at about 10 a second: slow for 300.
      '--kube-api-qps=200',
      '--kube-api-burst=400',
      '--bind-address=127.0.0.1',
      '--secure-port=0',
      '--v=0'
    ])
    run('kube-scheduler', [
      `--kubeconfig=${adminKubeconfig}`,
      '--kube-api-qps=200',
      '--kube-api-burst=400',
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      '--secure-port=0',
      '--v=0'
    ])
    run('kwok', [
      `--kubeconfig=${adminKubeconfig}`,
      '--manage-all-nodes=false',
      `--manage-nodes-with-annotation-selector=${KWOK_ANNOTATION}=fake`,
      '--node-lease-duration-seconds=40',
      ...(options.stageFiles ?? []).map(file => `--config=${file}`),
      '--v=WARN'
    ])
    return {
      server,
      caData,
      adminToken,
      adminKubeconfig,
      dir,
      bin,
      ...(options.auditLog ? { auditLog } : {}),
      logs: () => Object.fromEntries([...logs].map(([name, tail]) => [name, tail()])),
      stop
    }
  } catch (error) {
    await stop()
    throw error
  }
}

/** A GET that trusts the plane's self-signed certificate, for the readiness probe only. */
async function insecureGet(url, token) {
  const { request } = await import('node:https')
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { rejectUnauthorized: false, headers: { Authorization: `Bearer ${token}` } },
      response => {
        let body = ''
        response.on('data', chunk => (body += chunk))
        response.on('end', () => resolve(body))
      }
    )
    req.on('error', reject)
    req.end()
  })
}

/** Polls `ready` until it holds, failing with the component's log when a component exits. */
async function waitFor(what, ready, children, logs, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const dead = children.find(({ child }) => child.exitCode !== null)
    if (dead) throw new Error(`${dead.name} exited: ${logs.get(dead.name)()}`)
    if (await ready().catch(() => false)) return
    if (Date.now() > deadline) {
      throw new Error(`${what} was not ready within ${timeoutMs / 1000} s: ${logs.get(what)?.()}`)
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}

/**
 * Adds Node objects to the plane and waits until the kwok ones are Ready. A node without
 * `kwok: true` gets no kubelet and stays NotReady, like a sick node.
 * @param {{ dir: string, adminKubeconfig: string }} plane
 * @param {{ name: string, labels?: Record<string, string>, kwok?: boolean }[]} nodes
 */
export async function addNodes(plane, nodes) {
  if (nodes.length === 0) return
  const items = nodes.map(node => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': node.name, ...node.labels },
      annotations: node.kwok === false ? {} : { [KWOK_ANNOTATION]: 'fake' }
    }
  }))
  const file = path.join(plane.dir, `nodes-${nodes[0].name}.json`)
  await writeFile(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }))
  const kubectl = args =>
    execFileSync('kubectl', ['--kubeconfig', plane.adminKubeconfig, ...args], { stdio: 'pipe' })
  kubectl(['apply', '-f', file])
  const ready = nodes.filter(node => node.kwok !== false).map(node => `node/${node.name}`)
  if (ready.length) kubectl(['wait', '--for=condition=Ready', '--timeout=300s', ...ready])
}
