import type { Clock } from '../clock.js'
import type { ClientCredentials } from '../oauth/client-auth.js'
import type { OAuthContext } from '../oauth/exchange.js'
import type { HttpTransport } from '../oauth/http.js'
import {
  revokeGitHubToken,
  revokeToken,
  type RevocationResult,
  type TokenTypeHint
} from '../oauth/revoke.js'
import { isoSeconds } from '../present/time.js'
import { addToSummary } from '../present/summary.js'
import type { Runner } from '../runner/runner.js'
import { readRevocationState, type RevocationPlan } from './state.js'

/** What the post step does to the runner: log lines, the summary, and the state the main step left. */
export type PostRunner = Pick<
  Runner,
  | 'env'
  | 'getInput'
  | 'setSecret'
  | 'knownSecrets'
  | 'getState'
  | 'info'
  | 'debug'
  | 'warning'
  | 'appendSummary'
>

export interface PostDeps {
  readonly runner: PostRunner
  readonly http: HttpTransport
  readonly clock: Clock
  readonly signal: AbortSignal
  /** Per request; the post step runs while the job is ending, so it is short. */
  readonly requestTimeoutMs?: number
}

/** What became of each token the main step left; for tests and the summary. */
export type PostOutcome = ReadonlyArray<{
  readonly token: TokenTypeHint
  readonly result: RevocationResult | { readonly kind: 'expired' }
}>

/**
 * The post step: revokes the tokens the main step saved for it, and nothing else. A failure is
 * a warning with the provider's words: the job's work is done, and a token that could not be
 * revoked still expires.
 */
export async function runPost(deps: PostDeps): Promise<PostOutcome> {
  const { runner, clock } = deps
  const state = readRevocationState((name) => runner.getState(name))
  if (!state) {
    runner.debug(`Nothing to revoke: the main step left no token for the post step.`)
    return []
  }
  // Masked in this process too, before anything could print them.
  for (const token of [state.accessToken, state.refreshToken]) if (token) runner.setSecret(token)
  const client = clientOf(runner, state.plan)
  const ctx: OAuthContext = {
    http: deps.http,
    clock,
    signal: deps.signal,
    requestTimeoutMs: deps.requestTimeoutMs ?? 10_000,
    // The tokens it revokes and the client's secret: cut out of whatever the provider quotes back.
    secrets: () => runner.knownSecrets()
  }
  const outcome: Array<PostOutcome[number]> = []
  // The refresh token first: RFC 7009 §2.1 has the provider invalidate its access tokens too.
  const todo: Array<[TokenTypeHint, string | undefined]> = [
    ['refresh_token', state.refreshToken],
    ['access_token', state.accessToken]
  ]
  for (const [hint, token] of todo) {
    if (!token) continue
    const what = hint === 'access_token' ? 'access token' : 'refresh token'
    const expiresAtMs = state.plan.accessTokenExpiresAtMs
    if (hint === 'access_token' && expiresAtMs !== undefined && expiresAtMs <= clock.now()) {
      runner.info(`The ${what} expired at ${isoSeconds(expiresAtMs)}; nothing to revoke.`)
      outcome.push({ token: hint, result: { kind: 'expired' } })
      continue
    }
    const result = await revoke(ctx, state.plan, client, token, hint)
    outcome.push({ token: hint, result })
    if (result.kind === 'revoked') runner.info(`Revoked the ${what} (${where(state.plan)}).`)
    else
      runner.warning(
        `The ${what} was not revoked. ${result.message}${adviceFor(result, state.plan)}`
      )
  }
  await summarize(runner, outcome, clock.now())
  return outcome
}

function revoke(
  ctx: OAuthContext,
  plan: RevocationPlan,
  client: ClientCredentials | string,
  token: string,
  hint: TokenTypeHint
): Promise<RevocationResult> {
  if (typeof client === 'string') return Promise.resolve({ kind: 'failed', message: client })
  if (plan.api === 'github')
    return revokeGitHubToken(ctx, plan.url, plan.clientId, client.clientSecret ?? '', token)
  return revokeToken(ctx, { name: 'revocation endpoint', url: plan.url }, client, token, hint)
}

/**
 * The client as the main step authenticated it: the method from the state, the secret or key
 * from this step's inputs (never saved). A message instead when the credential is missing.
 */
function clientOf(runner: PostRunner, plan: RevocationPlan): ClientCredentials | string {
  const secret = runner.getInput('client-secret')
  const key = runner.getInput('client-private-key')
  if (secret) runner.setSecret(secret)
  // Line by line, as the main step masks it: the runner masks multi-line values that way.
  for (const line of key.split(/\r?\n/)) if (line.trim().length >= 8) runner.setSecret(line.trim())
  const needsSecret =
    plan.api === 'github' ||
    plan.clientAuthMethod === 'client_secret_basic' ||
    plan.clientAuthMethod === 'client_secret_post'
  if (needsSecret && !secret)
    return 'The post step has no client-secret to authenticate the revocation with; it reads the same inputs as the main step.'
  if (plan.clientAuthMethod === 'private_key_jwt' && !key)
    return 'The post step has no client-private-key to authenticate the revocation with; it reads the same inputs as the main step.'
  return {
    clientId: plan.clientId,
    method: plan.api === 'github' ? 'client_secret_basic' : plan.clientAuthMethod,
    ...(secret && { clientSecret: secret }),
    ...(key && { privateKey: key, assertionAudience: plan.tokenEndpoint })
  }
}

function where(plan: RevocationPlan): string {
  return plan.api === 'github' ? `GitHub API at ${plan.url}` : `revocation endpoint ${plan.url}`
}

/** What the person can do about a failed revocation; the provider's words are in the message. */
function adviceFor(result: RevocationResult, plan: RevocationPlan): string {
  switch (result.kind) {
    case 'unsupported-token-type':
      return ' The provider does not revoke this type of token (RFC 7009 §2.2.1); it stays valid until it expires. Set revoke: access-token or none to skip it.'
    case 'refused':
      if (plan.api === 'github')
        return ' The post step revokes with client-id and client-secret; check that client-secret is a current secret of this app, or set revoke: none.'
      if (result.error?.error === 'invalid_client')
        return ' The post step authenticates as the main step did: check client-id, client-secret (or client-private-key) and client-auth-method.'
      if (result.error?.error === 'unauthorized_client')
        return ' The client may not revoke tokens: allow revocation for it at the provider, or set revoke: none.'
      return ' It stays valid until it expires.'
    case 'failed':
      return result.clientKey
        ? ' Check client-private-key: the post step signs with the key from its own inputs.'
        : ' It stays valid until it expires.'
    default:
      return ''
  }
}

/** The record: what became of the tokens, one line in the job summary. */
async function summarize(runner: PostRunner, outcome: PostOutcome, nowMs: number): Promise<void> {
  if (outcome.length === 0 || /^(false|False|FALSE)$/.test(runner.getInput('summary'))) return
  const parts = outcome.map(({ token, result }) => {
    const what = token === 'access_token' ? 'Access token' : 'Refresh token'
    return result.kind === 'revoked'
      ? `${what} revoked`
      : result.kind === 'expired'
        ? `${what} already expired`
        : `${what} not revoked (see the log)`
  })
  await addToSummary(
    runner,
    `<p>At the end of the job (${isoSeconds(nowMs)}): ${parts.join('; ')}.</p>\n`
  )
}
