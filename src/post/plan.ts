import type { RevokeChoice } from '../inputs.js'
import type { ClientCredentials } from '../oauth/client-auth.js'
import type { ProviderMetadata } from '../oauth/endpoints.js'
import { gitHubApiUrl } from '../oauth/github-api.js'
import type { TokenSet } from '../oauth/token.js'
import type { RevocationState } from './state.js'

export interface PlanInputs {
  readonly revoke: RevokeChoice
  /** GitHub has its own revocation API (provider: github). */
  readonly github: boolean
  readonly client: ClientCredentials
  readonly metadata: Pick<ProviderMetadata, 'tokenEndpoint' | 'revocationEndpoint'>
  /** The refresh token later jobs keep using: never revoked (see refreshTokenToKeep). */
  readonly refreshTokenKept?: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly nowMs: number
}

/** What to save for the post step, and a line for the log when something cannot be revoked. */
export interface Plan {
  readonly state?: RevocationState
  readonly note?: string
}

/**
 * Decides, as soon as tokens arrive, what the post step will revoke. A refresh token is revoked
 * only with revoke: all, and never one that later jobs will use: one stored by
 * store-refresh-token, or the refresh-token input itself when it was not rotated.
 */
export function planRevocation(tokens: TokenSet, inputs: PlanInputs): Plan {
  if (inputs.revoke === 'none') return {}
  const refreshToken =
    inputs.revoke === 'all' &&
    tokens.refreshToken !== undefined &&
    tokens.refreshToken !== inputs.refreshTokenKept
      ? tokens.refreshToken
      : undefined
  const common = {
    clientId: inputs.client.clientId,
    clientAuthMethod: inputs.client.method,
    tokenEndpoint: inputs.metadata.tokenEndpoint,
    ...(tokens.expiresInSeconds !== undefined && {
      accessTokenExpiresAtMs: inputs.nowMs + tokens.expiresInSeconds * 1000
    })
  }
  if (inputs.github) {
    if (!inputs.client.clientSecret) {
      return {
        note: "The access token is not revoked when the job ends: GitHub's API revokes a token only with the app's client secret. Set client-secret to revoke it, or revoke: none to skip this."
      }
    }
    return {
      state: {
        plan: {
          api: 'github',
          url: gitHubApiFor(inputs.metadata.tokenEndpoint, inputs.env),
          ...common
        },
        accessToken: tokens.accessToken
      },
      ...(refreshToken && {
        note: "GitHub cannot revoke a refresh token on its own (only the app's whole authorization for the user, which the action never does): the post step revokes the access token only."
      })
    }
  }
  if (!inputs.metadata.revocationEndpoint) {
    return {
      note: 'The provider publishes no revocation_endpoint (RFC 7009), so the token is not revoked when the job ends. Set revocation-endpoint if it has one, or revoke: none to skip this.'
    }
  }
  return {
    state: {
      plan: { api: 'rfc7009', url: inputs.metadata.revocationEndpoint, ...common },
      accessToken: tokens.accessToken,
      ...(refreshToken && { refreshToken })
    }
  }
}

/**
 * The API of the GitHub server that issued the token. The runner's GITHUB_API_URL when the token
 * came from the runner's own server (github.com, GHES or a GHE.com subdomain); otherwise, for a
 * github-server-url pointing elsewhere, that server's API by GitHub's rules.
 */
export function gitHubApiFor(
  tokenEndpoint: string,
  env: Readonly<Record<string, string | undefined>>
): string {
  const issued = new URL(tokenEndpoint)
  const runnerServer = env['GITHUB_SERVER_URL'] || 'https://github.com'
  if (URL.canParse(runnerServer) && new URL(runnerServer).origin === issued.origin)
    return gitHubApiUrl(env)
  return issued.hostname === 'github.com' ? 'https://api.github.com' : `${issued.origin}/api/v3`
}
