import type { DeviceAuthorization } from '../oauth/device.js'
import { joinSafe, safe, safeText, type SafeText } from '../safe-text.js'
import { formatDuration, formatUtc } from './time.js'

/**
 * The formatters here take every value that did not come from the action as SafeText (see
 * src/text/safe-text.ts) and return SafeText: a raw provider field or environment variable
 * passed in does not compile.
 */

/** Which run is asking, so the approver can tell a real request from a phishing lure. */
export interface RunOrigin {
  readonly repository?: SafeText
  readonly workflow?: SafeText
  readonly runId?: SafeText
  /** GITHUB_RUN_NUMBER: the "#17" the Actions page shows, which the approver can match. */
  readonly runNumber?: SafeText
  readonly runAttempt?: SafeText
  readonly actor?: SafeText
  readonly runUrl?: SafeText
}

/** How much of a run detail is shown: a 20 kB workflow name must not make a 20 kB line. */
const MAX_ORIGIN_LENGTH = 100

export function runOrigin(env: Readonly<Record<string, string | undefined>>): RunOrigin {
  // The workflow name is free text from a YAML file, and actors and repositories are names
  // people choose: none of it may fake or hide a line of the prompt, or be read as a command.
  const read = (name: string): SafeText | undefined => {
    const value = env[name]
    return value ? safeText(value, { maxLength: MAX_ORIGIN_LENGTH }) : undefined
  }
  // || and not ??: an empty GITHUB_SERVER_URL would make the run URL relative.
  const server = env['GITHUB_SERVER_URL'] || 'https://github.com'
  const repository = read('GITHUB_REPOSITORY')
  const runId = read('GITHUB_RUN_ID')
  const runNumber = read('GITHUB_RUN_NUMBER')
  const workflow = read('GITHUB_WORKFLOW')
  const runAttempt = read('GITHUB_RUN_ATTEMPT')
  const actor = read('GITHUB_ACTOR')
  const attempt = env['GITHUB_RUN_ATTEMPT']
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
        runUrl: safeText(
          `${server}/${env['GITHUB_REPOSITORY']}/actions/runs/${env['GITHUB_RUN_ID']}${attempt && attempt !== '1' ? `/attempts/${attempt}` : ''}`,
          { maxLength: 2048 }
        )
      })
  }
}

export function describeOrigin(origin: RunOrigin): SafeText | undefined {
  if (!origin.repository) return undefined
  const parts: SafeText[] = [origin.repository]
  if (origin.workflow) parts.push(safe`workflow "${origin.workflow}"`)
  // The run number is what the Actions page shows (#17); the run id only appears in URLs.
  const run = origin.runNumber ? safe`#${origin.runNumber}` : origin.runId
  if (run) {
    const attempt =
      origin.runAttempt && origin.runAttempt !== '1' ? safe` (attempt ${origin.runAttempt})` : ''
    parts.push(safe`run ${run}${attempt}`)
  }
  if (origin.actor) parts.push(safe`started by ${origin.actor}`)
  return joinSafe(parts, ' · ')
}

export interface PromptContext {
  readonly device: DeviceAuthorization
  /** From the inputs: the workflow's author's text, shown as carefully as the provider's. */
  readonly clientId: SafeText
  readonly scope?: SafeText
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

/** Policy text holds the workflow's own patterns and earlier approvers' names: foreign text. */
function shownPolicy(text: string): SafeText {
  return safeText(text, { maxLength: 300 })
}

export interface ApprovalPrompt {
  readonly number: number
  readonly of: number
  /** "Approval 2 of 2: a different person (not alice)". */
  readonly heading: string
}

/** The action's own text. */
const RULE = '─'.repeat(64) as SafeText

/** Times the action formats itself: its own text. */
function when(ms: number, nowMs: number): SafeText {
  return formatUtc(ms, nowMs) as SafeText
}
function left(ms: number): SafeText {
  return formatDuration(ms) as SafeText
}

/** The block printed the moment the code exists; the log is live, the summary is not. */
export function promptLines(ctx: PromptContext, nowMs: number): SafeText[] {
  const { device } = ctx
  const lines: SafeText[] = [
    safe`┌${RULE}`,
    safe`│ Approval needed: sign in at the provider and enter the code.`,
    ...(ctx.approval ? [safe`│ ${shownPolicy(ctx.approval.heading)}.`] : []),
    safe`│`,
    safe`│   1. Open   ${device.verificationUri}`,
    safe`│   2. Enter  ${device.userCode}`
  ]
  if (device.verificationUriComplete) {
    lines.push(
      safe`│`,
      safe`│   Or open this link, which fills in the code:`,
      safe`│     ${device.verificationUriComplete}`
    )
  }
  lines.push(
    safe`│`,
    safe`│   Client   ${ctx.clientId}`,
    ctx.scope ? safe`│   Scope    ${ctx.scope}` : safe`│   Scope    (the provider's default)`
  )
  const origin = describeOrigin(ctx.origin)
  if (origin) lines.push(safe`│   Asked by ${origin}`)
  if (ctx.origin.runUrl) lines.push(safe`│            ${ctx.origin.runUrl}`)
  lines.push(
    safe`│   Expires  ${when(ctx.deadlineMs, nowMs)} (in ${left(ctx.deadlineMs - nowMs)}${timeoutNote(ctx, nowMs)})`
  )
  if (ctx.policy?.length) {
    lines.push(safe`│`)
    ctx.policy.forEach(({ label, text }, index) =>
      lines.push(
        safe`│   ${index === 0 ? safe`Policy  ` : safe`        `} ${shownPolicy(label)}: ${shownPolicy(text)}`
      )
    )
  }
  if (device.message) lines.push(safe`│`, safe`│   The provider says: ${device.message}`)
  lines.push(
    safe`│`,
    safe`│   Approve only if you expected this request from this run.`,
    safe`└${RULE}`
  )
  return lines
}

/** When the timeout input ends the wait first: both times, so nobody wonders which is right. */
export function timeoutNote(ctx: PromptContext, nowMs: number): SafeText | '' {
  return ctx.codeExpiresAtMs === undefined
    ? ''
    : safe`, when this step stops waiting; the code itself expires ${when(ctx.codeExpiresAtMs, nowMs)}`
}

export function noticeOf(
  ctx: PromptContext,
  nowMs: number
): { title: SafeText; message: SafeText } {
  const { device } = ctx
  const where = device.verificationUriComplete ?? device.verificationUri
  const origin = describeOrigin(ctx.origin)
  const scope = ctx.scope ? safe` (scope: ${ctx.scope})` : ''
  const asked = origin ? safe` Asked by ${origin}.` : ''
  return {
    title: ctx.approval
      ? safe`Approval ${ctx.approval.number} of ${ctx.approval.of}: enter code ${device.userCode}`
      : safe`Approval needed: enter code ${device.userCode}`,
    message: safe`${ctx.approval ? safe`${shownPolicy(ctx.approval.heading)}. ` : ''}Open ${where} and enter the code ${device.userCode} to approve client ${ctx.clientId}${scope}. Expires at ${when(ctx.deadlineMs, nowMs)}.${asked}`
  }
}

/** Repeated while waiting: someone who opens the log late may not see the first block. */
export function reminderLine(ctx: PromptContext, nowMs: number): SafeText {
  const which = ctx.approval ? safe` ${ctx.approval.number} of ${ctx.approval.of}` : ''
  return safe`Still waiting for approval${which}: open ${ctx.device.verificationUri} and enter ${ctx.device.userCode} (${left(ctx.deadlineMs - nowMs)} left).`
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
