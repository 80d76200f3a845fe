import type { TokenSet } from '../oauth/token.js'
import { isoSeconds } from './format.js'
import type { Runner } from './runner.js'

/** Masks every secret in a token set. Called the moment tokens arrive, before anything else. */
export function maskTokens(runner: Pick<Runner, 'setSecret'>, tokens: TokenSet): void {
  for (const secret of [tokens.accessToken, tokens.refreshToken, tokens.idToken]) {
    if (secret) runner.setSecret(secret)
  }
}

export interface PublishOptions {
  readonly nowMs: number
  /** The refresh token that was traded in, when this is a refresh: still valid if not rotated. */
  readonly refreshTokenUsed?: string
}

/**
 * Sets the step outputs. Values the provider did not return stay unset. refresh-token is the one
 * to store: the new one when the provider rotated it, otherwise the one that still works.
 */
export function publishTokens(runner: Runner, tokens: TokenSet, options: PublishOptions): void {
  maskTokens(runner, tokens)
  // It may become the refresh-token output: masked here too, not only where it was read.
  if (options.refreshTokenUsed) runner.setSecret(options.refreshTokenUsed)
  runner.setOutput('access-token', tokens.accessToken)
  const refreshToken = tokens.refreshToken ?? options.refreshTokenUsed
  if (refreshToken) runner.setOutput('refresh-token', refreshToken)
  if (options.refreshTokenUsed !== undefined) {
    runner.setOutput(
      'refresh-token-rotated',
      String(tokens.refreshToken !== undefined && tokens.refreshToken !== options.refreshTokenUsed)
    )
  }
  if (tokens.idToken) runner.setOutput('id-token', tokens.idToken)
  if (tokens.tokenType) runner.setOutput('token-type', tokens.tokenType)
  if (tokens.expiresInSeconds !== undefined) {
    runner.setOutput('expires-in', String(Math.floor(tokens.expiresInSeconds)))
    runner.setOutput('expires-at', isoSeconds(options.nowMs + tokens.expiresInSeconds * 1000))
  }
  if (tokens.refreshTokenExpiresInSeconds !== undefined) {
    runner.setOutput(
      'refresh-token-expires-at',
      isoSeconds(options.nowMs + tokens.refreshTokenExpiresInSeconds * 1000)
    )
  }
  if (tokens.scope) runner.setOutput('scope', tokens.scope)
}
