export interface FaultProxy {
  url: string
  /** Requests seen, requests failed, and when each arrived (ms since the epoch). */
  stats: { requests: number; failed: number; arrivals: number[] }
  close(): Promise<void>
}

export function startFaultProxy(options: {
  target: string
  failureRate?: number
  latencyMs?: number
  seed?: number
}): Promise<FaultProxy>
