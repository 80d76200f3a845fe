import type { Config } from '../inputs.js'
import type { DeviceAuthorization } from '../oauth/device.js'

/** Without expires_in from the provider and without the timeout input, wait this long. */
export const FALLBACK_WAIT_SECONDS = 15 * 60

export interface Deadlines {
  /** When the code expires (expires_in). */
  readonly expiresAtMs?: number
  /** When the timeout input ends the wait. */
  readonly timeoutAtMs?: number
  /** Whichever comes first. */
  readonly deadlineMs: number
  /** Said in the log when the provider gave no expiry and the fallback applies. */
  readonly note?: string
}

/** The wait ends at whichever comes first: the code's expiry, or the timeout input. */
export function deadlinesOf(
  device: DeviceAuthorization,
  config: Pick<Config, 'timeoutSeconds'>,
  startMs: number
): Deadlines {
  const expiresAtMs =
    device.expiresInSeconds !== undefined ? startMs + device.expiresInSeconds * 1000 : undefined
  let timeoutAtMs =
    config.timeoutSeconds !== undefined ? startMs + config.timeoutSeconds * 1000 : undefined
  let note: string | undefined
  if (expiresAtMs === undefined && timeoutAtMs === undefined) {
    timeoutAtMs = startMs + FALLBACK_WAIT_SECONDS * 1000
    note = `The provider did not say when the code expires; waiting at most ${FALLBACK_WAIT_SECONDS / 60} minutes (set the timeout input to change this).`
  }
  return {
    ...(expiresAtMs !== undefined && { expiresAtMs }),
    ...(timeoutAtMs !== undefined && { timeoutAtMs }),
    deadlineMs: Math.min(expiresAtMs ?? Infinity, timeoutAtMs ?? Infinity),
    ...(note && { note })
  }
}
