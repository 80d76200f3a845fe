import type { Config } from '../inputs.js'
import type { TokenSet } from '../oauth/token.js'

/** Tokens as the provider sent them, in the RFC's form. */
export function normalizeTokens(
  config: Pick<Config, 'provider' | 'scope'>,
  received: TokenSet
): TokenSet {
  const tokens = config.provider.normalizeTokens?.(received) ?? received
  // RFC 6749 §5.1: a response without scope granted exactly the scope requested.
  return tokens.scope === undefined && config.scope ? { ...tokens, scope: config.scope } : tokens
}
