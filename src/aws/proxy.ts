/**
 * Proxy support, the runner's convention: `HTTPS_PROXY`/`https_proxy` for https URLs,
 * `HTTP_PROXY`/`http_proxy` for http URLs, and `NO_PROXY`/`no_proxy` for hosts reached directly.
 * The `http-proxy` input overrides the first two. It is written into this process's environment,
 * so everything the action starts or uses reads the same settings: the AWS clients (through the
 * agent below), helm (Go reads the variables) and the tool-cache download (@actions/http-client
 * reads them too).
 */
import * as http from 'node:http'
import * as https from 'node:https'
import { Agent, type AgentConnectOpts } from 'agent-base'
import { HttpProxyAgent } from 'http-proxy-agent'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { getProxyForUrl } from 'proxy-from-env'
import { InputError } from '../errors.js'
import { registerSecret } from '../secrets.js'

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'] as const

/**
 * Validates the `http-proxy` input and, when given, makes it this process's proxy for http and
 * https, in both spellings (Go prefers the upper-case one, most Node libraries the lower-case one).
 * Credentials in it are masked first. NO_PROXY stays as the user set it.
 */
export function useProxyInput(raw: string, env: NodeJS.ProcessEnv = process.env): void {
  const value = raw.trim()
  if (!value) return
  let url: URL
  try {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw new Error('no scheme')
    url = new URL(value)
  } catch {
    throw new InputError('http-proxy', 'is not a URL; write e.g. http://proxy.example.com:3128.')
  }
  if (url.username) registerSecret(decodeURIComponent(url.username))
  if (url.password) {
    registerSecret(url.password)
    registerSecret(decodeURIComponent(url.password))
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(
      'http-proxy',
      `${url.protocol.replace(/:$/, '')} proxies are not supported; give an http:// or https:// URL.`
    )
  }
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new InputError(
      'http-proxy',
      'must be the proxy alone, e.g. http://proxy.example.com:3128.'
    )
  }
  for (const name of PROXY_VARIABLES) env[name] = value
}

/** Whether any proxy variable is set, i.e. whether the AWS clients need the agent below. */
export function proxyConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return [...PROXY_VARIABLES, 'ALL_PROXY', 'all_proxy'].some(name => env[name]?.trim())
}

/**
 * An agent that decides per request, from the environment at that moment: through a proxy agent
 * (CONNECT for https, an absolute URI for http) or directly with a keep-alive agent like the SDK's
 * own. One proxy agent per proxy URL, so connections are reused.
 */
class EnvironmentProxyAgent extends Agent {
  private readonly proxies = new Map<string, http.Agent>()

  constructor(private readonly direct: http.Agent) {
    super({ keepAlive: true })
  }

  override connect(_request: http.ClientRequest, options: AgentConnectOpts): http.Agent {
    const secure = options.secureEndpoint
    const host = String(options.host ?? 'localhost')
    const port = options.port ? `:${options.port}` : ''
    const target = `${secure ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}${port}/`
    const proxy = getProxyForUrl(target)
    if (!proxy) return this.direct
    const key = `${secure}|${proxy}`
    let agent = this.proxies.get(key)
    if (!agent) {
      agent = secure
        ? new HttpsProxyAgent(proxy, { keepAlive: true })
        : new HttpProxyAgent(proxy, { keepAlive: true })
      this.proxies.set(key, agent)
    }
    return agent
  }
}

let agents: { httpAgent: http.Agent; httpsAgent: http.Agent } | undefined

/**
 * The agents for the SDK's NodeHttpHandler when a proxy is configured, shared by every client;
 * none otherwise, so the SDK keeps its own.
 */
export function proxyAgents(): { httpAgent: http.Agent; httpsAgent: http.Agent } | undefined {
  if (!proxyConfigured()) return undefined
  agents ??= {
    httpAgent: new EnvironmentProxyAgent(new http.Agent({ keepAlive: true, maxSockets: 50 })),
    httpsAgent: new EnvironmentProxyAgent(new https.Agent({ keepAlive: true, maxSockets: 50 }))
  }
  return agents
}

/** The proxy a request to `url` takes under the current environment, or '' for none. */
export function proxyFor(url: string): string {
  return getProxyForUrl(url)
}
