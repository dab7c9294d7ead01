/**
 * The real helm binaries (3 and 4) reach a local TLS "API server" through a kubeconfig from
 * writeKubeconfig, and present exactly the token createEksToken made. helm sends a bearer token only
 * over HTTPS, so the server has a self-signed certificate for 127.0.0.1, trusted through the
 * kubeconfig's certificate-authority-data.
 */
import { execFile, execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { writeKubeconfig } from '../../src/eks/kubeconfig.js'
import { createEksToken } from '../../src/eks/token.js'
import { REAL_HELM_3, REAL_HELM_4 } from '../support/real-helm.js'

const helms = { 'helm 3': REAL_HELM_3, 'helm 4': REAL_HELM_4 }
const run = promisify(execFile)

let work: string
let server: Server
let endpoint: string
let caData: string
let authorizations: string[]
let answerUnauthorized: boolean

const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) })

/** Just enough of the Kubernetes API for `helm list`: the version, then the release secrets. */
function kubernetesAnswer(url: string) {
  if (answerUnauthorized) {
    return json(401, {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Unauthorized',
      code: 401
    })
  }
  if (url === '/version') return json(200, { major: '1', minor: '33', gitVersion: 'v1.33.0' })
  if (url.startsWith('/api/v1/namespaces/default/secrets?')) {
    return json(200, {
      kind: 'SecretList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '1' },
      items: []
    })
  }
  return json(404, {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    reason: 'NotFound',
    code: 404
  })
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'eks-token-https-'))
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1'
    ],
    { cwd: work, stdio: 'ignore' }
  )
  const cert = await readFile(path.join(work, 'cert.pem'))
  caData = cert.toString('base64')
  server = createServer(
    { key: await readFile(path.join(work, 'key.pem')), cert },
    (request, response) => {
      authorizations.push(request.headers.authorization ?? '(none)')
      const answer = kubernetesAnswer(request.url ?? '')
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body)
    }
  )
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise(resolve => server.close(resolve))
  await rm(work, { recursive: true, force: true })
})

beforeEach(() => {
  authorizations = []
  answerUnauthorized = false
})

/** helm with its state under the test's directory and no proxy or ambient kubeconfig in the way. */
function helmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: work,
    NO_PROXY: '127.0.0.1',
    no_proxy: '127.0.0.1'
  }
  for (const name of ['KUBECONFIG', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'])
    delete env[name]
  for (const name of ['HELM_CONFIG_HOME', 'HELM_CACHE_HOME', 'HELM_DATA_HOME'])
    env[name] = path.join(work, 'helm')
  return env
}

async function kubeconfigFor(clusterName: string) {
  const { token } = await createEksToken({
    clusterName,
    region: 'us-east-1',
    credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'dummy-secret-key' })
  })
  const kubeconfig = await writeKubeconfig({
    clusterName,
    endpoint,
    certificateAuthorityData: caData,
    user: { token },
    directory: work
  })
  return { token, kubeconfig }
}

describe.each(Object.entries(helms))('%s', (_name, helm) => {
  it('sends exactly the EKS token as its bearer credential', async () => {
    const { token, kubeconfig } = await kubeconfigFor('prod-cluster')
    try {
      const { stdout } = await run(helm, ['list', '--kubeconfig', kubeconfig.path], {
        env: helmEnv()
      })
      expect(stdout).toMatch(/^NAME\s+NAMESPACE/)
    } finally {
      await kubeconfig.remove()
    }
    expect(authorizations.length).toBeGreaterThan(0)
    expect(new Set(authorizations)).toEqual(new Set([`Bearer ${token}`]))
  })

  // This wording is what an EKS cluster's 401 (no access entry for the principal) looks like to helm.
  it('says the server asked for credentials when the cluster refuses the token', async () => {
    answerUnauthorized = true
    const { token, kubeconfig } = await kubeconfigFor('locked-cluster')
    try {
      await expect(
        run(helm, ['list', '--kubeconfig', kubeconfig.path], { env: helmEnv() })
      ).rejects.toMatchObject({
        stderr: expect.stringContaining(
          'the server has asked for the client to provide credentials'
        )
      })
    } finally {
      await kubeconfig.remove()
    }
    expect(authorizations[0]).toBe(`Bearer ${token}`)
  })
})
