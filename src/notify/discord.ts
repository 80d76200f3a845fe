import { headlineOf, isWaiting, sentenceOf, type Notification } from './notification.js'
import { wordingOf } from './notification.js'

/**
 * A Discord webhook message: one embed whose title links to the sign-in page. Discord renders
 * Markdown in descriptions and field values, so every piece of text gets a backslash before each
 * ASCII punctuation character (Discord shows the character itself, unformatted): no link, mention,
 * heading, spoiler or auto-linked URL can come from a name. `allowed_mentions` with no `parse`
 * entries means nobody is pinged whatever the text says.
 */
const COLORS = { waiting: 0x1f6feb, approved: 0x1a7f37, ended: 0xcf222e } as const

export function discordMessage(notification: Notification): object {
  const words = wordingOf(notification)
  const waiting = isWaiting(notification)
  const approved = notification.outcome?.ending === 'approved'
  const fields = [
    ...(waiting
      ? [
          { name: 'Code', value: escapeMarkdown(words.userCode), inline: true },
          { name: 'Expires', value: escapeMarkdown(words.expires), inline: true },
          { name: 'Client', value: escapeMarkdown(words.clientId), inline: true }
        ]
      : []),
    ...(words.askedBy ? [{ name: 'Asked by', value: escapeMarkdown(words.askedBy) }] : []),
    ...(words.runUrl ? [{ name: 'Run', value: markdownLink('Open the run', words.runUrl) }] : [])
  ]
  const description = waiting
    ? `${escapeMarkdown(sentenceOf(notification))}\n\n${markdownLink(words.linkLabel, words.link)}`
    : escapeMarkdown(sentenceOf(notification))
  return {
    content: escapeMarkdown(
      waiting ? `${headlineOf(notification)}: enter ${words.userCode}` : headlineOf(notification)
    ),
    embeds: [
      {
        // The title links to the sign-in page while the run waits: it names a foreign host too.
        title:
          waiting && notification.verificationHost
            ? escapeMarkdown(`${headlineOf(notification)}: ${words.linkLabel}`)
            : headlineOf(notification),
        ...(waiting && { url: words.link }),
        description,
        color: waiting ? COLORS.waiting : approved ? COLORS.approved : COLORS.ended,
        fields,
        timestamp: new Date(notification.atMs).toISOString()
      }
    ],
    allowed_mentions: { parse: [] }
  }
}

export function escapeMarkdown(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, '\\$&')
}

/** A URL the action already accepted (https); parentheses and spaces encoded so the link holds. */
function markdownLink(label: string, url: string): string {
  const target = url.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/ /g, '%20')
  return `[${escapeMarkdown(label)}](${target})`
}
