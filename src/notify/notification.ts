import { checkSecureUrl } from '../oauth/url-policy.js'
import type { RunOrigin } from '../flow/events.js'
import { describeOrigin } from '../present/prompt.js'
import type { Ending } from '../flow/events.js'
import type { PolicyRule } from '../policy/rules.js'
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
  /** With approvals > 1: which approval the code is for, and who approved before. */
  readonly approval?: NotificationApproval
  /** A fresh code after a refusal: whose approval the policy refused, and by which rule. */
  readonly refused?: NotificationRefusal
  /** The verification page's host, when it is not the provider's own: link texts name it. */
  readonly verificationHost?: string
  /** Only on `ended`. */
  readonly outcome?: NotificationOutcome
}

export interface NotificationApproval {
  readonly number: number
  readonly of: number
  /** Who approved before, in order: they may not approve again. */
  readonly earlier: readonly string[]
}

export interface NotificationRefusal {
  /** As the policy names them. */
  readonly approver: string
  readonly rule?: PolicyRule
}

export interface NotificationOutcome {
  readonly ending: Ending
  /** Who approved (the first approver: the tokens are theirs), as the provider names them. */
  readonly approver?: string
  /** Everyone who approved, in order. */
  readonly approvers?: readonly string[]
  /** Whose approval the policy refused last, when a refusal is why the run ended. */
  readonly refused?: NotificationRefusal
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
 * One sentence for the body, in the action's own words. Names (an approver's, a refused
 * person's) only with `names`: Slack, Teams and Discord show them literally; the generic JSON
 * text goes to receivers that may render anything, so it carries no text from outside at all.
 * No provider or error text either: an outcome's details stay in the run's log, where they are
 * masked; the message links there.
 */
export function sentenceOf(notification: Notification, names = true): string {
  const outcome = notification.outcome
  const name = (text: string): string => safeText(text, { maxLength: 100 })
  switch (notification.event) {
    case 'code-ready':
      return [
        refusedSentence(notification.refused, names),
        approvalSentence(notification.approval, names),
        'A workflow run asks you to sign in and approve. Open the link, check the code, and approve only if you expected this run.'
      ]
        .filter(Boolean)
        .join(' ')
    case 'reminder':
      return [
        approvalSentence(notification.approval, names),
        'The run is still waiting. Open the link and enter the code before it expires.'
      ]
        .filter(Boolean)
        .join(' ')
    case 'ended':
      switch (outcome?.ending) {
        case 'approved': {
          const all = outcome.approvers ?? (outcome.approver ? [outcome.approver] : [])
          if (all.length === 0) return 'Approved. The run goes on with that token.'
          if (!names)
            return all.length > 1
              ? `Approved by ${all.length} people, one after the other (see approvers). The run goes on with the first one's token.`
              : 'Approved (see approver). The run goes on with that token.'
          return all.length > 1
            ? `Approved by ${listed(all.map(name))}. The run goes on with ${name(all[0] as string)}'s token.`
            : `Approved by ${name(all[0] as string)}. The run goes on with that token.`
        }
        case 'refused':
          return `${refusedSentence(outcome.refused, names, 'The approval policy refused an approval')} The run stopped; its log says why.`
        case 'denied':
          return 'The request was denied at the sign-in page. The run stopped.'
        case 'expired':
          return `Nobody approved before the code expired. The run stopped.${outcome.refused ? ` ${refusedSentence(outcome.refused, names)}` : ''}`
        case 'timed-out':
          return `Nobody approved within the timeout. The run stopped.${outcome.refused ? ` ${refusedSentence(outcome.refused, names)}` : ''}`
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

/** "The approval policy refused the approval by bob (allowed-approvers); here is a fresh code." */
function refusedSentence(
  refused: NotificationRefusal | undefined,
  names: boolean,
  fallback?: string
): string {
  if (!refused) return fallback ? `${fallback}.` : ''
  const who = names ? ` by ${safeText(refused.approver, { maxLength: 100 })}` : ''
  const rule = refused.rule ? ` (${RULE_WORDS[refused.rule]})` : ''
  return `The approval policy refused the approval${who}${rule}.`
}

const RULE_WORDS: Readonly<Record<PolicyRule, string>> = {
  'allowed-approvers': 'not in allowed-approvers',
  'required-claims': 'a required claim does not hold',
  'allow-self-approval': 'they started the run',
  approvals: 'they approved already'
}

/** "Approval 2 of 2: alice approved already and may not approve again." */
function approvalSentence(approval: NotificationApproval | undefined, names: boolean): string {
  if (!approval || approval.of <= 1) return ''
  const of = `Approval ${approval.number} of ${approval.of}`
  if (approval.earlier.length === 0) return `${of}.`
  const count = approval.earlier.length
  if (!names)
    return `${of}, from a different person: the ${count === 1 ? 'one who approved' : `${count} who approved`} before may not approve again.`
  const who = listed(approval.earlier.map((name) => safeText(name, { maxLength: 100 })))
  return `${of}, from a different person: ${who} approved already and may not approve again.`
}

function listed(items: readonly string[]): string {
  return items.length <= 2
    ? items.join(' and ')
    : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

/** Whether the code is still worth opening: only while the run waits. */
export function isWaiting(notification: Notification): boolean {
  return notification.event !== 'ended'
}

/** The pieces every format shows, as plain text (foreign parts made plain, not yet escaped). */
export interface Wording {
  readonly link: string
  /** The text of every button or link to the sign-in page: with its host when it is not the provider's. */
  readonly linkLabel: string
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
    linkLabel: linkLabelOf(notification.verificationHost),
    userCode: safeText(notification.userCode, { maxLength: 64 }),
    expires: `${formatUtc(notification.expiresAtMs, notification.atMs)} (in ${formatDuration(notification.expiresAtMs - notification.atMs)})`,
    ...(askedBy && { askedBy: safeText(askedBy, { maxLength: 300 }) }),
    // A link the message makes clickable must be one the action would open itself.
    ...(origin.runUrl && checkSecureUrl(origin.runUrl).ok && { runUrl: origin.runUrl }),
    clientId: safeText(notification.clientId, { maxLength: 200 }),
    ...(notification.scope && { scope: safeText(notification.scope, { maxLength: 300 }) })
  }
}

/** Slack's button text holds 75 characters. */
const MAX_LABEL_LENGTH = 75
const LABEL = 'Open the sign-in page'

/**
 * "Open the sign-in page at login.other.example": a page on another host than the provider's is
 * named, so the approver sees where the button leads. A long host keeps its end, which is the
 * part that says whose it is (login.example.com.evil.example).
 */
export function linkLabelOf(host: string | undefined): string {
  if (!host) return LABEL
  const room = MAX_LABEL_LENGTH - `${LABEL} at `.length
  const shown = host.length > room ? `…${host.slice(host.length - room + 1)}` : host
  return `${LABEL} at ${shown}`
}
