import { headlineOf, isWaiting, sentenceOf, type Notification } from './notification.js'
import { wordingOf } from './notification.js'

/**
 * A Slack incoming webhook message (Block Kit). Foreign text goes only where Slack shows text
 * literally: plain_text objects and rich_text "text" elements, which Slack never parses for
 * mrkdwn, links or mentions. The top-level `text` (the notification and fallback) is sent with
 * mrkdwn off and &, <, > escaped as Slack requires, so no <!channel> or <url|label> can form.
 */
export interface SlackMessage {
  readonly text: string
  readonly mrkdwn: false
  readonly blocks: readonly object[]
}

/** Slack's limits: header text 150 characters, button text 75, button url 3000. */
const HEADER_MAX = 150

export function slackMessage(notification: Notification): SlackMessage {
  const words = wordingOf(notification)
  const headline = headlineOf(notification)
  const waiting = isWaiting(notification)
  const blocks: object[] = [
    { type: 'header', text: plain(`${emojiOf(notification)} ${headline}`.slice(0, HEADER_MAX)) },
    richText([[text(sentenceOf(notification))]])
  ]
  if (waiting) {
    blocks.push(
      richText([
        [text('Code: ', { bold: true }), text(words.userCode, { code: true })],
        [text('Expires: ', { bold: true }), text(words.expires)],
        [text('Client: ', { bold: true }), text(words.clientId)],
        ...(words.scope ? [[text('Scope: ', { bold: true }), text(words.scope)]] : [])
      ])
    )
  }
  const buttons = [
    ...(waiting
      ? [{ ...button(words.linkLabel, words.link, 'open-sign-in'), style: 'primary' }]
      : []),
    ...(words.runUrl ? [button('Open the run', words.runUrl, 'open-run')] : [])
  ]
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons })
  if (words.askedBy)
    blocks.push({ type: 'context', elements: [plain(`Asked by ${words.askedBy}`)] })
  const fallback = waiting
    ? `${headline}: open ${words.link} and enter ${words.userCode} (expires ${words.expires}).`
    : `${headline}. ${sentenceOf(notification)}`
  return { text: escapeControl(fallback), mrkdwn: false, blocks }
}

function emojiOf(notification: Notification): string {
  if (notification.event !== 'ended') return '🔐'
  return notification.outcome?.ending === 'approved' ? '✅' : '⛔'
}

function plain(value: string): object {
  return { type: 'plain_text', text: value, emoji: false }
}

function text(value: string, style?: { bold?: boolean; code?: boolean }): object {
  return { type: 'text', text: value, ...(style && { style }) }
}

/** Each row its own line: rich_text sections joined by a newline text element. */
function richText(rows: object[][]): object {
  const elements = rows.flatMap((row, index) => (index === 0 ? row : [text('\n'), ...row]))
  return { type: 'rich_text', elements: [{ type: 'rich_text_section', elements }] }
}

function button(label: string, url: string, actionId: string): Record<string, unknown> {
  return { type: 'button', text: plain(label), url, action_id: actionId }
}

/** https://api.slack.com/reference/surfaces/formatting#escaping: &, < and > are control characters. */
function escapeControl(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
