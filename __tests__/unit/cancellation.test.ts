import { describe, expect, it } from '@jest/globals'
import { CancelledError, cancellableClock } from '../../src/cancellation.js'
import { pollUntil, systemClock } from '../../src/poll.js'

const cancelled = () => new CancelledError('Cancelled (SIGTERM).')

describe('a cancellable clock', () => {
  it('ends a long sleep as soon as the step is cancelled, with the cancellation', async () => {
    const controller = new AbortController()
    // The cancellation comes once the sleep is under way, as the runner's signal would.
    const sleepStarted = {
      ...systemClock,
      sleep: async (ms: number, signal?: AbortSignal) => {
        queueMicrotask(() => controller.abort(cancelled()))
        return systemClock.sleep(ms, signal)
      }
    }
    const clock = cancellableClock(sleepStarted, controller.signal)
    await expect(clock.sleep(60_000)).rejects.toThrow(CancelledError)
  })

  it('does not start a sleep once cancelled', async () => {
    const controller = new AbortController()
    controller.abort(cancelled())
    let slept = false
    const clock = cancellableClock(
      { now: () => 0, sleep: async () => void (slept = true) },
      controller.signal
    )
    await expect(clock.sleep(1)).rejects.toThrow('Cancelled (SIGTERM).')
    expect(slept).toBe(false)
  })

  it('sleeps as the clock it wraps while not cancelled', async () => {
    const clock = cancellableClock(systemClock, new AbortController().signal)
    await expect(clock.sleep(5)).resolves.toBeUndefined()
  })

  it('stops a poll between two probes', async () => {
    const controller = new AbortController()
    let probes = 0
    const poll = pollUntil({
      clock: cancellableClock(systemClock, controller.signal),
      timeoutMs: 600_000,
      probe: async () => {
        probes++
        if (probes === 2) controller.abort(cancelled())
        return 'PENDING'
      },
      done: status => status === 'RUNNING',
      firstDelayMs: 1
    })
    await expect(poll).rejects.toThrow(CancelledError)
    expect(probes).toBe(2)
  })
})
