/**
 * The token is checked offline: decoded, and its signature recomputed here from the SigV4 rules with
 * node:crypto, independently of the signer the action uses.
 */
import { createHash, createHmac } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { createEksToken } from '../../../src/eks/access/token.js'
import { redact } from '../../../src/secrets.js'

const keys = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
}
const credentials = async () => keys
const now = new Date('2026-03-04T05:06:07.890Z')

function decode(token: string): URL {
  expect(token.startsWith('k8s-aws-v1.')).toBe(true)
  const encoded = token.slice('k8s-aws-v1.'.length)
  expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/)
  return new URL(Buffer.from(encoded, 'base64url').toString('utf8'))
}

const rfc3986 = (text: string) =>
  encodeURIComponent(text).replace(
    /[!'()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
  )
const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex')
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest()

/** SigV4 query signing of GET / with the headers host and x-k8s-aws-id, written out from the spec. */
function expectedSignature(url: URL, clusterName: string, secretAccessKey: string): string {
  const params = [...url.searchParams.entries()].filter(([key]) => key !== 'X-Amz-Signature')
  const canonicalQuery = params
    .map(([key, value]) => [rfc3986(key), rfc3986(value)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&')
  const canonicalRequest = [
    'GET',
    '/',
    canonicalQuery,
    `host:${url.hostname}\nx-k8s-aws-id:${clusterName}\n`,
    'host;x-k8s-aws-id',
    sha256Hex('')
  ].join('\n')
  const amzDate = url.searchParams.get('X-Amz-Date') as string
  const scope = (url.searchParams.get('X-Amz-Credential') as string).split('/').slice(1).join('/')
  const [day, region, service] = scope.split('/')
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n')
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), service),
    'aws4_request'
  )
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex')
}

describe('createEksToken', () => {
  it('presigns STS GetCallerIdentity for the cluster, like aws eks get-token', async () => {
    const { token, expiresAt } = await createEksToken({
      clusterName: 'prod-cluster',
      region: 'eu-west-1',
      credentials,
      now
    })
    const url = decode(token)
    expect(token).not.toContain('=')
    expect(url.protocol).toBe('https:')
    expect(url.host).toBe('sts.eu-west-1.amazonaws.com')
    expect(url.pathname).toBe('/')
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity')
    expect(url.searchParams.get('Version')).toBe('2011-06-15')
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256')
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id')
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60')
    expect(url.searchParams.get('X-Amz-Date')).toBe('20260304T050607Z')
    expect(url.searchParams.get('X-Amz-Credential')).toBe(
      'AKIDEXAMPLE/20260304/eu-west-1/sts/aws4_request'
    )
    expect(url.searchParams.get('X-Amz-Security-Token')).toBeNull()
    expect(url.searchParams.get('X-Amz-Signature')).toBe(
      expectedSignature(url, 'prod-cluster', keys.secretAccessKey)
    )
    // 14 minutes after the signing second, as the CLI reports it.
    expect(expiresAt.toISOString()).toBe('2026-03-04T05:20:07.000Z')
  })

  it('is deterministic for a fixed time and binds the signature to the cluster name', async () => {
    const sign = (clusterName: string) =>
      createEksToken({ clusterName, region: 'us-east-1', credentials, now })
    const first = await sign('alpha')
    const again = await sign('alpha')
    const other = await sign('beta')
    expect(again.token).toBe(first.token)
    const signature = (token: string) => decode(token).searchParams.get('X-Amz-Signature')
    expect(signature(other.token)).not.toBe(signature(first.token))
    expect(signature(other.token)).toBe(
      expectedSignature(decode(other.token), 'beta', keys.secretAccessKey)
    )
  })

  it('carries a session token and signs it', async () => {
    const sessionToken = 'FQoGZXIvYXdzE+/session=token'
    const { token } = await createEksToken({
      clusterName: 'c1',
      region: 'us-west-2',
      credentials: async () => ({ ...keys, sessionToken }),
      now
    })
    const url = decode(token)
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe(sessionToken)
    expect(url.searchParams.get('X-Amz-Signature')).toBe(
      expectedSignature(url, 'c1', keys.secretAccessKey)
    )
  })

  // The API server's authenticator accepts only its partition's regional STS hosts.
  it.each([
    ['eu-central-2', 'sts.eu-central-2.amazonaws.com'],
    ['cn-north-1', 'sts.cn-north-1.amazonaws.com.cn'],
    ['cn-northwest-1', 'sts.cn-northwest-1.amazonaws.com.cn'],
    ['us-gov-west-1', 'sts.us-gov-west-1.amazonaws.com'],
    ['us-iso-east-1', 'sts.us-iso-east-1.c2s.ic.gov'],
    ['us-isob-east-1', 'sts.us-isob-east-1.sc2s.sgov.gov']
  ])('signs for the regional STS host of %s: %s', async (region, host) => {
    const { token } = await createEksToken({ clusterName: 'c', region, credentials, now })
    const url = decode(token)
    expect(url.host).toBe(host)
    expect(url.searchParams.get('X-Amz-Credential')).toBe(
      `AKIDEXAMPLE/20260304/${region}/sts/aws4_request`
    )
    expect(url.searchParams.get('X-Amz-Signature')).toBe(
      expectedSignature(url, 'c', keys.secretAccessKey)
    )
  })

  it('signs for the host the SDK’s own STS client resolves, in a region of every partition', async () => {
    const { STSClient } = await import('@aws-sdk/client-sts')
    const regions = [
      'us-east-1',
      'il-central-1',
      'cn-north-1',
      'us-gov-east-1',
      'us-iso-west-1',
      'us-isob-east-1',
      'eu-isoe-west-1',
      'us-isof-south-1',
      'eusc-de-east-1'
    ]
    for (const region of regions) {
      const sts = new STSClient({ region })
      const resolved = sts.config.endpointProvider({
        Region: region,
        UseFIPS: false,
        UseDualStack: false,
        UseGlobalEndpoint: false
      })
      sts.destroy()
      const { token } = await createEksToken({ clusterName: 'c', region, credentials, now })
      expect([region, decode(token).host]).toEqual([region, resolved.url.host])
    }
  })

  it('reads credentials from the default chain when none are given', async () => {
    const saved = { ...process.env }
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDFROMENV',
      AWS_SECRET_ACCESS_KEY: 'secret-from-env',
      AWS_SESSION_TOKEN: 'session-from-env'
    })
    try {
      const { token } = await createEksToken({ clusterName: 'c', region: 'us-east-1', now })
      const url = decode(token)
      expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIDFROMENV\//)
      expect(url.searchParams.get('X-Amz-Signature')).toBe(
        expectedSignature(url, 'c', 'secret-from-env')
      )
    } finally {
      process.env = saved
    }
  })

  it('masks the token before returning it', async () => {
    const written: string[] = []
    const write = process.stdout.write.bind(process.stdout)
    process.stdout.write = ((chunk: string) => {
      written.push(String(chunk))
      return true
    }) as typeof process.stdout.write
    let token: string
    try {
      ;({ token } = await createEksToken({
        clusterName: 'c',
        region: 'us-east-1',
        credentials,
        now
      }))
    } finally {
      process.stdout.write = write
    }
    expect(written.join('')).toContain(`::add-mask::${token}`)
  })

  it('refuses a region that cannot be a host name', async () => {
    await expect(
      createEksToken({ clusterName: 'c', region: 'evil.example.com/x', credentials })
    ).rejects.toThrow(/not an AWS region/)
  })

  it('is redacted from anything the action writes, not only masked in the log', async () => {
    const { token } = await createEksToken({
      clusterName: 'c',
      region: 'us-east-1',
      credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' })
    })
    expect(redact(`helm said: Bearer ${token} was refused`)).toBe(
      'helm said: Bearer *** was refused'
    )
  })
})
