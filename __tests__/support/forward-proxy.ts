/**
 * A small recording forward proxy, as a corporate one behaves: CONNECT tunnels for https and
 * absolute-URI requests (GET, POST, ...) for http. It keeps the target of every request it carried,
 * and the Proxy-Authorization it was shown.
 *
 * Like a corporate proxy, it may know names the runner cannot resolve (`hosts`): a target that only
 * the proxy can reach proves that a client went through it, since going around it cannot work.
 */
import { createServer, request as forward } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'

/** One request the proxy carried. */
export interface ProxiedRequest {
  /** `CONNECT` for a tunnel, else the method of the absolute-URI request. */
  method: string
  /** The `host:port` the client asked for, as it named it (before the proxy's `hosts`). */
  target: string
  /** The client's User-Agent header on that request (for a tunnel, on the CONNECT itself). */
  userAgent?: string
  /**
   * For an AWS request in clear text: the operation, from `X-Amz-Target` (JSON protocols) or the
   * form body's `Action` (query protocol). Set once the request's body has arrived.
   */
  awsAction?: string
}

export interface ForwardProxy {
  url: string
  /** `METHOD host:port/path` of each http request, `CONNECT host:port` of each tunnel. */
  requests: string[]
  /** The same requests with their details, in the order they arrived. */
  log: ProxiedRequest[]
  authorizations: string[]
  /** How many requests of `method` (any, when omitted) went to `target` (`host:port`). */
  count(target: string, method?: string): number
  close(): Promise<void>
}

export interface ForwardProxyOptions {
  /** Host names the proxy resolves itself, to an address: its own view of the network. */
  hosts?: Record<string, string>
}

export async function startForwardProxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const requests: string[] = []
  const log: ProxiedRequest[] = []
  const authorizations: string[] = []
  const resolve = (hostname: string) => options.hosts?.[hostname.toLowerCase()] ?? hostname
  const userAgentOf = (value: string | undefined) => (value ? { userAgent: value } : {})
  // A tunnel's sockets are the server's no longer, so closeAllConnections() cannot end them.
  const tunnelSockets = new Set<Duplex>()
  const keep = (socket: Duplex) => {
    tunnelSockets.add(socket)
    socket.once('close', () => tunnelSockets.delete(socket))
  }
  const server = createServer((incoming, outgoing) => {
    const target = new URL(incoming.url ?? '/')
    requests.push(`${incoming.method} ${target.host}${target.pathname}`)
    const entry: ProxiedRequest = {
      method: incoming.method ?? 'GET',
      target: `${target.hostname}:${target.port || 80}`,
      ...userAgentOf(incoming.headers['user-agent'])
    }
    log.push(entry)
    const auth = incoming.headers['proxy-authorization']
    if (auth) authorizations.push(auth)
    const headers = { ...incoming.headers }
    delete headers['proxy-authorization']
    delete headers['proxy-connection']
    const upstream = forward(
      {
        host: resolve(target.hostname),
        port: target.port || 80,
        method: incoming.method,
        path: `${target.pathname}${target.search}`,
        headers
      },
      answer => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(outgoing)
      }
    )
    upstream.on('error', () => outgoing.writeHead(502).end())
    // The body passes on as it comes; a copy names the AWS operation once it is complete.
    const body: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => body.push(chunk))
    incoming.on('end', () => {
      const action = awsActionOf(incoming.headers['x-amz-target'], Buffer.concat(body))
      if (action) entry.awsAction = action
    })
    incoming.pipe(upstream)
  })
  server.on('connect', (incoming, client, head) => {
    requests.push(`CONNECT ${incoming.url}`)
    log.push({
      method: 'CONNECT',
      target: String(incoming.url),
      ...userAgentOf(incoming.headers['user-agent'])
    })
    const auth = incoming.headers['proxy-authorization']
    if (auth) authorizations.push(auth)
    const [host, port] = String(incoming.url).split(/:(?=\d+$)/)
    keep(client)
    const upstream = connect(Number(port), resolve(host), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    keep(upstream)
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'))
    client.on('error', () => upstream.destroy())
  })
  await new Promise<void>(ready => server.listen(0, '127.0.0.1', ready))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    log,
    authorizations,
    count: (target, method) =>
      log.filter(entry => entry.target === target && (!method || entry.method === method)).length,
    close: () =>
      new Promise(done => {
        server.closeAllConnections()
        for (const socket of tunnelSockets) socket.destroy()
        server.close(() => done())
      })
  }
}

/** `Service.Operation` of X-Amz-Target, else `Action=` of a form-encoded body. */
function awsActionOf(target: string | string[] | undefined, body: Buffer): string | undefined {
  if (typeof target === 'string') return target.split('.').pop()
  const text = body.toString('utf8')
  if (!/^[\w.%&=+-]*$/.test(text)) return undefined
  return new URLSearchParams(text).get('Action') ?? undefined
}
