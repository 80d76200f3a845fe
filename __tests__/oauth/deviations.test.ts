import { describe, expect, it } from '@jest/globals'
import { ProviderResponseError } from '../../src/errors.js'
import type { ClientCredentials } from '../../src/oauth/client-auth.js'
import { DEFAULT_INTERVAL_SECONDS, parseDeviceAuthorization } from '../../src/oauth/device.js'
import {
  ENTRA_CONSUMERS_TENANT,
  identifyInDeviceRequest,
  idTokenIssuerFor,
  isBareRefreshRefusal,
  issuerMatches,
  secondsOf,
  shouldRetryAssertionAudience,
  SUSPICIOUS_INTERVAL_SECONDS,
  verificationUriCompleteOf,
  verificationUriOf
} from '../../src/oauth/deviations.js'

const endpoint = { name: 'device authorization endpoint', url: 'https://id.example.com/device' }
const base = {
  device_code: 'dc-1-0123456789abcdef',
  user_code: 'ABCD-EFGH',
  verification_uri: 'https://id.example.com/device'
}
const LOGIN = 'https://login.microsoftonline.com'
const TENANT = '72f988bf-0000-4000-8000-2d7cd011db47'

describe('verificationUriOf: verification_url for verification_uri (Google, Entra ID v1)', () => {
  it('takes verification_uri, then verification_url, and nothing else', () => {
    expect(
      verificationUriOf({
        verification_uri: 'https://a.example/device',
        verification_url: 'https://b.example'
      })
    ).toBe('https://a.example/device')
    expect(verificationUriOf({ verification_url: 'https://www.google.com/device' })).toBe(
      'https://www.google.com/device'
    )
    expect(verificationUriOf({ verification_link: 'https://c.example' })).toBeUndefined()
  })
})

describe('verificationUriCompleteOf: verification_url_complete for verification_uri_complete', () => {
  it('takes verification_uri_complete, then verification_url_complete', () => {
    expect(
      verificationUriCompleteOf({
        verification_uri_complete: 'https://a.example/d?c=1',
        verification_url_complete: 'x'
      })
    ).toBe('https://a.example/d?c=1')
    expect(
      verificationUriCompleteOf({ verification_url_complete: 'https://b.example/d?c=1' })
    ).toBe('https://b.example/d?c=1')
    expect(verificationUriCompleteOf({})).toBeUndefined()
  })
})

describe('secondsOf: numbers, and numbers sent as strings (Entra ID)', () => {
  it.each<[unknown, ReturnType<typeof secondsOf>]>([
    [900, { kind: 'number', seconds: 900 }],
    [2.5, { kind: 'number', seconds: 2.5 }],
    [-5, { kind: 'number', seconds: -5 }],
    ['3599', { kind: 'number', seconds: 3599 }],
    [' 5 ', { kind: 'number', seconds: 5 }],
    ['-1.5', { kind: 'number', seconds: -1.5 }],
    [undefined, { kind: 'absent' }],
    [null, { kind: 'absent' }],
    [Infinity, { kind: 'invalid', shown: 'Infinity' }],
    [Number.NaN, { kind: 'invalid', shown: 'NaN' }],
    ['5e3', { kind: 'invalid', shown: '"5e3"' }],
    ['', { kind: 'invalid', shown: '""' }],
    [true, { kind: 'invalid', shown: 'boolean' }],
    [{ seconds: 5 }, { kind: 'invalid', shown: 'object' }]
  ])('reads %p as %p', (value, expected) => {
    expect(secondsOf(value)).toEqual(expected)
  })

  it('shows at most 20 characters of a garbage string', () => {
    expect(secondsOf('x'.repeat(500))).toEqual({
      kind: 'invalid',
      shown: JSON.stringify('x'.repeat(20))
    })
  })
})

describe("issuerMatches: Entra ID's multi-tenant issuer template (OIDC Discovery §4.3)", () => {
  it("requires identical issuers, except for Entra ID's {tenantid} template", () => {
    expect(issuerMatches('https://id.example.com', 'https://id.example.com')).toBe(true)
    expect(issuerMatches('https://id.example.com', 'https://id.example.com/')).toBe(false)
    expect(issuerMatches(`${LOGIN}/organizations/v2.0`, `${LOGIN}/{tenantid}/v2.0`)).toBe(true)
    expect(issuerMatches(`${LOGIN}/${TENANT}/v2.0`, `${LOGIN}/{tenantid}/v2.0`)).toBe(true)
    expect(issuerMatches(`${LOGIN}/common`, `${LOGIN}/{tenantid}`)).toBe(true)
  })

  it('does not let the template stand for another host, another version or a longer path', () => {
    expect(
      issuerMatches('https://login.evil.example/common/v2.0', `${LOGIN}/{tenantid}/v2.0`)
    ).toBe(false)
    expect(issuerMatches(`${LOGIN}/common`, `${LOGIN}/{tenantid}/v2.0`)).toBe(false)
    expect(issuerMatches(`${LOGIN}/common/extra/v2.0`, `${LOGIN}/{tenantid}/v2.0`)).toBe(false)
    expect(
      issuerMatches('https://id.example.com/{tenantid}', 'https://id.example.com/{tenantid}/x')
    ).toBe(false)
  })
})

describe("idTokenIssuerFor: the approver's tenant in id_tokens from Entra ID's multi-tenant endpoints", () => {
  const work = `${LOGIN}/${TENANT}/v2.0`
  const personal = `${LOGIN}/${ENTRA_CONSUMERS_TENANT}/v2.0`

  it('keeps the configured issuer for every other provider', () => {
    expect(idTokenIssuerFor('https://id.example.com', 'https://other.example.com')).toBe(
      'https://id.example.com'
    )
    expect(
      idTokenIssuerFor(
        `${LOGIN}/${TENANT}/v2.0`,
        `${LOGIN}/11111111-2222-4333-8444-555555555555/v2.0`
      )
    ).toBe(`${LOGIN}/${TENANT}/v2.0`)
  })

  it.each([
    ['common', work, work],
    ['common', personal, personal],
    ['organizations', work, work],
    ['organizations', personal, `${LOGIN}/organizations/v2.0`],
    ['consumers', personal, personal],
    ['consumers', work, `${LOGIN}/consumers/v2.0`],
    ['{tenantid}', work, work]
  ])('with %s, a token from %s is checked against %s', (alias, claimed, expected) => {
    expect(idTokenIssuerFor(`${LOGIN}/${alias}/v2.0`, claimed)).toBe(expected)
  })

  it("accepts only a tenant GUID on Microsoft's own host as the claimed issuer", () => {
    const configured = `${LOGIN}/common/v2.0`
    expect(idTokenIssuerFor(configured, 'https://login.evil.example/' + TENANT + '/v2.0')).toBe(
      configured
    )
    expect(idTokenIssuerFor(configured, `${LOGIN}/contoso.onmicrosoft.com/v2.0`)).toBe(configured)
    expect(idTokenIssuerFor(configured, `${LOGIN}/${TENANT}/`)).toBe(configured)
    expect(idTokenIssuerFor(configured, undefined)).toBe(configured)
    expect(idTokenIssuerFor(configured, 42)).toBe(configured)
  })
})

/**
 * Any provider: interval and expires_in in the device authorization response, each case with a
 * deliberate outcome (RFC 8628 §3.2: expires_in REQUIRED, interval OPTIONAL with 5 s default).
 */
describe('interval and expires_in as providers send them (parseDeviceAuthorization)', () => {
  function parse(fields: Record<string, unknown>) {
    return parseDeviceAuthorization({ ...base, expires_in: 600, ...fields }, endpoint)
  }

  it.each<[string, Record<string, unknown>, number, RegExp | undefined]>([
    ['missing: the default 5 s, silently', {}, DEFAULT_INTERVAL_SECONDS, undefined],
    ['null: as missing', { interval: null }, DEFAULT_INTERVAL_SECONDS, undefined],
    ['a number: taken', { interval: 7 }, 7, undefined],
    ['fractional, at least 1 s: taken', { interval: 2.5 }, 2.5, undefined],
    ['a numeric string: taken', { interval: '7' }, 7, undefined],
    [
      'zero: the default, reported',
      { interval: 0 },
      DEFAULT_INTERVAL_SECONDS,
      /interval \(0\) is not usable/
    ],
    [
      'negative: the default, reported',
      { interval: -5 },
      DEFAULT_INTERVAL_SECONDS,
      /interval \(-5\) is not usable/
    ],
    [
      'under a second: the default, reported',
      { interval: 0.5 },
      DEFAULT_INTERVAL_SECONDS,
      /interval \(0\.5\) is not usable/
    ],
    [
      'garbage text: the default, reported',
      { interval: 'fast' },
      DEFAULT_INTERVAL_SECONDS,
      /interval \("fast"\) is not usable/
    ],
    [
      'a boolean: the default, reported',
      { interval: true },
      DEFAULT_INTERVAL_SECONDS,
      /interval \(boolean\) is not usable/
    ],
    [
      `${SUSPICIOUS_INTERVAL_SECONDS} s: taken, silently`,
      { interval: SUSPICIOUS_INTERVAL_SECONDS },
      SUSPICIOUS_INTERVAL_SECONDS,
      undefined
    ],
    [
      'absurdly long (Keycloak 17: 600 s): honoured, reported',
      { interval: 600 },
      600,
      /poll only every 600 s/
    ]
  ])('interval %s', (_case, fields, seconds, note) => {
    const parsed = parse(fields)
    expect(parsed.intervalSeconds).toBe(seconds)
    if (note) expect(parsed.notes.join('; ')).toMatch(note)
    else expect(parsed.notes).toEqual([])
  })

  it.each<[string, unknown, number]>([
    ['a number: taken', 900, 900],
    ['fractional: taken', 899.5, 899.5],
    ['a numeric string (Entra ID v1): taken', '900', 900]
  ])('expires_in %s', (_case, value, seconds) => {
    const parsed = parse({ expires_in: value })
    expect(parsed.expiresInSeconds).toBe(seconds)
    expect(parsed.notes).toEqual([])
  })

  it.each([undefined, null])(
    'expires_in %p (missing): no expiry, reported; the timeout input bounds the wait',
    (value) => {
      const parsed = parse({ expires_in: value })
      expect(parsed.expiresInSeconds).toBeUndefined()
      expect(parsed.notes.join('; ')).toMatch(/did not say when the code expires/)
    }
  )

  it.each<[string, unknown, RegExp]>([
    ['zero', 0, /expires_in is 0: the code would be expired already/],
    ['negative', -30, /expires_in is -30: the code would be expired already/],
    ['a zero string', '0', /expires_in is 0: the code would be expired already/],
    ['garbage text', 'soon', /expires_in is "soon", not a number of seconds/],
    ['an empty string', '', /expires_in is "", not a number of seconds/],
    ['an object', { seconds: 900 }, /expires_in is object, not a number of seconds/]
  ])('expires_in %s: a clear error naming the field', (_case, value, message) => {
    let error: unknown
    try {
      parse({ expires_in: value })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ProviderResponseError)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).toContain(endpoint.url)
  })
})

describe('isBareRefreshRefusal: a refused refresh token without an OAuth error (Glewlwyd)', () => {
  it('reads 400 and 401 as a refusal, nothing else', () => {
    expect(isBareRefreshRefusal(400)).toBe(true)
    expect(isBareRefreshRefusal(401)).toBe(true)
    for (const status of [undefined, 200, 403, 404, 429, 500, 503]) {
      expect(isBareRefreshRefusal(status)).toBe(false)
    }
  })
})

describe('shouldRetryAssertionAudience: an assertion addressed to the called URL (Glewlwyd)', () => {
  const TOKEN_URL = 'https://id.example.com/token'
  const DEVICE_URL = 'https://id.example.com/device'
  const client = (overrides: Partial<ClientCredentials> = {}): ClientCredentials => ({
    clientId: 'c',
    method: 'private_key_jwt',
    privateKey: 'unused here',
    assertionAudience: TOKEN_URL,
    audienceFallback: { addressToCalledUrl: false },
    ...overrides
  })

  it('retries an authentication failure at an endpoint other than the token endpoint', () => {
    expect(
      shouldRetryAssertionAudience(client(), DEVICE_URL, { error: 'unauthorized_client' })
    ).toBe(true)
    expect(shouldRetryAssertionAudience(client(), DEVICE_URL, { error: 'invalid_client' })).toBe(
      true
    )
  })

  it('does not retry at the token endpoint itself, where both audiences are the same URL', () => {
    expect(shouldRetryAssertionAudience(client(), TOKEN_URL, { error: 'invalid_client' })).toBe(
      false
    )
  })

  it('does not retry other errors, other methods, or once the fallback is in use', () => {
    expect(shouldRetryAssertionAudience(client(), DEVICE_URL, { error: 'invalid_scope' })).toBe(
      false
    )
    expect(
      shouldRetryAssertionAudience(client({ method: 'client_secret_basic' }), DEVICE_URL, {
        error: 'invalid_client'
      })
    ).toBe(false)
    expect(
      shouldRetryAssertionAudience(
        client({ audienceFallback: { addressToCalledUrl: true } }),
        DEVICE_URL,
        { error: 'invalid_client' }
      )
    ).toBe(false)
  })
})

describe('identifyInDeviceRequest: client_id in the device request body (Authlib 1.2, authlib issue 798)', () => {
  it('adds the client_id to a copy of the parameters and leaves the rest as they were', () => {
    const params = new URLSearchParams({ scope: 'openid', resource: 'https://api.example' })
    const identified = identifyInDeviceRequest({ clientId: 'conf-app' }, params)
    expect(identified.toString()).toBe(
      'scope=openid&resource=https%3A%2F%2Fapi.example&client_id=conf-app'
    )
    expect(params.has('client_id')).toBe(false)
  })

  it('replaces a client_id from extra-params with the configured one: one client per request', () => {
    const params = new URLSearchParams({ client_id: 'someone-else' })
    expect(identifyInDeviceRequest({ clientId: 'conf-app' }, params).getAll('client_id')).toEqual([
      'conf-app'
    ])
  })
})
