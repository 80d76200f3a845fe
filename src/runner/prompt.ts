import type { DeviceAuthorization } from '../oauth/device.js'
import { formatDuration, formatUtc } from './format.js'

/** Which run is asking, so the approver can tell a real request from a phishing lure. */
export interface RunOrigin {
  readonly repository?: string
  readonly workflow?: string
  readonly runId?: string
  /** GITHUB_RUN_NUMBER: the "#17" the Actions page shows, which the approver can match. */
  readonly runNumber?: string
  readonly runAttempt?: string
  readonly actor?: string
  readonly runUrl?: string
}

export function runOrigin(env: Readonly<Record<string, string | undefined>>): RunOrigin {
  // The workflow name is free text from a YAML file: no line break or escape sequence from it
  // (or any of these) may reach the prompt, where it could fake or hide a line.
  const read = (name: string): string | undefined =>
    env[name]?.replace(/[\u0000-\u001F\u007F-\u009F]+/g, ' ')
  // || and not ??: an empty GITHUB_SERVER_URL would make the run URL relative.
  const server = read('GITHUB_SERVER_URL') || 'https://github.com'
  const repository = read('GITHUB_REPOSITORY')
  const runId = read('GITHUB_RUN_ID')
  const runNumber = read('GITHUB_RUN_NUMBER')
  const workflow = read('GITHUB_WORKFLOW')
  const runAttempt = read('GITHUB_RUN_ATTEMPT')
  const actor = read('GITHUB_ACTOR')
  return {
    ...(repository && { repository }),
    ...(workflow && { workflow }),
    ...(runId && { runId }),
    ...(runNumber && { runNumber }),
    ...(runAttempt && { runAttempt }),
    ...(actor && { actor }),
    ...(repository &&
      runId && {
        // The attempt's own page when the run was re-run: the one the approver sees in the log.
        runUrl: `${server}/${repository}/actions/runs/${runId}${runAttempt && runAttempt !== '1' ? `/attempts/${runAttempt}` : ''}`
      })
  }
}

export function describeOrigin(origin: RunOrigin): string | undefined {
  if (!origin.repository) return undefined
  const parts = [origin.repository]
  if (origin.workflow) parts.push(`workflow "${origin.workflow}"`)
  // The run number is what the Actions page shows (#17); the run id only appears in URLs.
  const run = origin.runNumber ? `#${origin.runNumber}` : origin.runId
  if (run)
    parts.push(
      `run ${run}${origin.runAttempt && origin.runAttempt !== '1' ? ` (attempt ${origin.runAttempt})` : ''}`
    )
  if (origin.actor) parts.push(`started by ${origin.actor}`)
  return parts.join(' · ')
}

export interface PromptContext {
  readonly device: DeviceAuthorization
  readonly clientId: string
  readonly scope?: string
  /** When the wait ends, whichever comes first: code expiry or the timeout input. */
  readonly deadlineMs: number
  /** When the code itself expires, set only when the timeout input ends the wait before that. */
  readonly codeExpiresAtMs?: number
  readonly origin: RunOrigin
  /** With approvals > 1: which approval this is, and that it needs a different person. */
  readonly approval?: ApprovalPrompt
  /** The approval policy in force, so the approver knows before signing in: "label: rule". */
  readonly policy?: ReadonlyArray<{ readonly label: string; readonly text: string }>
}

export interface ApprovalPrompt {
  readonly number: number
  readonly of: number
  /** "Approval 2 of 2: a different person (not alice)". */
  readonly heading: string
}

const RULE = '─'.repeat(64)

/** The block printed the moment the code exists; the log is live, the summary is not. */
export function promptLines(ctx: PromptContext, nowMs: number): string[] {
  const { device } = ctx
  const lines = [
    `┌${RULE}`,
    '│ Approval needed: sign in at the provider and enter the code.',
    ...(ctx.approval ? [`│ ${ctx.approval.heading}.`] : []),
    '│',
    `│   1. Open   ${device.verificationUri}`,
    `│   2. Enter  ${device.userCode}`
  ]
  if (device.verificationUriComplete) {
    lines.push(
      '│',
      '│   Or open this link, which fills in the code:',
      `│     ${device.verificationUriComplete}`
    )
  }
  lines.push(
    '│',
    `│   Client   ${ctx.clientId}`,
    `│   Scope    ${ctx.scope ?? "(the provider's default)"}`
  )
  const origin = describeOrigin(ctx.origin)
  if (origin) lines.push(`│   Asked by ${origin}`)
  if (ctx.origin.runUrl) lines.push(`│            ${ctx.origin.runUrl}`)
  lines.push(
    `│   Expires  ${formatUtc(ctx.deadlineMs, nowMs)} (in ${formatDuration(ctx.deadlineMs - nowMs)}${timeoutNote(ctx, nowMs)})`
  )
  if (ctx.policy?.length) {
    lines.push('│')
    ctx.policy.forEach(({ label, text }, index) =>
      lines.push(`│   ${index === 0 ? 'Policy  ' : '        '} ${label}: ${text}`)
    )
  }
  if (device.message) lines.push('│', `│   The provider says: ${device.message}`)
  lines.push('│', '│   Approve only if you expected this request from this run.', `└${RULE}`)
  return lines
}

/** When the timeout input ends the wait first: both times, so nobody wonders which is right. */
export function timeoutNote(ctx: PromptContext, nowMs: number): string {
  return ctx.codeExpiresAtMs === undefined
    ? ''
    : `, when this step stops waiting; the code itself expires ${formatUtc(ctx.codeExpiresAtMs, nowMs)}`
}

export function noticeOf(ctx: PromptContext, nowMs: number): { title: string; message: string } {
  const { device } = ctx
  const where = device.verificationUriComplete ?? device.verificationUri
  const origin = describeOrigin(ctx.origin)
  return {
    title: `${ctx.approval ? `Approval ${ctx.approval.number} of ${ctx.approval.of}` : 'Approval needed'}: enter code ${device.userCode}`,
    message:
      `${ctx.approval ? `${ctx.approval.heading}. ` : ''}` +
      `Open ${where} and enter the code ${device.userCode} to approve client ${ctx.clientId}` +
      `${ctx.scope ? ` (scope: ${ctx.scope})` : ''}. Expires at ${formatUtc(ctx.deadlineMs, nowMs)}.` +
      `${origin ? ` Asked by ${origin}.` : ''}`
  }
}

/** Repeated while waiting: someone who opens the log late may not see the first block. */
export function reminderLine(ctx: PromptContext, nowMs: number): string {
  const which = ctx.approval ? ` ${ctx.approval.number} of ${ctx.approval.of}` : ''
  return `Still waiting for approval${which}: open ${ctx.device.verificationUri} and enter ${ctx.device.userCode} (${formatDuration(ctx.deadlineMs - nowMs)} left).`
}

/** Says when a reminder is due: once a minute. */
export class ReminderSchedule {
  private lastMs: number
  constructor(
    shownAtMs: number,
    private readonly everyMs = 60_000
  ) {
    this.lastMs = shownAtMs
  }
  due(nowMs: number): boolean {
    if (nowMs - this.lastMs < this.everyMs) return false
    this.lastMs = nowMs
    return true
  }
}
