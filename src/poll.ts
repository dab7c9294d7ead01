/** Bounded polling with backoff, on an injectable clock so tests need not sleep. */
import { setTimeout as delay } from 'node:timers/promises'

export interface Clock {
  now(): number
  /** Rejects, with its timer cleared, when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, { signal })
}

export interface PollOptions<T> {
  clock: Clock
  timeoutMs: number
  probe: () => Promise<T>
  done: (value: T) => boolean
  progress?: (value: T, elapsedMs: number) => void
  firstDelayMs?: number
  maxDelayMs?: number
}

/**
 * Probes until `done` or the deadline, waiting 2 s, then half as long again each time, up to
 * 15 s: quick for a task that starts at once, few calls for one that pulls a large image.
 * Returns the last value either way; the caller decides what a timeout means.
 */
export async function pollUntil<T>(
  options: PollOptions<T>
): Promise<{ value: T; elapsedMs: number }> {
  const { clock, timeoutMs, probe, done } = options
  const started = clock.now()
  let delay = options.firstDelayMs ?? 2_000
  for (;;) {
    const value = await probe()
    const elapsedMs = clock.now() - started
    if (done(value)) return { value, elapsedMs }
    options.progress?.(value, elapsedMs)
    const remaining = timeoutMs - elapsedMs
    if (remaining <= 0) return { value, elapsedMs }
    await clock.sleep(Math.min(delay, remaining))
    delay = Math.min(delay * 1.5, options.maxDelayMs ?? 15_000)
  }
}

export function formatElapsed(ms: number): string {
  const seconds = Math.round(ms / 1000)
  return seconds < 60
    ? `${seconds}s elapsed`
    : `${Math.floor(seconds / 60)}m${seconds % 60}s elapsed`
}
