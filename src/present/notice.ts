import type { Ending, FlowEvent, FlowListener, FlowStage, Outcome } from '../flow/events.js'
import { formatDuration, formatUtc } from './time.js'
import { noticeOf } from './prompt.js'
import { refreshTokenText } from './refresh-token.js'
import type { Runner } from '../runner/runner.js'

/**
 * Annotations on the run page, pushed while the step runs: where the approver may look first.
 * The code when it is ready, and once the wait is over, the outcome: who approved, or why it
 * ended, and a refresh token left unstored. A run that never showed a code (a refresh, a failure
 * before it) gets no outcome notice; its error or warning annotations say it all.
 */
export function noticeListener(runner: Pick<Runner, 'notice'>): FlowListener {
  let shownAtMs: number | undefined
  let unstored: string | undefined
  return {
    on(event: FlowEvent): void {
      if (event.type === 'code-ready') {
        shownAtMs ??= event.atMs
        const notice = noticeOf(event.prompt, event.atMs)
        runner.notice(notice.message, notice.title)
      } else if (event.type === 'refresh-token' && event.fate.kind === 'not-stored') {
        unstored = refreshTokenText(event.fate, event.atMs).text
      } else if (event.type === 'ended' && shownAtMs !== undefined) {
        const notice = outcomeNoticeOf(event.outcome, shownAtMs, unstored)
        runner.notice(notice.message, notice.title)
      }
    }
  }
}

const ENDING_TITLES: Readonly<Record<Exclude<Ending, 'approved'>, string>> = {
  refreshed: 'Refreshed',
  'handoff-opened': 'Handoff opened',
  denied: 'Approval denied',
  refused: 'Approval refused by the approval policy',
  expired: 'Approval code expired',
  'timed-out': 'Approval timed out',
  cancelled: 'Approval cancelled',
  failed: 'Approval failed'
}

/** What failed, when a stage after the outputs failed the step. */
const STAGE_FAILURES: Readonly<Record<FlowStage, string>> = {
  'store-refresh-token': 'the refresh token was not stored',
  'hand-off': 'the tokens were not handed off'
}

/**
 * The outcome notice. `unstored`: what to say about a refresh token this step should have
 * stored and did not (see refresh-token.ts).
 */
export function outcomeNoticeOf(
  outcome: Outcome,
  shownAtMs: number,
  unstored?: string
): { title: string; message: string } {
  const when = `at ${formatUtc(outcome.atMs, outcome.atMs)}, ${formatDuration(outcome.atMs - shownAtMs)} after the code was shown`
  const tokens = approvedTokens(outcome)
  if (outcome.failedAfter) {
    const failed = STAGE_FAILURES[outcome.failedAfter.stage]
    return {
      title: `${tokens.title}, but ${failed}`,
      message: `${tokens.approved} ${when}. ${tokens.where} Then ${failed}: ${outcome.detail ?? 'the step failed.'}`
    }
  }
  if (outcome.ending === 'approved') {
    return {
      title: tokens.title,
      message: `${tokens.approved} ${when}. ${tokens.where}${unstored ? ` ${unstored}` : ''}`
    }
  }
  return {
    title: ENDING_TITLES[outcome.ending],
    message: `${outcome.detail ?? ENDING_TITLES[outcome.ending]} (${when})`
  }
}

/** Who approved, as the notice says it; approvals: N names everyone, the tokens are the first one's. */
function approvedTokens(outcome: Outcome): { title: string; approved: string; where: string } {
  const all = outcome.approvers && outcome.approvers.length > 1 ? outcome.approvers : undefined
  if (all) {
    const names = all.map((one) => one.name).join(' and ')
    return {
      title: `Approved by ${names}`,
      approved: `Approved by ${names}`,
      where: `The tokens (${all[0]?.name}'s) are in this step's outputs (masked).`
    }
  }
  const approver = outcome.approver
  const where = "The tokens are in this step's outputs (masked)."
  if (!approver)
    return { title: 'Approved', approved: 'Approved (the provider did not say by whom)', where }
  const who =
    approver.shownSubject === approver.name
      ? approver.name
      : `${approver.name} (subject ${approver.shownSubject})`
  return { title: `Approved by ${approver.name}`, approved: `Approved by ${who}`, where }
}
