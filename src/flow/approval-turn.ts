import { WaitEndedError } from '../errors.js'
import { approvalHeading, policyInForce } from '../policy/describe.js'
import type { EarlierApproval, Verdict } from '../policy/judge.js'
import type { ApprovalPolicy } from '../policy/rules.js'
import { forgetForPostStep, saveForPostStep } from '../revocation/plan.js'
import { formatUtc } from '../present/time.js'
import type { Approval } from './approvals.js'
import type { RunContext } from './context.js'
import {
  pollForApproval,
  showDeviceCode,
  type DeviceLogin,
  type ShownCode
} from './device-login.js'
import type { ApprovalTurn, PromptContext } from './events.js'
import { ApprovalRefusedError, judge, refuse, refusalMessage, type Refusal } from './gate.js'
import { identify, type Identified } from './identify.js'
import { normalizeTokens } from './outputs.js'

/**
 * How many approvals the policy may refuse while one approval is awaited before the action stops
 * asking. A wrong person who opens the link first (in a public repository anyone can read the
 * log) must not end the gate, but a stream of them means the link is being passed around; the
 * timeout input bounds the wait anyway.
 */
export const MAX_REFUSALS_PER_APPROVAL = 5

/**
 * One approval of the approvals input, from a person the policy accepts: device code → prompt →
 * poll → identity → policy. A refused approval does not end it: its tokens are revoked, the
 * listeners hear who was refused and why, and a fresh code is shown, until the deadline of the
 * first code (the timeout input, or that code's expiry). It ends at once when waiting cannot
 * help: the policy cannot judge the approval (no identity, a claim the provider never sends), or
 * it refused MAX_REFUSALS_PER_APPROVAL in a row.
 */
export async function approveOnce(
  context: RunContext,
  turn: ApprovalTurn,
  earlier: readonly EarlierApproval[]
): Promise<Approval> {
  const refusals: Refusal[] = []
  /** The end of the wait for this approval: the first code's deadline, whatever set it. */
  let turnEnd: TurnEnd | undefined
  for (;;) {
    const shown = await nextLogin(context, { turn, earlier }, refusals, turnEnd)
    turnEnd = shown.turnEnd
    const { login } = shown
    const received = normalizeTokens(context.config, login.tokens)
    // At once, before anything can fail or be cancelled: the post step revokes from this. Only
    // the first approver's tokens can be output; the later ones are revoked as they are accepted.
    const planNote =
      turn.number === 1
        ? saveForPostStep(context, received, { refreshed: false, atMs: login.approvedAtMs })
        : undefined
    const place = { turn, earlier }
    const identified = await identify(context, received)
    const verdict = await judge(context, identified, place)
    if (verdict.outcome === 'allowed')
      return accepted(context, identified, verdict, login, turn, planNote)

    const waitOn = verdict.outcome === 'refused' && refusals.length + 1 < MAX_REFUSALS_PER_APPROVAL
    const { refusal, revoked } = await refuse(context, identified, verdict, place, waitOn)
    refusals.push(refusal)
    // Revoked already: the post step has nothing left of this approval to revoke.
    if (turn.number === 1 && revoked) forgetForPostStep(context)
    if (!waitOn) {
      const tooMany =
        verdict.outcome === 'refused'
          ? ` That is ${MAX_REFUSALS_PER_APPROVAL} refusals in a row for this approval, so the action stops asking: check who gets the link.`
          : ''
      throw new ApprovalRefusedError(`${refusalMessage(verdict)}${tooMany}`, refusal)
    }
    context.runner.info(
      `Waiting for someone the approval policy accepts until ${formatUtc(turnEnd.atMs, context.oauth.clock.now())}: a fresh code follows.`
    )
  }
}

/**
 * A code on screen (a fresh one after a refusal, within the first one's deadline) and the tokens
 * a person approved it with. A wait that ends after a refusal ends with the refusals as the cause.
 */
async function nextLogin(
  context: RunContext,
  place: { readonly turn: ApprovalTurn; readonly earlier: readonly EarlierApproval[] },
  refusals: readonly Refusal[],
  turnEnd: TurnEnd | undefined
): Promise<{ login: DeviceLogin; turnEnd: TurnEnd }> {
  const last = refusals.at(-1)
  const shown = {
    ...promptPolicy(context.policy, place.turn, place.earlier),
    ...(last && {
      afterRefusal: { approver: last.approver, ...(last.rule && { rule: last.rule }) }
    })
  }
  let end = turnEnd
  try {
    const code = await showDeviceCode(context, shown, turnEnd?.atMs)
    end ??= turnEndOf(code)
    return { login: await pollForApproval(context, code), turnEnd: end }
  } catch (error) {
    if (last && end && error instanceof WaitEndedError)
      throw endedAfterRefusals(error, refusals, end, context.oauth.clock.now())
    throw error
  }
}

/** An approval the policy accepts: said to the listeners, and kept. */
async function accepted(
  context: RunContext,
  identified: Identified,
  verdict: Verdict,
  login: DeviceLogin,
  turn: ApprovalTurn,
  planNote: string | undefined
): Promise<Approval> {
  const { tokens, approver, identity } = identified
  await context.events.emit({
    type: 'approved',
    atMs: login.approvedAtMs,
    shownAtMs: login.shownAtMs,
    ...(approver && { approver }),
    turn,
    ...(worthSaying(context.policy, verdict) && { findings: verdict.findings })
  })
  // Only now: until the policy accepted them, these tokens were not going to be kept.
  if (planNote) context.runner.info(planNote)
  return {
    tokens,
    ...(approver && { approver }),
    ...(identity && { subject: identity.subject }),
    shownAtMs: login.shownAtMs,
    approvedAtMs: login.approvedAtMs
  }
}

/** When the wait for one approval ends, and whether the timeout input or the code's expiry set it. */
interface TurnEnd {
  readonly atMs: number
  readonly by: 'timed-out' | 'expired'
}

function turnEndOf(code: ShownCode): TurnEnd {
  const { deadlineMs, expiresAtMs } = code.deadlines
  return { atMs: deadlineMs, by: expiresAtMs === deadlineMs ? 'expired' : 'timed-out' }
}

/** The wait ended after the policy had refused someone: the refusals are why nobody got in. */
function endedAfterRefusals(
  error: WaitEndedError,
  refusals: readonly Refusal[],
  turnEnd: TurnEnd,
  nowMs: number
): Error {
  const last = refusals.at(-1) as Refusal
  const who = refusals
    .map((refusal) => `${refusal.approver}${refusal.rule ? ` (${refusal.rule})` : ''}`)
    .join(', ')
  const why = turnEnd.by === 'expired' ? 'when the first code expired' : 'the timeout input'
  const ended =
    error.ending === 'denied'
      ? 'then the request was denied at the sign-in page'
      : `nobody it accepts approved before the wait for this approval ended at ${formatUtc(turnEnd.atMs, nowMs)} (${why})`
  return new ApprovalRefusedError(
    `The approval policy refused ${who}, and ${ended}. The last refusal: ${last.reason} Run the job again and have someone the policy accepts approve.`,
    last,
    error.ending === 'denied' ? 'denied' : turnEnd.by
  )
}

/** What the prompt says about the policy: which approval this is, and the rules in force. */
export function promptPolicy(
  policy: ApprovalPolicy,
  turn: ApprovalTurn,
  earlier: readonly EarlierApproval[]
): Pick<PromptContext, 'approval' | 'policy'> {
  const names = earlier.map((approval) => approval.name)
  const heading = approvalHeading(turn.number, turn.of, names)
  const lines = policyInForce(policy)
  return {
    ...(heading && { approval: { ...turn, heading, earlier: names } }),
    ...(lines.length > 0 && { policy: lines })
  }
}

/** Findings go to the log when a policy was asked for, or when a rule held or broke anyway. */
export function worthSaying(policy: ApprovalPolicy, verdict: Verdict): boolean {
  return policy.configured || verdict.findings.some((finding) => finding.result !== 'unchecked')
}
