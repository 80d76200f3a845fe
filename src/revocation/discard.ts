import type { OAuthContext } from '../oauth/exchange.js'
import { revokeGitHubToken, revokeToken, type RevocationResult } from '../oauth/revoke.js'
import type { TokenSet } from '../oauth/token.js'
import type { Runner } from '../runner/runner.js'
import { gitHubApiFor, type RevocationContext } from './plan.js'

/**
 * The longest a discard may take, whatever the step's state: it also runs after a cancel, when
 * the runner kills the process ten seconds after SIGINT.
 */
const DISCARD_BUDGET_MS = 8_000

/**
 * Revokes tokens the run will never output (a refused approval's, the later approvals' of a
 * two-person gate), at once and where the provider allows: RFC 7009 at the revocation endpoint,
 * or GitHub's DELETE /applications/{client_id}/token, which needs the client secret. What could
 * not be revoked is said, with how long it stays valid. Never throws; true when every token was
 * revoked.
 */
export async function discardTokens(
  context: RevocationContext,
  tokens: TokenSet,
  whose: string
): Promise<boolean> {
  const { runner, config, metadata, client } = context
  // Its own signal: a cancelled step must still revoke, and must not wait long doing it.
  const ctx: OAuthContext = {
    ...context.oauth,
    signal: AbortSignal.timeout(DISCARD_BUDGET_MS),
    requestTimeoutMs: Math.min(context.oauth.requestTimeoutMs, 5_000)
  }
  const lasts = lifetimeOf(tokens)
  if (config.provider.name === 'github') {
    if (!config.clientSecret) {
      runner.info(
        `GitHub revokes a token only with the app's client secret, and client-secret is not set: ${whose} token is never output, but stays valid ${lasts} unless they revoke it (GitHub → Settings → Applications).`
      )
      return false
    }
    return report(
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
  }
  if (!metadata.revocationEndpoint) {
    runner.info(
      `The provider has no revocation endpoint (revocation_endpoint in discovery, or the revocation-endpoint input): ${whose} tokens are never output, but stay valid ${lasts}.`
    )
    return false
  }
  const endpoint = { name: 'revocation endpoint', url: metadata.revocationEndpoint }
  // RFC 7009 §2.1: revoking the refresh token first may end the whole grant with it.
  let refreshRevoked = true
  if (tokens.refreshToken) {
    const result = await revokeToken(ctx, endpoint, client, tokens.refreshToken, 'refresh_token')
    refreshRevoked = report(runner, whose, 'refresh token', result, 'until it expires')
  }
  const result = await revokeToken(ctx, endpoint, client, tokens.accessToken, 'access_token')
  return report(runner, whose, 'access token', result, lasts) && refreshRevoked
}

/** Says what became of one token; true when it was revoked. */
function report(
  runner: Pick<Runner, 'info' | 'warning'>,
  whose: string,
  what: string,
  result: RevocationResult,
  lasts: string
): boolean {
  if (result.kind === 'revoked') {
    runner.info(`Revoked ${whose} ${what}; it is never output.`)
    return true
  }
  runner.warning(`Could not revoke ${whose} ${what}: ${result.message} It stays valid ${lasts}.`)
  return false
}

function lifetimeOf(tokens: TokenSet): string {
  return tokens.expiresInSeconds !== undefined
    ? `until it expires (${Math.round(tokens.expiresInSeconds / 60)} min)`
    : 'until it expires'
}
