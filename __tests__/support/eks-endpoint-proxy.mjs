/**
 * A loopback proxy for the EKS API only (point AWS_ENDPOINT_URL_EKS or an EKSClient's endpoint at
 * it) that forwards every request to the emulator and changes one thing in the answers: the
 * emulator's DescribeCluster gives an endpoint that does not resolve and CA data that is not a
 * certificate, so for the named cluster it puts in a real control plane's server and CA instead.
 * The action then reaches that plane exactly as it would reach EKS.
 */
import { Buffer } from 'node:buffer'
import { createServer, request as forward } from 'node:http'

/**
 * @param {{ target: string, clusterName: string, endpoint: string, caData: string }} options
 * @returns {Promise<{ url: string, rewritten: () => number, close: () => Promise<void> }>}
 */
export async function startEksEndpointProxy({ target, clusterName, endpoint, caData }) {
  const upstream = new URL(target)
  // EKS is a REST-JSON API: DescribeCluster is GET /clusters/{name}.
  const describePath = `/clusters/${encodeURIComponent(clusterName)}`
  let rewritten = 0

  const server = createServer((req, res) => {
    const describe = req.method === 'GET' && req.url?.split('?')[0] === describePath
    const headers = { ...req.headers }
    // The answer to be rewritten must come back as plain JSON.
    if (describe) headers['accept-encoding'] = 'identity'
    const outbound = forward(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers
      },
      answer => {
        if (!describe || answer.statusCode !== 200) {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
          return
        }
        const chunks = []
        answer.on('data', chunk => chunks.push(chunk))
        answer.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
          body.cluster.endpoint = endpoint
          body.cluster.certificateAuthority = { data: caData }
          rewritten++
          const text = JSON.stringify(body)
          const out = { ...answer.headers, 'content-length': String(Buffer.byteLength(text)) }
          delete out['transfer-encoding']
          res.writeHead(200, out)
          res.end(text)
        })
      }
    )
    outbound.on('error', error => {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(String(error))
    })
    req.pipe(outbound)
  })
  await new Promise((resolve, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', resolve)
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    rewritten: () => rewritten,
    async close() {
      server.closeAllConnections()
      await new Promise(resolve => server.close(() => resolve(undefined)))
    }
  }
}
