/**
 * How text that did not come from the action itself (provider fields, HTML titles, error bodies,
 * claims, workflow, repository and actor names from the environment) becomes text that may be
 * written to the job log. The runner adapter (src/runner/runner.ts) passes every message through
 * it before @actions/core writes it; the protocol code uses it to bound and clean what it quotes,
 * and the summary's and webhooks' escaping starts from it. It imports nothing.
 *
 * What the GitHub runner does with a line of stdout (actions/runner, ActionCommand.cs):
 * - TryParseV2 trims the line (.NET Trim: every Unicode White_Space character, U+0085 included)
 *   and reads a workflow command when it then starts with `::`;
 * - TryParse, the legacy syntax, looks `##[` up with IndexOf, so `##[set-output name=x]y` is a
 *   command ANYWHERE in a line, even after the action's own text.
 * The browser's log view and the job summary also break lines at U+2028, U+2029 and U+0085, and
 * render bidi controls, which can make a line read differently from what it is.
 */

/** The default bound: a name, a title, a short description. */
export const DEFAULT_MAX_LENGTH = 200
/** The longest log line: a message that quotes a provider's description whole still fits. */
export const MESSAGE_MAX_LENGTH = 4000
const ELLIPSIS = '…'
/** What a redacted secret is replaced by: the runner's own mask, so a log reads the same either way. */
export const REDACTED = '***'

export interface SafeTextOptions {
  /** Longest result, in code points, ellipsis included. */
  readonly maxLength?: number
  /**
   * Secrets to cut out BEFORE anything else is done: once a secret is escaped it no longer
   * matches the runner's mask, so a provider echoing the client secret in error_description
   * with a `#[` in it would otherwise print the secret.
   */
  readonly redact?: Iterable<string>
}

// ANSI escape sequences (ECMA-48): CSI (ESC [ or the 8-bit U+009B) with parameters and a final
// byte, OSC (ESC ]) up to BEL or ST or the end, and the two-character escapes. Each pattern is a
// single pass without nested repetition: linear on any input.
const ANSI =
  /\u001b\[[0-?]*[ -/]*[@-~]?|\u009b[0-?]*[ -/]*[@-~]?|\u001b\][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -~]?/g

/** Characters that end a line somewhere (the runner, a browser, Unicode's line breaking). */
const LINE_BREAKS: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\r': '\\r'
}
const LINE_BREAK = /[\n\r\u000b\u000c\u0085\u2028\u2029]/u
/**
 * Shown as \u escapes: control characters (C0, C1, DEL), format characters (Cf: bidi embeddings,
 * overrides and isolates, zero-width spaces and joiners, the BOM, the soft hyphen, tags), every
 * default-ignorable code point (fillers, variation selectors) and lone surrogates.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cs}]/u
/** Spaces other than U+0020 (NBSP, en quad, ideographic space...) and tab: one plain space. */
const OTHER_SPACE = /[\t\p{Zs}]/u

/**
 * Makes foreign text safe to print on a log line, on its own or inside the action's own text:
 * - no workflow command: the first character that is not a space, if it is `:`, and every `[`
 *   that would follow a `#` (or starts the text, where the action's text before it might end in
 *   `#`) get a backslash in front, so neither `::` at the start of a line nor `##[` anywhere can
 *   form, even where two safe texts are joined;
 * - one line: CR and LF shown as \r and \n, every other line break and every invisible or
 *   control character as a \u escape, other spaces as a space, ANSI escapes removed;
 * - bounded: at most `maxLength` code points, the last one an ellipsis when cut.
 * The result is idempotent: safe text passed again comes back the same.
 */
export function safeText(text: unknown, options: SafeTextOptions = {}): string {
  const maxLength = Math.max(1, options.maxLength ?? DEFAULT_MAX_LENGTH)
  let raw = typeof text === 'string' ? text : text === undefined ? '' : String(text)
  // Redacted first and whole: a secret cut in two by the bound below would print its first half.
  if (options.redact) raw = redact(raw, options.redact)
  if (isSafeAlready(raw, maxLength)) return raw
  return madeSafe(raw, maxLength)
}

/**
 * Text the rules below would give back unchanged, told by one native pass: printable ASCII and
 * the few symbols the action's own lines use (dashes, the ellipsis, arrows, box drawing), none
 * of them a space, a line break or invisible; not starting with a space, `:` or `[`, not ending
 * in a space, no `#[`, within the bound. Most of what is logged is such text, the prompt and
 * the HTTP trace included, and it is logged before the code is shown.
 */
const SAFE_ALREADY = /^(?![ :[])[ -~\u2013\u2014\u2026\u2190-\u21ff\u2500-\u257f]*$/

function isSafeAlready(raw: string, maxLength: number): boolean {
  return (
    raw.length <= maxLength && SAFE_ALREADY.test(raw) && !raw.includes('#[') && !raw.endsWith(' ')
  )
}

/** The rules, character by character. Exported for the test that isSafeAlready changes nothing. */
export function madeSafe(text: string, maxLength: number): string {
  let raw = text
  // Nothing past this can be shown (each shown character takes at least one of the text's; more
  // only for ANSI sequences, which are removed), so a 1 MiB body costs what its start costs.
  const scanned = maxLength * 4 + 64
  const cut = raw.length > scanned
  if (cut) raw = raw.slice(0, scanned)
  raw = raw.replace(ANSI, '')
  let out = ''
  let lastUnit = ''
  let length = 0
  let seenVisible = false
  for (const char of raw) {
    let unit = shown(char)
    if (unit === ' ' && !seenVisible) continue // the text starts at its first visible character
    if (unit === '[' && (lastUnit.endsWith('#') || !seenVisible)) unit = '\\['
    else if (unit === ':' && !seenVisible) unit = '\\:'
    if (unit !== ' ') seenVisible = true
    // An escape is ASCII; anything else is one code point.
    const unitLength = unit === char ? 1 : unit.length
    if (length + unitLength > maxLength) return withEllipsis(out, lastUnit, length, maxLength)
    out += unit
    lastUnit = unit
    length += unitLength
  }
  if (cut) return withEllipsis(out, lastUnit, length, maxLength)
  return out.trimEnd()
}

/**
 * Ends the text with an ellipsis within maxLength. At most the last unit must go to make room,
 * and it goes whole: never half an escape.
 */
function withEllipsis(out: string, lastUnit: string, length: number, maxLength: number): string {
  const kept = length + 1 > maxLength ? out.slice(0, out.length - lastUnit.length) : out
  return `${kept.trimEnd()}${ELLIPSIS}`
}

function shown(char: string): string {
  const code = char.charCodeAt(0)
  // Printable ASCII, the common case, without a regular expression.
  if (code >= 0x20 && code < 0x7f) return char
  if (LINE_BREAK.test(char)) return LINE_BREAKS[char] ?? escapeOf(char)
  if (OTHER_SPACE.test(char)) return ' '
  if (INVISIBLE.test(char)) return escapeOf(char)
  return char
}

function escapeOf(char: string): string {
  const code = char.codePointAt(0) as number
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/**
 * Cuts every secret out of `text`, longest first (so that one secret inside another goes whole),
 * as it is and as it reads inside a URL or a form (percent-encoded, with upper- or lower-case hex,
 * a space as +): a provider that redirects to a URL carrying the client secret must not show it
 * through a Location quoted in a message.
 */
export function redact(text: string, secrets: Iterable<string>): string {
  const known = [...new Set(secrets)].filter((s) => s.length > 0)
  const sorted = [...new Set(known.flatMap(encodings))]
    .filter((s) => s.length > 0)
    .sort((a, b) => b.length - a.length)
  let result = text
  for (const secret of sorted) result = result.split(secret).join(REDACTED)
  // A secret quoted inside a JSON string (or text a server copied out of one) may come back with
  // characters escaped: "a\/b" or "a\u002fb" for a/b. Only text with a backslash can hold one.
  if (result.includes('\\')) {
    for (const secret of known.sort((a, b) => b.length - a.length))
      result = result.replace(escapedForm(secret), REDACTED)
  }
  return result
}

/** Compiled matchers of a secret's escaped forms; a run masks a few dozen values at most. */
const ESCAPED_FORMS = new Map<string, RegExp>()
const MAX_ESCAPED_FORMS = 256
/** The characters JSON may also write with a short escape (RFC 8259 §7). */
const SHORT_ESCAPES = new Set(['/', '"', '\\'])

/**
 * A secret with any of its characters written as a JSON escape (RFC 8259 §7): \uXXXX with hex
 * digits in either case (a character beyond U+FFFF as its surrogate pair), and \/, \" or \\ for
 * the three characters with a short escape. Fixed alternatives, no nested repetition: at most
 * (text × secret) steps.
 */
function escapedForm(secret: string): RegExp {
  const cached = ESCAPED_FORMS.get(secret)
  if (cached) return cached
  const parts = [...secret].map((char) => {
    const codeUnits =
      char.length === 2 ? [char.charCodeAt(0), char.charCodeAt(1)] : [char.charCodeAt(0)]
    const unicode = codeUnits.map((code) => `\\\\u${hexPattern(code)}`).join('')
    const short = SHORT_ESCAPES.has(char) ? `|\\\\${escapeRegExp(char)}` : ''
    return `(?:${escapeRegExp(char)}|${unicode}${short})`
  })
  const form = new RegExp(parts.join(''), 'g')
  if (ESCAPED_FORMS.size >= MAX_ESCAPED_FORMS) ESCAPED_FORMS.clear()
  ESCAPED_FORMS.set(secret, form)
  return form
}

function hexPattern(code: number): string {
  return [...code.toString(16).padStart(4, '0')]
    .map((digit) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit))
    .join('')
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')
}

function encodings(secret: string): string[] {
  let encoded: string
  try {
    encoded = encodeURIComponent(secret)
  } catch {
    return [secret] // a lone surrogate has no percent-encoding
  }
  const lower = encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())
  return [secret, encoded, lower, encoded.replace(/%20/g, '+'), lower.replace(/%20/g, '+')]
}
