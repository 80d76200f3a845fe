import { headlineOf, isWaiting, sentenceOf, type Notification } from './notification.js'
import { wordingOf } from './notification.js'

/**
 * A message for a Microsoft Teams workflow webhook ("Post to a channel when a webhook request is
 * received"): one Adaptive Card attachment. Foreign text goes only into RichTextBlock TextRuns,
 * which Adaptive Cards render literally (no Markdown), so a workflow or user name cannot add a
 * link or formatting; TextBlocks (which do render Markdown) carry only the action's own words.
 */
export function teamsMessage(notification: Notification): object {
  const words = wordingOf(notification)
  const waiting = isWaiting(notification)
  const body: object[] = [
    {
      type: 'TextBlock',
      text: headlineOf(notification),
      size: 'Large',
      weight: 'Bolder',
      wrap: true,
      style: 'heading'
    },
    richText([run(sentenceOf(notification))])
  ]
  if (waiting) {
    body.push(
      richText([
        run('Code: ', { weight: 'Bolder' }),
        run(words.userCode, { fontType: 'Monospace', size: 'Large' })
      ]),
      richText([run('Expires: ', { weight: 'Bolder' }), run(words.expires)]),
      richText([run('Client: ', { weight: 'Bolder' }), run(words.clientId)])
    )
    if (words.scope) body.push(richText([run('Scope: ', { weight: 'Bolder' }), run(words.scope)]))
  }
  if (words.askedBy) body.push(richText([run(`Asked by ${words.askedBy}`, { isSubtle: true })]))
  const actions = [
    ...(waiting ? [openUrl(words.linkLabel, words.link, 'positive')] : []),
    ...(words.runUrl ? [openUrl('Open the run', words.runUrl)] : [])
  ]
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(actions.length > 0 && { actions })
        }
      }
    ]
  }
}

function run(text: string, style: Record<string, unknown> = {}): object {
  return { type: 'TextRun', text, ...style }
}

function richText(inlines: object[]): object {
  return { type: 'RichTextBlock', inlines }
}

function openUrl(title: string, url: string, style?: 'positive'): object {
  return { type: 'Action.OpenUrl', title, url, ...(style && { style }) }
}
