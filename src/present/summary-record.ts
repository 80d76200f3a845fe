import { escapeHtml, link } from './html.js'
import { formatDuration, formatUtc } from './time.js'
import { describeOrigin, timeoutNote, type PromptContext, type RunOrigin } from './prompt.js'

/**
 * The job summary is the record, shown once the step ends: what was asked, of whom, and how it
 * ended. Written as HTML with every outside value escaped (see escape.ts).
 */
export type Ending =
  'approved' | 'refreshed' | 'denied' | 'refused' | 'expired' | 'timed-out' | 'cancelled' | 'failed'

const HEADINGS: Readonly<Record<Ending, string>> = {
  approved: '✅ Approved',
  refreshed: '🔄 Refreshed',
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
  const which = ctx.approval ? ` (${escapeHtml(ctx.approval.heading)})` : ''
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
  if (outcome.clientId) rows.push(row('Client', `<code>${escapeHtml(outcome.clientId)}</code>`))
  if (outcome.scope) rows.push(row('Granted scope', `<code>${escapeHtml(outcome.scope)}</code>`))
  if (outcome.detail) rows.push(row('Details', escapeHtml(outcome.detail)))
  return `<h3>Outcome: ${HEADINGS[outcome.ending]}</h3>\n<table>\n${rows.join('\n')}\n</table>\n`
}
