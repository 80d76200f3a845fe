import { CancelledError } from './errors.js'

/**
 * Time, injected: the poll loop and retries read `now()` and wait with `sleep()`, so a unit test
 * drives ten minutes of polling in milliseconds with a fake clock.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
  /** Waits `ms`; rejects with CancelledError as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
  /** A number in [0, 1) for backoff jitter. */
  random(): number
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new CancelledError())
      const onAbort = (): void => {
        clearTimeout(timer)
        reject(new CancelledError())
      }
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
        Math.max(0, ms)
      )
      signal?.addEventListener('abort', onAbort, { once: true })
    }),
  random: () => Math.random()
}
