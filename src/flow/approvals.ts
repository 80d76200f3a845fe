import type { Approver } from '../oauth/approver.js'
import type { TokenSet } from '../oauth/token.js'
import type { EarlierApproval } from '../policy/judge.js'
import type { ApprovalTurn } from './events.js'

/** One person's approval, accepted by the policy. */
export interface Approval {
  /** Masked, not output. */
  readonly tokens: TokenSet
  readonly approver?: Approver
  /** What tells this person from the next: the verified subject. */
  readonly subject?: string
  readonly shownAtMs: number
  readonly approvedAtMs: number
}

export interface Approved {
  /** The first approver's: the only tokens a run outputs. */
  readonly first: Approval
  readonly all: readonly Approval[]
}

/**
 * approvals: N different people, one after the other, each with a fresh code and prompt. The
 * tokens output are the first approver's; every later approval's tokens are revoked the moment
 * it is accepted. When any later step ends the run (a refusal, a denial, an expired code, a
 * cancel), nothing is output, so the first approver's tokens are revoked too.
 */
export async function approveInTurn(
  approvals: number,
  approveOnce: (turn: ApprovalTurn, earlier: readonly EarlierApproval[]) => Promise<Approval>,
  discard: (tokens: TokenSet, whose: string) => Promise<unknown>
): Promise<Approved> {
  const all: Approval[] = []
  try {
    for (let number = 1; number <= approvals; number++) {
      const earlier = all.map((approval) => ({
        subject: approval.subject ?? '',
        name: approval.approver?.name ?? approval.subject ?? 'someone'
      }))
      const approval = await approveOnce({ number, of: approvals }, earlier)
      all.push(approval)
      if (number > 1) await discard(approval.tokens, `approval ${number}'s (${nameOf(approval)})`)
    }
  } catch (error) {
    const first = all[0]
    if (first && approvals > 1) await discard(first.tokens, `approval 1's (${nameOf(first)})`)
    throw error
  }
  return { first: all[0] as Approval, all }
}

function nameOf(approval: Approval): string {
  return approval.approver?.name ?? approval.subject ?? 'unknown approver'
}
