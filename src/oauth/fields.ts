// Checks the parsers of provider answers share (device.ts, token.ts, id-token.ts, endpoints.ts).

/**
 * Reports a problem with a response by throwing. Declared with this type (not inferred), a call
 * narrows like an `asserts` function: after `if (typeof x !== 'string') fail(...)`, TypeScript
 * knows x is a string, so the parsers need no `as string` casts.
 */
export type Fail = (problem: string) => never

/** A Fail that throws the error `build` makes of the problem. */
export function failing(build: (problem: string) => Error): Fail {
  return (problem) => {
    throw build(problem)
  }
}

/**
 * The longest lifetime read as one: a hundred years. Above it, an expires_in is a "never"
 * sentinel (Long.MAX_VALUE) or garbage, for a device code (device.ts) and a token (token.ts) alike.
 */
export const MAX_LIFETIME_SECONDS = 100 * 365 * 24 * 3600

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
