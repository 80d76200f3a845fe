import fc from 'fast-check'
import { ActionError } from '../src/errors.js'

/**
 * Shared pieces of the property tests (__tests__/properties): what a parser may do with hostile
 * input, and arbitraries for the hostile input itself.
 */

/**
 * The longest a single parser call may take on any input: a regex that backtracks would not fit.
 * Backtracking is the same every time; a pause of the machine (GC, another process on a loaded
 * CI host) is not, so a slow call is timed again and fails only when it is slow every time.
 */
export const MAX_CALL_MS = 250
const TIMINGS = 3

/**
 * Runs `parse` and returns what it gave, or the ActionError it threw. Anything else (a TypeError,
 * a RangeError, a message with a stack in it, a call that takes too long) fails the property.
 */
export function outcomeOf<T>(
  parse: () => T
): { ok: true; value: T } | { ok: false; error: ActionError } {
  let fastest = Infinity
  let result: { ok: true; value: T } | { ok: false; error: ActionError } | undefined
  for (let timing = 0; timing < TIMINGS && fastest > MAX_CALL_MS; timing++) {
    const started = performance.now()
    try {
      result = { ok: true, value: parse() }
    } catch (error) {
      expectReadableError(error)
      result = { ok: false, error: error as ActionError }
    }
    fastest = Math.min(fastest, performance.now() - started)
  }
  if (fastest > MAX_CALL_MS)
    throw new Error(`the call took ${Math.round(fastest)} ms, ${TIMINGS} times over`)
  return result as { ok: true; value: T } | { ok: false; error: ActionError }
}

/** An ActionError (InputError, ProviderResponseError, …) with a message a person can read. */
export function expectReadableError(error: unknown): asserts error is ActionError {
  if (!(error instanceof ActionError)) {
    const name = error instanceof Error ? error.name : typeof error
    throw new Error(
      `threw ${name} instead of an ActionError: ${String((error as Error)?.message ?? error)}`
    )
  }
  if (error.message.trim() === '') throw new Error(`${error.name} with an empty message`)
  if (
    /\n\s+at \S/.test(error.message) ||
    /\b(TypeError|RangeError|SyntaxError|ReferenceError)\b/.test(error.message)
  ) {
    throw new Error(`${error.name} message carries a JavaScript error or a stack: ${error.message}`)
  }
}

/** C0 and C1 control characters, DEL included: they must not reach a log line. */
export const CONTROL = /[\u0000-\u001F\u007F-\u009F]/

/** Strings written to break things: markup, Markdown, workflow commands, escapes, odd Unicode. */
export const HOSTILE_FRAGMENTS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="https://evil.example">click</a>',
  '[approve here](https://evil.example/login)',
  '![x](https://evil.example/pixel.png)',
  '](javascript:alert(1))',
  '\n\n# Approved\n\n',
  '\r\n::add-mask::x',
  '::set-output name=access-token::x',
  '%0A::error::x',
  '`code`',
  '*bold* _it_ ~~s~~',
  '| a | b |',
  '&lt;b&gt;',
  '&#60;',
  '"\'',
  '\\',
  '\u0000',
  '\u0007',
  '\u001b[31mred',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u2028\u2029',
  '\u202e',
  '\ufeff',
  '\ud800',
  '😀',
  'javascript:alert(1)',
  'data:text/html,<b>x</b>',
  '__proto__',
  'constructor',
  'toString',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '0x10',
  ' ',
  ''
]

/** A hostile string: random text, text with odd code points, or hostile fragments glued together. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .array(fc.constantFrom(...HOSTILE_FRAGMENTS), { minLength: 1, maxLength: 4 })
    .map((parts) => parts.join('')),
  fc
    .tuple(
      fc.string({ maxLength: 10 }),
      fc.constantFrom(...HOSTILE_FRAGMENTS),
      fc.string({ maxLength: 10 })
    )
    .map((parts) => parts.join(''))
)

/** Any JSON value, a hostile string, or a number at the edges of what JavaScript can hold. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  hostileString,
  fc.constantFrom<unknown>(
    0,
    -0,
    -1,
    0.5,
    1e-300,
    1e21,
    Number.MAX_SAFE_INTEGER + 2,
    2 ** 63,
    1.7976931348623157e308,
    '9223372036854775807',
    '1e3',
    ' 5 ',
    '',
    null,
    true,
    [],
    {},
    ['a'],
    { toString: 'x' }
  )
)
