import { isoSeconds } from '../present/time.js'
import { safeText } from '../safe-text.js'
import type { Ending } from '../flow/events.js'
import {
  headlineOf,
  sentenceOf,
  type Notification,
  type NotificationRefusal
} from './notification.js'

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
  /** Which approval the code is for (1 for the first); null on ended. */
  readonly approval: number | null
  /** How many different people must approve (the approvals input). */
  readonly approvals: number
  /** Who approved so far, in order; on ended with approved, everyone. */
  readonly approvers: readonly string[]
  /**
   * On a fresh code after a refusal, and on ended when a refusal is why: whose approval the
   * policy refused, and the rule. null otherwise.
   */
  readonly refused: { readonly approver: string; readonly rule: string | null } | null
  /**
   * null until event is ended; then approved, refreshed, denied, refused, expired, timed-out,
   * cancelled or failed.
   */
  readonly outcome: Ending | null
  /** Who approved (the first approver: the tokens are theirs). */
  readonly approver: string | null
  /**
   * A one-line summary for receivers that just show text: the action's own words only, no
   * name or other text from the approver or the provider, so no markup, link or mention.
   */
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
    approval: outcome ? null : (notification.approval?.number ?? 1),
    approvals: notification.approval?.of ?? 1,
    approvers: (outcome
      ? (outcome.approvers ?? (outcome.approver ? [outcome.approver] : []))
      : (notification.approval?.earlier ?? [])
    ).map((name) => safeText(name, { maxLength: 200 })),
    refused: refusedOf(notification.refused ?? outcome?.refused),
    outcome: outcome?.ending ?? null,
    approver: text(outcome?.approver),
    text: `${headlineOf(notification)}. ${sentenceOf(notification, false)}`,
    sent_at: isoSeconds(notification.atMs)
  }
}

function refusedOf(refused: NotificationRefusal | undefined): GenericWebhookBody['refused'] {
  return refused
    ? { approver: safeText(refused.approver, { maxLength: 200 }), rule: refused.rule ?? null }
    : null
}
