import { approveInTurn, type Approval } from './approvals.js'
import { showDeviceCode } from './device-code.js'
import type { ApprovalTurn } from './events.js'
import type { LaterStages, LaterStagesLoader } from './load-later-stages.js'
import { normalizeTokens } from './normalize.js'
import type { PolicyGate, PolicyTurn } from './gate.js'
import type { Approver } from '../oauth/approver.js'
import type { TokenSet } from '../oauth/token.js'
import { approvalHeading, policyInForce } from '../policy/describe.js'
import type { EarlierApproval, Verdict } from '../policy/judge.js'
import type { ApprovalPolicy } from '../policy/rules.js'
import type { ProviderQuirks } from '../providers/quirks.js'
import type { PromptContext } from '../present/prompt.js'
import type { Runner } from '../runner/runner.js'

/**
 * How the run comes by its tokens, after the endpoints: from the stored refresh token, or from
 * as many people as the approvals input asks for, each through device code → prompt → poll →
 * identity → policy. Either way the token's owner must be someone the policy accepts.
 */
/** Everything the stages after the endpoints need. */
export interface Stage extends PolicyGate {
  readonly runner: Runner
  readonly quirks: ProviderQuirks
  /** The stages after the code, in a chunk of their own (later-stages.ts). */
  readonly later: LaterStagesLoader
}

export interface Grant {
  readonly tokens: TokenSet
  readonly atMs: number
  readonly approver?: Approver
  /** With approvals > 1: everyone who approved, in order. */
  readonly approvers?: readonly Approver[]
}

/** refresh → identity → policy: the token's owner must still be someone the policy accepts. */
export async function refreshedGrant(stage: Stage, refreshed: TokenSet): Promise<Grant> {
  // Loaded already: the refresh itself came from there.
  const later = await stage.later.load()
  const received = normalizeTokens(stage.config, refreshed)
  keepForPostStep(later, stage, received, true, stage.ctx.clock.now())
  const { approver, tokens } = await identifyAndCheck(later, stage, received, {
    turn: { number: 1, of: 1 },
    earlier: [],
    refreshed: true
  })
  const atMs = stage.ctx.clock.now()
  await stage.events.emit({ type: 'refreshed', atMs, ...(approver && { approver }) })
  return { tokens, atMs, ...(approver && { approver }) }
}

/**
 * (device code → prompt → poll → identity → policy) once per person the approvals input asks
 * for; the first approver's tokens are the ones output.
 */
export async function approvedGrant(stage: Stage): Promise<Grant> {
  const { policy } = stage
  const approved = await approveInTurn(
    policy.approvals,
    async (turn, earlier): Promise<Approval> => {
      const code = await showDeviceCode(
        stage.ctx,
        stage.runner,
        stage.events,
        stage.config,
        stage.metadata,
        stage.client,
        promptPolicy(policy, turn, earlier)
      )
      // The code is on screen: the rest loads now, while the person reads it, long before the
      // first poll (an interval away) can bring tokens.
      const later = await stage.later.load()
      const login = await later.pollForApproval(
        stage.ctx,
        stage.events,
        stage.config,
        stage.metadata,
        stage.client,
        stage.quirks,
        code
      )
      const received = normalizeTokens(stage.config, login.tokens)
      // Only the first approver's tokens can be output; the later ones are revoked right here.
      if (turn.number === 1) keepForPostStep(later, stage, received, false, login.approvedAtMs)
      const { tokens, approver, identity, verdict } = await identifyAndCheck(
        later,
        stage,
        received,
        { turn, earlier }
      )
      await stage.events.emit({
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
    // Only ever tokens that arrived, so the stages are loaded by then.
    async (tokens, whose) => (await stage.later.load()).discardTokens(stage, tokens, whose)
  )
  const { approver, tokens } = approved.first
  return {
    tokens,
    atMs: approved.all.at(-1)?.approvedAtMs ?? stage.ctx.clock.now(),
    ...(approver && { approver }),
    ...(policy.approvals > 1 && {
      approvers: approved.all.flatMap((approval) => approval.approver ?? [])
    })
  }
}

/**
 * At once, before anything can fail or be cancelled: the post step revokes from this (and a
 * refusal revokes at once, too).
 */
function keepForPostStep(
  later: LaterStages,
  stage: Stage,
  tokens: TokenSet,
  refreshed: boolean,
  atMs: number
): void {
  const { runner, config, metadata, client } = stage
  later.saveForPostStep(runner, config, metadata, client, tokens, refreshed, atMs)
}

/** identity → policy; a refused approval throws ApprovalRefusedError (see src/flow/policy.ts). */
async function identifyAndCheck(
  later: LaterStages,
  stage: Stage,
  received: TokenSet,
  place: PolicyTurn
) {
  const { ctx, runner, config, metadata } = stage
  const identified = await later.identify(ctx, runner, config, metadata, received)
  const verdict = await later.checkPolicy(stage, identified, place)
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
