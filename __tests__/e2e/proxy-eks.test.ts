/**
 * The bundle on the EKS path behind a corporate proxy, run as the runner runs it. The proxy
 * (support/forward-proxy.ts) records every request it carries, and it alone resolves the names
 * `kubernetes.default.svc` (the API server, whose certificate names it) and `helm-mirror.test`
 * (a helm mirror with a certificate of a test CA): a client that went around the proxy could not
 * have reached them, so a successful run proves that helm, the rollout watch and the helm download
 * all took the proxy, and the proxy's record says how often. The AWS calls go to the emulator
 * (plain http, loopback) as absolute-URI requests through the proxy. Keyless identity (web
 * identity, as configure-aws-credentials or an EKS pod provides it) exchanges its token with an STS
 * that only the proxy can resolve.
 */
import { execFile, execFileSync } from 'node:child_process'
import { lookup } from 'node:dns/promises'
import { writeFileSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer as createHttpsServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { helmReleases } from '../support/agent-in-cluster.js'
import { actionsCalled } from '../support/aws-actions.js'
import { BUNDLE, errorLines, runBundle, type BundleResult } from '../support/bundle.js'
import { startEksEndpointProxy, type EksEndpointProxy } from '../support/eks-endpoint-proxy.mjs'
import { startEksTestCluster, type EksTestCluster } from '../support/eks-test-cluster.js'
import { startForwardProxy, type ForwardProxy } from '../support/forward-proxy.js'
import { nodeSpecs } from '../support/kube-nodes.js'
import {
  REGION,
  createCluster,
  createNetwork,
  holdTaskStates,
  motoUrl,
  resetMoto,
  useMotoEnvironment
} from '../support/moto.js'
import { helmArchiveName, packHelmArchive, sha256sumFile } from '../support/helm-archive.js'
import { REAL_HELM_3, REAL_HELM_4 } from '../support/real-helm.js'
import { RecordingHelm } from '../support/recording-helm.js'
import { exposedSecrets } from '../support/secret-exposure.js'

const API_KEY = 'cak_proxy_eks_secret_47c1e09b'
const CLUSTER = 'proxied'
const NODES = nodeSpecs('healthy', 'healthy', 2)
/** A name in the API server's certificate that this machine cannot resolve. */
const KUBE_HOST = 'kubernetes.default.svc'
const MIRROR_HOST = 'helm-mirror.test'
/** The emulator under a name only the proxy resolves, for the runs made without the policy check. */
const AWS_HOST = 'aws.test'
const HELM_3 = '3.17.2'

let cluster: EksTestCluster
/** DescribeCluster answering the API server as https://kubernetes.default.svc:<port>. */
let hiddenEndpoint: EksEndpointProxy
let planePort: string
let proxy: ForwardProxy
let helm: RecordingHelm
let runnerTemp: string
let helmHome: string
let work: string
let mirror: Server
let mirrorPort: number
let mirrorRequests: string[]
let caFile: string

function inputs(namespace: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    platform: 'eks',
    cluster: CLUSTER,
    namespace,
    'agent-name': `agent-${namespace}`,
    'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
    'cloudaeye-api-key': API_KEY,
    services: 'orders',
    ...overrides
  }
}

/** The cluster's environment, the recording helm first on PATH, helm's state out of HOME. */
function environment(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ...cluster.environment(),
    ...helm.environment(helmHome),
    HTTPS_PROXY: proxy.url,
    HTTP_PROXY: proxy.url,
    ...overrides
  }
}

/** The AWS calls the run made, from its debug log: one per command, before any retry. */
const awsCalls = (result: BundleResult) => actionsCalled(result.stdout)

const tunnels = () => proxy.log.filter(entry => entry.method === 'CONNECT')
const plainRequests = () => proxy.log.filter(entry => entry.method !== 'CONNECT')

/** The cluster block of the kubeconfig helm was given for its upgrade. */
async function kubeconfigCluster(): Promise<Record<string, string>> {
  const upgrade = (await helm.calls()).find(call => call.command === 'upgrade')
  const text = await readFile(upgrade!.kubeconfig!.copy, 'utf8')
  return (JSON.parse(text) as { clusters: { cluster: Record<string, string> }[] }).clusters[0]
    .cluster
}

/** Whether this machine resolves `host` by itself. */
const resolves = (host: string) =>
  lookup(host).then(
    () => true,
    () => false
  )

beforeAll(async () => {
  useMotoEnvironment()
  cluster = await startEksTestCluster({ name: CLUSTER, nodes: NODES })
  planePort = new URL(cluster.plane.server).port
  hiddenEndpoint = await startEksEndpointProxy({
    target: motoUrl(),
    clusterName: CLUSTER,
    endpoint: `https://${KUBE_HOST}:${planePort}`,
    caData: cluster.plane.caData
  })
  work = await mkdtemp(path.join(os.tmpdir(), 'proxy-eks-'))
  const tls = makeCertificate(work, MIRROR_HOST)
  caFile = tls.caFile
  await startMirror(tls)
}, 120_000)

afterAll(async () => {
  await new Promise(resolve => mirror?.close(resolve))
  await hiddenEndpoint?.close()
  await cluster?.stop()
  await rm(work, { recursive: true, force: true })
})

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await cluster.register()
  runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'proxy-eks-runner-temp-'))
  helmHome = await mkdtemp(path.join(os.tmpdir(), 'proxy-eks-helm-home-'))
  helm = await RecordingHelm.create(REAL_HELM_4)
  proxy = await startForwardProxy({
    hosts: { [KUBE_HOST]: '127.0.0.1', [MIRROR_HOST]: '127.0.0.1', [AWS_HOST]: '127.0.0.1' }
  })
  mirrorRequests = []
})

afterEach(async () => {
  await proxy.close()
  await helm.remove()
  await rm(runnerTemp, { recursive: true, force: true })
  await rm(helmHome, { recursive: true, force: true })
})

describe('an EKS deploy behind a proxy', () => {
  it('reaches AWS and an API server only the proxy resolves, from helm and from the rollout watch', async () => {
    expect(await resolves(KUBE_HOST)).toBe(false)
    const result = await runBundle(
      inputs('hidden'),
      environment({ AWS_ENDPOINT_URL_EKS: hiddenEndpoint.url }),
      { runnerTemp }
    )

    expect(errorLines(result)).toEqual([])
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    // The rollout watch saw the pods: it reached the API server, which only the proxy can.
    expect(result.summary).toContain(
      `Agent ready on ${NODES.length}/${NODES.length} eligible nodes`
    )
    const [release] = await helmReleases(cluster.adminKubeconfig, 'hidden')
    expect(release).toMatchObject({ name: 'agent-hidden', status: 'deployed' })

    const kubeconfig = await kubeconfigCluster()
    expect(kubeconfig.server).toBe(`https://${KUBE_HOST}:${planePort}`)
    expect(kubeconfig['proxy-url']).toBe(proxy.url)

    // Every tunnel went to the API server; helm and the action's own client each opened some.
    const kube = `${KUBE_HOST}:${planePort}`
    expect(tunnels().map(entry => entry.target)).toEqual(tunnels().map(() => kube))
    expect(clientsOf(tunnels())).toEqual({ helm: expect.any(Number), action: expect.any(Number) })

    // Every AWS call was an absolute-URI request through the proxy, and nothing else was.
    const calls = awsCalls(result)
    expect(calls).toContain('eks:DescribeCluster')
    expect(plainRequests()).toHaveLength(calls.length)
    expect(plainRequests().every(entry => /^127\.0\.0\.1:\d+$/.test(entry.target))).toBe(true)
    expect(exposedSecrets([result], [API_KEY], await helm.calls())).toEqual([])
  })

  it('downloads helm through the proxy from a mirror only the proxy resolves, then deploys with it', async () => {
    expect(await resolves(MIRROR_HOST)).toBe(false)
    const toolCache = await mkdtemp(path.join(work, 'tool-cache-'))
    const result = await runBundle(
      inputs('download', {
        'helm-version': HELM_3,
        'helm-download-base-url': `https://${MIRROR_HOST}:${mirrorPort}/helm`
      }),
      environment({
        AWS_ENDPOINT_URL_EKS: hiddenEndpoint.url,
        // No helm on PATH: the action must install one.
        PATH: '/usr/bin:/bin',
        RUNNER_TOOL_CACHE: toolCache,
        // The mirror's certificate is of a private CA, as a company's mirror's often is.
        NODE_EXTRA_CA_CERTS: caFile
      }),
      { runnerTemp }
    )

    expect(errorLines(result)).toEqual([])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(`Using helm ${HELM_3} from a verified download`)
    const archive = `/helm/helm-v${HELM_3}-linux-amd64.tar.gz`
    expect(mirrorRequests.sort()).toEqual([archive, `${archive}.sha256sum`])
    const mirrorTunnels = proxy.count(`${MIRROR_HOST}:${mirrorPort}`, 'CONNECT')
    expect(mirrorTunnels).toBeGreaterThan(0)
    // helm 3 takes the kubeconfig's proxy-url too.
    expect(proxy.count(`${KUBE_HOST}:${planePort}`, 'CONNECT')).toBeGreaterThan(0)
    expect(tunnels()).toHaveLength(
      mirrorTunnels + proxy.count(`${KUBE_HOST}:${planePort}`, 'CONNECT')
    )
    expect(plainRequests()).toHaveLength(awsCalls(result).length)
    const [release] = await helmReleases(cluster.adminKubeconfig, 'download')
    expect(release).toMatchObject({ name: 'agent-download', status: 'deployed' })
  }, 120_000)

  it('takes the proxy to a loopback API server too, as the kubeconfig names it', async () => {
    const result = await runBundle(inputs('loopback'), environment(), { runnerTemp })

    expect(errorLines(result)).toEqual([])
    expect(result.exitCode).toBe(0)
    expect((await kubeconfigCluster())['proxy-url']).toBe(proxy.url)
    // Go leaves loopback out of HTTPS_PROXY, but not out of a kubeconfig's proxy-url.
    const kube = `127.0.0.1:${planePort}`
    expect(tunnels().every(entry => entry.target === kube)).toBe(true)
    expect(clientsOf(tunnels())).toEqual({
      helm: expect.any(Number),
      action: expect.any(Number)
    })
    expect(plainRequests()).toHaveLength(awsCalls(result).length)
  })

  it('reaches an API server in NO_PROXY directly, while the AWS calls still take the proxy', async () => {
    const result = await runBundle(
      inputs('direct'),
      environment({ NO_PROXY: `metrics.cloudaeye.example,127.0.0.1:${planePort}` }),
      { runnerTemp }
    )

    expect(errorLines(result)).toEqual([])
    expect(result.exitCode).toBe(0)
    // helm and the action's client follow the kubeconfig: with a proxy-url they would tunnel, as
    // the test above shows for the same endpoint.
    expect(await kubeconfigCluster()).not.toHaveProperty('proxy-url')
    expect(proxy.count(`127.0.0.1:${planePort}`)).toBe(0)
    expect(tunnels()).toEqual([])
    const calls = awsCalls(result)
    expect(calls).toContain('eks:DescribeCluster')
    expect(plainRequests()).toHaveLength(calls.length)
  })
})

describe('keyless identity (web identity) behind a proxy', () => {
  let tokenFile: string
  const ROLE = 'arn:aws:iam::123456789012:role/deployer-oidc'

  beforeEach(async () => {
    tokenFile = path.join(runnerTemp, 'web-identity-token')
    await writeFile(tokenFile, 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm9yZy9hcHAifQ.c2lnbmF0dXJl')
  })

  /**
   * What a runner with keyless identity has: a token file and a role, no key; every AWS endpoint
   * under a name only the proxy resolves.
   */
  function keyless(): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '',
      HOME: runnerTemp,
      AWS_REGION: REGION,
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_ROLE_ARN: ROLE,
      AWS_ROLE_SESSION_NAME: 'proxied-run',
      AWS_ENDPOINT_URL: motoUrl().replace('127.0.0.1', AWS_HOST),
      HTTPS_PROXY: proxy.url,
      HTTP_PROXY: proxy.url
    }
  }

  it('the credential plugin helm runs exchanges the token through the proxy', async () => {
    expect(await resolves(AWS_HOST)).toBe(false)
    const { code, stdout, stderr } = await runNode(
      [BUNDLE, 'eks-token', CLUSTER, REGION],
      keyless()
    )

    expect(stderr).toBe('')
    expect(code).toBe(0)
    const credential = JSON.parse(stdout) as { kind: string; status: { token: string } }
    expect(credential.kind).toBe('ExecCredential')
    expect(credential.status.token.startsWith('k8s-aws-v1.')).toBe(true)
    // The token is a presigned URL, signed with the role's session: nothing else was sent.
    const emulator = `${AWS_HOST}:${new URL(motoUrl()).port}`
    expect(proxy.log.map(entry => `${entry.target} ${entry.awsAction}`)).toEqual([
      `${emulator} AssumeRoleWithWebIdentity`
    ])
  })

  it("an ECS deploy's own clients exchange the token through the proxy", async () => {
    const network = await createNetwork()
    await createCluster('keyless')
    await holdTaskStates()
    // Without the policy check: it would put the endpoint behind a recorder on loopback, which a
    // client could reach around the proxy, and the token exchange is the role trust's to allow.
    const result = await runBundle(
      {
        platform: 'ecs',
        cluster: 'keyless',
        'vpc-id': network.vpcId,
        'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
        'cloudaeye-api-key': API_KEY,
        wait: 'false'
      },
      keyless(),
      { runnerTemp, checkPolicies: false }
    )

    expect(errorLines(result)).toEqual([])
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    const emulator = `${AWS_HOST}:${new URL(motoUrl()).port}`
    expect(proxy.log.every(entry => entry.target === emulator)).toBe(true)
    const exchanges = proxy.log.filter(entry => entry.awsAction === 'AssumeRoleWithWebIdentity')
    expect(exchanges.length).toBeGreaterThan(0)
    const calls = awsCalls(result)
    expect(calls).toContain('ecs:RunTask')
    expect(proxy.log).toHaveLength(calls.length + exchanges.length)
  })
})

/**
 * Which client opened each tunnel: helm's Go client says `Go-http-client/1.1` on its CONNECT, the
 * action's own Kubernetes client (Node: namespace, rollout watch) sends no User-Agent there.
 */
function clientsOf(entries: { userAgent?: string }[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const { userAgent } of entries) {
    const client =
      userAgent === undefined
        ? 'action'
        : /^Go-http-client\//.test(userAgent)
          ? 'helm'
          : `other (${userAgent})`
    counts[client] = (counts[client] ?? 0) + 1
  }
  return counts
}

function runNode(
  args: string[],
  env: Record<string, string>
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(resolve =>
    execFile(process.execPath, args, { env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr })
    )
  )
}

/** A test CA and a certificate for `host` signed by it, made with openssl. */
function makeCertificate(dir: string, host: string) {
  const file = (name: string) => path.join(dir, name)
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' })
  const key = ['-newkey', 'rsa:2048', '-nodes']
  openssl(
    'req',
    '-x509',
    ...key,
    '-days',
    '1',
    '-subj',
    '/CN=Proxy test CA',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt')
  )
  openssl(
    'req',
    ...key,
    '-subj',
    `/CN=${host}`,
    '-keyout',
    file('mirror.key'),
    '-out',
    file('mirror.csr')
  )
  writeFileSync(file('san.ext'), `subjectAltName=DNS:${host}\n`)
  openssl(
    'x509',
    '-req',
    '-in',
    file('mirror.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    file('san.ext'),
    '-out',
    file('mirror.crt')
  )
  return { caFile: file('ca.crt'), cert: file('mirror.crt'), key: file('mirror.key') }
}

/**
 * The helm mirror: helm 3's real binary in an archive laid out as get.helm.sh lays it out, and its
 * checksum file, over https with the test CA's certificate.
 */
async function startMirror(tls: { cert: string; key: string }) {
  const platformDir = 'linux-amd64'
  const archive = await packHelmArchive(REAL_HELM_3, platformDir, 'tar.gz', work)
  const name = helmArchiveName(HELM_3, platformDir)
  const served = new Map<string, Buffer | string>([
    [`/helm/${name}`, archive],
    [`/helm/${name}.sha256sum`, sha256sumFile(archive, name)]
  ])
  mirror = createHttpsServer(
    { cert: await readFile(tls.cert), key: await readFile(tls.key) },
    (request, response) => {
      mirrorRequests.push(request.url ?? '')
      const body = served.get(request.url ?? '')
      if (body === undefined) response.writeHead(404).end('not found')
      else response.writeHead(200).end(body)
    }
  )
  await new Promise<void>(ready => mirror.listen(0, '127.0.0.1', ready))
  mirrorPort = (mirror.address() as AddressInfo).port
}
