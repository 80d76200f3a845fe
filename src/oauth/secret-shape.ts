/**
 * RFC 6749 §10.10 and RFC 8628 §5.2 ask for tokens and device codes that cannot be guessed. The
 * action cannot measure entropy, but a value that is tiny ("e", "https") or holds a space is
 * surely not one; masking it would also censor every log line that contains those letters
 * ("***://github.com"). Such values are refused with a message saying which field it was.
 */
export const MIN_SECRET_LENGTH = 16

/** Why the value cannot be a secret, or undefined when it may be one. */
export function secretShapeProblem(value: string): string | undefined {
  if (/\s/.test(value)) return 'contains a space'
  if (value.length < MIN_SECRET_LENGTH)
    return `is ${value.length} characters long, too short to be unguessable (at least ${MIN_SECRET_LENGTH} expected)`
  return undefined
}
