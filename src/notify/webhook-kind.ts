/**
 * Which body a webhook URL gets, read from its host and path; anything unknown gets plain JSON.
 * Only the kinds: the inputs name them before any request, and the body builders
 * (webhook-body.ts) load with the sender, when the first notification goes out.
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
