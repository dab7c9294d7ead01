import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { request } from 'node:https'
import { proxyAgents, useProxyInput } from '../../../src/aws/proxy.js'
import { InputError } from '../../../src/errors.js'
import { startForwardProxy, type ForwardProxy } from '../../support/forward-proxy.js'

const VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']
let saved: Record<string, string | undefined>
let proxy: ForwardProxy

beforeEach(async () => {
  saved = Object.fromEntries(VARIABLES.map(name => [name, process.env[name]]))
  for (const name of VARIABLES) delete process.env[name]
  proxy = await startForwardProxy()
})

afterEach(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  await proxy.close()
})

/** An https request through the SDK's agent; the target does not exist, so it fails either way. */
function attempt(host: string): Promise<void> {
  const { httpsAgent } = proxyAgents()!
  return new Promise(resolve => {
    const req = request({ host, port: 443, path: '/', agent: httpsAgent, timeout: 2_000 }, () =>
      resolve()
    )
    req.on('error', () => resolve())
    req.on('timeout', () => req.destroy())
    req.end()
  })
}

describe('proxy agents for the AWS clients', () => {
  it('are not used without proxy variables', () => {
    expect(proxyAgents()).toBeUndefined()
  })

  it('tunnel https through HTTPS_PROXY with CONNECT, and go direct to NO_PROXY hosts', async () => {
    process.env.HTTPS_PROXY = proxy.url
    process.env.NO_PROXY = '.direct.invalid'
    await attempt('sts.proxied.invalid')
    await attempt('sts.direct.invalid')
    expect(proxy.requests).toEqual(['CONNECT sts.proxied.invalid:443'])
  })
})

describe('the http-proxy input', () => {
  it('sets both spellings of both variables, leaving NO_PROXY alone', () => {
    const env: NodeJS.ProcessEnv = { NO_PROXY: 'internal.example', https_proxy: 'http://old:1' }
    useProxyInput(' http://user:pa%40ss@proxy.example.com:3128 ', env)
    expect(env).toEqual({
      NO_PROXY: 'internal.example',
      HTTPS_PROXY: 'http://user:pa%40ss@proxy.example.com:3128',
      https_proxy: 'http://user:pa%40ss@proxy.example.com:3128',
      HTTP_PROXY: 'http://user:pa%40ss@proxy.example.com:3128',
      http_proxy: 'http://user:pa%40ss@proxy.example.com:3128'
    })
  })

  it('changes nothing when empty', () => {
    const env: NodeJS.ProcessEnv = { HTTPS_PROXY: 'http://p:1' }
    useProxyInput('  ', env)
    expect(env).toEqual({ HTTPS_PROXY: 'http://p:1' })
  })

  it.each([
    ['proxy.example.com:3128', 'is not a URL'],
    ['socks5://proxy:1080', 'socks5 proxies are not supported'],
    ['http://proxy:3128/path', 'must be the proxy alone'],
    ['not a url', 'is not a URL']
  ])('rejects %s', (value, message) => {
    expect(() => useProxyInput(value, {})).toThrow(InputError)
    expect(() => useProxyInput(value, {})).toThrow(message)
  })
})
