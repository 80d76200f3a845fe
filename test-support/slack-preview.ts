import type { SlackMessage } from '../src/notify/slack.js'

/**
 * An HTML page that shows a Block Kit message roughly as Slack's desktop client does (header,
 * rich text, buttons, context), for the picture in the README. Only the block types the action
 * sends are drawn; every text is HTML-escaped.
 */
type Block = { type: string; [key: string]: unknown }
type TextObject = { text: string }
type RichElement = { type: string; text?: string; style?: { bold?: boolean; code?: boolean } }

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>')

function blockHtml(block: Block): string {
  switch (block.type) {
    case 'header':
      return `<div class="header">${escape((block['text'] as TextObject).text)}</div>`
    case 'rich_text': {
      const sections = block['elements'] as Array<{ elements: RichElement[] }>
      const inner = sections
        .flatMap((section) => section.elements)
        .map((element) => {
          const text = escape(element.text ?? '')
          if (element.style?.code) return `<code>${text}</code>`
          if (element.style?.bold) return `<b>${text}</b>`
          return text
        })
        .join('')
      return `<div class="text">${inner}</div>`
    }
    case 'actions': {
      const buttons = block['elements'] as Array<{ text: TextObject; style?: string }>
      return `<div class="actions">${buttons
        .map(
          (button) =>
            `<span class="button ${button.style ?? ''}">${escape(button.text.text)}</span>`
        )
        .join('')}</div>`
    }
    case 'context':
      return `<div class="context">${(block['elements'] as TextObject[]).map((element) => escape(element.text)).join(' ')}</div>`
    default:
      return ''
  }
}

export function slackPreviewHtml(message: SlackMessage, sender: string, time: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><style>
  body{margin:0;background:#fff;font-family:"DejaVu Sans",Lato,Helvetica,Arial,sans-serif;color:#1d1c1d}
  #message{display:flex;gap:10px;padding:16px 20px;width:560px}
  .avatar{width:36px;height:36px;border-radius:6px;background:#2457c5;color:#fff;font-weight:bold;
    display:flex;align-items:center;justify-content:center;font-size:18px;flex-shrink:0}
  .who{font-weight:bold;font-size:15px}.who small{font-weight:normal;color:#616061;font-size:12px;margin-left:6px}
  .app{background:#e8e8e8;color:#616061;font-size:10px;padding:1px 3px;border-radius:2px;margin-left:4px;font-weight:bold}
  .header{font-size:18px;font-weight:bold;margin:6px 0 4px}
  .text{font-size:15px;line-height:22px;margin:4px 0}
  code{font-family:"DejaVu Sans Mono",monospace;font-size:13px;color:#c01343;background:#f7f7f9;border:1px solid #e1e1e8;border-radius:3px;padding:1px 4px}
  .actions{margin:10px 0 6px}
  .button{display:inline-block;font-size:14px;font-weight:bold;padding:6px 14px;border:1px solid #c8c8c8;border-radius:4px;margin-right:8px}
  .button.primary{background:#007a5a;color:#fff;border-color:#007a5a}
  .context{font-size:12px;color:#616061;margin-top:6px}
  </style></head><body><div id="message"><div class="avatar">🔐</div><div>
  <div class="who">${escape(sender)}<span class="app">APP</span><small>${escape(time)}</small></div>
  ${message.blocks.map((block) => blockHtml(block as Block)).join('\n')}
  </div></div></body></html>`
}
