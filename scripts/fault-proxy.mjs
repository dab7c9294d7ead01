/**
 * A loopback proxy between the action and the emulator that makes the network worse: it answers a
 * share of requests with the error AWS sends when throttling or overloaded, before they reach the
 * emulator, and can add latency to every request. Used by the fault tests and `npm run bench`.
 *
 * A call's last attempt (the SDK sends `amz-sdk-request: attempt=N; max=M`) is never failed: the
 * proxy tests that retries happen and are enough, not the odds of five failures in a row.
 */
import { Buffer } from 'node:buffer'
import { createServer, request as forward } from 'node:http'

/** A small deterministic generator, so a failing run can be replayed with the same seed. */
function generator(seed) {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

/** JSON services (a X-Amz-Target header) throttle with a 400; query and REST ones answer 503. */
function failure(request) {
  if (request.headers['x-amz-target']) {
    return {
      status: 400,
      type: 'application/x-amz-json-1.1',
      body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' })
    }
  }
  return {
    status: 503,
    type: 'text/xml',
    body:
      '<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code>' +
      '<Message>Service is unavailable</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>'
  }
}

function isLastAttempt(request) {
  const match = /attempt=(\d+);\s*max=(\d+)/.exec(request.headers['amz-sdk-request'] ?? '')
  return match ? Number(match[1]) >= Number(match[2]) : false
}

/** The operation of a JSON-protocol request, e.g. `RunTask`, from its X-Amz-Target header. */
function operationOf(request) {
  return String(request.headers['x-amz-target'] ?? '')
    .split('.')
    .pop()
}

/**
 * @param {{ target: string, failureRate?: number, latencyMs?: number, seed?: number, holdAfter?: string }} options
 *   `holdAfter`: once a request for that operation has been answered, every later request is
 *   held, never answered, so a test can act while a call is certainly in flight.
 * @returns {Promise<{ url: string, stats: { requests: number, failed: number, held: number, arrivals: number[] }, close: () => Promise<void> }>}
 */
export async function startFaultProxy({
  target,
  failureRate = 0,
  latencyMs = 0,
  seed = 1,
  holdAfter
}) {
  const random = generator(seed)
  const upstream = new URL(target)
  const stats = { requests: 0, failed: 0, held: 0, arrivals: [] }
  let holding = false
  const server = createServer((request, response) => {
    const chunks = []
    request.on('data', chunk => chunks.push(chunk))
    request.on('end', async () => {
      stats.requests++
      stats.arrivals.push(Date.now())
      if (holding) {
        stats.held++
        return
      }
      if (holdAfter && operationOf(request) === holdAfter) {
        response.on('finish', () => (holding = true))
      }
      if (latencyMs > 0) await new Promise(resolve => setTimeout(resolve, latencyMs))
      if (random() < failureRate && !isLastAttempt(request)) {
        stats.failed++
        const { status, type, body } = failure(request)
        response.writeHead(status, { 'Content-Type': type }).end(body)
        return
      }
      const outbound = forward(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers: request.headers
        },
        answer => {
          response.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(response)
        }
      )
      outbound.on('error', error => response.writeHead(502).end(String(error)))
      outbound.end(Buffer.concat(chunks))
    })
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    stats,
    close: () =>
      new Promise(resolve => {
        server.close(() => resolve(undefined))
        // Held requests would keep their connections, and so the server, open.
        server.closeAllConnections()
      })
  }
}
