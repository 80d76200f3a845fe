// Types for test-support/webhook-receiver.js (a webhook receiver on 127.0.0.1).
export interface ReceivedWebhook {
  path: string
  contentType: string | undefined
  body: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any
  at: number
}
export interface WebhookReceiver {
  origin: string
  received: ReceivedWebhook[]
  url(path: string): string
  to(prefix: string): ReceivedWebhook[]
  close(): Promise<void>
}
export function startWebhookReceiver(): Promise<WebhookReceiver>
