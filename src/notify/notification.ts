import { checkSecureUrl } from '../oauth/url-policy.js'
import type { RunOrigin } from '../flow/events.js'
import { describeOrigin } from '../present/prompt.js'
import type { Ending } from '../flow/events.js'
import { formatDuration, formatUtc } from '../present/time.js'
import { safeText } from '../safe-text.js'

/**
 * What a webhook tells the approver, before it is shaped for Slack, Teams, Discord or plain
 * JSON. It holds only what the approver is meant to see: the user code and the links are for
 * them; a token, the device code or a client secret has no field here and so cannot be sent.
 */
export type NotificationEvent = 'code-ready' | 'reminder' | 'ended'

export interface Notification {
  readonly event: NotificationEvent
  readonly atMs: number
  readonly userCode: string
  readonly verificationUri: string
  readonly verificationUriComplete?: string
  /** When the wait ends: the code's expiry or the timeout input, whichever comes first. */
  readonly expiresAtMs: number
  readonly clientId: string
  readonly scope?: string
  readonly origin: RunOrigin
  /** Only on `ended`. */
  readonly outcome?: NotificationOutcome
}

export interface NotificationOutcome {
  readonly ending: Ending
  /** Who approved, as the provider names them. */
  readonly approver?: string
}

/** The headline of a message: what happened, in a few words. */
export function headlineOf(notification: Notification): string {
  if (notification.event === 'code-ready') return 'Approval needed'
  if (notification.event === 'reminder') return 'Still waiting for approval'
  const ending = notification.outcome?.ending ?? 'failed'
  return OUTCOME_HEADLINES[ending]
}

const OUTCOME_HEADLINES: Readonly<Record<Ending, string>> = {
  approved: 'Approved',
  refreshed: 'Refreshed without asking',
  'handoff-opened': 'Handed over from an earlier job',
  denied: 'Denied',
  refused: 'Refused by the approval policy',
  expired: 'The code expired',
  'timed-out': 'Timed out',
  cancelled: 'Cancelled',
  failed: 'Failed'
}

/**
 * One sentence for the body. No provider or error text: an outcome's details stay in the run's
 * log, where they are masked; the message links there.
 */
export function sentenceOf(notification: Notification): string {
  const outcome = notification.outcome
  switch (notification.event) {
    case 'code-ready':
      return 'A workflow run asks you to sign in and approve. Open the link, check the code, and approve only if you expected this run.'
    case 'reminder':
      return 'The run is still waiting. Open the link and enter the code before it expires.'
    case 'ended':
      switch (outcome?.ending) {
        case 'approved':
          return outcome.approver
            ? `Approved by ${safeText(outcome.approver, { maxLength: 100 })}. The run goes on with that token.`
            : 'Approved. The run goes on with that token.'
        case 'denied':
          return 'The request was denied at the sign-in page. The run stopped.'
        case 'expired':
          return 'Nobody approved before the code expired. The run stopped.'
        case 'timed-out':
          return 'Nobody approved within the timeout. The run stopped.'
        case 'cancelled':
          return 'The run was cancelled. The code can no longer be used.'
        case 'refreshed':
          return 'A stored refresh token was used; nobody needed to approve.'
        case 'handoff-opened':
          return 'An earlier job of the run handed over its approved token; nobody needed to approve.'
        default:
          return 'The run failed; its log says why. The code can no longer be used.'
      }
  }
}

/** Whether the code is still worth opening: only while the run waits. */
export function isWaiting(notification: Notification): boolean {
  return notification.event !== 'ended'
}

/** The pieces every format shows, as plain text (foreign parts made plain, not yet escaped). */
export interface Wording {
  readonly link: string
  readonly userCode: string
  readonly expires: string
  readonly askedBy?: string
  readonly runUrl?: string
  readonly clientId: string
  readonly scope?: string
}

export function wordingOf(notification: Notification): Wording {
  const { origin } = notification
  const askedBy = describeOrigin(origin)
  return {
    link: notification.verificationUriComplete ?? notification.verificationUri,
    userCode: safeText(notification.userCode, { maxLength: 64 }),
    expires: `${formatUtc(notification.expiresAtMs, notification.atMs)} (in ${formatDuration(notification.expiresAtMs - notification.atMs)})`,
    ...(askedBy && { askedBy: safeText(askedBy, { maxLength: 300 }) }),
    // A link the message makes clickable must be one the action would open itself.
    ...(origin.runUrl && checkSecureUrl(origin.runUrl).ok && { runUrl: origin.runUrl }),
    clientId: safeText(notification.clientId, { maxLength: 200 }),
    ...(notification.scope && { scope: safeText(notification.scope, { maxLength: 300 }) })
  }
}
