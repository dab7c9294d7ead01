/**
 * A small recording forward proxy, as a corporate one behaves: CONNECT tunnels for https and
 * absolute-URI requests (GET, POST, ...) for http. It keeps the target of every request it carried,
 * and the Proxy-Authorization it was shown.
 */
import { createServer, request as forward } from 'node:http'
import { connect, type AddressInfo } from 'node:net'

export interface ForwardProxy {
  url: string
  /** `METHOD host:port/path` of each http request, `CONNECT host:port` of each tunnel. */
  requests: string[]
  authorizations: string[]
  close(): Promise<void>
}

export async function startForwardProxy(): Promise<ForwardProxy> {
  const requests: string[] = []
  const authorizations: string[] = []
  const server = createServer((incoming, outgoing) => {
    const target = new URL(incoming.url ?? '/')
    requests.push(`${incoming.method} ${target.host}${target.pathname}`)
    const auth = incoming.headers['proxy-authorization']
    if (auth) authorizations.push(auth)
    const headers = { ...incoming.headers }
    delete headers['proxy-authorization']
    delete headers['proxy-connection']
    const upstream = forward(
      {
        host: target.hostname,
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
    incoming.pipe(upstream)
  })
  server.on('connect', (incoming, client, head) => {
    requests.push(`CONNECT ${incoming.url}`)
    const auth = incoming.headers['proxy-authorization']
    if (auth) authorizations.push(auth)
    const [host, port] = String(incoming.url).split(/:(?=\d+$)/)
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'))
    client.on('error', () => upstream.destroy())
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    authorizations,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
