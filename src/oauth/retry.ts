import { describeEndpoint, type EndpointRef, NetworkError } from '../errors.js'
import type { OAuthContext } from './exchange.js'
import { capitalize } from './provider-errors.js'
import { isTransientStatus, oauthErrorOf, type ReadResponse } from './response.js'

/** The longest single wait between retries before the prompt, whatever Retry-After says. */
export const MAX_RETRY_WAIT_MS = 60_000

export interface RetryOptions {
  readonly attempts: number
  /** Retry a request that may have reached the server before the connection failed. */
  readonly retryMaybeDelivered: boolean
  /**
   * The longest wait before another try. A Retry-After beyond it ends the retries with the answer
   * as it is, for a caller that cannot wait long (the post step at the end of a job).
   */
  readonly maxDelayMs?: number
  /** Told before each retry; without it, the context's onRetry is. */
  readonly onRetry?: (reason: string, delayMs: number) => void
}

/**
 * Runs a request again after network failures and transient statuses (with backoff, or as long as
 * Retry-After says). Used for discovery and the device authorization request; the poll loop has
 * its own policy, bounded by the code's lifetime.
 */
export async function withRetries(
  ctx: OAuthContext,
  endpoint: EndpointRef,
  attempt: () => Promise<ReadResponse>,
  options: RetryOptions
): Promise<ReadResponse> {
  for (let n = 1; ; n++) {
    let reason: string
    let retryAfterMs: number | undefined
    let lastRead: ReadResponse | undefined
    let lastError: unknown
    try {
      const read = await attempt()
      lastRead = read
      // An OAuth error is the provider's answer; an API-style `error` object on a 503 is not.
      if (!isTransientStatus(read.status) || oauthErrorOf(read) || n >= options.attempts)
        return read
      reason = `answered HTTP ${read.status}`
      retryAfterMs = read.retryAfterMs
    } catch (error) {
      const retryable =
        error instanceof NetworkError &&
        (options.retryMaybeDelivered || !error.maybeDelivered) &&
        n < options.attempts
      if (!retryable) throw error
      lastError = error
      // Only what happened: the advice comes once, with the failure, if the retries run out.
      reason = error.happened
    }
    // Retry-After is advice (RFC 9110 §10.2.3): before the prompt nobody sees a code yet, so a
    // provider's "come back in an hour" is cut to a minute, and never runs past the timeout.
    const wantedMs = retryAfterMs ?? backoffDelayMs(n, DEFAULT_BACKOFF, ctx.clock.random())
    // Only an answer carries Retry-After; backoff delays stay far below any sensible limit.
    if (lastRead && options.maxDelayMs !== undefined && wantedMs > options.maxDelayMs)
      return lastRead
    const leftMs = (ctx.retriesEndAtMs ?? Infinity) - ctx.clock.now()
    if (leftMs <= 0) {
      if (lastRead) return lastRead
      throw lastError
    }
    const delayMs = Math.min(wantedMs, MAX_RETRY_WAIT_MS, leftMs)
    const said =
      retryAfterMs !== undefined && delayMs < retryAfterMs
        ? ` (the provider asked for ${Math.round(retryAfterMs / 1000)} s with Retry-After; waiting at most ${Math.round(delayMs / 1000)} s)`
        : ''
    const onRetry = options.onRetry ?? ctx.onRetry
    onRetry?.(`${capitalize(describeEndpoint(endpoint))} ${reason}${said}`, delayMs)
    await ctx.clock.sleep(delayMs, ctx.signal)
  }
}

/**
 * Exponential backoff with full jitter: attempt 1 waits up to `baseMs`, attempt 2 up to twice
 * that, capped at `maxMs`. RFC 8628 §3.5 asks for exponential backoff when the connection times
 * out; the jitter keeps many runners from retrying in lockstep.
 */
export interface BackoffPolicy {
  readonly baseMs: number
  readonly maxMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 60_000 }

export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1))
  // Never zero: half the ceiling is fixed, the other half random.
  return Math.round(ceiling / 2 + (ceiling / 2) * random)
}
