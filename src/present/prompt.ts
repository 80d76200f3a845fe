import type { PromptContext, RunOrigin } from '../flow/events.js'
import { safeText } from '../safe-text.js'
import { formatDuration, formatUtc } from './time.js'

/**
 * The prompt as the approver sees it: the block in the log, the notice, the reminders. The lines
 * are plain text; the runner adapter makes each one log-safe as it is written (src/runner).
 */

export function describeOrigin(origin: RunOrigin): string | undefined {
  if (!origin.repository) return undefined
  const parts: string[] = [origin.repository]
  if (origin.workflow) parts.push(`workflow "${origin.workflow}"`)
  // The run number is what the Actions page shows (#17); the run id only appears in URLs.
  const run = origin.runNumber ? `#${origin.runNumber}` : origin.runId
  if (run) {
    const attempt =
      origin.runAttempt && origin.runAttempt !== '1' ? ` (attempt ${origin.runAttempt})` : ''
    parts.push(`run ${run}${attempt}`)
  }
  if (origin.actor) parts.push(`started by ${origin.actor}`)
  return parts.join(' · ')
}

/** Policy text holds the workflow's own patterns and earlier approvers' names: foreign text. */
function shownPolicy(text: string): string {
  return safeText(text, { maxLength: 300 })
}

const RULE = '─'.repeat(64)

/** The block printed the moment the code exists; the log is live, the summary is not. */
export function promptLines(ctx: PromptContext, nowMs: number): string[] {
  const { device } = ctx
  const lines: string[] = [
    `┌${RULE}`,
    `│ Approval needed: sign in at the provider and enter the code.`,
    ...(ctx.approval ? [`│ ${shownPolicy(ctx.approval.heading)}.`] : []),
    ...(ctx.afterRefusal ? [`│ ${refusedBefore(ctx)}`] : []),
    `│`,
    `│   1. Open   ${device.verificationUri}`,
    `│   2. Enter  ${device.userCode}`
  ]
  if (device.verificationUriComplete) {
    lines.push(
      `│`,
      `│   Or open this link, which fills in the code:`,
      `│     ${device.verificationUriComplete}`
    )
  }
  lines.push(
    `│`,
    `│   Client   ${ctx.clientId}`,
    ctx.scope ? `│   Scope    ${ctx.scope}` : `│   Scope    (the provider's default)`
  )
  const origin = describeOrigin(ctx.origin)
  if (origin) lines.push(`│   Asked by ${origin}`)
  if (ctx.origin.runUrl) lines.push(`│            ${ctx.origin.runUrl}`)
  lines.push(
    `│   Expires  ${formatUtc(ctx.deadlineMs, nowMs)} (in ${formatDuration(ctx.deadlineMs - nowMs)}${timeoutNote(ctx, nowMs)})`
  )
  if (ctx.policy?.length) {
    lines.push(`│`)
    ctx.policy.forEach(({ label, text }, index) =>
      lines.push(
        `│   ${index === 0 ? `Policy  ` : `        `} ${shownPolicy(label)}: ${shownPolicy(text)}`
      )
    )
  }
  if (device.message) lines.push(`│`, `│   The provider says: ${device.message}`)
  lines.push(`│`, `│   Approve only if you expected this request from this run.`, `└${RULE}`)
  return lines
}

/** When the timeout input ends the wait first: both times, so nobody wonders which is right. */
export function timeoutNote(ctx: PromptContext, nowMs: number): string | '' {
  return ctx.codeExpiresAtMs === undefined
    ? ''
    : `, when this step stops waiting; the code itself expires ${formatUtc(ctx.codeExpiresAtMs, nowMs)}`
}

export function noticeOf(ctx: PromptContext, nowMs: number): { title: string; message: string } {
  const { device } = ctx
  const where = device.verificationUriComplete ?? device.verificationUri
  const origin = describeOrigin(ctx.origin)
  const scope = ctx.scope ? ` (scope: ${ctx.scope})` : ''
  const asked = origin ? ` Asked by ${origin}.` : ''
  const refused = ctx.afterRefusal ? `${refusedBefore(ctx)} ` : ''
  return {
    title: ctx.approval
      ? `Approval ${ctx.approval.number} of ${ctx.approval.of}: enter code ${device.userCode}`
      : `Approval needed: enter code ${device.userCode}`,
    message: `${refused}${ctx.approval ? `${shownPolicy(ctx.approval.heading)}. ` : ''}Open ${where} and enter the code ${device.userCode} to approve client ${ctx.clientId}${scope}. Expires at ${formatUtc(ctx.deadlineMs, nowMs)}.${asked}`
  }
}

/** The line a fresh code opens with: whose approval the policy refused, and by which rule. */
export function refusedBefore(ctx: PromptContext): string {
  const refused = ctx.afterRefusal
  if (!refused) return ''
  const rule = refused.rule ? ` (${refused.rule})` : ''
  return `A fresh code: the approval policy refused the approval by ${shownPolicy(refused.approver)}${rule}, and the wait goes on.`
}

/** Repeated while waiting: someone who opens the log late may not see the first block. */
export function reminderLine(ctx: PromptContext, nowMs: number): string {
  const which = ctx.approval ? ` ${ctx.approval.number} of ${ctx.approval.of}` : ''
  return `Still waiting for approval${which}: open ${ctx.device.verificationUri} and enter ${ctx.device.userCode} (${formatDuration(ctx.deadlineMs - nowMs)} left).`
}
