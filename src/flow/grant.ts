import type { Approver } from '../oauth/approver.js'
import type { TokenSet } from '../oauth/token.js'
import { discardTokens } from '../revocation/discard.js'
import { saveForPostStep } from '../revocation/plan.js'
import { approveOnce } from './approval-turn.js'
import { approveInTurn } from './approvals.js'
import type { RunContext } from './context.js'
import { ApprovalRefusedError, judge, refuse, refusalMessage } from './gate.js'
import type { GrantEnding, HandoffRecord } from './events.js'
import { identify } from './identify.js'
import { normalizeTokens, refreshTokenToStore, type StoredRefreshToken } from './outputs.js'
import { refreshIfPossible } from './refresh.js'

/**
 * How the run comes by its tokens, after the endpoints: from the stored refresh token, or from
 * as many people as the approvals input asks for, each through device code → prompt → poll →
 * identity → policy. Either way the token's owner must be someone the policy accepts.
 */
export interface Grant {
  readonly tokens: TokenSet
  readonly atMs: number
  readonly approver?: Approver
  /** With approvals > 1: everyone who approved, in order. */
  readonly approvers?: readonly Approver[]
}

/** What run() goes on with, however the tokens came: from the provider, or an earlier job. */
export interface Obtained {
  readonly grant: Grant
  readonly ending: GrantEnding
  /** The refresh token later jobs keep, and whether it must be stored. */
  readonly toStore: StoredRefreshToken
  /** Where the tokens were issued: a handoff sealed from them names it. */
  readonly tokenEndpoint: string
  /** Set when they came from an earlier job's handoff. */
  readonly handoff?: HandoffRecord
}

/** From the provider: the stored refresh token, or as many people as the approvals input asks. */
export async function obtainFromProvider(context: RunContext): Promise<Obtained> {
  const refreshed = await refreshIfPossible(context)
  const grant = refreshed ? await refreshedGrant(context, refreshed) : await approvedGrant(context)
  return {
    grant,
    ending: refreshed ? 'refreshed' : 'approved',
    toStore: refreshTokenToStore(
      grant.tokens,
      context.config.refreshToken,
      refreshed !== undefined
    ),
    tokenEndpoint: context.metadata.tokenEndpoint
  }
}

/**
 * refresh → identity → policy: the token's owner must still be someone the policy accepts.
 * Nobody is waiting to approve, so a refusal ends the run at once.
 */
export async function refreshedGrant(context: RunContext, refreshed: TokenSet): Promise<Grant> {
  const { clock } = context.oauth
  const received = normalizeTokens(context.config, refreshed)
  const planNote = saveForPostStep(context, received, { refreshed: true, atMs: clock.now() })
  const identified = await identify(context, received)
  const place = { turn: { number: 1, of: 1 }, earlier: [], refreshed: true }
  const verdict = await judge(context, identified, place)
  if (verdict.outcome !== 'allowed') {
    const { refusal } = await refuse(context, identified, verdict, place, false)
    throw new ApprovalRefusedError(refusalMessage(verdict), refusal)
  }
  const { approver, tokens } = identified
  const atMs = clock.now()
  await context.events.emit({ type: 'refreshed', atMs, ...(approver && { approver }) })
  if (planNote) context.runner.info(planNote)
  return { tokens, atMs, ...(approver && { approver }) }
}

/**
 * One approval from a person the policy accepts (src/flow/approval-turn.ts) for each the
 * approvals input asks for; the first approver's tokens are the ones output.
 */
export async function approvedGrant(context: RunContext): Promise<Grant> {
  const { policy } = context
  const approved = await approveInTurn(
    policy.approvals,
    (turn, earlier) => approveOnce(context, turn, earlier),
    (tokens, whose) => discardTokens(context, tokens, whose)
  )
  const { approver, tokens } = approved.first
  return {
    tokens,
    atMs: approved.all.at(-1)?.approvedAtMs ?? context.oauth.clock.now(),
    ...(approver && { approver }),
    ...(policy.approvals > 1 && {
      approvers: approved.all.flatMap((approval) => approval.approver ?? [])
    })
  }
}
