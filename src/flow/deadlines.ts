import { InputError } from '../errors.js'
import type { Config } from '../inputs.js'
import type { DeviceAuthorization } from '../oauth/device.js'
import { POLL_MARGIN_MS } from '../oauth/poll.js'
import { formatDuration } from '../present/time.js'

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

/**
 * The wait ends at whichever comes first: the code's expiry, or the timeout input. A fresh code
 * shown after a refusal (`turnEndsAtMs`) keeps the deadline of the approval it stands in for:
 * the timeout input bounds the whole wait for one approval, however many codes it takes.
 */
export function deadlinesOf(
  device: DeviceAuthorization,
  config: Pick<Config, 'timeoutSeconds'>,
  startMs: number,
  turnEndsAtMs?: number
): Deadlines {
  const expiresAtMs =
    device.expiresInSeconds !== undefined ? startMs + device.expiresInSeconds * 1000 : undefined
  if (turnEndsAtMs !== undefined) {
    return {
      ...(expiresAtMs !== undefined && { expiresAtMs }),
      timeoutAtMs: turnEndsAtMs,
      deadlineMs: Math.min(expiresAtMs ?? Infinity, turnEndsAtMs)
    }
  }
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

/** A timeout shorter than this is allowed, but rarely leaves a person time to approve. */
export const SHORT_TIMEOUT_SECONDS = 60

/**
 * Checks the timeout input against the code: refuses one that ends the wait before the first
 * poll (RFC 8628 §3.5: the client waits the interval before polling), since the prompt would ask
 * for an approval nobody could give; returns a warning for one shorter than a minute.
 */
export function checkTimeout(
  config: Pick<Config, 'timeoutSeconds'>,
  device: Pick<DeviceAuthorization, 'intervalSeconds'>,
  deadlines: Deadlines
): string | undefined {
  const { timeoutSeconds } = config
  if (timeoutSeconds === undefined || deadlines.timeoutAtMs !== deadlines.deadlineMs)
    return undefined
  const shown = formatDuration(timeoutSeconds * 1000)
  if (timeoutSeconds * 1000 <= device.intervalSeconds * 1000 + POLL_MARGIN_MS) {
    throw new InputError(
      'timeout',
      `is ${shown}, but the provider's polling interval is ${device.intervalSeconds} s: the wait would end before the first poll, so nobody could approve. The code was not shown. Give the person minutes (for example 10m).`
    )
  }
  if (timeoutSeconds < SHORT_TIMEOUT_SECONDS) {
    return `The timeout input is ${shown} (a number without a unit is seconds: 10m is ten minutes); a person rarely opens the link, signs in and approves that fast.`
  }
  return undefined
}
