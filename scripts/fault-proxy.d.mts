export interface FaultProxy {
  url: string
  /** Requests seen, failed and held, and when each arrived (ms since the epoch). */
  stats: { requests: number; failed: number; held: number; arrivals: number[] }
  close(): Promise<void>
}

export function startFaultProxy(options: {
  target: string
  failureRate?: number
  latencyMs?: number
  seed?: number
  /** Once a request for this operation (e.g. `RunTask`) is answered, hold every later one. */
  holdAfter?: string
}): Promise<FaultProxy>
