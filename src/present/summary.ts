import type {
  Ending,
  FlowEvent,
  FlowListener,
  FlowStage,
  GrantEnding,
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
import { expiryText, refreshTokenText } from './refresh-token.js'
import { formatDateTimeUtc, formatDuration, formatUtc } from './time.js'

/**
 * The job summary, the record shown once the step ends. It opens with the outcome (who approved,
 * when, how long it took), then what is to be done about the refresh token, then the request(s)
 * with their codes marked as used or expired: nobody should take a code in a record for a live
 * one. GitHub uploads the summary only when the step ends, so it is written once, at the end. A
 * failed write is only a warning. `enabled` is read then: the summary input is known only once
 * the inputs are read, and an input error is recorded too.
 */
export function summaryListener(
  runner: Pick<Runner, 'appendSummary' | 'warning'>,
  enabled: () => boolean
): FlowListener {
  const record = new SummaryRecord()
  return {
    async on(event: FlowEvent): Promise<void> {
      record.hear(event)
      if (event.type === 'ended' && enabled())
        await addToSummary(runner, record.html(event.outcome))
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

/** What became of a code once the step no longer waits for it. */
export type CodeUse =
  | { readonly kind: 'approved'; readonly atMs: number; readonly by?: string }
  | { readonly kind: 'refused'; readonly atMs: number; readonly by?: string }
  | { readonly kind: 'denied'; readonly atMs: number }
  | { readonly kind: 'expired'; readonly atMs: number }
  /** The step stopped waiting for it before it expired: the timeout input, a cancel, a failure. */
  | {
      readonly kind: 'abandoned'
      readonly atMs: number
      readonly why: 'timed-out' | 'cancelled' | 'failed'
    }

/** One code shown, and what became of it. */
export interface RequestRecord {
  readonly prompt: PromptContext
  readonly shownAtMs: number
  use?: CodeUse
}

/** Collects the run's events and writes the record once it ends. */
class SummaryRecord {
  private readonly requests: RequestRecord[] = []
  private readonly notes: string[] = []

  hear(event: FlowEvent): void {
    const latest = this.requests.at(-1)
    switch (event.type) {
      case 'code-ready':
        this.requests.push({ prompt: event.prompt, shownAtMs: event.atMs })
        break
      case 'approved':
        if (latest && !latest.use)
          latest.use = {
            kind: 'approved',
            atMs: event.atMs,
            ...(event.approver && { by: describeApprover(event.approver) })
          }
        break
      case 'refused':
        if (latest && !latest.use)
          latest.use = {
            kind: 'refused',
            atMs: event.atMs,
            ...(event.approver && { by: describeApprover(event.approver) })
          }
        break
      case 'refresh-token': {
        const told = refreshTokenText(event.fate, event.atMs)
        this.notes.push(
          told.level === 'warning'
            ? `<p>⚠️ <strong>${escapeHtml(told.title)}.</strong> ${escapeHtml(told.text)}</p>`
            : `<p>${escapeHtml(told.text)}</p>`
        )
        break
      }
      case 'handed-off':
        this.notes.push(
          '<p>Handed off: the tokens are sealed in the <code>handoff</code> output for later jobs of this run.</p>'
        )
        break
      case 'refresh-token-expires':
        this.notes.push(`<p>⚠️ ${escapeHtml(expiryText(event.expiresAtMs, event.atMs))}</p>`)
        break
      case 'ended':
        if (latest && !latest.use) latest.use = finalUse(event.outcome)
        break
    }
  }

  html(outcome: Outcome): string {
    const firstShownAtMs = this.requests[0]?.shownAtMs
    const sections = [
      outcomeSection(recordOf(outcome, firstShownAtMs)),
      ...this.notes.map((note) => `${note}\n`),
      ...this.requests.map((request, index) =>
        requestSection(request.prompt, request.shownAtMs, {
          ...(request.use && { use: request.use }),
          ...(this.requests.length > 1 && { number: index + 1 })
        })
      )
    ]
    return sections.join('')
  }
}

/** The last code's fate, from how the run ended, when no approval or refusal settled it. */
function finalUse(outcome: Outcome): CodeUse {
  switch (outcome.ending) {
    case 'denied':
      return { kind: 'denied', atMs: outcome.atMs }
    case 'expired':
      return { kind: 'expired', atMs: outcome.atMs }
    case 'timed-out':
    case 'cancelled':
      return { kind: 'abandoned', atMs: outcome.atMs, why: outcome.ending }
    default:
      return { kind: 'abandoned', atMs: outcome.atMs, why: 'failed' }
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
    ...(outcome.failedAfter && { failedAfter: outcome.failedAfter }),
    ...(outcome.handoff && { handoff: outcome.handoff })
  }
}

/** "alice (248289761001)", or the one name when the subject is the name. */
function describeApprover(approver: Approver): string {
  return approver.shownSubject === approver.name
    ? approver.name
    : `${approver.name} (${approver.shownSubject})`
}

const HEADINGS: Readonly<Record<Ending, string>> = {
  approved: '✅ Approved',
  refreshed: '🔄 Refreshed from the stored refresh token',
  'handoff-opened': '📨 Opened the handoff of an earlier job',
  denied: '🚫 Denied',
  refused: '⛔ Refused by the approval policy',
  expired: '⌛ Expired: nobody approved in time',
  'timed-out': '⏱️ Timed out: nobody approved in time',
  cancelled: '⏹️ Cancelled',
  failed: '❌ Failed'
}

/** What failed, when a stage after the outputs failed the step. */
const STAGE_FAILURES: Readonly<Record<FlowStage, string>> = {
  'store-refresh-token': 'the refresh token was not stored',
  'hand-off': 'the tokens were not handed off'
}

function row(label: string, valueHtml: string): string {
  return `<tr><th align="left">${escapeHtml(label)}</th><td>${valueHtml}</td></tr>`
}

export interface OutcomeRecord {
  readonly ending: Ending
  readonly atMs: number
  /** When the (first) code was shown, for "took …". */
  readonly shownAtMs?: number
  readonly detail?: string
  readonly clientId?: string
  readonly scope?: string
  /** Whose tokens: the approver, or after a refresh the token's owner. */
  readonly approver?: string
  /** Everyone who approved, in order, when more than one person had to. */
  readonly approvers?: readonly string[]
  /** Who tried and which rule of the approval policy refused them. */
  readonly refusedApprover?: string
  readonly refusedBy?: string
  /** The tokens were granted (how) and output, and then this stage failed the step. */
  readonly failedAfter?: { readonly grant: GrantEnding; readonly stage: FlowStage }
  /** Where an opened handoff came from. */
  readonly handoff?: HandoffRecord
}

/** The outcome, first: who approved, when (with the date), how long it took, and the rest. */
export function outcomeSection(outcome: OutcomeRecord): string {
  const names =
    outcome.approvers && outcome.approvers.length > 1
      ? outcome.approvers
      : outcome.approver
        ? [outcome.approver]
        : []
  // How the tokens came: the grant of a run that failed only afterwards, or how it ended.
  const grant = outcome.failedAfter?.grant ?? outcome.ending
  const by = names.length > 0 ? ` by ${names.map((name) => escapeHtml(name)).join(' and ')}` : ''
  const headline =
    grant === 'approved'
      ? `${HEADINGS.approved}${by}`
      : grant === 'handoff-opened' && by
        ? `${HEADINGS['handoff-opened']}, approved${by}`
        : HEADINGS[grant]
  const heading = outcome.failedAfter
    ? `⚠️ ${headline.replace(/^\S+ /, '')}, but ${STAGE_FAILURES[outcome.failedAfter.stage]}`
    : headline
  const rows: string[] = []
  // A refresh asks nobody: the token's owner is who approved it once, not now. An opened
  // handoff names who approved in the job that sealed it.
  if ((grant === 'approved' || grant === 'handoff-opened') && names.length > 0)
    rows.push(
      row('Approved by', names.map((name) => `<code>${escapeHtml(name)}</code>`).join(', '))
    )
  if (grant === 'refreshed' && outcome.approver)
    rows.push(
      row('Token of', `<code>${escapeHtml(outcome.approver)}</code> (nobody was asked this time)`)
    )
  const approved = grant === 'approved'
  rows.push(row('When', formatDateTimeUtc(outcome.atMs)))
  if (outcome.shownAtMs !== undefined)
    rows.push(
      row(
        approved ? 'Took' : 'Waited',
        `${formatDuration(outcome.atMs - outcome.shownAtMs)} after the code was shown`
      )
    )
  if (outcome.refusedApprover)
    rows.push(row('Who tried', `<code>${escapeHtml(outcome.refusedApprover)}</code>`))
  if (outcome.refusedBy)
    rows.push(row('Refused by', `<code>${escapeHtml(outcome.refusedBy)}</code>`))
  if (outcome.handoff) rows.push(...handoffRows(outcome.handoff, outcome.atMs))
  if (outcome.clientId) rows.push(row('Client', `<code>${escapeHtml(outcome.clientId)}</code>`))
  if (outcome.scope) rows.push(row('Granted scope', `<code>${escapeHtml(outcome.scope)}</code>`))
  if (outcome.detail) rows.push(row('Details', escapeHtml(outcome.detail)))
  return `<h2>${heading}</h2>\n<table>\n${rows.join('\n')}\n</table>\n`
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

export interface RequestPlace {
  /** What became of the code; absent while it is live (never, in a summary). */
  readonly use?: CodeUse
  /** With several codes in one run: which this is, from 1. */
  readonly number?: number
}

/**
 * One request, as a record: the code and the links are text, not links, and the first row says
 * whether the code was used or expired. The run that asked stays a link: that page lives on.
 */
export function requestSection(
  ctx: PromptContext,
  shownAtMs: number,
  place: RequestPlace = {}
): string {
  const { device } = ctx
  const rows = [
    row(
      'Code',
      `<code>${escapeHtml(device.userCode)}</code>${place.use ? ` ${escapeHtml(useOf(place.use, ctx))}` : ''}`
    ),
    row('Verification page', `<code>${escapeHtml(device.verificationUri, 2048)}</code>`),
    ...(device.verificationUriComplete
      ? [
          row(
            'Link with the code',
            `<code>${escapeHtml(device.verificationUriComplete, 2048)}</code>`
          )
        ]
      : []),
    row('Client', `<code>${escapeHtml(ctx.clientId)}</code>`),
    row('Scope', ctx.scope ? `<code>${escapeHtml(ctx.scope)}</code>` : "the provider's default"),
    ...originRows(ctx.origin),
    row('Code shown', formatDateTimeUtc(shownAtMs)),
    row(
      'Valid until',
      formatUtc(ctx.deadlineMs, shownAtMs) + escapeHtml(timeoutNote(ctx, shownAtMs))
    ),
    ...(ctx.policy?.length
      ? [
          row(
            'Policy',
            ctx.policy.map(({ label, text }) => escapeHtml(`${label}: ${text}`)).join('<br>')
          )
        ]
      : [])
  ]
  const which = ctx.approval ? `: ${escapeHtml(ctx.approval.heading)}` : ''
  // A fresh code after the policy refused someone says so (issue 20).
  const refused = ctx.afterRefusal ? ` (${escapeHtml(refusedBefore(ctx))})` : ''
  const title = place.number !== undefined ? `Request ${place.number}` : 'The request'
  return `<h3>${title}${which}${refused}</h3>\n<table>\n${rows.join('\n')}\n</table>\n`
}

/** "(used at 10:02:30 UTC: approved by alice)", in words a record can hold. */
function useOf(use: CodeUse, ctx: PromptContext): string {
  const at = formatUtc(use.atMs, use.atMs)
  switch (use.kind) {
    case 'approved':
      return `(used at ${at}: approved${use.by ? ` by ${use.by}` : ''})`
    case 'refused':
      return `(used at ${at}: approved${use.by ? ` by ${use.by}` : ''}, whom the approval policy refused)`
    case 'denied':
      return `(used at ${at}: denied)`
    case 'expired':
      return `(expired at ${at}, unused)`
    case 'abandoned': {
      const why = {
        'timed-out': 'the timeout input ended the wait',
        cancelled: 'the step was cancelled',
        failed: 'the step failed'
      }[use.why]
      const codeEndsMs = ctx.codeExpiresAtMs ?? ctx.deadlineMs
      return codeEndsMs > use.atMs
        ? `(unused: ${why} at ${at}; approving it now would give nobody anything)`
        : `(expired, unused: ${why} at ${at})`
    }
  }
}

function originRows(origin: RunOrigin): string[] {
  const described = describeOrigin(origin)
  if (!described) return []
  return [row('Asked by', origin.runUrl ? link(origin.runUrl, described) : escapeHtml(described))]
}
