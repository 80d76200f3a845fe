import type { Clock } from '../clock.js'
import type { FlowEvent, FlowListener, Outcome } from '../flow/events.js'
import type { NotifyConfig } from '../inputs.js'
import type * as Delivery from './delivery.js'
import type { Notification, NotificationEvent } from './notification.js'
import type { WebhookSender } from './sender.js'
import type { WebhookKind } from './webhook-kind.js'
import type { HttpTransport } from '../oauth/http.js'
import type { PromptContext } from '../present/prompt.js'
import type { Runner } from '../runner/runner.js'
import { MESSAGE_MAX_LENGTH, safe, safeText } from '../safe-text.js'

/** At the end, how long the step waits for notifications still on their way (the outcome, mostly). */
export const WEBHOOK_CLOSE_WAIT_MS = 5000

export interface WebhookListenerDeps {
  readonly runner: Pick<Runner, 'warning' | 'info'>
  readonly http: HttpTransport
  readonly clock: Clock
  /** Read when the code is ready: the inputs are read after the listeners subscribe. */
  readonly config: () => NotifyConfig | undefined
  readonly closeWaitMs?: number
  /** Default: the import of src/notify/delivery.ts (a test makes it fail). */
  readonly loadDelivery?: () => Promise<typeof Delivery>
}

/** The sender and the body builders, in a chunk of their own: loaded by the first notification. */
export const loadDelivery = (): Promise<typeof Delivery> => import('./delivery.js')

interface Outbox {
  readonly sender: WebhookSender
  readonly bodyOf: (kind: WebhookKind, notification: Notification) => object
}

/**
 * The approver's chat: a POST to each notify-webhook when the code is ready, at each reminder if
 * notify-reminders asks, and once with the outcome. `on` only queues; the wait for approval goes
 * on while the POSTs are in flight, and a failing webhook is a warning (see WebhookSender).
 * A run that never showed a code (a refresh, or a failure before it) sends nothing: nobody was asked.
 */
export function webhookListener(deps: WebhookListenerDeps): FlowListener {
  // A webhook's answer is foreign text too.
  const warn = (message: string) =>
    deps.runner.warning(safeText(message, { maxLength: MESSAGE_MAX_LENGTH }))
  // Loaded by the first notification, the code's: the log listener, which subscribed first, has
  // written the prompt by then. Every later send waits on the same load, so they keep their order.
  let outbox: Promise<Outbox | undefined> | undefined
  const openOutbox = (): Promise<Outbox | undefined> =>
    (outbox ??= (deps.loadDelivery ?? loadDelivery)().then(
      ({ WebhookSender, webhookBody }) => ({
        sender: new WebhookSender({
          http: deps.http,
          clock: deps.clock,
          warn,
          info: (message) => deps.runner.info(safeText(message, { maxLength: MESSAGE_MAX_LENGTH }))
        }),
        bodyOf: webhookBody
      }),
      (error: unknown) => {
        // Like a failing webhook: a warning, never a failed step.
        warn(
          `Could not load the webhook sender, so no notify-webhook message is sent: ${error instanceof Error ? error.message : String(error)}`
        )
        return undefined
      }
    ))
  let prompt: PromptContext | undefined
  const notify = (event: NotificationEvent, atMs: number, outcome?: Outcome): void => {
    const config = deps.config()
    if (!prompt || !config || config.webhooks.length === 0) return
    const notification = notificationOf(prompt, event, atMs, outcome)
    void openOutbox()
      .then((opened) => {
        if (!opened) return
        for (const target of config.webhooks)
          opened.sender.send(
            target,
            opened.bodyOf(target.kind, notification),
            event === 'ended' ? 'outcome' : event
          )
      })
      .catch((error: unknown) =>
        deps.runner.warning(
          safe`A listener failed: ${safeText(error instanceof Error ? error.message : error, { maxLength: 500 })}`
        )
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
    // Awaited after the last event: its sends were queued on the load before this waits on it.
    close: async () => {
      const opened = await outbox
      await opened?.sender.close(deps.closeWaitMs ?? WEBHOOK_CLOSE_WAIT_MS)
    }
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
    ...(outcome && {
      outcome: {
        ending: outcome.ending,
        ...(outcome.approver && { approver: outcome.approver.name })
      }
    })
  }
}
