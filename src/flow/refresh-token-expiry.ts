import type { Config } from '../inputs.js'
import type { TokenSet } from '../oauth/token.js'
import { escapeHtml } from '../present/html.js'
import { isoSeconds } from '../present/time.js'
import { addToSummary } from '../present/summary.js'
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

/**
 * A warning when the refresh token expires within the warning window
 * (refresh-token-expiry-warning-days), so the team approves again before the nightly job fails.
 */
export function expiryWarning(
  expiresAtMs: number | undefined,
  warningDays: number,
  nowMs: number
): string | undefined {
  if (expiresAtMs === undefined || warningDays <= 0) return undefined
  const leftMs = expiresAtMs - nowMs
  if (leftMs > warningDays * DAY_MS) return undefined
  const when =
    leftMs <= 0
      ? 'has expired'
      : `expires at ${isoSeconds(expiresAtMs)}, in ${leftMs < DAY_MS ? 'less than a day' : `${Math.floor(leftMs / DAY_MS)} day${leftMs < 2 * DAY_MS ? '' : 's'}`}`
  return `The refresh token ${when}. Run the workflow with the device flow before then (on-refresh-failure: device, or without refresh-token) so that a person approves again and the new refresh token is stored; jobs that start from the old one will fail.`
}

/**
 * The stage after the outputs: warns in the log and the summary when the refresh token later
 * jobs use expires within refresh-token-expiry-warning-days.
 */
export async function warnIfRefreshTokenExpires(
  context: Pick<RunContext, 'runner' | 'config' | 'oauth'>,
  tokens: TokenSet
): Promise<void> {
  const { runner, config } = context
  const nowMs = context.oauth.clock.now()
  const warning = expiryWarning(
    refreshTokenExpiresAtMs(config, tokens, nowMs),
    config.expiryWarningDays,
    nowMs
  )
  if (!warning) return
  runner.warning(warning)
  if (config.summary) await addToSummary(runner, `<p>⚠️ ${escapeHtml(warning)}</p>\n`)
}
