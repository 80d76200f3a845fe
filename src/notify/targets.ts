import { InputError } from '../errors.js'
import { checkSecureUrl } from '../oauth/url-policy.js'
import type { WebhookTarget } from './sender.js'
import { KIND_NAMES, webhookKind } from './webhook-kind.js'

/** More would be a mistake, and each one is a POST at every event. */
export const MAX_WEBHOOKS = 10

/**
 * notify-webhook: one URL a line. Each is masked before it is checked: a Slack or Discord
 * webhook URL is a credential (whoever has it can post), so no message ever repeats one; a
 * problem is named by its line number.
 */
export function readWebhooks(value: string, setSecret: (value: string) => void): WebhookTarget[] {
  const lines = value
    .split(/\r?\n/)
    .map((line, index) => ({ url: line.trim(), line: index + 1 }))
    .filter(({ url }) => url !== '' && !url.startsWith('#'))
  for (const { url } of lines) setSecret(url)
  if (lines.length > MAX_WEBHOOKS)
    throw new InputError(
      'notify-webhook',
      `has ${lines.length} URLs; at most ${MAX_WEBHOOKS} are allowed.`
    )
  const seen = new Map<string, number>()
  return lines.map(({ url, line }) => {
    const check = checkSecureUrl(url)
    if (!check.ok) {
      // The problem, never the URL: it is a secret.
      throw new InputError(
        'notify-webhook',
        `line ${line} ${check.problem.replace('which would send tokens in clear text', 'which would send the notification in clear text')}. Give the webhook's https:// URL, from a secret.`
      )
    }
    const earlier = seen.get(check.url.href)
    if (earlier !== undefined)
      throw new InputError(
        'notify-webhook',
        `line ${line} repeats line ${earlier}; give each webhook once.`
      )
    seen.set(check.url.href, line)
    const kind = webhookKind(check.url)
    return {
      url,
      kind,
      label: `notify-webhook line ${line} (${KIND_NAMES[kind]}, ${check.url.host})`
    }
  })
}
