import { InputError } from '../errors.js'
import { checkSecureUrl } from '../oauth/url-policy.js'

/** Where a notification goes. `label` names it in messages without the URL, which is a secret. */
export interface WebhookTarget {
  readonly url: string
  readonly kind: WebhookKind
  readonly label: string
}

/** Whom to tell, and how often: notify-webhook and notify-reminders. */
export interface NotifyConfig {
  readonly webhooks: readonly WebhookTarget[]
  readonly reminders: boolean
}

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
    // Some receivers put the secret in the host name (a per-hook subdomain): mask it, name it not.
    const secretHost = kind === 'json' && hostLooksLikeCredential(check.url.hostname)
    if (secretHost) setSecret(check.url.hostname)
    return {
      url,
      kind,
      label: `notify-webhook line ${line} (${KIND_NAMES[kind]}${secretHost ? '' : `, ${check.url.host}`})`
    }
  })
}

/**
 * Which body a webhook URL gets, read from its host and path; anything unknown gets plain JSON.
 */
export type WebhookKind = 'slack' | 'teams' | 'discord' | 'json'

export const KIND_NAMES: Readonly<Record<WebhookKind, string>> = {
  slack: 'Slack',
  teams: 'Microsoft Teams',
  discord: 'Discord',
  json: 'JSON'
}

export function webhookKind(url: URL): WebhookKind {
  const host = url.hostname.toLowerCase()
  const path = url.pathname
  // Slack incoming webhooks: hooks.slack.com/services/T…/B…/…; Workflow Builder triggers
  // (/triggers/…) take their own variables, which the generic object serves better.
  if (
    (host === 'hooks.slack.com' || host === 'hooks.slack-gov.com') &&
    path.startsWith('/services/')
  )
    return 'slack'
  // Teams workflows (Power Automate): the Logic Apps and Power Platform trigger hosts, and the
  // retiring Office 365 connector host, which takes the same Adaptive Card attachment.
  if (
    (host.endsWith('.logic.azure.com') && path.includes('/workflows/')) ||
    host.endsWith('.api.powerplatform.com') ||
    host.endsWith('.webhook.office.com')
  )
    return 'teams'
  if (
    ['discord.com', 'discordapp.com', 'ptb.discord.com', 'canary.discord.com'].includes(host) &&
    path.startsWith('/api/webhooks/')
  )
    return 'discord'
  return 'json'
}

/**
 * A host name with a label that reads as a random token (12 or more characters with both letters
 * and digits, or 24 or more of any): a per-hook subdomain such as eo3kzp5m8x2v1q0.m.pipedream.net,
 * where whoever knows the host can post. Hosts of the kinds the action knows never are.
 */
export function hostLooksLikeCredential(hostname: string): boolean {
  return hostname
    .split('.')
    .some(
      (label) =>
        label.length >= 24 || (label.length >= 12 && /[a-z]/i.test(label) && /\d/.test(label))
    )
}
