import type { Ending, FlowEvent, FlowListener, Outcome } from '../flow/events.js'
import { formatDuration, formatUtc } from './time.js'
import { noticeOf } from './prompt.js'
import type { Runner } from '../runner/runner.js'

/**
 * Annotations on the run page, pushed while the step runs: where the approver may look first.
 * The code when it is ready, and once the wait is over, the outcome: who approved, or why it
 * ended. A run that never showed a code (a refresh, a failure before it) gets no outcome notice;
 * its error annotation says it all.
 */
export function noticeListener(runner: Pick<Runner, 'notice'>): FlowListener {
  let shownAtMs: number | undefined
  return {
    on(event: FlowEvent): void {
      if (event.type === 'code-ready') {
        shownAtMs ??= event.atMs
        const notice = noticeOf(event.prompt, event.atMs)
        runner.notice(notice.message, notice.title)
      } else if (event.type === 'ended' && shownAtMs !== undefined) {
        const notice = outcomeNoticeOf(event.outcome, shownAtMs)
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

export function outcomeNoticeOf(
  outcome: Outcome,
  shownAtMs: number
): { title: string; message: string } {
  const when = `at ${formatUtc(outcome.atMs, outcome.atMs)}, ${formatDuration(outcome.atMs - shownAtMs)} after the code was shown`
  if (outcome.ending === 'approved') {
    const approver = outcome.approver
    const who = approver
      ? approver.shownSubject === approver.name
        ? approver.name
        : `${approver.name} (subject ${approver.shownSubject})`
      : undefined
    // approvals: N names everyone; the tokens are the first one's.
    const all = outcome.approvers && outcome.approvers.length > 1 ? outcome.approvers : undefined
    if (all) {
      const names = all.map((one) => one.name).join(' and ')
      return {
        title: `Approved by ${names}`,
        message: `Approved by ${names} ${when}. The tokens (${all[0]?.name}'s) are in this step's outputs (masked).`
      }
    }
    return {
      title: who ? `Approved by ${approver?.name}` : 'Approved',
      message: `${who ? `Approved by ${who}` : 'Approved (the provider did not say by whom)'} ${when}. The tokens are in this step's outputs (masked).`
    }
  }
  return {
    title: ENDING_TITLES[outcome.ending],
    message: `${outcome.detail ?? ENDING_TITLES[outcome.ending]} (${when})`
  }
}
