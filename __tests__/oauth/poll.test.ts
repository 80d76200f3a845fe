import { explainError } from '../../src/flow/failure.js'
import { describe, expect, it } from '@jest/globals'
import { CancelledError, OAuthError, WaitEndedError } from '../../src/errors.js'
import { pollForTokens, type PollEvent, type PollOptions } from '../../src/oauth/poll.js'
import { POLL_MARGIN_MS, WIDENED_POLL_MARGIN_MS } from '../../src/oauth/poll.js'
import type { TokenAttempt } from '../../src/oauth/token.js'
import { FakeClock } from '../../test-support/fakes.js'

const endpoint = { name: 'token endpoint', url: 'https://id.example.com/token' }
const pending: TokenAttempt = {
  kind: 'oauth-error',
  status: 400,
  body: { error: 'authorization_pending' }
}
const slowDown: TokenAttempt = { kind: 'oauth-error', status: 400, body: { error: 'slow_down' } }
const tokens: TokenAttempt = {
  kind: 'tokens',
  tokens: { accessToken: 'at-1-0123456789abcdef', tokenType: 'Bearer' }
}

/**
 * Runs the loop with scripted answers; records when each poll was sent and when its answer came
 * back (each answer takes `responseMs` of fake time).
 */
function harness(
  answers: Array<TokenAttempt | ((n: number) => TokenAttempt)>,
  overrides: Partial<PollOptions> = {},
  responseMs = 0
) {
  const clock = new FakeClock()
  const start = clock.now()
  const pollTimes: number[] = []
  const answerTimes: number[] = []
  const events: PollEvent[] = []
  const options: PollOptions = {
    clock,
    endpoint,
    intervalSeconds: 5,
    expiresAtMs: start + 600_000,
    attempt: async () => {
      pollTimes.push(clock.now() - start)
      clock.advance(responseMs)
      answerTimes.push(clock.now() - start)
      const answer = answers[Math.min(pollTimes.length - 1, answers.length - 1)] as
        TokenAttempt | ((n: number) => TokenAttempt)
      return typeof answer === 'function' ? answer(pollTimes.length) : answer
    },
    onEvent: (event) => events.push(event),
    ...overrides
  }
  return { clock, start, pollTimes, answerTimes, events, run: () => pollForTokens(options) }
}

function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - (times[i] as number))
}

/** From the end of each answer to the next poll: the wait RFC 8628 §3.5 asks for. */
function waitsAfterAnswers(h: { pollTimes: number[]; answerTimes: number[] }): number[] {
  return h.pollTimes.slice(1).map((t, i) => t - (h.answerTimes[i] as number))
}

describe('pollForTokens (RFC 8628 §3.4–3.5)', () => {
  it('waits one interval before the first poll (RFC 8628 §3.5)', async () => {
    const h = harness([tokens])
    await h.run()
    expect(h.pollTimes[0]).toBeGreaterThanOrEqual(5000)
    expect(h.pollTimes[0]).toBeLessThan(5000 + 1000)
  })

  it('keeps polling on authorization_pending, never faster than the interval', async () => {
    const h = harness([pending, pending, pending, tokens])
    const result = await h.run()
    expect(result.accessToken).toBe('at-1-0123456789abcdef')
    expect(h.pollTimes).toHaveLength(4)
    for (const gap of gaps(h.pollTimes)) expect(gap).toBeGreaterThanOrEqual(5000)
  })

  it('honours a fractional interval', async () => {
    const h = harness([pending, tokens], { intervalSeconds: 2.5 })
    await h.run()
    expect(gaps(h.pollTimes)[0]).toBeGreaterThanOrEqual(2500)
    expect(gaps(h.pollTimes)[0]).toBeLessThan(5000)
  })

  it('raises the interval by 5 s after slow_down, for all later polls (RFC 8628 §3.5)', async () => {
    const h = harness([pending, slowDown, pending, pending, tokens])
    await h.run()
    const [first, second, third, fourth] = gaps(h.pollTimes)
    expect(first).toBeLessThan(10_000) // still 5 s before the slow_down
    expect(second).toBeGreaterThanOrEqual(10_000)
    expect(third).toBeGreaterThanOrEqual(10_000)
    expect(fourth).toBeGreaterThanOrEqual(10_000)
    expect(h.events).toContainEqual({ type: 'slow-down', intervalSeconds: 10, count: 1 })
  })

  it('adds 5 s for each slow_down, never lowering the interval', async () => {
    const h = harness([slowDown, slowDown, pending, tokens])
    await h.run()
    const [afterFirst, afterSecond, afterPending] = gaps(h.pollTimes)
    expect(afterFirst).toBeGreaterThanOrEqual(10_000)
    expect(afterSecond).toBeGreaterThanOrEqual(15_000)
    expect(afterPending).toBeGreaterThanOrEqual(15_000)
  })

  it('takes the interval sent with slow_down when it is larger (GitHub sends one)', async () => {
    const h = harness([{ ...slowDown, intervalSeconds: 30 } as TokenAttempt, pending, tokens])
    await h.run()
    expect(gaps(h.pollTimes)[0]).toBeGreaterThanOrEqual(30_000)
    expect(gaps(h.pollTimes)[1]).toBeGreaterThanOrEqual(30_000)
  })

  it('caps an absurd interval sent with slow_down (1e308) at the time left, and still polls once more before the deadline', async () => {
    const h = harness([{ ...slowDown, intervalSeconds: 1e308 } as TokenAttempt, tokens])
    await h.run()
    const slowed = h.events.find((event) => event.type === 'slow-down')
    expect(slowed).toMatchObject({ type: 'slow-down' })
    const seconds = (slowed as { intervalSeconds: number }).intervalSeconds
    expect(Number.isFinite(seconds)).toBe(true)
    expect(seconds).toBeLessThanOrEqual(600)
    expect(h.pollTimes).toHaveLength(2)
    expect(h.pollTimes[1]).toBeLessThan(600_000)
  })

  it('ignores a smaller interval sent with slow_down: +5 s still applies', async () => {
    const h = harness([{ ...slowDown, intervalSeconds: 1 } as TokenAttempt, tokens])
    await h.run()
    expect(gaps(h.pollTimes)[0]).toBeGreaterThanOrEqual(10_000)
  })

  it('treats a bare HTTP 429 as slow_down', async () => {
    const h = harness([{ kind: 'transient', status: 429, reason: 'HTTP 429' }, tokens])
    await h.run()
    expect(gaps(h.pollTimes)[0]).toBeGreaterThanOrEqual(10_000)
  })

  it('waits as long as Retry-After says on a 429 or 503', async () => {
    const h = harness([
      { kind: 'transient', status: 503, reason: 'HTTP 503', retryAfterMs: 42_000 },
      { kind: 'oauth-error', status: 429, body: { error: 'slow_down' }, retryAfterMs: 33_000 },
      tokens
    ])
    await h.run()
    expect(gaps(h.pollTimes)[0]).toBeGreaterThanOrEqual(42_000)
    expect(gaps(h.pollTimes)[1]).toBeGreaterThanOrEqual(33_000)
  })

  it('retries network errors and 5xx with growing waits until one succeeds', async () => {
    const failure: TokenAttempt = {
      kind: 'transient',
      reason: 'Could not reach the token endpoint'
    }
    const h = harness([failure, failure, failure, failure, tokens])
    const result = await h.run()
    expect(result.accessToken).toBe('at-1-0123456789abcdef')
    const waits = gaps(h.pollTimes)
    expect(waits[1]).toBeGreaterThan(waits[0] as number)
    expect(waits[3]).toBeGreaterThan(waits[2] as number)
    for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(5000)
    expect(h.events.filter((e) => e.type === 'transient')).toHaveLength(4)
  })

  it('stops retrying a failing provider at the deadline, as an expiry', async () => {
    const h = harness([{ kind: 'transient', status: 502, reason: 'HTTP 502' }], {
      expiresAtMs: undefined,
      timeoutAtMs: undefined
    })
    const clockStart = h.clock.now()
    const run = pollForTokens({
      clock: h.clock,
      endpoint,
      intervalSeconds: 5,
      expiresAtMs: clockStart + 120_000,
      attempt: async () => ({ kind: 'transient', status: 502, reason: 'HTTP 502' })
    })
    const error = await run.catch((e: unknown) => e)
    expect(error).toMatchObject({ ending: 'expired' })
    expect((error as Error).message).toContain('The token endpoint was failing when time ran out')
    expect((error as Error).message).toContain('HTTP 502')
    expect(h.clock.now() - clockStart).toBeLessThanOrEqual(120_000)
  })

  it('ends with "denied" on access_denied', async () => {
    const h = harness([
      pending,
      { kind: 'oauth-error', status: 400, body: { error: 'access_denied' } }
    ])
    await expect(h.run()).rejects.toMatchObject({ name: 'WaitEndedError', ending: 'denied' })
    expect(h.pollTimes).toHaveLength(2)
  })

  it('says "denied" as RFC 8628 §3.5 does, naming the usual causes, not only a person declining', async () => {
    const h = harness([{ kind: 'oauth-error', status: 400, body: { error: 'access_denied' } }])
    const error = (await h.run().catch((e: unknown) => e)) as WaitEndedError
    expect(error.message).toMatch(/^The request was denied \(access_denied\)/)
    expect(error.message).toContain(
      'the provider also answers so when it refused the request itself'
    )
  })

  it('ends with "denied" on a provider\'s own name for a denial, when the flow names it', async () => {
    const answer: TokenAttempt = {
      kind: 'oauth-error',
      status: 400,
      body: { error: 'authorization_declined' }
    }
    const withQuirk = harness([answer], { denialErrors: new Set(['authorization_declined']) })
    await expect(withQuirk.run()).rejects.toMatchObject({
      name: 'WaitEndedError',
      ending: 'denied'
    })
    // Unknown to the protocol code, it is "any other error" (RFC 8628 §3.5).
    await expect(harness([answer]).run()).rejects.toBeInstanceOf(OAuthError)
  })

  it('ends with "expired" on expired_token', async () => {
    const h = harness([{ kind: 'oauth-error', status: 400, body: { error: 'expired_token' } }])
    const error = await h.run().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WaitEndedError)
    expect((error as WaitEndedError).ending).toBe('expired')
    expect((error as Error).message).toMatch(/expired before anyone approved/)
  })

  it("stops on any other error with the provider's words and advice", async () => {
    const h = harness([
      {
        kind: 'oauth-error',
        status: 401,
        body: { error: 'invalid_client', errorDescription: 'client authentication failed' }
      }
    ])
    const error = await h.run().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OAuthError)
    expect((error as Error).message).toContain('invalid_client')
    expect((error as Error).message).toContain('client authentication failed')
    expect(explainError(error as OAuthError)).toContain('client-id')
    expect(h.pollTimes).toHaveLength(1)
  })

  it('never polls again after tokens arrive', async () => {
    let calls = 0
    const h = harness([
      () => {
        calls++
        return tokens
      }
    ])
    await h.run()
    // Give any stray timer a chance: the clock is fake, so nothing else could poll.
    await new Promise((resolve) => setImmediate(resolve))
    expect(calls).toBe(1)
  })

  it('ends "timed out" at the timeout input when it comes before expiry', async () => {
    const h = harness([pending], { timeoutAtMs: new FakeClock().now() + 60_000 })
    await expect(h.run()).rejects.toMatchObject({ ending: 'timed-out' })
    expect(h.clock.now() - h.start).toBeLessThanOrEqual(60_000)
    expect(h.pollTimes.length).toBeGreaterThanOrEqual(10)
  })

  it('ends "expired" at expires_in when it comes first', async () => {
    const h = harness([pending], {
      expiresAtMs: new FakeClock().now() + 30_000,
      timeoutAtMs: new FakeClock().now() + 600_000
    })
    await expect(h.run()).rejects.toMatchObject({ ending: 'expired' })
  })

  it('polls once more just before the deadline when the interval would overshoot it', async () => {
    // A 600 s interval (Keycloak 17) with a 900 s code: polls at ~600 s, then once at ~899 s.
    const h = harness([pending, tokens], {
      intervalSeconds: 600,
      expiresAtMs: new FakeClock().now() + 900_000
    })
    const result = await h.run()
    expect(result.accessToken).toBe('at-1-0123456789abcdef')
    expect(h.pollTimes[0]).toBeGreaterThanOrEqual(600_000)
    expect(h.pollTimes[1]).toBeGreaterThan(890_000)
    expect(h.pollTimes[1]).toBeLessThan(900_000)
  })

  it('runs ten minutes of pending polls in milliseconds, 5 s apart', async () => {
    const h = harness([pending])
    await expect(h.run()).rejects.toMatchObject({ ending: 'expired' })
    expect(h.pollTimes.length).toBeGreaterThan(110)
    expect(h.pollTimes.length).toBeLessThanOrEqual(120)
    expect(Math.min(...gaps(h.pollTimes))).toBeGreaterThanOrEqual(5000 + POLL_MARGIN_MS)
  })

  it('counts the interval from the end of the previous response', async () => {
    // A token endpoint that takes 3 s to answer: the next poll still waits a full 5 s after it.
    const h = harness([pending, pending, tokens], {}, 3000)
    await h.run()
    for (const wait of waitsAfterAnswers(h)) {
      expect(wait).toBeGreaterThanOrEqual(5000)
      expect(wait).toBeLessThan(5000 + 100)
    }
    for (const gap of gaps(h.pollTimes)) expect(gap).toBeGreaterThanOrEqual(5000 + 3000)
  })

  it('adds only tens of milliseconds to the interval, so an approval is seen at once', async () => {
    expect(POLL_MARGIN_MS).toBeGreaterThan(0)
    expect(POLL_MARGIN_MS).toBeLessThan(100)
    const h = harness([pending, pending, tokens], { intervalSeconds: 1 })
    await h.run()
    expect(h.pollTimes[0]).toBeGreaterThanOrEqual(1000)
    expect(h.pollTimes[0]).toBeLessThan(1000 + 100)
    for (const wait of waitsAfterAnswers(h)) {
      expect(wait).toBeGreaterThanOrEqual(1000)
      expect(wait).toBeLessThan(1000 + 100)
    }
  })

  it('never lets a Retry-After shorter than the interval shorten it (RFC 8628 §3.5)', async () => {
    const h = harness([
      { kind: 'transient', status: 503, reason: 'HTTP 503', retryAfterMs: 1000 },
      pending,
      tokens
    ])
    await h.run()
    for (const wait of waitsAfterAnswers(h)) expect(wait).toBeGreaterThanOrEqual(5000)
  })

  it('widens the margin once when slow_down comes although the full interval had passed', async () => {
    const h = harness([pending, slowDown, pending, slowDown, pending, pending, tokens])
    await h.run()
    const waits = waitsAfterAnswers(h)
    // Before the first slow_down: 5 s and the small margin.
    expect(waits[0]).toBeLessThan(5000 + 100)
    // After it: the +5 s rule, exactly as before, plus the wider margin.
    expect(waits[1]).toBeGreaterThanOrEqual(10_000 + WIDENED_POLL_MARGIN_MS)
    expect(waits[1]).toBeLessThan(10_000 + WIDENED_POLL_MARGIN_MS + 100)
    expect(waits[2]).toBeGreaterThanOrEqual(10_000 + WIDENED_POLL_MARGIN_MS)
    // The second slow_down adds its 5 s; the margin stays wide, and is announced only once.
    expect(waits[3]).toBeGreaterThanOrEqual(15_000 + WIDENED_POLL_MARGIN_MS)
    expect(waits[5]).toBeGreaterThanOrEqual(15_000 + WIDENED_POLL_MARGIN_MS)
    expect(waits[5]).toBeLessThan(15_000 + WIDENED_POLL_MARGIN_MS + 100)
    const widened = h.events.filter((e) => e.type === 'margin-widened')
    expect(widened).toEqual([{ type: 'margin-widened', marginMs: WIDENED_POLL_MARGIN_MS }])
    expect(h.events.filter((e) => e.type === 'slow-down')).toEqual([
      { type: 'slow-down', intervalSeconds: 10, count: 1 },
      { type: 'slow-down', intervalSeconds: 15, count: 2 }
    ])
  })

  it('widens the margin for a bare HTTP 429 after a full interval too', async () => {
    const h = harness([{ kind: 'transient', status: 429, reason: 'HTTP 429' }, pending, tokens])
    await h.run()
    expect(waitsAfterAnswers(h)[0]).toBeGreaterThanOrEqual(10_000 + WIDENED_POLL_MARGIN_MS)
    expect(h.events).toContainEqual({ type: 'margin-widened', marginMs: WIDENED_POLL_MARGIN_MS })
  })

  it('keeps the margin small when slow_down answers a poll that came early on purpose', async () => {
    // Interval 8 s, code valid 23 s: polls at 8 s and 16 s, then one last poll at 22 s, only 6 s
    // after the previous answer. slow_down to that one is deserved, and says nothing of clocks.
    const h = harness([pending, pending, slowDown], {
      intervalSeconds: 8,
      expiresAtMs: new FakeClock().now() + 23_000
    })
    await expect(h.run()).rejects.toMatchObject({ ending: 'expired' })
    expect(h.pollTimes).toHaveLength(3)
    expect(waitsAfterAnswers(h)[1]).toBeLessThan(8000)
    expect(h.events).toContainEqual({ type: 'slow-down', intervalSeconds: 13, count: 1 })
    expect(h.events.filter((e) => e.type === 'margin-widened')).toEqual([])
  })

  it('emits ticks while waiting, so the runner can remind the person', async () => {
    const h = harness([pending, tokens], { intervalSeconds: 60 })
    await h.run()
    expect(h.events.filter((e) => e.type === 'tick').length).toBeGreaterThanOrEqual(8)
  })

  it('stops within the current wait when the signal aborts', async () => {
    const controller = new AbortController()
    const h = harness(
      [
        (n) => {
          if (n === 3) controller.abort()
          return pending
        }
      ],
      { signal: controller.signal }
    )
    await expect(h.run()).rejects.toBeInstanceOf(CancelledError)
    expect(h.pollTimes).toHaveLength(3)
  })

  it('refuses to run without any deadline', async () => {
    const h = harness([tokens], { expiresAtMs: undefined, timeoutAtMs: undefined })
    await expect(h.run()).rejects.toThrow(/needs expiresAtMs or timeoutAtMs/)
  })
})
