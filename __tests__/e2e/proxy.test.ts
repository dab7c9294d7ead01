/**
 * The bundle behind a corporate proxy: every AWS request of an ECS deploy goes through
 * HTTP(S)_PROXY, none does for a host in NO_PROXY, and the http-proxy input overrides the
 * environment. The emulator is plain http, so the AWS calls are absolute-URI requests to the proxy.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { exposedSecrets } from '../support/secret-exposure.js'
import { runBundle, type BundleResult } from '../support/bundle.js'
import { startForwardProxy, type ForwardProxy } from '../support/forward-proxy.js'
import {
  createCluster,
  createNetwork,
  holdTaskStates,
  motoEnvironment,
  resetMoto,
  useMotoEnvironment,
  type Network
} from '../support/moto.js'

const API_KEY = 'cak_proxy_secret_9a8b7c6d'
const NOWHERE = 'http://127.0.0.1:9'

let network: Network
let proxy: ForwardProxy

function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    platform: 'ecs',
    cluster: 'proxied',
    'vpc-id': network.vpcId,
    'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
    'cloudaeye-api-key': API_KEY,
    wait: 'false',
    ...overrides
  }
}

/** The AWS calls the run made, from its debug log: one per command, before any retry. */
function awsCalls(result: BundleResult): string[] {
  return [...result.stdout.matchAll(/^::debug::AWS call (\S+)$/gm)].map(match => match[1])
}

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await holdTaskStates()
  network = await createNetwork()
  await createCluster('proxied')
  proxy = await startForwardProxy()
})

afterEach(() => proxy.close())

describe('the bundle behind a proxy', () => {
  it('sends every AWS request through HTTP_PROXY/HTTPS_PROXY', async () => {
    const result = await runBundle(inputs(), {
      ...motoEnvironment(),
      HTTPS_PROXY: proxy.url,
      HTTP_PROXY: proxy.url
    })
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    const calls = awsCalls(result)
    expect(calls).toEqual(expect.arrayContaining(['ec2:DescribeSubnets', 'ecs:RunTask']))
    // The emulator's endpoint (behind the policy check's recorder) is on loopback.
    expect(proxy.requests.every(line => /^(GET|POST) 127\.0\.0\.1:\d+\//.test(line))).toBe(true)
    expect(proxy.requests).toHaveLength(calls.length)
  })

  it('reaches a host in NO_PROXY directly', async () => {
    const result = await runBundle(inputs(), {
      ...motoEnvironment(),
      HTTPS_PROXY: proxy.url,
      http_proxy: proxy.url,
      NO_PROXY: 'metrics.cloudaeye.example,127.0.0.1'
    })
    expect(result.exitCode).toBe(0)
    expect(awsCalls(result).length).toBeGreaterThan(0)
    expect(proxy.requests).toEqual([])
  })

  it('takes the http-proxy input over a proxy environment that points nowhere, masking its credentials', async () => {
    const password = 'pr0xy-s3cret'
    const withCredentials = proxy.url.replace('http://', `http://runner:${password}@`)
    const result = await runBundle(inputs({ 'http-proxy': withCredentials }), {
      ...motoEnvironment(),
      HTTPS_PROXY: NOWHERE,
      HTTP_PROXY: NOWHERE,
      http_proxy: NOWHERE
    })
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(proxy.requests).toHaveLength(awsCalls(result).length)
    expect(new Set(proxy.authorizations)).toEqual(
      new Set([`Basic ${Buffer.from(`runner:${password}`).toString('base64')}`])
    )
    expect(result.stdout).toContain(`::add-mask::${password}`)
    expect(exposedSecrets([result], [API_KEY, password])).toEqual([])
  })

  it('rejects an http-proxy that is not an http(s) URL before any AWS request', async () => {
    const result = await runBundle(inputs({ 'http-proxy': 'socks5://127.0.0.1:1080' }), {
      ...motoEnvironment()
    })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain(
      "::error::Input 'http-proxy': socks5 proxies are not supported; give an http:// or https:// URL."
    )
    expect(awsCalls(result)).toEqual([])
  })
})
