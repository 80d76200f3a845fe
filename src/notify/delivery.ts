/**
 * What the webhook listener loads when its first notification goes out: the sender and the body
 * builders. Loaded with import() (src/listeners/webhooks.ts), so the bundler puts them in a chunk
 * of their own, off the way to the code; a run without notify-webhook never loads them.
 */
export { WebhookSender } from './sender.js'
export { webhookBody } from './webhook-body.js'
