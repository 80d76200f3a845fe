import type { Config, RevokeChoice } from '../inputs.js'
import type { ClientCredentials } from '../oauth/client-auth.js'
import type { ProviderMetadata } from '../oauth/endpoints.js'
import type { OAuthContext } from '../oauth/exchange.js'
import { gitHubApiUrl } from '../oauth/github-api.js'
import type { TokenSet } from '../oauth/token.js'
import type { Runner } from '../runner/runner.js'
import { clearRevocationState, type RevocationState, saveRevocationState } from './state.js'

export interface PlanInputs {
  readonly revoke: RevokeChoice
  /** GitHub has its own revocation API (provider: github). */
  readonly github: boolean
  readonly client: ClientCredentials
  readonly metadata: Pick<ProviderMetadata, 'tokenEndpoint' | 'revocationEndpoint'>
  /**
   * The refresh token that outlives this run unless it is revoked: the provider's new one, or
   * after a refresh without rotation the refresh-token input.
   */
  readonly refreshToken?: string
  /** True when later jobs use that refresh token: store-refresh-token, or it is the input. */
  readonly refreshTokenKept: boolean
  readonly env: Readonly<Record<string, string | undefined>>
  readonly nowMs: number
}

/** What to save for the post step, and a line for the log when something is not revoked. */
export interface Plan {
  readonly state?: RevocationState
  readonly note?: string
}

/**
 * Decides, as soon as tokens arrive, what the post step will revoke.
 *
 * A refresh token that outlives the job puts the access token out of reach too: RFC 7009 §2.1
 * lets a provider revoke the refresh token along with its access token, and some do (Google;
 * servers built on oidc-provider revoke the whole grant). So the access token is revoked only
 * when no refresh token survives the job: none was issued, or revoke: all revokes it as well,
 * which it never does to one that later jobs use.
 */
export function planRevocation(tokens: TokenSet, inputs: PlanInputs): Plan {
  if (inputs.revoke === 'none') return {}
  const { refreshToken } = inputs
  if (refreshToken && (inputs.revoke !== 'all' || inputs.refreshTokenKept)) {
    return {
      note: inputs.refreshTokenKept
        ? 'The tokens are not revoked when the job ends: the refresh token is kept for later jobs, and revoking the access token could revoke it as well (RFC 7009 §2.1 allows a provider to).'
        : 'The tokens are not revoked when the job ends: the provider also issued a refresh token, and revoking the access token could revoke it as well (RFC 7009 §2.1 allows a provider to). Set revoke: all to revoke both, or revoke: none to skip this.'
    }
  }
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

/**
 * What revoking needs of the run: the flow's RunContext (src/flow/context.ts) is one. A
 * discard (discard.ts) and the plan for the post step both work from it.
 */
export interface RevocationContext {
  readonly oauth: OAuthContext
  readonly runner: Pick<Runner, 'saveState' | 'info' | 'warning' | 'setSecret' | 'env'>
  readonly config: Config
  readonly metadata: ProviderMetadata
  readonly client: ClientCredentials
}

/**
 * The stage that runs the moment tokens arrive, before anything that could fail or be cancelled:
 * it leaves the post step what to revoke (RFC 7009 or GitHub's API) in the step state. The
 * tokens are masked already (they are masked as they arrive); the client secret is not saved.
 * Returns the plan's note (what will not be revoked, and why), for the caller to say once the
 * approval policy has accepted the tokens: before that, nobody knows they will be kept.
 */
export function saveForPostStep(
  context: RevocationContext,
  tokens: TokenSet,
  arrival: { readonly refreshed: boolean; readonly atMs: number }
): string | undefined {
  const { runner, config } = context
  // After a refresh without rotation, the input is the refresh token that lives on.
  const refreshToken = tokens.refreshToken ?? (arrival.refreshed ? config.refreshToken : undefined)
  const plan = planRevocation(tokens, {
    revoke: config.revoke,
    github: config.provider.name === 'github',
    client: context.client,
    metadata: context.metadata,
    ...(refreshToken && { refreshToken }),
    refreshTokenKept:
      refreshToken !== undefined &&
      (config.storeRefreshToken !== undefined || refreshToken === config.refreshToken),
    env: runner.env,
    nowMs: arrival.atMs
  })
  // A job that hands its tokens off leaves them to later jobs (flow/hand-off.ts): a note on what
  // its post step would do to them would only mislead. Until then the plan stands, so that a
  // failure before the handoff still revokes.
  const handsOff = config.handoff !== undefined && config.handoff.sealed === undefined
  const note = handsOff ? undefined : plan.note
  if (!plan.state) return note
  // Masked again here: what goes into the state file must be masked whoever masked it first.
  for (const token of [plan.state.accessToken, plan.state.refreshToken])
    if (token) runner.setSecret(token)
  saveRevocationState((name, value) => runner.saveState(name, value), plan.state)
  return note
}

/** After a refused approval's tokens were revoked: the post step has nothing left to revoke. */
export function forgetForPostStep(context: Pick<RevocationContext, 'runner'>): void {
  clearRevocationState((name, value) => context.runner.saveState(name, value))
}
