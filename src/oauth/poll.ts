import type { Clock } from '../clock.js'
import { type EndpointRef, WaitEndedError } from '../errors.js'
import { backoffDelayMs, DEFAULT_BACKOFF } from './retry.js'
import { oauthError } from './provider-errors.js'
import type { TokenAttempt, TokenSet } from './token.js'

/** RFC 8628 §3.5: slow_down raises the interval by 5 s for this and all later polls. */
export const SLOW_DOWN_STEP_MS = 5000
/** Waits are cut into slices this long, so the runner can remind the person while it waits. */
export const TICK_MS = 15_000
/** Longest single token request; shortened near the deadline. */
export const POLL_REQUEST_TIMEOUT_MS = 30_000

export type PollEvent =
  | { readonly type: 'tick'; readonly nowMs: number }
  | { readonly type: 'pending'; readonly poll: number }
  | { readonly type: 'slow-down'; readonly intervalSeconds: number; readonly count: number }
  /** Once per wait: a slow_down came although the full interval had passed. */
  | { readonly type: 'margin-widened'; readonly marginMs: number }
  | {
      readonly type: 'transient'
      readonly reason: string
      readonly failuresInARow: number
      readonly retryInMs: number
    }

export interface PollOptions {
  readonly clock: Clock
  readonly signal?: AbortSignal
  readonly endpoint: EndpointRef
  readonly intervalSeconds: number
  /** When the device code expires (from expires_in). */
  readonly expiresAtMs?: number
  /** When the person's time is up (from the timeout input). At least one of the two is set. */
  readonly timeoutAtMs?: number
  /** One token request with the device code; given the time it may take. */
  readonly attempt: (timeoutMs: number) => Promise<TokenAttempt>
  /** Error codes besides access_denied that mean the request was refused (a provider's own names). */
  readonly denialErrors?: ReadonlySet<string>
  readonly onEvent?: (event: PollEvent) => void
}

/**
 * Polls the token endpoint until the person approves (RFC 8628 §3.4–3.5): waits the interval
 * before the first poll and between polls (from the end of the previous response, plus a small
 * margin that widens once if the provider still finds us early), keeps waiting on
 * authorization_pending, slows down for good on slow_down, stops on any other error, and stops at
 * the deadline. Returns as soon as tokens arrive: a device code is never redeemed twice.
 */
export async function pollForTokens(options: PollOptions): Promise<TokenSet> {
  const { clock, signal } = options
  const deadlineMs = Math.min(options.expiresAtMs ?? Infinity, options.timeoutAtMs ?? Infinity)
  if (!Number.isFinite(deadlineMs))
    throw new Error('pollForTokens needs expiresAtMs or timeoutAtMs')
  const emit = (event: PollEvent): void => options.onEvent?.(event)

  let intervalMs = options.intervalSeconds * 1000
  let marginMs = POLL_MARGIN_MS
  const startedMs = clock.now()
  /** When the previous response ended (or polling started): the interval counts from there. */
  let lastAnswerMs = startedMs
  let nextPollMs = startedMs + intervalMs + marginMs
  let polls = 0
  let slowDowns = 0
  let failuresInARow = 0
  /** While the provider is failing, why: a deadline reached then is not "nobody approved". */
  let lastFailure: string | undefined

  for (;;) {
    if (nextPollMs >= deadlineMs) {
      const last = finalPollTime(deadlineMs, lastAnswerMs, intervalMs, clock.now())
      if (last === undefined) {
        // No poll fits before the deadline; the code stays valid until then, so report the end
        // when it actually comes (the person may still be reading the prompt).
        await sleepUntil(clock, deadlineMs, signal, emit)
        throw deadlineReached(options, deadlineMs, lastFailure)
      }
      nextPollMs = last
    }
    await sleepUntil(clock, nextPollMs, signal, emit)
    polls++
    const sentMs = clock.now()
    const waitedFullInterval = sentMs - lastAnswerMs >= intervalMs
    const result = await options.attempt(
      Math.max(1000, Math.min(POLL_REQUEST_TIMEOUT_MS, deadlineMs - sentMs))
    )
    lastAnswerMs = clock.now()

    if (result.kind === 'tokens') return result.tokens

    if (result.kind === 'transient' && result.status !== 429) {
      failuresInARow++
      lastFailure = result.reason
      // RFC 8628 §3.5: back off exponentially, starting from the polling interval.
      const policy = { baseMs: intervalMs, maxMs: Math.max(DEFAULT_BACKOFF.maxMs, intervalMs) }
      const backoff = Math.max(intervalMs, backoffDelayMs(failuresInARow, policy, clock.random()))
      // A Retry-After shorter than the interval does not shorten it (RFC 8628 §3.5).
      const waitMs = Math.max(intervalMs, result.retryAfterMs ?? backoff)
      emit({ type: 'transient', reason: result.reason, failuresInARow, retryInMs: waitMs })
      nextPollMs = lastAnswerMs + waitMs + marginMs
      continue
    }
    failuresInARow = 0
    lastFailure = undefined

    const error = result.kind === 'oauth-error' ? result.body.error : 'slow_down' // a bare 429 means slow down
    if (error === 'access_denied' || options.denialErrors?.has(error)) {
      throw new WaitEndedError(
        'denied',
        `The request was denied (${error}). RFC 8628 §3.5 says only that the authorization request was denied: usually the person who signed in declined it, but the provider also answers so when it refused the request itself (the account may not use this client, was disabled or removed, or the request was revoked). Ask the approver which it was; run the job again if it was a mistake.`,
        result.kind === 'oauth-error' ? result.body : undefined
      )
    }
    switch (error) {
      case 'authorization_pending':
        emit({ type: 'pending', poll: polls })
        break
      case 'slow_down': {
        slowDowns++
        const offered =
          result.kind === 'oauth-error' && result.intervalSeconds
            ? result.intervalSeconds * 1000
            : 0
        // An interval the provider offers (1e308, say) is capped at the time left: past the
        // deadline there is nothing to wait for, and "every Infinity s" helps nobody. The RFC's
        // own +5 s is never cut.
        const raisedMs = intervalMs + SLOW_DOWN_STEP_MS
        const leftMs = Math.ceil((deadlineMs - clock.now()) / 1000) * 1000
        intervalMs = Math.min(Math.max(raisedMs, offered), Math.max(raisedMs, leftMs))
        emit({ type: 'slow-down', intervalSeconds: intervalMs / 1000, count: slowDowns })
        if (waitedFullInterval && marginMs < WIDENED_POLL_MARGIN_MS) {
          marginMs = WIDENED_POLL_MARGIN_MS
          emit({ type: 'margin-widened', marginMs })
        }
        break
      }
      case 'expired_token':
        throw new WaitEndedError(
          'expired',
          'The code expired before anyone approved it. Run the job again and approve within the time shown.',
          result.kind === 'oauth-error' ? result.body : undefined
        )
      default:
        if (result.kind === 'oauth-error') {
          throw oauthError(options.endpoint, result.status, result.body, 'device-token')
        }
    }
    const retryAfterMs = result.retryAfterMs ?? 0
    nextPollMs = lastAnswerMs + Math.max(intervalMs, retryAfterMs) + marginMs
  }
}

/**
 * When the next poll would fall after the deadline, one last poll just before it still catches
 * an approval given in the meantime, provided it keeps a decent gap from the previous poll (or
 * from the start, when there was none: an interval as long as the code's life, Keycloak 17's
 * 600 s for a 600 s code, keycloak#12327, still gets its one poll).
 */
function finalPollTime(
  deadlineMs: number,
  lastAnswerMs: number,
  intervalMs: number,
  nowMs: number
): number | undefined {
  const candidate = deadlineMs - 1000
  if (candidate <= nowMs) return undefined
  return candidate - lastAnswerMs >= Math.min(intervalMs, 5000) ? candidate : undefined
}

function deadlineReached(
  options: PollOptions,
  deadlineMs: number,
  lastFailure: string | undefined
): WaitEndedError {
  const failing = lastFailure
    ? ` The token endpoint was failing when time ran out, so an approval may not have been seen: ${lastFailure}`
    : ''
  if (options.expiresAtMs !== undefined && deadlineMs >= options.expiresAtMs) {
    return new WaitEndedError(
      'expired',
      `The code expired before anyone approved it. Run the job again and approve within the time shown.${failing}`
    )
  }
  return new WaitEndedError(
    'timed-out',
    `Nobody approved the request within the time set by the timeout input. Run the job again, or raise timeout.${failing}`
  )
}

async function sleepUntil(
  clock: Clock,
  targetMs: number,
  signal: AbortSignal | undefined,
  emit: (event: PollEvent) => void
): Promise<void> {
  for (let now = clock.now(); now < targetMs; now = clock.now()) {
    await clock.sleep(Math.min(TICK_MS, targetMs - now), signal)
    emit({ type: 'tick', nowMs: clock.now() })
  }
}

/**
 * Added to every wait, which is counted from the end of the previous response (RFC 8628 §3.5 asks
 * for `interval` seconds between requests; the previous request's round trip is already on top of
 * that). It only has to cover a provider whose clock runs a little slower than ours.
 */
export const POLL_MARGIN_MS = 25
/**
 * The margin after the provider answered slow_down to a poll that had waited the full interval:
 * it counts time differently from us (a virtual machine's clock running fast, or a provider that
 * measures strictly, GitHub), so leave it a whole second of room for the rest of the wait.
 */
export const WIDENED_POLL_MARGIN_MS = 1000
