/**
 * A loopback proxy in front of an AWS endpoint (the emulator, or a proxy in front of it) that
 * passes every request through unchanged and keeps what was asked and answered: the service and
 * region from the request's signature, the operation and its parameters in whichever of AWS's
 * protocols the service speaks, and the answer. The authorisation model reads these to say what
 * IAM would have checked for each call.
 */
import { Buffer } from 'node:buffer'
import { createServer, request as forward, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'

export interface AwsExchange {
  /** The signing name: `ecs`, `ec2`, `iam`, `cloudformation`, `eks`, `logs`, `sts`. */
  service: string
  region: string
  operation: string
  /**
   * JSON protocols: the body. Query protocols: the form fields, flat (`Tags.member.1.Key`).
   * REST (EKS): the path's parameters.
   */
  params: Record<string, unknown>
  status: number
  /** The answer's body as text (JSON or XML). */
  answer: string
}

export interface RequestRecorder {
  url: string
  /** `service:Operation` of every call that arrived, answered or not. */
  arrivals: string[]
  exchanges: AwsExchange[]
  close(): Promise<void>
}

/** `Credential=AKID/20261204/us-east-1/ecs/aws4_request` in the SigV4 Authorization header. */
function signingScope(headers: IncomingHttpHeaders): { service: string; region: string } {
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
    String(headers.authorization ?? '')
  )
  return { region: match?.[1] ?? '', service: match?.[2] ?? '' }
}

function parseRequest(
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
  body: string
): { operation: string; params: Record<string, unknown> } {
  const target = headers['x-amz-target']
  if (target) {
    return {
      operation: String(target).split('.').pop() ?? '',
      params: body ? (JSON.parse(body) as Record<string, unknown>) : {}
    }
  }
  if (String(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    const fields = Object.fromEntries(new URLSearchParams(body))
    const { Action, ...params } = fields
    return { operation: Action ?? '', params }
  }
  // EKS speaks REST-JSON; the action reads one cluster: GET /clusters/{name}.
  const cluster = /^\/clusters\/([^/?]+)$/.exec(url.split('?')[0])
  if (method === 'GET' && cluster) {
    return { operation: 'DescribeCluster', params: { name: decodeURIComponent(cluster[1]) } }
  }
  return { operation: `${method} ${url}`, params: {} }
}

function decode(chunks: Buffer[], encoding: string | undefined): string {
  const raw = Buffer.concat(chunks)
  return (encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8')
}

/** `onExchange` sees each call as soon as it is answered, before the answer goes back. */
export async function startRequestRecorder(
  target: string,
  onExchange: (exchange: AwsExchange) => void = () => {}
): Promise<RequestRecorder> {
  const upstream = new URL(target)
  const exchanges: AwsExchange[] = []
  const arrivals: string[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', chunk => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks)
      const asked = {
        ...signingScope(request.headers),
        ...parseRequest(
          request.method ?? 'GET',
          request.url ?? '/',
          request.headers,
          body.toString('utf8')
        )
      }
      arrivals.push(`${asked.service}:${asked.operation}`)
      const outbound = forward(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers: request.headers
        },
        answer => {
          const answerChunks: Buffer[] = []
          answer.on('data', chunk => answerChunks.push(chunk))
          answer.on('end', () => {
            const exchange: AwsExchange = {
              ...asked,
              status: answer.statusCode ?? 0,
              answer: decode(answerChunks, answer.headers['content-encoding'])
            }
            exchanges.push(exchange)
            onExchange(exchange)
            response.writeHead(answer.statusCode ?? 502, answer.headers)
            response.end(Buffer.concat(answerChunks))
          })
        }
      )
      outbound.on('error', error => {
        response.writeHead(502, { 'content-type': 'text/plain' }).end(String(error))
      })
      outbound.end(body)
    })
  })
  await new Promise<void>((resolve, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    exchanges,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
