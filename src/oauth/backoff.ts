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
