import { isoSeconds } from '../present/time.js'
import { safeText } from '../safe-text.js'
import { headlineOf, sentenceOf, type Notification } from './notification.js'

/**
 * The documented JSON object for any other webhook (README, "Notifications"). Every field is
 * always present, null when unknown, so a receiver can rely on the shape.
 */
export interface GenericWebhookBody {
  readonly event: 'code-ready' | 'reminder' | 'ended'
  readonly user_code: string
  readonly verification_uri: string
  readonly verification_uri_complete: string | null
  /** ISO 8601, UTC. */
  readonly expires_at: string
  readonly repository: string | null
  readonly workflow: string | null
  readonly run_id: string | null
  readonly run_url: string | null
  readonly actor: string | null
  readonly client_id: string
  readonly scope: string | null
  /** null until event is ended; then approved, denied, expired, timed-out, cancelled or failed. */
  readonly outcome: string | null
  readonly approver: string | null
  /** A one-line summary for receivers that just show text. */
  readonly text: string
  readonly sent_at: string
}

export function genericMessage(notification: Notification): GenericWebhookBody {
  const { origin, outcome } = notification
  const text = (value: string | undefined, max = 200): string | null =>
    value === undefined ? null : safeText(value, { maxLength: max })
  return {
    event: notification.event,
    user_code: safeText(notification.userCode, { maxLength: 64 }),
    verification_uri: notification.verificationUri,
    verification_uri_complete: notification.verificationUriComplete ?? null,
    expires_at: isoSeconds(notification.expiresAtMs),
    repository: text(origin.repository),
    workflow: text(origin.workflow),
    run_id: text(origin.runId),
    run_url: text(origin.runUrl, 2048),
    actor: text(origin.actor),
    client_id: safeText(notification.clientId),
    scope: text(notification.scope, 1000),
    outcome: outcome?.ending ?? null,
    approver: text(outcome?.approver),
    text: `${headlineOf(notification)}. ${sentenceOf(notification)}`,
    sent_at: isoSeconds(notification.atMs)
  }
}
