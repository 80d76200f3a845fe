/**
 * Provider text reaches the job summary, which GitHub renders as Markdown with HTML. Everything
 * from outside is escaped so that a provider cannot add a link, an image or markup to it.
 */
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '[': '&#91;',
  ']': '&#93;',
  '(': '&#40;',
  ')': '&#41;',
  '*': '&#42;',
  _: '&#95;',
  '`': '&#96;',
  '|': '&#124;',
  '\\': '&#92;',
  '!': '&#33;',
  '~': '&#126;',
  '#': '&#35;'
}

export function escapeHtml(text: string): string {
  return text
    .replace(/[\u0000-\u001F\u007F-\u009F]/g, ' ')
    .replace(/[&<>"'[\]()*_`|\\!~#]/g, (c) => ENTITIES[c] as string)
}

/** A link to a URL already checked to be https (or loopback http). */
export function link(url: string, text: string = url): string {
  return `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>`
}
