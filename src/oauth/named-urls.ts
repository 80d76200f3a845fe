/**
 * The URLs and bare host names that a piece of provider text points a person to: "open
 * https://microsoft.com/devicelogin", "or go to evil.example/login". Used to decide whether a
 * provider's instruction text may be shown next to the action's own prompt.
 */
export interface NamedUrl {
  /** As written, for the message saying why the text was left out. */
  readonly display: string
  readonly url: URL
}

// Only the start of the text is looked at: what is shown is cut to a few hundred characters.
const SCANNED_LENGTH = 4000
// Dots as people and browsers read them in a host name: ASCII, ideographic and fullwidth.
const DOT = '[.\u3002\uff0e\uff61]'
/**
 * scheme://anything up to a space or quote; or a host (labels of letters, digits and hyphens,
 * then a top-level label of two or more letters) with an optional port and path. Each
 * alternative moves forward on every character it matches, so the scan stays linear in practice
 * on the bounded text.
 */
const NAMED = new RegExp(
  `[a-z][a-z0-9+.-]{0,30}://[^\\s"'<>]+|(?<![\\p{L}\\p{N}-])[\\p{L}\\p{N}-]{1,63}(?:${DOT}[\\p{L}\\p{N}-]{1,63}){0,10}${DOT}\\p{L}{2,63}(?::\\d{1,5})?(?:/[^\\s"'<>]*)?`,
  'giu'
)

/** Every URL or host the text names, in order. */
export function namedUrlsOf(text: string): NamedUrl[] {
  const found: NamedUrl[] = []
  for (const match of text.slice(0, SCANNED_LENGTH).matchAll(NAMED)) {
    // Trailing punctuation belongs to the sentence, not the URL.
    const display = match[0].replace(/[.,;:!?)\]}'"\u3002]+$/u, '')
    const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(display)
      ? display
      : `https://${display.replace(new RegExp(DOT, 'gu'), '.')}`
    if (!URL.canParse(absolute)) {
      // Not even a URL, yet it looks like one to a reader: count it as somewhere else.
      found.push({ display, url: new URL('https://invalid.invalid/') })
      continue
    }
    found.push({ display, url: new URL(absolute) })
  }
  return found
}

/** Same scheme, host and port: where a browser would keep the same cookies and origin. */
export function sameSite(a: URL, b: URL): boolean {
  return a.origin === b.origin
}
