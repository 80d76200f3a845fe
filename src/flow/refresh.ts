import { OAuthError, type EndpointRef } from '../errors.js'
import type { Config } from '../inputs.js'
import type { ClientCredentials } from '../oauth/client-auth.js'
import type { OAuthContext } from '../oauth/exchange.js'
import { RefreshRefusedError } from '../oauth/refresh-refused.js'
import type { TokenSet } from '../oauth/token.js'
import type { ProviderQuirks } from '../providers/quirks.js'
import type { Runner } from '../runner/runner.js'
import { MESSAGE_MAX_LENGTH, safe, safeText } from '../safe-text.js'
import type { LaterStagesLoader } from './load-later-stages.js'

/**
 * The refresh path (RFC 6749 §6): new tokens from the stored refresh token, or undefined when a
 * person must be asked instead (mode: device, no refresh token to use, or a dead one with
 * on-refresh-failure: device). Every other failure is thrown. An empty refresh-token where the
 * workflow meant to refresh was refused in readConfig, or arrives here as refreshTokenMissing.
 */
export async function refreshIfPossible(
  ctx: OAuthContext,
  runner: Runner,
  config: Config,
  client: ClientCredentials,
  tokenEndpoint: EndpointRef,
  quirks: ProviderQuirks,
  /** The token requests are among the stages after the code: run() began loading them. */
  later: LaterStagesLoader
): Promise<TokenSet | undefined> {
  if (config.mode === 'device') {
    if (config.refreshToken !== undefined)
      runner.info(
        safe`mode: device asks a person; the refresh-token input is not exchanged, only compared with the new refresh token (refresh-token-rotated).`
      )
    return undefined
  }
  if (config.refreshTokenMissing) {
    runner.warning(
      safe`The refresh-token input is empty, so there is nothing to refresh: asking a person with the device flow instead (on-refresh-failure: device). If this step was meant to refresh, the secret is empty or missing: check its name (a misspelt \${{ secrets.NAME }} is empty, not an error) and that this workflow may read it (pull requests from forks and Dependabot get no secrets). Store the refresh token this run returns.`
    )
    return undefined
  }
  if (config.refreshToken === undefined) return undefined
  const { refreshTokens, maskTokens } = await later.load()
  try {
    const tokens = await refreshTokens(
      ctx,
      tokenEndpoint,
      client,
      config.refreshToken,
      config.scope
    )
    maskTokens(runner, tokens)
    return tokens
  } catch (error) {
    if (!isDeadRefreshToken(error, quirks) || config.onRefreshFailure !== 'device') throw error
    runner.warning(
      safeText(
        `${error.message} Starting the device flow instead (on-refresh-failure: device): store the new refresh token this run returns.`,
        { maxLength: MESSAGE_MAX_LENGTH }
      )
    )
    return undefined
  }
}

/** The provider says the refresh token is no good, as opposed to anything else going wrong. */
export function isDeadRefreshToken(
  error: unknown,
  quirks: ProviderQuirks
): error is OAuthError | RefreshRefusedError {
  if (error instanceof RefreshRefusedError) return true
  return error instanceof OAuthError && quirks.deadRefreshTokenErrors.has(error.error)
}
