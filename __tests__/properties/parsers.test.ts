import { describe, expect, it } from '@jest/globals'
import { safeText } from '../../src/safe-text.js'
import fc from 'fast-check'
import { ProviderResponseError } from '../../src/errors.js'
import { parseDeviceAuthorization, type DeviceAuthorization } from '../../src/oauth/device.js'
import { readDiscoveryDocument, type EndpointInputs } from '../../src/oauth/endpoints.js'
import { parseTokenResponse } from '../../src/oauth/token.js'
import { checkSecureUrl } from '../../src/oauth/url-policy.js'
import { publishTokens } from '../../src/flow/outputs.js'
import { promptLines } from '../../src/present/prompt.js'
import type { PromptContext } from '../../src/flow/events.js'
import { outcomeSection, requestSection } from '../../src/present/summary.js'
import { RecordingRunner } from '../../test-support/fakes.js'
import { CONTROL, hostileString, hostileValue, outcomeOf } from '../../test-support/properties.js'

/**
 * The three parsers of provider answers, on arbitrary JSON objects and on objects close to the
 * valid shape: each returns a value whose every field is safe to use, or a ProviderResponseError.
 * A value they accept must also survive what the action does with it next (the prompt, the
 * summary, the outputs), which is where a RangeError from an absurd number would surface.
 */
const NOW = Date.UTC(2026, 10, 24, 10, 0, 0)
const deviceEndpoint = {
  name: 'device authorization endpoint',
  url: 'https://id.example.com/device/code'
}
const tokenEndpoint = { name: 'token endpoint', url: 'https://id.example.com/token' }

const httpsUrl = fc
  .webUrl({ validSchemes: ['https'], withQueryParameters: true })
  .filter((u) => u.length <= 2048)
const urlish = fc.oneof(
  httpsUrl,
  fc.webUrl({
    validSchemes: ['http', 'https', 'ftp'],
    withFragments: true,
    withQueryParameters: true
  }),
  fc.constantFrom(
    'http://127.0.0.1:8080/device',
    'http://localhost/device',
    'http://evil.example/device',
    'javascript:alert(1)',
    'https://user:pw@id.example.com/device',
    'https://id.example.com/device#frag',
    '/device',
    'https://'
  ),
  hostileValue
)
const seconds = fc.oneof(
  fc.integer({ min: -10, max: 100_000 }),
  fc.double(),
  fc.integer().map(String),
  fc.constantFrom(1e12, 1e15, 1e300, '99999999999999999999', 2 ** 63),
  hostileValue
)

/** Arbitrary objects, and objects with the device response's members set to odd values. */
const deviceFields = fc.oneof(
  fc.dictionary(fc.string(), fc.jsonValue()),
  fc.record(
    {
      device_code: fc.oneof(fc.stringMatching(/^[\x20-\x7E]{1,64}$/), hostileValue),
      user_code: fc.oneof(fc.stringMatching(/^[A-Z0-9-]{4,12}$/), hostileValue),
      verification_uri: urlish,
      verification_url: urlish,
      verification_uri_complete: urlish,
      expires_in: seconds,
      interval: seconds,
      message: hostileValue
    },
    { requiredKeys: [] }
  )
)

/** What the action does with an accepted device response: show it in the log and the summary. */
function show(device: DeviceAuthorization): void {
  const deadlineMs = NOW + (device.expiresInSeconds ?? 900) * 1000
  const ctx: PromptContext = {
    device,
    clientId: safeText('release-bot'),
    deadlineMs,
    origin: {}
  }
  promptLines(ctx, NOW)
  requestSection(ctx, NOW)
}

describe('parseDeviceAuthorization on anything', () => {
  it('accepts only fields that are safe to show and use, or throws a ProviderResponseError', () => {
    fc.assert(
      fc.property(deviceFields, (fields) => {
        const outcome = outcomeOf(() => {
          const device = parseDeviceAuthorization(fields, deviceEndpoint)
          show(device)
          return device
        })
        if (!outcome.ok) {
          expect(outcome.error).toBeInstanceOf(ProviderResponseError)
          // Provider text quoted in a failure stays one line of visible characters.
          expect(outcome.error.message).not.toMatch(CONTROL)
          return
        }
        const device = outcome.value
        expect(device.deviceCode).toMatch(/^[\x20-\x7E]{1,4096}$/)
        expect(device.userCode.length).toBeGreaterThan(0)
        expect(device.userCode.length).toBeLessThanOrEqual(64)
        expect(device.userCode).not.toMatch(/[\u0000-\u001F\u007F-\u009F<>`[\]]/)
        expect(checkSecureUrl(device.verificationUri).ok).toBe(true)
        if (device.verificationUriComplete !== undefined)
          expect(checkSecureUrl(device.verificationUriComplete).ok).toBe(true)
        if (device.expiresInSeconds !== undefined) {
          expect(Number.isFinite(device.expiresInSeconds) && device.expiresInSeconds > 0).toBe(true)
        }
        expect(Number.isFinite(device.intervalSeconds) && device.intervalSeconds >= 1).toBe(true)
        if (device.message !== undefined) {
          expect(device.message).not.toMatch(CONTROL)
          expect(device.message.length).toBeLessThanOrEqual(500)
        }
        for (const note of device.notes) expect(note).not.toMatch(CONTROL)
      }),
      { numRuns: 2000 }
    )
  })

  it('round-trips a valid response: what was sent is what is used', () => {
    const valid = fc.record({
      device_code: fc.stringMatching(/^[\x21-\x7E]{16,200}$/),
      user_code: fc.stringMatching(/^[A-Za-z0-9 -]{0,10}[A-Za-z0-9]{4}$/),
      verification_uri: httpsUrl,
      // On the same site as verification_uri: one elsewhere is not shown (a phishing link).
      complete_path: fc.option(fc.stringMatching(/^[a-z0-9]{1,10}$/), { nil: undefined }),
      expires_in: fc.integer({ min: 1, max: 86_400 }),
      interval: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
      numbersAsStrings: fc.boolean()
    })
    fc.assert(
      fc.property(valid, ({ numbersAsStrings, complete_path, ...fields }) => {
        const sent = {
          ...fields,
          verification_uri_complete:
            complete_path && `${new URL(fields.verification_uri).origin}/c/${complete_path}`
        }
        const asSent = (n: number | undefined) =>
          n === undefined ? undefined : numbersAsStrings ? String(n) : n
        const wire = JSON.parse(
          JSON.stringify({
            ...sent,
            expires_in: asSent(sent.expires_in),
            interval: asSent(sent.interval)
          })
        ) as Record<string, unknown>
        const device = parseDeviceAuthorization(wire, deviceEndpoint)
        expect(device).toEqual({
          deviceCode: sent.device_code,
          userCode: sent.user_code.trim(),
          verificationUri: new URL(sent.verification_uri).href,
          ...(sent.verification_uri_complete && {
            verificationUriComplete: new URL(sent.verification_uri_complete).href
          }),
          expiresInSeconds: sent.expires_in,
          intervalSeconds: sent.interval ?? 5,
          notes: []
        })
      }),
      { numRuns: 500 }
    )
  })
})

const tokenFields = fc.oneof(
  fc.dictionary(fc.string(), fc.jsonValue()),
  fc.record(
    {
      access_token: fc.oneof(fc.stringMatching(/^[\x21-\x7E]{1,80}$/), hostileValue),
      token_type: fc.oneof(fc.constantFrom('Bearer', 'bearer', 'DPoP'), hostileValue),
      refresh_token: fc.oneof(fc.stringMatching(/^[\x21-\x7E]{1,80}$/), hostileValue),
      id_token: fc.oneof(
        fc.stringMatching(/^[\w-]{4,20}\.[\w-]{4,20}\.[\w-]{4,20}$/),
        hostileValue
      ),
      expires_in: seconds,
      refresh_token_expires_in: seconds,
      scope: fc.oneof(fc.constantFrom('openid profile', 'repo,read:org'), hostileValue)
    },
    { requiredKeys: ['access_token'] }
  )
)

describe('parseTokenResponse on anything', () => {
  it('accepts only tokens that are safe to mask and output, or throws a ProviderResponseError', () => {
    fc.assert(
      fc.property(tokenFields, (fields) => {
        const runner = new RecordingRunner()
        const outcome = outcomeOf(() => {
          const tokens = parseTokenResponse(fields, tokenEndpoint)
          publishTokens(runner, tokens, { nowMs: NOW })
          outcomeSection({
            ending: 'approved',
            atMs: NOW,
            ...(tokens.scope && { scope: tokens.scope })
          })
          return tokens
        })
        if (!outcome.ok) {
          expect(outcome.error).toBeInstanceOf(ProviderResponseError)
          // Provider text quoted in a failure stays one line of visible characters.
          expect(outcome.error.message).not.toMatch(CONTROL)
          // The token may be what is wrong; the message must not repeat it.
          const token = fields['access_token']
          if (typeof token === 'string' && token.length >= 8)
            expect(outcome.error.message).not.toContain(token)
          return
        }
        const tokens = outcome.value
        for (const secret of [tokens.accessToken, tokens.refreshToken, tokens.idToken]) {
          // One line of visible ASCII: the runner masks a secret line by line.
          if (secret !== undefined) expect(secret).toMatch(/^[\x21-\x7E]{1,65536}$/)
        }
        for (const text of [tokens.tokenType, tokens.scope])
          if (text !== undefined) expect(text).not.toMatch(CONTROL)
        for (const lifetime of [tokens.expiresInSeconds, tokens.refreshTokenExpiresInSeconds]) {
          if (lifetime !== undefined) expect(Number.isFinite(lifetime) && lifetime > 0).toBe(true)
        }
        if (runner.outputs['expires-at'] !== undefined)
          expect(runner.outputs['expires-at']).toMatch(/^\d{4}-\d\d-\d\dT/)
      }),
      { numRuns: 2000 }
    )
  })
})

const ISSUER = 'https://id.example.com'
const DOC_URL = `${ISSUER}/.well-known/openid-configuration`
const discoveryDocument = fc.oneof(
  fc.dictionary(fc.string(), fc.jsonValue()),
  fc.record(
    {
      issuer: fc.oneof(fc.constant(ISSUER), fc.constant(`${ISSUER}/`), urlish),
      device_authorization_endpoint: urlish,
      token_endpoint: urlish,
      jwks_uri: urlish,
      userinfo_endpoint: urlish,
      revocation_endpoint: urlish,
      token_endpoint_auth_methods_supported: fc.oneof(
        fc.array(
          fc.oneof(fc.constantFrom('client_secret_basic', 'client_secret_post'), hostileValue)
        ),
        hostileValue
      )
    },
    { requiredKeys: [] }
  )
)
const endpointInputs: fc.Arbitrary<EndpointInputs> = fc.record(
  {
    issuer: fc.constantFrom(ISSUER, `${ISSUER}/`, 'https://login.microsoftonline.com/contoso/v2.0'),
    deviceAuthorizationEndpoint: fc.constant(`${ISSUER}/device/code`),
    tokenEndpoint: fc.constant(`${ISSUER}/token`)
  },
  { requiredKeys: [] }
)

describe('readDiscoveryDocument on anything', () => {
  it('returns only secure endpoints, and the issuer asked for, or throws a ProviderResponseError', () => {
    fc.assert(
      fc.property(discoveryDocument, endpointInputs, (document, inputs) => {
        const outcome = outcomeOf(() => readDiscoveryDocument(document, DOC_URL, inputs))
        if (!outcome.ok) {
          expect(outcome.error).toBeInstanceOf(ProviderResponseError)
          // Provider text quoted in a failure stays one line of visible characters.
          expect(outcome.error.message).not.toMatch(CONTROL)
          expect(outcome.error.message).toContain(DOC_URL)
          return
        }
        const metadata = outcome.value
        for (const url of [
          metadata.deviceAuthorizationEndpoint,
          metadata.tokenEndpoint,
          metadata.jwksUri,
          metadata.userinfoEndpoint,
          metadata.revocationEndpoint
        ]) {
          if (url !== undefined) expect(checkSecureUrl(url).ok).toBe(true)
        }
        // OpenID Connect Discovery §4.3: the issuer compared is the one configured.
        if (inputs.issuer) expect(metadata.issuer).toBe(inputs.issuer)
        else expect(metadata.issuer).toBe(document['issuer'])
        if (inputs.deviceAuthorizationEndpoint)
          expect(metadata.deviceAuthorizationEndpoint).toBe(inputs.deviceAuthorizationEndpoint)
        for (const method of metadata.tokenEndpointAuthMethods ?? [])
          expect(typeof method).toBe('string')
      }),
      { numRuns: 2000 }
    )
  })

  it('refuses a document that names another issuer than the one configured (mix-up)', () => {
    fc.assert(
      fc.property(fc.oneof(httpsUrl, hostileString), (published) => {
        fc.pre(published !== ISSUER && published !== '')
        const document = {
          issuer: published,
          device_authorization_endpoint: `${ISSUER}/d`,
          token_endpoint: `${ISSUER}/t`
        }
        const outcome = outcomeOf(() =>
          readDiscoveryDocument(document, DOC_URL, { issuer: ISSUER })
        )
        expect(outcome.ok).toBe(false)
        if (!outcome.ok) expect(outcome.error.message).toMatch(/must be identical/)
      }),
      { numRuns: 500 }
    )
  })
})
