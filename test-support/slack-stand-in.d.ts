// Types for test-support/slack-stand-in.js (a stand-in for Slack on 127.0.0.1, reached through a proxy).
export interface SlackStandIn {
  /** An https://hooks.slack.com/services/… URL, for notify-webhook. */
  webhookUrl: string
  /** https_proxy and NODE_EXTRA_CA_CERTS, for the action's environment. */
  env: Record<string, string>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  received: Array<{ at: number; body: any }>
  close(): Promise<void>
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function startSlackStandIn(options?: {
  onMessage?: (body: any) => void
}): Promise<SlackStandIn>
/** A Slack message as lines of text: header, text, buttons with their links, context. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function slackMessageLines(message: any): string[]
