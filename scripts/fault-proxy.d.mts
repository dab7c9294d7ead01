export interface FaultProxy {
  url: string
  stats: { requests: number; failed: number }
  close(): Promise<void>
}

export function startFaultProxy(options: {
  target: string
  failureRate?: number
  latencyMs?: number
  seed?: number
}): Promise<FaultProxy>
