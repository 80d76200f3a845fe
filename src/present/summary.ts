import type { FlowEvent, FlowListener, Outcome } from '../flow/events.js'
import type { Approver } from '../oauth/approver.js'
import type { Runner } from '../runner/runner.js'
import { safe, safeText } from '../safe-text.js'
import { outcomeSection, requestSection, type OutcomeRecord } from './summary-record.js'

/**
 * The job summary, the record shown once the step ends: what was asked and how it ended. A
 * failed write is only a warning. `enabled` is read at each write: the summary input is known
 * only once the inputs are read, and an input error is recorded too.
 */
export function summaryListener(
  runner: Pick<Runner, 'appendSummary' | 'warning'>,
  enabled: () => boolean
): FlowListener {
  let shownAtMs: number | undefined
  const write = async (html: string): Promise<void> => {
    if (!enabled()) return
    try {
      await runner.appendSummary(html)
    } catch (error) {
      runner.warning(
        safe`Could not write the job summary: ${safeText(error instanceof Error ? error.message : error, { maxLength: 500 })}`
      )
    }
  }
  return {
    async on(event: FlowEvent): Promise<void> {
      if (event.type === 'code-ready') {
        shownAtMs ??= event.atMs
        await write(requestSection(event.prompt, event.atMs))
      } else if (event.type === 'ended') {
        await write(outcomeSection(recordOf(event.outcome, shownAtMs)))
      }
    }
  }
}

function recordOf(outcome: Outcome, shownAtMs: number | undefined): OutcomeRecord {
  return {
    ending: outcome.ending,
    atMs: outcome.atMs,
    ...(shownAtMs !== undefined && { shownAtMs }),
    ...(outcome.detail && { detail: outcome.detail }),
    // The request section names the client already when a code was shown.
    ...(outcome.clientId && shownAtMs === undefined && { clientId: outcome.clientId }),
    ...(outcome.scope && { scope: outcome.scope }),
    ...(outcome.approver && { approver: describeApprover(outcome.approver) }),
    ...(outcome.approvers && { approvers: outcome.approvers.map(describeApprover) }),
    ...(outcome.refusal && {
      refusedApprover: outcome.refusal.approver,
      ...(outcome.refusal.rule && { refusedBy: outcome.refusal.rule })
    })
  }
}

/** "alice (248289761001)", or the one name when the subject is the name. */
function describeApprover(approver: Approver): string {
  return approver.shownSubject === approver.name
    ? approver.name
    : `${approver.name} (${approver.shownSubject})`
}
