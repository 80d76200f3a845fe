import type { Config } from '../inputs.js'
import type { Approver } from '../oauth/approver.js'
import type { TokenSet } from '../oauth/token.js'
import { isoSeconds } from '../present/time.js'
import type { Runner } from '../runner/runner.js'

/** Tokens as the provider sent them, in the RFC's form. */
export function normalizeTokens(
  config: Pick<Config, 'provider' | 'scope'>,
  received: TokenSet
): TokenSet {
  const tokens = config.provider.normalizeTokens?.(received) ?? received
  // RFC 6749 §5.1: a response without scope granted exactly the scope requested.
  return tokens.scope === undefined && config.scope ? { ...tokens, scope: config.scope } : tokens
}

/** Masks every secret in a token set. Called the moment tokens arrive, before anything else. */
export function maskTokens(runner: Pick<Runner, 'setSecret'>, tokens: TokenSet): void {
  for (const secret of [tokens.accessToken, tokens.refreshToken, tokens.idToken]) {
    if (secret) runner.setSecret(secret)
  }
}

/** The refresh token later jobs should use, and whether it differs from the one they have. */
export interface StoredRefreshToken {
  readonly value?: string
  /** True when `value` is not what the refresh-token input held: it must be stored. */
  readonly mustStore: boolean
}

/**
 * Which refresh token to keep. After a refresh without rotation, the one traded in still works;
 * otherwise the provider's new one. It must be stored whenever it differs from the refresh-token
 * input, whichever path led here: a rotation, a device-flow fallback from a dead token, or a
 * first run from an empty secret.
 */
export function refreshTokenToStore(
  tokens: TokenSet,
  refreshTokenInput: string | undefined,
  refreshed: boolean
): StoredRefreshToken {
  const value = tokens.refreshToken ?? (refreshed ? refreshTokenInput : undefined)
  return { ...(value && { value }), mustStore: value !== undefined && value !== refreshTokenInput }
}

export interface PublishOptions {
  readonly nowMs: number
  readonly approver?: Approver
  /** Everyone who approved, in order (the approvals input); the tokens are the first one's. */
  readonly approvers?: readonly Approver[]
  /** Default: the provider's refresh token, if any, as a new one (no refresh-token input). */
  readonly refreshToken?: StoredRefreshToken
}

/** Sets the step outputs. Values the provider did not return stay unset. */
export function publishTokens(runner: Runner, tokens: TokenSet, options: PublishOptions): void {
  maskTokens(runner, tokens)
  const refreshToken = options.refreshToken ?? refreshTokenToStore(tokens, undefined, false)
  // It may be the refresh-token input: masked here too, not only where it was read.
  if (refreshToken.value) runner.setSecret(refreshToken.value)
  runner.setOutput('access-token', tokens.accessToken)
  if (refreshToken.value) runner.setOutput('refresh-token', refreshToken.value)
  runner.setOutput('refresh-token-rotated', String(refreshToken.mustStore))
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
  if (options.approver) {
    runner.setOutput('approver', options.approver.name)
    runner.setOutput('approver-subject', options.approver.subject)
  }
  const approvers = options.approvers ?? (options.approver ? [options.approver] : [])
  // A JSON array of names: fromJSON(steps.x.outputs.approvers) in a workflow, join() for a line.
  if (approvers.length > 0)
    runner.setOutput('approvers', JSON.stringify(approvers.map((approver) => approver.name)))
}
