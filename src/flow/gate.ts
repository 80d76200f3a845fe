import { ActionError, type WaitEnding } from '../errors.js'
import { gitHubMembership, type MembershipLookup } from '../policy/github-membership.js'
import { type EarlierApproval, judgeApproval, type Verdict } from '../policy/judge.js'
import type { PolicyRule } from '../policy/rules.js'
import type { VerifiedIdentity } from '../policy/verified-identity.js'
import { discardTokens } from '../revocation/discard.js'
import type { RunContext } from './context.js'
import type { ApprovalTurn, RefusedBefore } from './events.js'
import { type Identified, userApiOf } from './identify.js'

/** This approval's place: which of how many, who came before, or a refresh (nobody approving). */
export interface PolicyTurn {
  readonly turn: ApprovalTurn
  readonly earlier: readonly EarlierApproval[]
  readonly refreshed?: boolean
}

/**
 * identity → policy: judges the approval on the verified identity (see src/flow/identify.ts for
 * where its claims come from), asking GitHub about @org and @org/team entries with the
 * approver's own token.
 */
export function judge(
  gate: RunContext,
  identified: Identified,
  place: PolicyTurn
): Promise<Verdict> {
  const identity = identified.identity
  return judgeApproval(gate.policy, identity, {
    approvalNumber: place.turn.number,
    earlier: place.earlier,
    ...(place.refreshed && { refreshed: true }),
    ...(identified.noIdentityHelp && { noIdentityHelp: identified.noIdentityHelp }),
    ...(identified.userinfoProblem && { sourceProblem: identified.userinfoProblem }),
    ...(identity && membershipOf(gate, identity, identified))
  })
}

/** A refusal as the record keeps it: who, and by which rule. */
export interface Refusal extends RefusedBefore {
  readonly reason: string
}

/**
 * A refused approval (or one the policy cannot judge): tells the listeners who tried and which
 * rule refused them, then revokes the approval's tokens where the provider allows. `continues`
 * says whether the gate keeps waiting with a fresh code. Returns the refusal, and whether every
 * token was revoked.
 */
export async function refuse(
  gate: RunContext,
  identified: Identified,
  verdict: Verdict,
  place: PolicyTurn,
  continues: boolean
): Promise<{ refusal: Refusal; revoked: boolean }> {
  const rule = ruleOf(verdict)
  const reason = verdict.reason ?? 'The approval policy refused the approval.'
  await gate.events.emit({
    type: 'refused',
    atMs: gate.oauth.clock.now(),
    ...(identified.approver && { approver: identified.approver }),
    who: verdict.approver,
    reason,
    ...(rule && { rule }),
    findings: verdict.findings,
    turn: place.turn,
    continues
  })
  const revoked = await discardTokens(
    gate,
    identified.tokens,
    `the refused approval's (${verdict.approver})`
  )
  return { refusal: { approver: verdict.approver, ...(rule && { rule }), reason }, revoked }
}

/** The rule that refused: the first broken one, else the first that could not be judged. */
function ruleOf(verdict: Verdict): PolicyRule | undefined {
  return (
    verdict.findings.find((finding) => finding.result === 'broken') ??
    verdict.findings.find((finding) => finding.result === 'unknown')
  )?.rule
}

/** The sentence the step fails with when a refusal ends the gate at once. */
export function refusalMessage(verdict: Verdict): string {
  return verdict.outcome === 'undecidable'
    ? `The approval by ${verdict.approver} was refused because the approval policy cannot be judged: ${verdict.reason}`
    : `The approval by ${verdict.approver} was refused: ${verdict.reason}`
}

/** @org and @org/team entries are asked of GitHub's API with the approver's own token. */
function membershipOf(
  gate: RunContext,
  identity: VerifiedIdentity,
  identified: Identified
): { membership?: MembershipLookup } {
  const needed = gate.policy.allowedApprovers.some(
    (entry) => entry.kind === 'org' || entry.kind === 'team'
  )
  const userApi = userApiOf(gate.config, gate.metadata)
  if (!needed || gate.policy.provider !== 'github' || !userApi || identity.username === undefined)
    return {}
  return {
    membership: gitHubMembership(gate.oauth, {
      apiBaseUrl: userApi.endpoint.url.replace(/\/user$/, ''),
      accessToken: identified.tokens.accessToken,
      login: identity.username
    })
  }
}

/**
 * The gate ended without an approval the policy accepts, and a refusal is why: the policy
 * refused an approval it could not judge, or refused too many in a row (`ending` refused), or
 * refused someone and the wait then ended (`ending` that of the wait: timed-out, expired,
 * denied). The step fails with it (src/flow/failure.ts); `refusal` is the last one.
 */
export class ApprovalRefusedError extends ActionError {
  override name = 'ApprovalRefusedError'
  constructor(
    message: string,
    readonly refusal: Refusal,
    readonly ending: 'refused' | WaitEnding = 'refused'
  ) {
    super(message)
  }
  get approver(): string {
    return this.refusal.approver
  }
  get rule(): PolicyRule | undefined {
    return this.refusal.rule
  }
}
