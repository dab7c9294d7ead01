/**
 * A test stand-in for the EKS authenticator (aws-iam-authenticator's server side), so that a real
 * kube-apiserver authenticates the action's in-process EKS token as EKS would: kube-apiserver sends
 * each bearer token here as a TokenReview (--authentication-token-webhook-config-file), and this
 * server checks the presigned STS GetCallerIdentity URL inside it the way the authenticator does,
 * checks its SigV4 signature the way STS does (over the `x-k8s-aws-id` header naming THIS cluster),
 * asks the emulator who signed it, and maps that ARN to a Kubernetes user as EKS access entries do.
 *
 * Plain ESM so the jest global set-up could import it; the types are in eks-authenticator.d.mts.
 * Tokens are never logged or kept: a review records only its outcome.
 */
import { Buffer } from 'node:buffer'
import { timingSafeEqual } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { Sha256 } from '@aws-crypto/sha256-js'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'

const TOKEN_PREFIX = 'k8s-aws-v1.'
const MAX_TOKEN_LENGTH = 4096
const CLUSTER_ID_HEADER = 'x-k8s-aws-id'
/** STS honours a presigned GetCallerIdentity URL for 15 minutes after X-Amz-Date, whatever X-Amz-Expires says. */
const PRESIGNED_URL_LIFETIME_MS = 15 * 60_000
const ALLOWED_PARAMETERS = new Set([
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders'
])
/** The parameters the signer writes itself; the rest of the query is signed as it came. */
const SIGNER_PARAMETERS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-Security-Token',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature'
]
const PARTITIONS = {
  aws: { domain: 'amazonaws.com', dualStack: 'api.aws' },
  'aws-cn': { domain: 'amazonaws.com.cn', dualStack: 'api.amazonwebservices.com.cn' },
  'aws-us-gov': { domain: 'amazonaws.com', dualStack: 'api.aws' }
}

/** A refusal whose message becomes the TokenReview's status.error. */
class Rejection extends Error {}
const reject = message => {
  throw new Rejection(message)
}

/**
 * @typedef {{ accessKeyId: string, secretAccessKey: string, sessionToken?: string }} TrustedCredentials
 * @typedef {{ username?: string, groups?: string[] }} AccessEntry
 * @typedef {{ apiVersion: string, authenticated: boolean, username?: string, uid?: string,
 *   groups?: string[], arn?: string, reason?: string }} Review
 */

/**
 * @param {{ clusterName: string, region: string, stsTarget: string,
 *   credentials: TrustedCredentials | TrustedCredentials[], accessEntries: Record<string, AccessEntry> }} options
 *   `stsTarget`: the emulator's URL, asked GetCallerIdentity in place of STS.
 *   `credentials`: the keys STS would know; a token signed with any other key is refused.
 *   `accessEntries`: principal ARN (IAM user or role) to Kubernetes user, as EKS access entries.
 */
export async function startEksAuthenticator(options) {
  const { clusterName, region, stsTarget, accessEntries } = options
  const credentials = [options.credentials].flat()
  const partition = region.startsWith('cn-')
    ? 'aws-cn'
    : region.startsWith('us-gov-')
      ? 'aws-us-gov'
      : 'aws'
  let clockOffsetMs = 0
  /** Tokens signed before this moment (ms) count as past their 15 minutes. */
  let notSignedBefore = 0
  /** The signing time of the newest token seen. */
  let newestSigning = 0
  /** @type {Review[]} */
  const reviews = []

  /** @param {string} token */
  const authenticate = async token => {
    const request = parseToken(token, partition, Date.now() + clockOffsetMs)
    if (request.signedAt < notSignedBefore) {
      reject('expired: signed no later than the tokens the test made expire')
    }
    newestSigning = Math.max(newestSigning, request.signedAt)
    const signer = credentials.find(key => key.accessKeyId === request.accessKeyId)
    if (!signer) reject('InvalidClientTokenId: the access key is not known to STS')
    await verifySignature(request, signer, clusterName)
    const identity = await callerIdentity(stsTarget, signer, request.region)
    const principal = canonicalArn(identity.arn)
    const entry = accessEntries[principal]
    if (!entry) reject(`no access entry for ${principal}`)
    return {
      arn: identity.arn,
      username: (entry.username ?? defaultUsername(identity.arn, principal)).replaceAll(
        '{{SessionName}}',
        identity.sessionName
      ),
      uid: `aws-iam-authenticator:${identity.account}:${identity.userId}`,
      groups: entry.groups ?? []
    }
  }

  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', chunk => (body += chunk))
    req.on('end', async () => {
      /** @type {{ apiVersion?: string, kind?: string, spec?: { token?: string } }} */
      let review
      try {
        review = JSON.parse(body)
      } catch {
        review = {}
      }
      const versions = ['authentication.k8s.io/v1', 'authentication.k8s.io/v1beta1']
      if (
        req.method !== 'POST' ||
        review.kind !== 'TokenReview' ||
        !versions.includes(review.apiVersion)
      ) {
        res.writeHead(400, { 'Content-Type': 'text/plain' }).end('expected a TokenReview')
        return
      }
      const answer = (status, record) => {
        reviews.push({ apiVersion: review.apiVersion, ...record })
        res.writeHead(200, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify({ apiVersion: review.apiVersion, kind: 'TokenReview', status }))
      }
      try {
        const { arn, username, uid, groups } = await authenticate(String(review.spec?.token ?? ''))
        answer(
          { authenticated: true, user: { username, uid, groups, extra: { arn: [arn] } } },
          { authenticated: true, username, uid, groups, arn }
        )
      } catch (error) {
        const reason =
          error instanceof Rejection ? error.message : `authenticator failure: ${String(error)}`
        answer({ authenticated: false, error: reason }, { authenticated: false, reason })
      }
    })
  })
  await new Promise((resolve, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', resolve)
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const url = `http://127.0.0.1:${port}/authenticate`

  const dir = await mkdtemp(path.join(os.tmpdir(), 'eks-authenticator-'))
  const webhookKubeconfigPath = path.join(dir, 'webhook.kubeconfig')
  // kube-apiserver's webhook client reads a kubeconfig; plain http is accepted for a loopback server.
  await writeFile(
    webhookKubeconfigPath,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'eks-authenticator', cluster: { server: url } }],
      users: [{ name: 'kube-apiserver', user: {} }],
      contexts: [
        { name: 'webhook', context: { cluster: 'eks-authenticator', user: 'kube-apiserver' } }
      ],
      'current-context': 'webhook'
    })
  )

  return {
    url,
    webhookKubeconfigPath,
    reviews,
    /** @param {TrustedCredentials} key: one more key STS knows (a user created after start). */
    trust: key => void credentials.push(key),
    /**
     * Every token seen so far, and any other signed in the same second or earlier, is refused as
     * expired from now on, as when 15 minutes have passed since it was signed; tokens signed in a
     * later second are good. (Moving the clock would make new tokens look old too: a client does
     * not move its clock with the server's. Tokens carry whole seconds: two signed by one key in
     * one second are the same token.)
     */
    expireTokensSeenSoFar: () => void (notSignedBefore = newestSigning + 1000),
    /** @param {number} ms */
    moveClock(ms) {
      clockOffsetMs += ms
    },
    async stop() {
      server.closeAllConnections()
      await new Promise(resolve => server.close(() => resolve(undefined)))
      await rm(dir, { recursive: true, force: true })
    }
  }
}

/**
 * The checks aws-iam-authenticator makes before it calls STS (pkg/token/token.go, Verify), plus
 * the ones STS makes of the signature's scope.
 * @param {string} token
 * @param {keyof typeof PARTITIONS} partition
 * @param {number} nowMs
 */
function parseToken(token, partition, nowMs) {
  if (token.length > MAX_TOKEN_LENGTH) reject('token is too large')
  if (!token.startsWith(TOKEN_PREFIX)) reject(`token is missing the ${TOKEN_PREFIX} prefix`)
  const encoded = token.slice(TOKEN_PREFIX.length)
  // Unpadded base64url, as Go's RawURLEncoding reads it.
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) reject('token is not unpadded base64url')
  let url
  try {
    url = new URL(Buffer.from(encoded, 'base64url').toString('utf8'))
  } catch {
    reject('token does not hold a URL')
  }
  if (url.protocol !== 'https:') reject(`unexpected scheme ${url.protocol} in the presigned URL`)
  const hostRegion = stsRegion(url.host, partition)
  if (url.pathname !== '/') reject('unexpected path in the presigned URL')

  const params = [...url.searchParams]
  /** @type {Map<string, string>} */
  const lower = new Map()
  for (const [key, value] of params) {
    const name = key.toLowerCase()
    if (!ALLOWED_PARAMETERS.has(name)) reject(`unexpected query parameter ${key}`)
    if (lower.has(name)) reject(`duplicate query parameter ${key}`)
    lower.set(name, value)
  }
  if (lower.get('action') !== 'GetCallerIdentity') reject('the action is not GetCallerIdentity')
  if (lower.get('version') !== '2011-06-15') reject('the STS API version is not 2011-06-15')
  if (lower.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') reject('the algorithm is not SigV4')
  const signedHeaders = (lower.get('x-amz-signedheaders') ?? '').split(';')
  if (!signedHeaders.some(header => header.toLowerCase() === CLUSTER_ID_HEADER)) {
    reject(`the ${CLUSTER_ID_HEADER} header is not signed`)
  }
  const expires = lower.get('x-amz-expires') ?? ''
  if (!/^\d+$/.test(expires) || Number(expires) > 900) reject('X-Amz-Expires is not 0 to 900')

  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(lower.get('x-amz-date') ?? '')
  if (!date) reject('X-Amz-Date is missing or malformed')
  const signedAt = Date.UTC(+date[1], +date[2] - 1, +date[3], +date[4], +date[5], +date[6])
  if (nowMs > signedAt + PRESIGNED_URL_LIFETIME_MS) {
    reject('expired: X-Amz-Date is more than 15 minutes old')
  }
  if (signedAt > nowMs + PRESIGNED_URL_LIFETIME_MS) {
    reject('not yet valid: X-Amz-Date is more than 15 minutes ahead')
  }

  const scope = (lower.get('x-amz-credential') ?? '').split('/')
  if (scope.length !== 5 || scope[3] !== 'sts' || scope[4] !== 'aws4_request') {
    reject('X-Amz-Credential is not an STS credential scope')
  }
  const [accessKeyId, day, region] = scope
  if (day !== lower.get('x-amz-date')?.slice(0, 8)) {
    reject('the credential scope date is not X-Amz-Date')
  }
  if (region !== hostRegion) reject(`the credential scope region ${region} is not the host's`)
  return { url, params, signedHeaders, signedAt, accessKeyId, region, expires: Number(expires) }
}

/** The region of a regional, FIPS or dual-stack STS host of the partition, us-east-1 for the global one. */
function stsRegion(host, partition) {
  if (host === 'sts.amazonaws.com') {
    if (partition !== 'aws') reject(`the global STS endpoint is not in partition ${partition}`)
    return 'us-east-1'
  }
  const { domain, dualStack } = PARTITIONS[partition]
  const match = /^sts(?:-fips)?\.([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.(.+)$/.exec(host)
  if (!match || (match[2] !== domain && match[2] !== dualStack)) {
    reject(`unexpected host ${host} in the presigned URL`)
  }
  return match[1]
}

/**
 * Signs the request again as STS would receive it from the authenticator, with this cluster's name
 * in the `x-k8s-aws-id` header, and compares the signatures.
 * @param {ReturnType<typeof parseToken>} request
 * @param {TrustedCredentials} signer
 * @param {string} clusterName
 */
async function verifySignature(request, signer, clusterName) {
  const { url, params, signedHeaders, signedAt, region, expires } = request
  const query = Object.fromEntries(params.filter(([key]) => !SIGNER_PARAMETERS.includes(key)))
  const token = params.find(([key]) => key === 'X-Amz-Security-Token')?.[1]
  if (token !== signer.sessionToken) reject('InvalidClientTokenId: the security token is invalid')
  // SigV4 always signs the host; STS refuses a signature that leaves it out.
  if (!signedHeaders.includes('host'))
    reject('SignatureDoesNotMatch: the host header is not signed')
  /** @type {Record<string, string>} */
  const headers = {}
  for (const header of signedHeaders) {
    if (header === 'host') headers.host = url.host
    else if (header === CLUSTER_ID_HEADER) headers[CLUSTER_ID_HEADER] = clusterName
    // STS sees only the headers the authenticator sends.
    else reject(`SignatureDoesNotMatch: the signed header ${header} is not sent to STS`)
  }
  const expected = await new SignatureV4({
    credentials: signer,
    region,
    service: 'sts',
    sha256: Sha256
  }).presign(
    new HttpRequest({
      method: 'GET',
      protocol: 'https:',
      hostname: url.hostname,
      path: '/',
      query,
      headers
    }),
    { signingDate: new Date(signedAt), expiresIn: expires }
  )
  const given = Buffer.from(url.searchParams.get('X-Amz-Signature') ?? '')
  const wanted = Buffer.from(String(expected.query['X-Amz-Signature']))
  if (
    expected.query['X-Amz-SignedHeaders'] !== signedHeaders.join(';') ||
    given.length !== wanted.length ||
    !timingSafeEqual(given, wanted)
  ) {
    reject(
      `SignatureDoesNotMatch: the signature does not cover this cluster (${clusterName}) or the request was altered`
    )
  }
}

/**
 * GetCallerIdentity at the emulator, which learns the caller from the Authorization header of a
 * normally signed request rather than from presigned query parameters.
 * @param {string} stsTarget
 * @param {TrustedCredentials} signer
 * @param {string} region
 */
async function callerIdentity(stsTarget, signer, region) {
  const target = new URL(stsTarget)
  const body = 'Action=GetCallerIdentity&Version=2011-06-15'
  const signed = await new SignatureV4({
    credentials: signer,
    region,
    service: 'sts',
    sha256: Sha256
  }).sign(
    new HttpRequest({
      method: 'POST',
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port ? Number(target.port) : undefined,
      path: '/',
      headers: { host: target.host, 'content-type': 'application/x-www-form-urlencoded' },
      body
    })
  )
  const response = await fetch(new URL('/', target), {
    method: 'POST',
    headers: signed.headers,
    body
  })
  const xml = await response.text()
  if (!response.ok) reject(`STS GetCallerIdentity answered HTTP ${response.status}`)
  const field = name => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? ''
  const arn = field('Arn')
  if (!arn) reject('STS GetCallerIdentity answered without an ARN')
  const [userId, sessionName = ''] = field('UserId').split(':')
  return { arn, account: field('Account'), userId, sessionName }
}

/** The IAM principal an access entry names: an assumed role is its role. */
function canonicalArn(arn) {
  const match = /^arn:([^:]+):(iam|sts)::(\d{12}):(.+)$/.exec(arn)
  if (!match) reject(`unrecognised caller ARN ${arn}`)
  const [, partition, service, account, resource] = match
  if (service === 'sts') {
    const parts = resource.split('/')
    if (parts[0] !== 'assumed-role' || parts.length < 3) reject(`unrecognised caller ARN ${arn}`)
    return `arn:${partition}:iam::${account}:role/${parts.slice(1, -1).join('/')}`
  }
  return arn
}

/** EKS's default username: the user ARN, or the role's session ARN with its session name. */
function defaultUsername(arn, principal) {
  return principal === arn ? arn : arn.replace(/[^/]+$/, '{{SessionName}}')
}
