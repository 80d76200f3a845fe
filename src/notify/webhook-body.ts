import { discordMessage } from './discord.js'
import { genericMessage } from './generic-json.js'
import type { Notification } from './notification.js'
import { slackMessage } from './slack.js'
import { teamsMessage } from './teams.js'
import type { WebhookKind } from './webhook-kind.js'

/** The body each kind of webhook takes for a notification (one builder per kind). */
export function webhookBody(kind: WebhookKind, notification: Notification): object {
  switch (kind) {
    case 'slack':
      return slackMessage(notification)
    case 'teams':
      return teamsMessage(notification)
    case 'discord':
      return discordMessage(notification)
    case 'json':
      return genericMessage(notification)
  }
}
