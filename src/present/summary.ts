import type {
  Ending,
  FlowEvent,
  FlowListener,
  HandoffRecord,
  Outcome,
  PromptContext,
  RunOrigin
} from '../flow/events.js'
import type { Approver } from '../oauth/approver.js'
import type { Runner } from '../runner/runner.js'
import { messageOf } from '../errors.js'
import { escapeHtml, link } from './html.js'
import { describeOrigin, refusedBefore, timeoutNote } from './prompt.js'
import { formatDuration, formatUtc } from './time.js'

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
    if (enabled()) await addToSummary(runner, html)
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

/** Appends to the job summary; a write that fails is a warning, never a failed step. */
export async function addToSummary(
  runner: Pick<Runner, 'appendSummary' | 'warning'>,
  html: string
): Promise<void> {
  try {
    await runner.appendSummary(html)
  } catch (error) {
    runner.warning(`Could not write the job summary: ${messageOf(error)}`)
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
    }),
    ...(outcome.handoff && { handoff: outcome.handoff })
  }
}

/** "alice (248289761001)", or the one name when the subject is the name. */
function describeApprover(approver: Approver): string {
  return approver.shownSubject === approver.name
    ? approver.name
    : `${approver.name} (${approver.shownSubject})`
}

/**
 * The job summary is the record, shown once the step ends: what was asked, of whom, and how it
 * ended. Written as HTML with every outside value escaped (see html.ts).
 */
const HEADINGS: Readonly<Record<Ending, string>> = {
  approved: '✅ Approved',
  refreshed: '🔄 Refreshed',
  'handoff-opened': '📨 Opened the handoff of an earlier job',
  denied: '🚫 Denied',
  refused: '⛔ Refused by the approval policy',
  expired: '⌛ Expired',
  'timed-out': '⏱️ Timed out',
  cancelled: '⏹️ Cancelled',
  failed: '❌ Failed'
}

function row(label: string, valueHtml: string): string {
  return `<tr><th align="left">${escapeHtml(label)}</th><td>${valueHtml}</td></tr>`
}

export function requestSection(ctx: PromptContext, nowMs: number): string {
  const { device } = ctx
  const rows = [
    row('Verification page', link(device.verificationUri)),
    ...(device.verificationUriComplete
      ? [row('Link with the code', link(device.verificationUriComplete))]
      : []),
    row('Code', `<code>${escapeHtml(device.userCode)}</code>`),
    row('Client', `<code>${escapeHtml(ctx.clientId)}</code>`),
    row('Scope', ctx.scope ? `<code>${escapeHtml(ctx.scope)}</code>` : "the provider's default"),
    ...originRows(ctx.origin),
    row('Code shown', formatUtc(nowMs, nowMs)),
    row('Expires', formatUtc(ctx.deadlineMs, nowMs) + escapeHtml(timeoutNote(ctx, nowMs))),
    ...(ctx.policy?.length
      ? [
          row(
            'Policy',
            ctx.policy.map(({ label, text }) => escapeHtml(`${label}: ${text}`)).join('<br>')
          )
        ]
      : [])
  ]
  const which = [
    ...(ctx.approval ? [escapeHtml(ctx.approval.heading)] : []),
    ...(ctx.afterRefusal ? [escapeHtml(refusedBefore(ctx))] : [])
  ]
    .map((part) => ` (${part})`)
    .join('')
  return `<h2>Device authorization${which}</h2>\n<table>\n${rows.join('\n')}\n</table>\n`
}

function originRows(origin: RunOrigin): string[] {
  const described = describeOrigin(origin)
  if (!described) return []
  return [row('Asked by', origin.runUrl ? link(origin.runUrl, described) : escapeHtml(described))]
}

export interface OutcomeRecord {
  readonly ending: Ending
  readonly atMs: number
  /** When the code was shown, for "approved after …". */
  readonly shownAtMs?: number
  readonly detail?: string
  readonly clientId?: string
  readonly scope?: string
  readonly approver?: string
  /** Everyone who approved, in order, when more than one person had to. */
  readonly approvers?: readonly string[]
  /** Who tried and which rule of the approval policy refused them. */
  readonly refusedApprover?: string
  readonly refusedBy?: string
  /** Where an opened handoff came from. */
  readonly handoff?: HandoffRecord
}

export function outcomeSection(outcome: OutcomeRecord): string {
  const rows = [row('When', formatUtc(outcome.atMs, outcome.atMs))]
  if (outcome.shownAtMs !== undefined && outcome.ending === 'approved') {
    rows.push(row('Took', formatDuration(outcome.atMs - outcome.shownAtMs)))
  }
  if (outcome.approvers && outcome.approvers.length > 1) {
    rows.push(
      row(
        'Approved by',
        outcome.approvers.map((name) => `<code>${escapeHtml(name)}</code>`).join(', ')
      )
    )
  } else if (outcome.approver)
    rows.push(row('Approved by', `<code>${escapeHtml(outcome.approver)}</code>`))
  if (outcome.refusedApprover)
    rows.push(row('Who tried', `<code>${escapeHtml(outcome.refusedApprover)}</code>`))
  if (outcome.refusedBy)
    rows.push(row('Refused by', `<code>${escapeHtml(outcome.refusedBy)}</code>`))
  if (outcome.handoff) rows.push(...handoffRows(outcome.handoff, outcome.atMs))
  if (outcome.clientId) rows.push(row('Client', `<code>${escapeHtml(outcome.clientId)}</code>`))
  if (outcome.scope) rows.push(row('Granted scope', `<code>${escapeHtml(outcome.scope)}</code>`))
  if (outcome.detail) rows.push(row('Details', escapeHtml(outcome.detail)))
  return `<h3>Outcome: ${HEADINGS[outcome.ending]}</h3>\n<table>\n${rows.join('\n')}\n</table>\n`
}

/** Which job of the run handed the tokens over, and when it got them. */
function handoffRows(handoff: HandoffRecord, nowMs: number): string[] {
  const job = handoff.job ? `job <code>${escapeHtml(handoff.job)}</code>` : 'an earlier job'
  const attempt = handoff.runAttempt ? `, attempt ${escapeHtml(handoff.runAttempt)}` : ''
  return [
    row(
      'Handed over by',
      `${job}${attempt}, which got them at ${formatUtc(handoff.obtainedAtMs, nowMs)}`
    ),
    ...(handoff.refreshed
      ? [row('Refreshed', 'yes: the access token had expired, and this job refreshed it')]
      : [])
  ]
}
