import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { checkSecureUrl, isLoopbackHost, MAX_URL_LENGTH } from '../../src/oauth/url-policy.js'
import { hostileString, outcomeOf } from '../../test-support/properties.js'

/**
 * checkSecureUrl guards every URL tokens and secrets travel to: https everywhere, http only on
 * loopback. On any string it answers ok or a problem, and "ok" always means exactly that.
 */
const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/

/** Pieces of URLs that have fooled URL checks before: userinfo, look-alike hosts, odd schemes. */
const URL_PARTS = [
  'http://',
  'https://',
  'HTTP://',
  'http:',
  'http:/',
  'https:\\\\',
  '//',
  'javascript:',
  'file://',
  'ws://',
  '127.0.0.1',
  '127.0.0.1.evil.example',
  'localhost',
  'localhost.',
  'localhost.evil.example',
  '[::1]',
  '[::ffff:127.0.0.1]',
  '0x7f.1',
  '2130706433',
  'evil.example',
  'id.example.com',
  '@',
  ':',
  ':443',
  ':8080',
  '#',
  '?',
  '/',
  '\\',
  '%2e',
  '%00',
  '\t',
  '\n',
  ' ',
  'user:pw@',
  'xn--80ak6aa92e.com'
]

const composed = fc
  .array(fc.constantFrom(...URL_PARTS), { minLength: 1, maxLength: 7 })
  .map((parts) => parts.join(''))
const anyUrl = fc.oneof(
  composed,
  hostileString,
  fc.webUrl({
    validSchemes: ['http', 'https', 'ftp', 'ws'],
    withFragments: true,
    withQueryParameters: true
  }),
  fc.webUrl({
    authoritySettings: { withUserInfo: true, withPort: true, withIPv4: true, withIPv6: true }
  }),
  fc
    .string({ minLength: MAX_URL_LENGTH - 20, maxLength: MAX_URL_LENGTH + 20 })
    .map((tail) => `https://id.example.com/${tail}`)
)

describe('checkSecureUrl on anything', () => {
  it('never accepts a URL that is not https, or http on loopback, and never one with credentials or a fragment', () => {
    fc.assert(
      fc.property(anyUrl, (value) => {
        const outcome = outcomeOf(() => checkSecureUrl(value))
        expect(outcome.ok).toBe(true)
        if (!outcome.ok) return
        const check = outcome.value
        if (!check.ok) {
          expect(check.problem.length).toBeGreaterThan(0)
          return
        }
        expect(value.length).toBeLessThanOrEqual(MAX_URL_LENGTH)
        expect(check.url.username + check.url.password).toBe('')
        expect(check.url.hash).toBe('')
        if (check.url.protocol !== 'https:') {
          expect(check.url.protocol).toBe('http:')
          const host = check.url.hostname.replace(/^\[|\]$/g, '')
          expect(host === 'localhost' || host === '::1' || LOOPBACK_V4.test(host)).toBe(true)
        }
      }),
      { numRuns: 3000 }
    )
  })

  it('accepts every https URL without credentials or fragment', () => {
    const https = fc
      .webUrl({ validSchemes: ['https'], withQueryParameters: true })
      .filter((u) => u.length <= MAX_URL_LENGTH)
    fc.assert(
      fc.property(https, (value) => {
        const check = checkSecureUrl(value)
        expect(check.ok && check.url.href).toBe(new URL(value).href)
      }),
      { numRuns: 500 }
    )
  })

  it('refuses every http URL whose host is not loopback, saying to use https', () => {
    const http = fc.webUrl({
      validSchemes: ['http'],
      authoritySettings: { withIPv4: true, withPort: true }
    })
    fc.assert(
      fc.property(http, (value) => {
        const host = new URL(value).hostname
        fc.pre(!isLoopbackHost(host))
        const check = checkSecureUrl(value)
        expect(check.ok).toBe(false)
        if (!check.ok) expect(check.problem).toMatch(/use https:\/\//)
      }),
      { numRuns: 500 }
    )
  })

  it('counts as loopback only localhost, ::1 and 127.0.0.0/8', () => {
    const host = fc.oneof(
      fc.domain(),
      fc.ipV4(),
      fc.ipV6(),
      fc.constantFrom(...URL_PARTS),
      fc.string()
    )
    fc.assert(
      fc.property(host, (name) => {
        const bare = name.replace(/^\[|\]$/g, '').toLowerCase()
        const expected =
          bare === 'localhost' ||
          bare === '::1' ||
          (LOOPBACK_V4.test(bare) && bare.split('.').every((o) => Number(o) <= 255))
        expect(isLoopbackHost(name)).toBe(expected)
      }),
      { numRuns: 1000 }
    )
  })
})
