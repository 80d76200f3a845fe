import type { Config } from '../inputs.js'
import type { ClientCredentials } from '../oauth/client-auth.js'
import type { ProviderMetadata } from '../oauth/endpoints.js'
import type { OAuthContext } from '../oauth/exchange.js'
import { revokeGitHubToken, revokeToken, type RevocationResult } from '../oauth/revoke.js'
import type { TokenSet } from '../oauth/token.js'
import type { Runner } from '../runner/runner.js'
import { gitHubApiFor } from './plan.js'
import { MESSAGE_MAX_LENGTH, safeText, type SafeText } from '../safe-text.js'

/** Everything a revocation needs, as the run knows it. */
export interface DiscardContext {
  readonly ctx: OAuthContext
  readonly runner: Pick<Runner, 'info' | 'warning' | 'env'>
  readonly config: Config
  readonly metadata: ProviderMetadata
  readonly client: ClientCredentials
}

/**
 * The longest a discard may take, whatever the step's state: it also runs after a cancel, when
 * the runner kills the process ten seconds after SIGINT.
 */
const DISCARD_BUDGET_MS = 8_000

/**
 * Revokes tokens the run will never output (a refused approval's, the later approvals' of a
 * two-person gate), at once and where the provider allows: RFC 7009 at the revocation endpoint,
 * or GitHub's DELETE /applications/{client_id}/token, which needs the client secret. What could
 * not be revoked is said, with how long it stays valid. Never throws.
 */
export async function discardTokens(
  discard: DiscardContext,
  tokens: TokenSet,
  whose: string
): Promise<void> {
  const { runner, config, metadata, client } = discard
  // Its own signal: a cancelled step must still revoke, and must not wait long doing it.
  const ctx: OAuthContext = {
    ...discard.ctx,
    signal: AbortSignal.timeout(DISCARD_BUDGET_MS),
    requestTimeoutMs: Math.min(discard.ctx.requestTimeoutMs, 5_000)
  }
  const lasts = lifetimeOf(tokens)
  if (config.provider.name === 'github') {
    if (!config.clientSecret) {
      runner.info(
        shown(
          `GitHub revokes a token only with the app's client secret, and client-secret is not set: ${whose} token is never output, but stays valid ${lasts} unless they revoke it (GitHub → Settings → Applications).`
        )
      )
      return
    }
    report(
      runner,
      whose,
      'token',
      await revokeGitHubToken(
        ctx,
        gitHubApiFor(metadata.tokenEndpoint, runner.env),
        config.clientId,
        config.clientSecret,
        tokens.accessToken
      ),
      lasts
    )
    return
  }
  if (!metadata.revocationEndpoint) {
    runner.info(
      shown(
        `The provider has no revocation endpoint (revocation_endpoint in discovery, or the revocation-endpoint input): ${whose} tokens are never output, but stay valid ${lasts}.`
      )
    )
    return
  }
  const endpoint = { name: 'revocation endpoint', url: metadata.revocationEndpoint }
  // RFC 7009 §2.1: revoking the refresh token first may end the whole grant with it.
  if (tokens.refreshToken) {
    const result = await revokeToken(ctx, endpoint, client, tokens.refreshToken, 'refresh_token')
    report(runner, whose, 'refresh token', result, 'until it expires')
  }
  const result = await revokeToken(ctx, endpoint, client, tokens.accessToken, 'access_token')
  report(runner, whose, 'access token', result, lasts)
}

function report(
  runner: Pick<Runner, 'info' | 'warning'>,
  whose: string,
  what: string,
  result: RevocationResult,
  lasts: string
): void {
  if (result.kind === 'revoked') runner.info(shown(`Revoked ${whose} ${what}; it is never output.`))
  else
    runner.warning(
      shown(`Could not revoke ${whose} ${what}: ${result.message} It stays valid ${lasts}.`)
    )
}

/** Approvers' names and the provider's words are foreign text. */
function shown(text: string): SafeText {
  return safeText(text, { maxLength: MESSAGE_MAX_LENGTH })
}

function lifetimeOf(tokens: TokenSet): string {
  return tokens.expiresInSeconds !== undefined
    ? `until it expires (${Math.round(tokens.expiresInSeconds / 60)} min)`
    : 'until it expires'
}
