import type { Clock } from '../clock.js'
import type { FlowEvent, FlowListener, Outcome } from '../flow/events.js'
import type { HttpTransport } from '../oauth/http.js'
import type { PromptContext } from '../flow/events.js'
import type { Runner } from '../runner/runner.js'
import { discordMessage } from './discord.js'
import { genericMessage } from './generic-json.js'
import type { Notification, NotificationEvent } from './notification.js'
import { WebhookSender } from './sender.js'
import { slackMessage } from './slack.js'
import type { NotifyConfig, WebhookKind } from './targets.js'
import { teamsMessage } from './teams.js'

/** At the end, how long the step waits for notifications still on their way (the outcome, mostly). */
export const WEBHOOK_CLOSE_WAIT_MS = 5000

export interface WebhookListenerDeps {
  readonly runner: Pick<Runner, 'warning' | 'info'>
  readonly http: HttpTransport
  readonly clock: Clock
  /** Read when the code is ready: the inputs are read after the listeners subscribe. */
  readonly config: () => NotifyConfig | undefined
  readonly closeWaitMs?: number
}

/**
 * The approver's chat: a POST to each notify-webhook when the code is ready, at each reminder if
 * notify-reminders asks, and once with the outcome. `on` only queues; the wait for approval goes
 * on while the POSTs are in flight, and a failing webhook is a warning (see WebhookSender).
 * A run that never showed a code (a refresh, or a failure before it) sends nothing: nobody was asked.
 */
export function webhookListener(deps: WebhookListenerDeps): FlowListener {
  // A webhook's answer is foreign text too: the runner makes it log-safe.
  const sender = new WebhookSender({
    http: deps.http,
    clock: deps.clock,
    warn: (message) => deps.runner.warning(message),
    info: (message) => deps.runner.info(message)
  })
  let prompt: PromptContext | undefined
  const notify = (event: NotificationEvent, atMs: number, outcome?: Outcome): void => {
    const config = deps.config()
    if (!prompt || !config || config.webhooks.length === 0) return
    const notification = notificationOf(prompt, event, atMs, outcome)
    for (const target of config.webhooks)
      sender.send(
        target,
        webhookBody(target.kind, notification),
        event === 'ended' ? 'outcome' : event
      )
  }
  return {
    on(event: FlowEvent): void {
      switch (event.type) {
        case 'code-ready':
          prompt = event.prompt
          notify('code-ready', event.atMs)
          break
        case 'reminder':
          if (deps.config()?.reminders) notify('reminder', event.atMs)
          break
        case 'ended':
          notify('ended', event.outcome.atMs, event.outcome)
          break
        default:
          break
      }
    },
    close: () => sender.close(deps.closeWaitMs ?? WEBHOOK_CLOSE_WAIT_MS)
  }
}

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

export function notificationOf(
  prompt: PromptContext,
  event: NotificationEvent,
  atMs: number,
  outcome?: Outcome
): Notification {
  const { device } = prompt
  return {
    event,
    atMs,
    userCode: device.userCode,
    verificationUri: device.verificationUri,
    ...(device.verificationUriComplete && {
      verificationUriComplete: device.verificationUriComplete
    }),
    expiresAtMs: prompt.deadlineMs,
    clientId: prompt.clientId,
    ...(prompt.scope && { scope: prompt.scope }),
    origin: prompt.origin,
    ...(prompt.approval && {
      approval: {
        number: prompt.approval.number,
        of: prompt.approval.of,
        earlier: prompt.approval.earlier
      }
    }),
    // The refusal a fresh code follows: said with the code, not at the end.
    ...(prompt.afterRefusal && event !== 'ended' && { refused: prompt.afterRefusal }),
    ...(prompt.verificationHost && { verificationHost: prompt.verificationHost }),
    ...(outcome && {
      outcome: {
        ending: outcome.ending,
        ...(outcome.approver && { approver: outcome.approver.name }),
        ...(outcome.approvers && { approvers: outcome.approvers.map((one) => one.name) }),
        ...(outcome.refusal && {
          refused: {
            approver: outcome.refusal.approver,
            ...(outcome.refusal.rule && { rule: outcome.refusal.rule })
          }
        })
      }
    })
  }
}
