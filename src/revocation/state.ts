import type { ClientAuthMethod } from '../oauth/client-auth.js'
import { CLIENT_AUTH_METHODS } from '../oauth/client-auth.js'

/**
 * What the main step leaves for the post step, in the step state (core.saveState): the runner
 * hands it back as STATE_<name> variables to this step's post run only. The tokens are masked
 * before they are saved, and kept apart from the plan, which holds nothing secret; the client
 * secret or key is never saved: the post step reads it from its own inputs, which the runner
 * passes to it again.
 */
export interface RevocationPlan {
  /** rfc7009: the provider's revocation endpoint; github: DELETE /applications/{client_id}/token. */
  readonly api: 'rfc7009' | 'github'
  /** The revocation endpoint, or the GitHub API's base URL. */
  readonly url: string
  readonly clientId: string
  /** How the main step authenticated at the token endpoint (RFC 7009 §2.1: the same way here). */
  readonly clientAuthMethod: ClientAuthMethod
  /** For private_key_jwt: whom the assertion is addressed to. */
  readonly tokenEndpoint: string
  /** When the access token expires, if known: an expired one is not worth a request. */
  readonly accessTokenExpiresAtMs?: number
}

export interface RevocationState {
  readonly plan: RevocationPlan
  readonly accessToken?: string
  readonly refreshToken?: string
}

export const STATE_PLAN = 'revocation-plan'
export const STATE_ACCESS_TOKEN = 'revoke-access-token'
export const STATE_REFRESH_TOKEN = 'revoke-refresh-token'

/** The main step's side: saves what the post step should revoke (the tokens already masked). */
export function saveRevocationState(
  save: (name: string, value: string) => void,
  state: RevocationState
): void {
  save(STATE_PLAN, JSON.stringify(state.plan))
  if (state.accessToken) save(STATE_ACCESS_TOKEN, state.accessToken)
  if (state.refreshToken) save(STATE_REFRESH_TOKEN, state.refreshToken)
}

/**
 * Leaves the post step nothing to revoke: the tokens were handed to later jobs (the handoff
 * output), or were revoked already (a refused approval's; the next approval saves its own). The
 * runner keeps the last value saved under a name.
 */
export function clearRevocationState(save: (name: string, value: string) => void): void {
  for (const name of [STATE_PLAN, STATE_ACCESS_TOKEN, STATE_REFRESH_TOKEN]) save(name, '')
}

/**
 * The post step's side: the saved state, or undefined when there is nothing to revoke (the main
 * step ended before tokens arrived, or revoke: none) or the state is not the action's own.
 */
export function readRevocationState(read: (name: string) => string): RevocationState | undefined {
  const text = read(STATE_PLAN)
  if (!text) return undefined
  let plan: unknown
  try {
    plan = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!isPlan(plan)) return undefined
  const accessToken = read(STATE_ACCESS_TOKEN)
  const refreshToken = read(STATE_REFRESH_TOKEN)
  if (!accessToken && !refreshToken) return undefined
  return {
    plan,
    ...(accessToken && { accessToken }),
    ...(refreshToken && { refreshToken })
  }
}

function isPlan(value: unknown): value is RevocationPlan {
  if (value === null || typeof value !== 'object') return false
  const plan = value as Record<string, unknown>
  return (
    (plan['api'] === 'rfc7009' || plan['api'] === 'github') &&
    typeof plan['url'] === 'string' &&
    /^https?:\/\//.test(plan['url']) &&
    typeof plan['clientId'] === 'string' &&
    typeof plan['tokenEndpoint'] === 'string' &&
    (CLIENT_AUTH_METHODS as readonly unknown[]).includes(plan['clientAuthMethod']) &&
    (plan['accessTokenExpiresAtMs'] === undefined ||
      typeof plan['accessTokenExpiresAtMs'] === 'number')
  )
}
