/**
 * How policy text is compared with identity text. Two directions, two strictnesses:
 * - allowed-approvers and required-claims say who MAY approve: a near miss must not let anyone
 *   in, so they compare exactly after Unicode NFC (which only unifies different encodings of the
 *   same characters, "é" as one code point or as e + accent), ignoring case only for emails.
 * - allow-self-approval says who may NOT approve: a near miss must not let the run's author
 *   through, so it compares loosely (compatibility forms, case, invisible characters ignored).
 */

/** Same characters, one encoding: "José" typed on macOS (NFD) equals "José" from a provider (NFC). */
export function exact(text: string): string {
  return text.normalize('NFC')
}

/**
 * Email addresses ignore case: domains do by definition (RFC 5321 §2.4), and no mail provider
 * hands out two mailboxes that differ only in the case of the local part.
 */
export function emailForm(text: string): string {
  return text.normalize('NFC').toLowerCase().normalize('NFC')
}

/** Format characters (zero-width space, joiners, bidi controls, BOM): invisible in a name. */
const INVISIBLE = /[\p{Cf}\p{Cc}\s]/gu

/**
 * For a rule that refuses: fullwidth or compatibility letters as their plain form (NFKC), case
 * ignored, invisible characters and spaces dropped, so "Ｏcto\u200Bcat" is "octocat".
 */
export function looseForm(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').toLowerCase().normalize('NFKC')
}

/**
 * Whether `text` matches `pattern`, where `*` stands for any run of characters (none included)
 * and `?` for exactly one; every other character stands for itself. Characters are code points,
 * so `?` matches one accented letter or one emoji. Linear in practice and never exponential:
 * the classic two-pointer wildcard match that backtracks only to the last `*`.
 */
export function globMatches(pattern: string, text: string): boolean {
  const p = Array.from(pattern)
  const t = Array.from(text)
  let pi = 0
  let ti = 0
  let starAt = -1
  let resumeAt = 0
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || (p[pi] !== '*' && p[pi] === t[ti]))) {
      pi++
      ti++
    } else if (pi < p.length && p[pi] === '*') {
      starAt = pi++
      resumeAt = ti
    } else if (starAt !== -1) {
      pi = starAt + 1
      ti = ++resumeAt
    } else {
      return false
    }
  }
  while (pi < p.length && p[pi] === '*') pi++
  return pi === p.length
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?')
}
