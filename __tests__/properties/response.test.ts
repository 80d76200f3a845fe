import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import type { HttpResponse } from '../../src/oauth/http.js'
import { oauthErrorOf, parseRetryAfter, readResponse } from '../../src/oauth/response.js'
import { hostileString, outcomeOf } from '../../test-support/properties.js'

/**
 * readResponse and oauthErrorOf read whatever comes back: a provider, a proxy, a captive portal.
 * On any body, headers and status they return a value, at once, and never quote a body.
 */
const NOW = Date.UTC(2026, 10, 24, 10, 0, 0)

const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'text/html',
    'application/x-www-form-urlencoded',
    'application/problem+json',
    ''
  ),
  fc.string()
)

const body = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.json(),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.dictionary(fc.string(), fc.jsonValue()).map((object) => JSON.stringify(object)),
  fc
    .dictionary(fc.stringMatching(/^[\w.-]{1,10}$/), fc.string())
    .map((o) => new URLSearchParams(o).toString()),
  fc
    .tuple(fc.string(), fc.string())
    .map(([title, text]) => `<!DOCTYPE html><html><title>${title}</title>${text}`),
  hostileString
)

const response: fc.Arbitrary<HttpResponse> = fc.record({
  status: fc.oneof(
    fc.constantFrom(200, 400, 401, 403, 428, 429, 500, 502, 503),
    fc.integer({ min: 0, max: 999 })
  ),
  headers: fc.record(
    {
      'content-type': contentType,
      'retry-after': fc.oneof(
        fc.nat().map(String),
        fc.date().map((d) => d.toString()),
        fc.string()
      )
    },
    { requiredKeys: [] }
  ),
  body
})

const KINDS = ['json', 'form', 'html', 'empty', 'other']

function elapsedMs(action: () => unknown): number {
  const started = performance.now()
  action()
  return performance.now() - started
}

describe('readResponse on anything', () => {
  it('returns fields or says why it cannot, keeps the status, and bounds Retry-After', () => {
    fc.assert(
      fc.property(response, (answer) => {
        const outcome = outcomeOf(() => readResponse(answer, NOW))
        expect(outcome.ok).toBe(true)
        if (!outcome.ok) return
        const read = outcome.value
        expect(read.status).toBe(answer.status)
        expect(KINDS).toContain(read.kind)
        // Exactly one of the two: fields to use, or a reason they are missing.
        expect((read.fields === undefined) !== (read.unreadable === undefined)).toBe(true)
        if (read.fields)
          expect(typeof read.fields === 'object' && !Array.isArray(read.fields)).toBe(true)
        if (read.retryAfterMs !== undefined) {
          expect(read.retryAfterMs).toBeGreaterThanOrEqual(0)
          expect(read.retryAfterMs).toBeLessThanOrEqual(3_600_000)
        }
        if (read.unreadable !== undefined)
          expect(read.unreadable).not.toMatch(/[\u0000-\u001F\u007F-\u009F]/)
      }),
      { numRuns: 1500 }
    )
  })

  it('never quotes a token response that arrives cut short', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9_-]{24,40}$/)
    fc.assert(
      fc.property(secret, fc.nat(), (token, cut) => {
        const full = JSON.stringify({
          access_token: token,
          token_type: 'Bearer',
          refresh_token: token
        })
        const truncated = full.slice(0, 1 + (cut % (full.length - 1)))
        const read = readResponse(
          { status: 200, headers: { 'content-type': 'application/json' }, body: truncated },
          NOW
        )
        expect(JSON.stringify(read)).not.toContain(token.slice(0, 24))
      }),
      { numRuns: 300 }
    )
  })

  // Found by these properties: a form-looking body with many "&a=" parts and one bad character
  // at the end made the form regex backtrack exponentially (27 parts: 1.4 s; 40: minutes).
  it('reads a form-looking body of any length in linear time (no regex backtracking)', () => {
    // A canary first: a regression shows at 24 parts (0.3 s) and must fail here, not hang below.
    expect(
      elapsedMs(() =>
        readResponse({ status: 200, headers: {}, body: `a=${'&a='.repeat(24)}<` }, NOW)
      )
    ).toBeLessThan(50)
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 50_000 }),
        fc.constantFrom('<', ' x', '>', '\u0000'),
        (parts, tail) => {
          const hostile = `a=${'&a='.repeat(parts)}${tail}`
          const outcome = outcomeOf(() =>
            readResponse({ status: 200, headers: {}, body: hostile }, NOW)
          )
          expect(outcome.ok).toBe(true)
        }
      ),
      { numRuns: 30 }
    )
  })

  // Found by these properties: an HTML page with many unclosed <title tags took quadratic time
  // to search for its title (240 KB: 6.5 s; the 1 MiB the transport allows: minutes).
  it('finds the title of an HTML page of up to 1 MiB in linear time', () => {
    const canary = {
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: `<html>${'<title'.repeat(10_000)}`
    }
    expect(elapsedMs(() => readResponse(canary, NOW))).toBeLessThan(100)
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 170_000 }),
        fc.constantFrom('<title', '<title ', '<TITLE x'),
        (n, tag) => {
          const hostile = `<html>${tag.repeat(n)}`.slice(0, 1024 * 1024)
          const outcome = outcomeOf(() =>
            readResponse(
              { status: 502, headers: { 'content-type': 'text/html' }, body: hostile },
              NOW
            )
          )
          expect(outcome.ok && outcome.value.kind).toBe('html')
        }
      ),
      { numRuns: 10 }
    )
  })
})

describe('oauthErrorOf on anything', () => {
  it('finds an error only in a string of the RFC 6749 §5.2 characters, with string details', () => {
    const fields = fc.oneof(
      fc.dictionary(fc.string(), fc.jsonValue()),
      fc.record(
        {
          error: fc.oneof(
            hostileString,
            fc.jsonValue(),
            fc.constantFrom('authorization_pending', 'slow_down')
          ),
          error_description: fc.oneof(hostileString, fc.jsonValue()),
          error_uri: fc.oneof(hostileString, fc.webUrl(), fc.jsonValue())
        },
        { requiredKeys: [] }
      )
    )
    fc.assert(
      fc.property(fields, fc.integer({ min: 100, max: 599 }), (fieldsValue, status) => {
        const outcome = outcomeOf(() => oauthErrorOf({ status, kind: 'json', fields: fieldsValue }))
        expect(outcome.ok).toBe(true)
        const found = outcome.ok ? outcome.value : undefined
        if (!found) return
        expect(found.error).toMatch(/^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,200}$/)
        expect(found.error).toBe(fieldsValue['error'])
        for (const detail of [found.errorDescription, found.errorUri]) {
          if (detail !== undefined) expect(typeof detail === 'string' && detail !== '').toBe(true)
        }
      }),
      { numRuns: 1000 }
    )
  })

  it('finds nothing in a response without fields', () => {
    fc.assert(
      fc.property(fc.integer(), fc.string(), (status, why) => {
        expect(oauthErrorOf({ status, kind: 'other', unreadable: why })).toBeUndefined()
      }),
      { numRuns: 100 }
    )
  })
})

describe('parseRetryAfter on anything', () => {
  it('gives no delay or one between 0 and an hour', () => {
    const header = fc.oneof(
      fc.string(),
      fc.nat().map(String),
      fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
      hostileString
    )
    fc.assert(
      fc.property(header, (value) => {
        const outcome = outcomeOf(() => parseRetryAfter(value, NOW))
        expect(outcome.ok).toBe(true)
        const ms = outcome.ok ? outcome.value : undefined
        if (ms !== undefined) {
          expect(Number.isFinite(ms)).toBe(true)
          expect(ms).toBeGreaterThanOrEqual(0)
          expect(ms).toBeLessThanOrEqual(3_600_000)
        }
      }),
      { numRuns: 1000 }
    )
  })

  it('reads delay-seconds exactly (RFC 9110 §10.2.3)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3600 }), (seconds) => {
        expect(parseRetryAfter(String(seconds), NOW)).toBe(seconds * 1000)
      }),
      { numRuns: 200 }
    )
  })
})
