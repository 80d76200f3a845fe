import { OAuthError } from '../errors.js'
import { refreshTokens, RefreshRefusedError, type TokenSet } from '../oauth/token.js'
import type { ProviderQuirks } from '../providers/quirks.js'
import type { RunContext } from './context.js'
import { maskTokens } from './outputs.js'

/**
 * The refresh path (RFC 6749 §6): new tokens from the stored refresh token, or undefined when a
 * person must be asked instead (mode: device, no refresh token to use, or a dead one with
 * on-refresh-failure: device). Every other failure is thrown. An empty refresh-token where the
 * workflow meant to refresh was refused in readConfig, or arrives here as refreshTokenMissing.
 */
export async function refreshIfPossible(context: RunContext): Promise<TokenSet | undefined> {
  const { runner, config } = context
  if (config.mode === 'device') {
    if (config.refreshToken !== undefined)
      runner.info(
        `mode: device asks a person; the refresh-token input is not exchanged, only compared with the new refresh token (refresh-token-rotated).`
      )
    return undefined
  }
  if (config.refreshTokenMissing) {
    runner.warning(
      `The refresh-token input is empty, so there is nothing to refresh: asking a person with the device flow instead (on-refresh-failure: device). If this step was meant to refresh, the secret is empty or missing: check its name (a misspelt \${{ secrets.NAME }} is empty, not an error) and that this workflow may read it (pull requests from forks and Dependabot get no secrets). Store the refresh token this run returns.`
    )
    return undefined
  }
  if (config.refreshToken === undefined) return undefined
  try {
    const tokens = await refreshTokens(
      context.oauth,
      { name: 'token endpoint', url: context.metadata.tokenEndpoint },
      context.client,
      config.refreshToken,
      config.scope
    )
    maskTokens(runner, tokens)
    return tokens
  } catch (error) {
    if (!isDeadRefreshToken(error, context.quirks) || config.onRefreshFailure !== 'device')
      throw error
    runner.warning(
      `${error.message} Starting the device flow instead (on-refresh-failure: device): store the new refresh token this run returns.`
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
