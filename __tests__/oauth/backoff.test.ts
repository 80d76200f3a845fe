import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from '../../src/oauth/retry.js'

const policy: BackoffPolicy = { baseMs: 1000, maxMs: 60_000 }

describe('backoffDelayMs', () => {
  it('doubles the ceiling with each attempt', () => {
    // random 1 (just under) gives the ceiling, 0 gives half of it.
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, policy, 0.999999))).toEqual([
      1000, 2000, 4000, 8000
    ])
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, policy, 0))).toEqual([500, 1000, 2000, 4000])
  })

  it('caps the delay at maxMs, even for absurd attempt numbers', () => {
    expect(backoffDelayMs(7, policy, 0.999999)).toBe(60_000)
    expect(backoffDelayMs(2000, policy, 0.999999)).toBe(60_000)
    expect(backoffDelayMs(2000, policy, 0)).toBe(30_000)
  })

  it('treats attempt 0 or below as the first', () => {
    expect(backoffDelayMs(0, policy, 0)).toBe(500)
    expect(backoffDelayMs(-3, policy, 0)).toBe(500)
  })

  it('uses 1 s growing to 60 s by default', () => {
    expect(DEFAULT_BACKOFF).toEqual({ baseMs: 1000, maxMs: 60_000 })
  })

  it('stays within [ceiling / 2, ceiling] for any jitter, never zero', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (attempt, random, baseMs, extra) => {
          const p = { baseMs, maxMs: baseMs + extra }
          const ceiling = Math.min(p.maxMs, p.baseMs * 2 ** (attempt - 1))
          const delay = backoffDelayMs(attempt, p, random)
          expect(delay).toBeGreaterThan(0)
          expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2))
          expect(delay).toBeLessThanOrEqual(ceiling)
        }
      )
    )
  })

  it('never shrinks from one attempt to the next at the same jitter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, r) => {
          expect(backoffDelayMs(n + 1, policy, r)).toBeGreaterThanOrEqual(
            backoffDelayMs(n, policy, r)
          )
        }
      )
    )
  })
})
