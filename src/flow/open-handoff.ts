import type { Config } from '../inputs.js'
import { openEnvelope } from '../handoff/envelope.js'
import { HandoffError } from '../handoff/handoff-error.js'
import { decodeHandoff, type Handoff } from '../handoff/payload.js'
import { refreshTokens, type TokenSet } from '../oauth/token.js'
import { isoSeconds } from '../present/time.js'
import { saveForPostStep } from '../revocation/plan.js'
import type { Runner } from '../runner/runner.js'
import type { RunContext } from './context.js'
import type { Obtained } from './grant.js'
import { normalizeTokens } from './outputs.js'
import { maskTokens, refreshTokenToStore } from './outputs.js'
import { isDeadRefreshToken } from './refresh.js'

/**
 * An access token this close to its expiry is refreshed when a refresh token is at hand: the
 * steps after this one need some time to use it.
 */
const REFRESH_MARGIN_MS = 60_000

const RERUN =
  'Re-run the approving job (re-running it re-runs the jobs that need it), so that a person approves again.'

/**
 * The first stage of a job given a handoff, before any request: the handoff input opened with
 * handoff-key (src/handoff/), every token in it masked at once, and checked: the same client as
 * this job's client-id, and an access token that has not expired unless a refresh token can
 * renew it. Every refusal is a HandoffError, and nothing is output.
 */
export async function openHandoff(
  runner: Pick<Runner, 'setSecret'>,
  config: Config,
  nowMs: number
): Promise<Handoff> {
  const given = config.handoff
  if (given?.sealed === undefined) throw new Error('openHandoff: no handoff input to open')
  const handoff = decodeHandoff(await openEnvelope(given.sealed, given.key, given.binding))
  maskTokens(runner, handoff.tokens)
  if (handoff.clientId !== config.clientId) {
    throw new HandoffError(
      'other-client',
      `The handoff holds tokens issued to client ${handoff.clientId}, but this job's client-id is ${config.clientId}. Use the approving job's provider inputs here.`
    )
  }
  const { expiresAtMs, refreshToken } = handoff.tokens
  if (expiresAtMs !== undefined && expiresAtMs <= nowMs && !refreshToken) {
    throw new HandoffError(
      'expired',
      `The handed-off access token expired at ${isoSeconds(expiresAtMs)}, and the handoff holds no refresh token to renew it. ${RERUN} For a pipeline that outlasts the access token, ask for a refresh token in the approving job (often the offline_access scope).`
    )
  }
  return handoff
}

/** The access token must be renewed before it is output. */
export function mustRefresh(handoff: Handoff, nowMs: number): boolean {
  const { expiresAtMs, refreshToken } = handoff.tokens
  return (
    refreshToken !== undefined &&
    expiresAtMs !== undefined &&
    expiresAtMs - REFRESH_MARGIN_MS <= nowMs
  )
}

/** The provider is reached only to refresh, or to revoke at the end of this job (revoke). */
export function needsProvider(config: Config, handoff: Handoff, nowMs: number): boolean {
  return mustRefresh(handoff, nowMs) || config.revoke !== 'none'
}

/**
 * The grant from an opened handoff: its tokens as they are, or refreshed (RFC 6749 §6) when the
 * access token has expired. `provider` is set when needsProvider() says so; its token endpoint
 * must be the one that issued the tokens, since the refresh token goes there and nowhere else.
 * The approver is the one the approving job verified and judged: a refresh keeps the grant's
 * owner, so identity and policy are not asked again.
 */
export async function receiveHandoff(
  context: Pick<RunContext, 'runner' | 'config' | 'oauth' | 'events'>,
  handoff: Handoff,
  provider: RunContext | undefined
): Promise<Obtained> {
  const nowMs = context.oauth.clock.now()
  if (provider && provider.metadata.tokenEndpoint !== handoff.tokenEndpoint) {
    throw new HandoffError(
      'other-provider',
      `This job's provider inputs lead to the token endpoint ${provider.metadata.tokenEndpoint}, but the handed-off tokens were issued by ${handoff.tokenEndpoint}; they are sent only where they came from. Use the approving job's provider inputs here.`
    )
  }
  const refreshed = mustRefresh(handoff, nowMs)
  if (refreshed && !provider) throw new Error('receiveHandoff: a refresh needs the provider')
  const tokens =
    refreshed && provider ? await refreshHandedOff(provider, handoff) : tokenSetOf(handoff, nowMs)
  const atMs = context.oauth.clock.now()
  const [approver, ...others] = handoff.approvers
  if (refreshed)
    await context.events.emit({ type: 'refreshed', atMs, ...(approver && { approver }) })
  if (provider) saveForPostStep(provider, tokens, { refreshed: false, atMs })
  return {
    grant: {
      tokens,
      atMs,
      ...(approver && { approver }),
      ...(others.length > 0 && { approvers: handoff.approvers })
    },
    ending: 'handoff-opened',
    // Stored (store-refresh-token) only when a refresh rotated it.
    toStore: refreshTokenToStore(tokens, handoff.tokens.refreshToken, false),
    tokenEndpoint: handoff.tokenEndpoint,
    handoff: { obtainedAtMs: handoff.obtainedAtMs, ...handoff.sealedBy, refreshed }
  }
}

/** The handed-off tokens as a token set, their lifetimes counted from now. */
function tokenSetOf(handoff: Handoff, nowMs: number): TokenSet {
  const { tokens } = handoff
  const expiresInSeconds = secondsLeft(tokens.expiresAtMs, nowMs)
  const refreshTokenExpiresInSeconds = secondsLeft(tokens.refreshTokenExpiresAtMs, nowMs)
  return {
    accessToken: tokens.accessToken,
    ...(tokens.tokenType && { tokenType: tokens.tokenType }),
    ...(tokens.refreshToken && { refreshToken: tokens.refreshToken }),
    ...(tokens.idToken && { idToken: tokens.idToken }),
    ...(tokens.scope && { scope: tokens.scope }),
    ...(expiresInSeconds !== undefined && { expiresInSeconds }),
    ...(refreshTokenExpiresInSeconds !== undefined && { refreshTokenExpiresInSeconds })
  }
}

function secondsLeft(atMs: number | undefined, nowMs: number): number | undefined {
  return atMs === undefined ? undefined : Math.max(0, (atMs - nowMs) / 1000)
}

/**
 * RFC 6749 §6 with the handed-off refresh token, as any refresh (the new tokens masked the moment
 * they arrive). Without a new refresh token the old one stays valid (§6), and is kept.
 */
async function refreshHandedOff(provider: RunContext, handoff: Handoff): Promise<TokenSet> {
  const { runner, config, oauth } = provider
  const refreshToken = handoff.tokens.refreshToken as string
  let received: TokenSet
  try {
    received = await refreshTokens(
      oauth,
      { name: 'token endpoint', url: provider.metadata.tokenEndpoint },
      provider.client,
      refreshToken,
      config.scope
    )
  } catch (error) {
    if (!isDeadRefreshToken(error, provider.quirks)) throw error
    const expiresAtMs = handoff.tokens.expiresAtMs ?? 0
    throw new HandoffError(
      'refresh-refused',
      `The handed-off access token ${expiresAtMs <= oauth.clock.now() ? 'expired' : 'expires'} at ${isoSeconds(expiresAtMs)}, and its refresh token was refused: ${error.message} It expired, was revoked, or another job used it already (a provider that rotates refresh tokens takes each one once). ${RERUN}`
    )
  }
  maskTokens(runner, received)
  const normalized = normalizeTokens(config, received)
  const scope = normalized.scope ?? handoff.tokens.scope
  const refreshTokenExpiresInSeconds =
    normalized.refreshTokenExpiresInSeconds ??
    (normalized.refreshToken === undefined
      ? secondsLeft(handoff.tokens.refreshTokenExpiresAtMs, oauth.clock.now())
      : undefined)
  return {
    accessToken: normalized.accessToken,
    refreshToken: normalized.refreshToken ?? refreshToken,
    ...(normalized.tokenType && { tokenType: normalized.tokenType }),
    ...(scope && { scope }),
    ...(normalized.expiresInSeconds !== undefined && {
      expiresInSeconds: normalized.expiresInSeconds
    }),
    ...(refreshTokenExpiresInSeconds !== undefined && { refreshTokenExpiresInSeconds }),
    // A new ID token would be output unverified: the one verified at approval stays.
    ...(handoff.tokens.idToken && { idToken: handoff.tokens.idToken })
  }
}
