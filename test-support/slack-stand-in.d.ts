// Types for test-support/slack-stand-in.js (a stand-in for Slack on 127.0.0.1, reached through a proxy).
export interface SlackStandIn {
  /** An https://hooks.slack.com/services/… URL, for notify-webhook. */
  webhookUrl: string
  /** https_proxy and NODE_EXTRA_CA_CERTS, for the action's environment. */
  env: Record<string, string>
  /** Every message, parsed from its JSON. */
  received: Array<{ at: number; body: unknown }>
  close(): Promise<void>
}
export function startSlackStandIn(options?: {
  onMessage?: (body: unknown) => void
}): Promise<SlackStandIn>
/** A Slack message as lines of text: header, text, buttons with their links, context. */
export function slackMessageLines(message: unknown): string[]
