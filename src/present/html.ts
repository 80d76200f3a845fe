import { safeText } from '../safe-text.js'

/**
 * Provider text reaches the job summary, which GitHub renders as Markdown with HTML. Everything
 * from outside is first made log-safe (one line, no invisible or bidi characters, bounded: the
 * summary is also masked and read line by line by the runner), then escaped so that a provider
 * cannot add a link, an image or markup to it.
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

/** The longest value a summary cell shows: an error message with a quoted description fits. */
export const MAX_SUMMARY_TEXT_LENGTH = 2000

export function escapeHtml(text: string, maxLength = MAX_SUMMARY_TEXT_LENGTH): string {
  return safeText(text, { maxLength }).replace(
    /[&<>"'[\]()*_`|\\!~#]/g,
    (c) => ENTITIES[c] as string
  )
}

/** A link to a URL already checked to be https (or loopback http). */
export function link(url: string, text: string = url): string {
  return `<a href="${escapeHtml(url, 2048)}">${escapeHtml(text)}</a>`
}
