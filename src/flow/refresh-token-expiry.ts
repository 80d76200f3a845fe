import type { Config } from '../inputs.js'
import type { TokenSet } from '../oauth/token.js'
import { expiryText } from '../present/refresh-token.js'
import type { RunContext } from './context.js'

const DAY_MS = 24 * 3600 * 1000

/**
 * When the refresh token later jobs will use expires, if anyone says: the provider, for the one
 * it just issued (GitHub Apps: refresh_token_expires_in), or the refresh-token-expires-at input
 * for the stored one, while it is still the one in use (not rotated).
 */
export function refreshTokenExpiresAtMs(
  config: Pick<Config, 'refreshToken' | 'refreshTokenExpiresAtMs'>,
  tokens: TokenSet,
  nowMs: number
): number | undefined {
  if (tokens.refreshTokenExpiresInSeconds !== undefined)
    return nowMs + tokens.refreshTokenExpiresInSeconds * 1000
  const stillTheStoredOne =
    tokens.refreshToken === undefined || tokens.refreshToken === config.refreshToken
  return stillTheStoredOne ? config.refreshTokenExpiresAtMs : undefined
}

/** Whether the expiry is within the warning window (refresh-token-expiry-warning-days). */
export function expiresWithinWarning(
  expiresAtMs: number | undefined,
  warningDays: number,
  nowMs: number
): expiresAtMs is number {
  return expiresAtMs !== undefined && warningDays > 0 && expiresAtMs - nowMs <= warningDays * DAY_MS
}

/**
 * The warning when the refresh token expires within the warning window
 * (refresh-token-expiry-warning-days), so the team approves again before the nightly job fails.
 */
export function expiryWarning(
  expiresAtMs: number | undefined,
  warningDays: number,
  nowMs: number
): string | undefined {
  return expiresWithinWarning(expiresAtMs, warningDays, nowMs)
    ? expiryText(expiresAtMs, nowMs)
    : undefined
}

/**
 * The stage after the outputs: tells the listeners (the log warns, the summary records it) when
 * the refresh token later jobs use expires within refresh-token-expiry-warning-days.
 */
export async function warnIfRefreshTokenExpires(
  context: Pick<RunContext, 'events' | 'config' | 'oauth'>,
  tokens: TokenSet
): Promise<void> {
  const { config } = context
  const nowMs = context.oauth.clock.now()
  const expiresAtMs = refreshTokenExpiresAtMs(config, tokens, nowMs)
  if (!expiresWithinWarning(expiresAtMs, config.expiryWarningDays, nowMs)) return
  await context.events.emit({ type: 'refresh-token-expires', atMs: nowMs, expiresAtMs })
}
