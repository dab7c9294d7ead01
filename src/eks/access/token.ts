/**
 * An EKS bearer token made in process, the way `aws eks get-token` makes it, so the runner needs no
 * AWS CLI: a presigned STS GetCallerIdentity URL whose signature covers the `x-k8s-aws-id` header
 * naming the cluster. The API server's authenticator replays the URL to learn who is calling.
 */
import * as core from '@actions/core'
import type { AwsCredentialIdentityProvider } from '@smithy/types'
import { ActionError } from '../../errors.js'
import { registerSecret } from '../../secrets.js'

export interface EksTokenOptions {
  clusterName: string
  region: string
  /** Defaults to the SDK's default chain (environment, web identity, profiles, instance roles). */
  credentials?: AwsCredentialIdentityProvider
  /** The signing time; tests fix it. */
  now?: Date
}

export interface EksToken {
  token: string
  expiresAt: Date
}

const TOKEN_PREFIX = 'k8s-aws-v1.'
const CLUSTER_ID_HEADER = 'x-k8s-aws-id'
/** STS accepts the URL this long after signing; the CLI uses the same. */
const PRESIGNED_URL_SECONDS = 60
/**
 * The API server honours a token for 15 minutes; the CLI reports 14 so clients renew early. Like the
 * CLI, the expiry is counted from signing time at whole-second precision.
 */
const TOKEN_LIFETIME_MS = 14 * 60_000

/** Signs a token and registers it as a secret of this run, so no log line can show it. */
export async function createEksToken(options: EksTokenOptions): Promise<EksToken> {
  const token = await signEksToken(options)
  registerSecret(token.token)
  core.debug(`EKS token for cluster ${options.clusterName} signed by STS in ${options.region}`)
  return token
}

/**
 * Signs a token and prints nothing: the exec credential entry's stdout must carry the
 * ExecCredential alone.
 */
export async function signEksToken(options: EksTokenOptions): Promise<EksToken> {
  const { clusterName, region } = options
  if (!clusterName) throw new ActionError('An EKS token needs a cluster name.')
  if (!/^[a-z0-9-]+$/.test(region)) {
    throw new ActionError(`'${region}' is not an AWS region; an EKS token cannot be signed for it.`)
  }
  // Loaded here so that nothing of the SDK is loaded before the EKS path needs it.
  const [{ SignatureV4 }, { HttpRequest }, { Sha256 }, { partitionOf }] = await Promise.all([
    import('@smithy/signature-v4'),
    import('@smithy/protocol-http'),
    import('@aws-crypto/sha256-js'),
    import('../../aws/partition.js')
  ])
  const credentials = options.credentials ?? (await defaultCredentials())
  // The regional STS endpoint, as the CLI and aws-iam-authenticator resolve it: the API server's
  // authenticator accepts only the STS hosts of its own partition.
  const hostname = `sts.${region}.${partitionOf(region).dnsSuffix}`
  const signingDate = new Date(Math.floor((options.now ?? new Date()).getTime() / 1000) * 1000)

  const signer = new SignatureV4({ credentials, region, service: 'sts', sha256: Sha256 })
  const presigned = await signer.presign(
    new HttpRequest({
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: hostname, [CLUSTER_ID_HEADER]: clusterName }
    }),
    { expiresIn: PRESIGNED_URL_SECONDS, signingDate }
  )

  const url = `https://${hostname}/?${queryString(presigned.query ?? {})}`
  const token = TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url')
  return { token, expiresAt: new Date(signingDate.getTime() + TOKEN_LIFETIME_MS) }
}

async function defaultCredentials(): Promise<AwsCredentialIdentityProvider> {
  const [{ defaultProvider }, { credentialChainConfig }] = await Promise.all([
    import('@aws-sdk/credential-provider-node'),
    import('../../aws/clients.js')
  ])
  return defaultProvider(credentialChainConfig())
}

/** RFC 3986 encoding, the one SigV4 canonicalises with, so STS reads back the values that were signed. */
function queryString(query: Record<string, string | string[] | null>): string {
  const encode = (text: string) =>
    encodeURIComponent(text).replace(
      /[!'()*]/g,
      c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
    )
  return Object.entries(query)
    .flatMap(([key, value]) =>
      (Array.isArray(value) ? value : [value ?? '']).map(item => `${encode(key)}=${encode(item)}`)
    )
    .join('&')
}
