import type { Config } from '../inputs.js'
import type { Approver } from '../oauth/approver.js'
import type { TokenSet } from '../oauth/token.js'
import { approvalHeading, policyInForce } from '../policy/describe.js'
import type { EarlierApproval, Verdict } from '../policy/judge.js'
import type { ApprovalPolicy } from '../policy/rules.js'
import type { PromptContext } from '../flow/events.js'
import { discardTokens } from '../revocation/discard.js'
import { saveForPostStep } from '../revocation/plan.js'
import { approveInTurn, type Approval } from './approvals.js'
import type { RunContext } from './context.js'
import { pollForApproval, showDeviceCode } from './device-login.js'
import type { ApprovalTurn, Ending, HandoffRecord } from './events.js'
import { checkPolicy, type PolicyTurn } from './gate.js'
import { identify } from './identify.js'
import { refreshTokenToStore, type StoredRefreshToken } from './outputs.js'
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
  readonly ending: Ending
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

/** refresh → identity → policy: the token's owner must still be someone the policy accepts. */
export async function refreshedGrant(context: RunContext, refreshed: TokenSet): Promise<Grant> {
  const { clock } = context.oauth
  const received = normalizeTokens(context.config, refreshed)
  saveForPostStep(context, received, { refreshed: true, atMs: clock.now() })
  const { approver, tokens } = await identifyAndCheck(context, received, {
    turn: { number: 1, of: 1 },
    earlier: [],
    refreshed: true
  })
  const atMs = clock.now()
  await context.events.emit({ type: 'refreshed', atMs, ...(approver && { approver }) })
  return { tokens, atMs, ...(approver && { approver }) }
}

/**
 * (device code → prompt → poll → identity → policy) once per person the approvals input asks
 * for; the first approver's tokens are the ones output.
 */
export async function approvedGrant(context: RunContext): Promise<Grant> {
  const { policy } = context
  const approved = await approveInTurn(
    policy.approvals,
    async (turn, earlier): Promise<Approval> => {
      const code = await showDeviceCode(context, promptPolicy(policy, turn, earlier))
      const login = await pollForApproval(context, code)
      const received = normalizeTokens(context.config, login.tokens)
      // At once, before anything can fail or be cancelled: the post step revokes from this. Only
      // the first approver's tokens can be output; the later ones are revoked right here.
      if (turn.number === 1)
        saveForPostStep(context, received, { refreshed: false, atMs: login.approvedAtMs })
      const { tokens, approver, identity, verdict } = await identifyAndCheck(context, received, {
        turn,
        earlier
      })
      await context.events.emit({
        type: 'approved',
        atMs: login.approvedAtMs,
        shownAtMs: login.shownAtMs,
        ...(approver && { approver }),
        turn,
        ...(worthSaying(policy, verdict) && { findings: verdict.findings })
      })
      return {
        tokens,
        ...(approver && { approver }),
        ...(identity && { subject: identity.subject }),
        shownAtMs: login.shownAtMs,
        approvedAtMs: login.approvedAtMs
      }
    },
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

/** Tokens as the provider sent them, in the RFC's form. */
export function normalizeTokens(
  config: Pick<Config, 'provider' | 'scope'>,
  received: TokenSet
): TokenSet {
  const tokens = config.provider.normalizeTokens?.(received) ?? received
  // RFC 6749 §5.1: a response without scope granted exactly the scope requested.
  return tokens.scope === undefined && config.scope ? { ...tokens, scope: config.scope } : tokens
}

/** identity → policy; a refused approval throws ApprovalRefusedError (see gate.ts). */
async function identifyAndCheck(context: RunContext, received: TokenSet, place: PolicyTurn) {
  const identified = await identify(context, received)
  const verdict = await checkPolicy(context, identified, place)
  return { ...identified, verdict }
}

/** What the prompt says about the policy: which approval this is, and the rules in force. */
function promptPolicy(
  policy: ApprovalPolicy,
  turn: ApprovalTurn,
  earlier: readonly EarlierApproval[]
): Pick<PromptContext, 'approval' | 'policy'> {
  const heading = approvalHeading(
    turn.number,
    turn.of,
    earlier.map((approval) => approval.name)
  )
  const lines = policyInForce(policy)
  return {
    ...(heading && { approval: { ...turn, heading } }),
    ...(lines.length > 0 && { policy: lines })
  }
}

/** Findings go to the log when a policy was asked for, or when a rule held or broke anyway. */
function worthSaying(policy: ApprovalPolicy, verdict: Verdict): boolean {
  return policy.configured || verdict.findings.some((finding) => finding.result !== 'unchecked')
}
