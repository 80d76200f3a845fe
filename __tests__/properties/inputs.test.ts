import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { InputError } from '../../src/errors.js'
import {
  MAX_TIMEOUT_SECONDS,
  parseExtraParams,
  parseTimeout,
  readConfig
} from '../../src/inputs.js'
import { checkSecureUrl } from '../../src/oauth/url-policy.js'
import { PROVIDERS } from '../../src/providers/quirks.js'
import { RecordingRunner } from '../../test-support/fakes.js'
import { CONTROL, hostileString, outcomeOf } from '../../test-support/properties.js'

/**
 * The inputs come from a workflow file, often copied from somewhere: every one of them, set to
 * anything, gives a Config or an InputError naming the input. Nothing else.
 */
const RESERVED = [
  'client_id',
  'client_secret',
  'client_assertion',
  'client_assertion_type',
  'grant_type',
  'device_code',
  'refresh_token',
  'scope',
  'audience',
  'resource'
]

const paramName = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_.\-:[\]]{1,100}$/),
  // Names an object already has: they must be treated like any other name.
  fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype')
)

describe('parseExtraParams on anything', () => {
  it('returns key=value pairs with a valid name and a one-line value, or an InputError', () => {
    const text = fc.oneof(
      fc.string(),
      hostileString,
      fc
        .array(
          fc.oneof(
            fc.tuple(paramName, fc.string()).map(([k, v]) => `${k}=${v}`),
            hostileString
          )
        )
        .map((lines) => lines.join('\n'))
    )
    fc.assert(
      fc.property(text, (value) => {
        const outcome = outcomeOf(() => parseExtraParams(value))
        if (!outcome.ok) {
          expect(outcome.error).toBeInstanceOf(InputError)
          expect(outcome.error.message).toMatch(/^Input 'extra-params': /)
          return
        }
        for (const [key, paramValue] of outcome.value) {
          expect(key).toMatch(/^[A-Za-z0-9_.\-:[\]]{1,100}$/)
          expect(RESERVED).not.toContain(key.toLowerCase())
          expect(paramValue).not.toMatch(/[\u0000-\u001F\u007F]/)
        }
      }),
      { numRuns: 1500 }
    )
  })

  it('accepts every parameter name that is not reserved, including names objects already have', () => {
    fc.assert(
      fc.property(paramName, fc.stringMatching(/^[\x20-\x7E]{0,40}$/), (key, value) => {
        fc.pre(!RESERVED.includes(key.toLowerCase()))
        // A value holding "&name=" reads as parameters joined with & and is refused (below).
        fc.pre(!/&[A-Za-z0-9_.\-:[\]]{1,100}=/.test(value))
        expect(parseExtraParams(`${key}=${value}`)).toEqual([[key, value.trim()]])
      }),
      { numRuns: 500 }
    )
  })

  it('refuses a value that holds "&name=", as parameters joined with & would', () => {
    fc.assert(
      fc.property(
        paramName,
        paramName,
        fc.stringMatching(/^[\x20-\x7E]{0,20}$/),
        (key, next, rest) => {
          fc.pre(!RESERVED.includes(key.toLowerCase()))
          expect(() => parseExtraParams(`${key}=1&${next}=${rest}`)).toThrow(/joined with &/)
        }
      ),
      { numRuns: 200 }
    )
  })

  it('refuses every reserved name, in any case, saying which input to use instead', () => {
    const casing = fc
      .constantFrom(...RESERVED)
      .chain((name) =>
        fc
          .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
          .map((upper) => [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''))
      )
    fc.assert(
      fc.property(casing, fc.string(), (key, value) => {
        expect(() => parseExtraParams(`${key}=${value.replace(/[\r\n]/g, '')}`)).toThrow(
          /may not override: (use|the action)/
        )
      }),
      { numRuns: 300 }
    )
  })
})

describe('parseTimeout on anything', () => {
  it('gives nothing, a wait between 1 s and 6 h, or an InputError', () => {
    const text = fc.oneof(
      fc.string(),
      hostileString,
      fc
        .tuple(
          fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e6, noNaN: true })),
          fc.constantFrom('', 's', 'm', 'h', 'd', ' m', 'ms', 'M')
        )
        .map(([n, unit]) => `${n}${unit}`)
    )
    fc.assert(
      fc.property(text, (value) => {
        const outcome = outcomeOf(() => parseTimeout(value))
        if (!outcome.ok) {
          expect(outcome.error).toBeInstanceOf(InputError)
          expect(outcome.error.message).toMatch(/^Input 'timeout': /)
          return
        }
        if (outcome.value === undefined) {
          expect(value.trim()).toBe('')
          return
        }
        expect(Number.isFinite(outcome.value)).toBe(true)
        expect(outcome.value).toBeGreaterThanOrEqual(1)
        expect(outcome.value).toBeLessThanOrEqual(MAX_TIMEOUT_SECONDS)
      }),
      { numRuns: 1500 }
    )
  })

  it('reads seconds, minutes and hours', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 360 }),
        fc.constantFrom(['s', 1], ['m', 60], ['', 1]),
        (n, [unit, factor]) => {
          expect(parseTimeout(`${n}${unit as string}`)).toBe(n * (factor as number))
        }
      ),
      { numRuns: 200 }
    )
  })
})

const INPUT_NAMES = [
  'provider',
  'issuer',
  'discovery-url',
  'device-authorization-endpoint',
  'token-endpoint',
  'github-server-url',
  'client-id',
  'client-secret',
  'client-private-key',
  'client-auth-method',
  'scope',
  'audience',
  'resource',
  'extra-params',
  'mode',
  'refresh-token',
  'on-refresh-failure',
  'timeout',
  'summary'
]

/** Values near what a workflow would set for each input, and hostile ones. */
const plausible: Record<string, fc.Arbitrary<string>> = {
  provider: fc.constantFrom(
    'oidc',
    'github',
    'GitHub',
    'constructor',
    '__proto__',
    'toString',
    'okta',
    ''
  ),
  issuer: fc.constantFrom(
    'https://id.example.com',
    'http://127.0.0.1:8080',
    'http://id.example.com',
    'https://id.example.com?x'
  ),
  'client-id': fc.constantFrom('release-bot', 'Iv1.0123456789abcdef', 'has space', ''),
  'client-auth-method': fc.constantFrom(
    'auto',
    'none',
    'client_secret_basic',
    'client_secret_post',
    'private_key_jwt',
    'basic'
  ),
  scope: fc.constantFrom('openid profile', 'repo read:org', 'a"b', ''),
  'on-refresh-failure': fc.constantFrom('fail', 'device', 'retry', ''),
  mode: fc.constantFrom('auto', 'refresh', 'device', 'interactive', ''),
  'refresh-token': fc.constantFrom('stored-rt-0123456789abcdef', ''),
  timeout: fc.constantFrom('900', '15m', '0', '7h', 'soon'),
  summary: fc.constantFrom('true', 'false', 'False', 'yes')
}

const VALID = { 'client-id': 'release-bot', issuer: 'https://id.example.com' }

/** A valid configuration with some inputs set near it, and a few set to anything. */
const inputs = fc
  .tuple(
    fc.record(plausible, { requiredKeys: [] }),
    fc.dictionary(
      fc.constantFrom(...INPUT_NAMES),
      fc.oneof(hostileString, fc.webUrl({ validSchemes: ['http', 'https'] }), fc.string()),
      { maxKeys: 3 }
    )
  )
  .map(([near, random]) => ({ ...VALID, ...near, ...random }))

describe('readConfig on anything', () => {
  it('gives a Config with a known provider and secure endpoints, or an InputError naming the input', () => {
    fc.assert(
      fc.property(
        inputs,
        fc.dictionary(fc.constantFrom('GITHUB_SERVER_URL', 'GITHUB_REPOSITORY'), fc.string()),
        (given, env) => {
          const runner = new RecordingRunner(given, env)
          const outcome = outcomeOf(() => readConfig(runner))
          if (!outcome.ok) {
            expect(outcome.error).toBeInstanceOf(InputError)
            expect(INPUT_NAMES).toContain((outcome.error as InputError).input)
            return
          }
          const config = outcome.value
          expect(Object.values(PROVIDERS)).toContain(config.provider)
          expect(config.clientId).toMatch(/^[\x21-\x7E]{1,512}$/)
          for (const url of Object.values(config.endpoints))
            expect(checkSecureUrl(url as string).ok).toBe(true)
          if (config.scope !== undefined) expect(config.scope).not.toMatch(CONTROL)
          if (config.audience !== undefined) expect(config.audience).not.toMatch(CONTROL)
        }
      ),
      { numRuns: 1500 }
    )
  })

  it('knows only its own providers, in any case: never a name every object has', () => {
    const names = fc.oneof(
      fc.constantFrom(
        'oidc',
        'github',
        'GitHub',
        'OIDC',
        'constructor',
        '__proto__',
        'toString',
        'hasOwnProperty',
        'valueOf'
      ),
      fc.string()
    )
    fc.assert(
      fc.property(names, (provider) => {
        const outcome = outcomeOf(() => readConfig(new RecordingRunner({ ...VALID, provider }, {})))
        const known = Object.keys(PROVIDERS).includes(provider.trim().toLowerCase() || 'oidc')
        if (outcome.ok)
          expect(outcome.value.provider).toBe(PROVIDERS[provider.trim().toLowerCase() || 'oidc'])
        // github refuses the issuer of this base configuration; that error names issuer.
        else expect((outcome.error as InputError).input === 'provider').toBe(!known)
      }),
      { numRuns: 300 }
    )
  })

  it('masks the client secret and refresh token before anything else, even when an input is wrong', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{20,30}$/)
    fc.assert(
      fc.property(inputs, secret, secret, (given, clientSecret, refreshToken) => {
        const runner = new RecordingRunner(
          { ...given, 'client-secret': clientSecret, 'refresh-token': refreshToken },
          {}
        )
        const outcome = outcomeOf(() => readConfig(runner))
        expect(runner.secrets).toEqual(expect.arrayContaining([clientSecret, refreshToken]))
        if (!outcome.ok) {
          expect(outcome.error.message).not.toContain(clientSecret)
          expect(outcome.error.message).not.toContain(refreshToken)
        }
      }),
      { numRuns: 500 }
    )
  })
})
