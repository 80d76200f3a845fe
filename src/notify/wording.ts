import { checkSecureUrl } from '../oauth/url-policy.js'
import { formatDuration, formatUtc } from '../present/time.js'
import { describeOrigin } from '../present/prompt.js'
import { plainText } from './foreign-text.js'
import type { Notification } from './notification.js'

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
    userCode: plainText(notification.userCode, 64),
    expires: `${formatUtc(notification.expiresAtMs, notification.atMs)} (in ${formatDuration(notification.expiresAtMs - notification.atMs)})`,
    ...(askedBy && { askedBy: plainText(askedBy, 300) }),
    // A link the message makes clickable must be one the action would open itself.
    ...(origin.runUrl && checkSecureUrl(origin.runUrl).ok && { runUrl: origin.runUrl }),
    clientId: plainText(notification.clientId, 200),
    ...(notification.scope && { scope: plainText(notification.scope, 300) })
  }
}
