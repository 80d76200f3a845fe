import type { FlowEvent, FlowListener, HandoffRecord, PolicyFinding } from '../flow/events.js'
import { formatDuration } from './time.js'
import { promptLines, reminderLine } from './prompt.js'
import { expiryText, refreshTokenText } from './refresh-token.js'
import type { Runner } from '../runner/runner.js'
import { MESSAGE_MAX_LENGTH, safeText } from '../safe-text.js'

/** The job log, streamed live: the prompt, reminders, what polling brings, and how it ended. */
export function logListener(runner: Pick<Runner, 'info' | 'debug' | 'warning'>): FlowListener {
  let shownAtMs: number | undefined
  const transient = new RepeatedFailures()
  return {
    on(event: FlowEvent): void {
      switch (event.type) {
        case 'code-ready':
          shownAtMs ??= event.atMs
          for (const line of promptLines(event.prompt, event.atMs)) runner.info(line)
          break
        case 'reminder':
          runner.info(reminderLine(event.prompt, event.atMs))
          break
        case 'poll':
          logPoll(runner, event.event, transient)
          break
        case 'refreshed':
          runner.info(`Exchanged the refresh token for a new access token.`)
          break
        case 'refresh-token': {
          const told = refreshTokenText(event.fate, event.atMs)
          if (told.level === 'warning') runner.warning(told.text)
          else runner.info(told.text)
          break
        }
        case 'refresh-token-expires':
          runner.warning(expiryText(event.expiresAtMs, event.atMs))
          break
        case 'refused':
          logFindings(runner, event.findings)
          runner.info(
            `The approval was refused: ${safeText(event.reason, { maxLength: MESSAGE_MAX_LENGTH })}`
          )
          break
        case 'ended': {
          const { outcome } = event
          const names = (outcome.approvers ?? (outcome.approver ? [outcome.approver] : [])).map(
            (approver) => approver.name
          )
          const by = names.length > 0 ? ` by ${names.join(' and ')}` : ''
          if (outcome.ending === 'handoff-opened' && outcome.handoff) {
            runner.info(
              `${handoffLine(outcome.handoff)}: approved${by}. The tokens are in this step's outputs (masked).`
            )
            break
          }
          if (outcome.ending !== 'approved') break
          const after =
            shownAtMs !== undefined ? ` after ${duration(outcome.atMs - shownAtMs)}` : ''
          runner.info(`Approved${by}${after}. The tokens are in this step's outputs (masked).`)
          break
        }
        case 'approved': {
          logFindings(runner, event.findings)
          if (event.turn && event.turn.of > 1) {
            const by = event.approver ? ` by ${event.approver.name}` : ''
            runner.info(`Approval ${event.turn.number} of ${event.turn.of} given${by}.`)
          }
          break
        }
      }
    }
  }
}

const MARKS: Readonly<Record<PolicyFinding['result'], string>> = {
  holds: '✓',
  broken: '✗',
  unknown: '?',
  unchecked: '-'
}

/** The policy's findings, rule by rule, so the log says why an approval passed or not. */
function logFindings(
  runner: Pick<Runner, 'info'>,
  findings: readonly PolicyFinding[] | undefined
): void {
  for (const finding of findings ?? [])
    runner.info(
      `  ${safeText(MARKS[finding.result])} ${safeText(finding.text, { maxLength: MESSAGE_MAX_LENGTH })}`
    )
}

/**
 * A failure told once in full: while the provider keeps failing the same way, the lines after
 * the first say only that it did again, not the whole message with its advice each time.
 */
class RepeatedFailures {
  private lastReason: string | undefined
  line(reason: string, failuresInARow: number): string {
    const again = failuresInARow > 1 && reason === this.lastReason
    this.lastReason = reason
    return again ? 'The token endpoint failed the same way again.' : reason
  }
}

function logPoll(
  runner: Pick<Runner, 'info' | 'debug' | 'warning'>,
  event: Extract<FlowEvent, { type: 'poll' }>['event'],
  transient: RepeatedFailures
): void {
  switch (event.type) {
    case 'pending':
      runner.debug(`Poll ${event.poll}: authorization_pending.`)
      break
    case 'slow-down':
      runner.info(
        `The provider asked to poll less often (slow_down); polling every ${event.intervalSeconds} s from now on.`
      )
      if (event.count === 3) {
        runner.warning(
          `The provider has asked to slow down three times. On a virtual machine this can mean the clock runs fast; the action keeps slowing down.`
        )
      }
      break
    case 'margin-widened':
      runner.info(
        `The provider asked to slow down although the full interval had passed (its clock or this machine's runs differently); leaving ${duration(event.marginMs)} more between polls from now on.`
      )
      break
    case 'transient':
      runner.info(
        `${transient.line(safeText(event.reason, { maxLength: MESSAGE_MAX_LENGTH }), event.failuresInARow)} Trying again in ${duration(event.retryInMs)} (failure ${event.failuresInARow} in a row).`
      )
      break
  }
}

/** "Opened the handoff of job approve (attempt 1)". */
function handoffLine(handoff: HandoffRecord): string {
  const job = handoff.job ? `job ${handoff.job}` : 'an earlier job'
  const attempt = handoff.runAttempt ? ` (attempt ${handoff.runAttempt})` : ''
  return `Opened the handoff of ${job}${attempt}`
}

/** A duration the action formats itself: its own text. */
function duration(ms: number): string {
  return formatDuration(ms)
}
