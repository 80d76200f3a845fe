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
