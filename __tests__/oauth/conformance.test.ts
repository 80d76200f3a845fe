/**
 * Client-side requirements of RFC 8628 §3.1–3.5 and RFC 6749 §5.1–5.2 that no other test proves.
 * docs/conformance.md maps every requirement to the test that proves it.
 */
import { explainError } from '../../src/flow/failure.js'
import { describe, expect, it } from '@jest/globals'
import { oauthError } from '../../src/oauth/provider-errors.js'
import { parseTokenResponse } from '../../src/oauth/token.js'
import {
  EXAMPLE,
  errorAnswer,
  exampleDeviceCode,
  exampleDiscovery,
  flow,
  header,
  inTurn,
  json
} from '../../test-support/replay.js'

const { issuer: ISSUER, discovery: DISCOVERY, token: TOKEN } = EXAMPLE
const DEVICE = `${ISSUER}/device_authorization`
const discovery = exampleDiscovery({ device_authorization_endpoint: DEVICE })
const deviceCode = exampleDeviceCode({
  device_code: 'dc-conformance-0123456789abcdef',
  user_code: 'BDWP-HQPK'
})
const pending = errorAnswer(400, 'authorization_pending')
const endpoint = { name: 'token endpoint', url: TOKEN }

describe('RFC 8628 §3.4: a client with credentials authenticates every token request', () => {
  it('sends HTTP Basic client authentication with each request, never the secret in the body, and client_id only in the device request body', async () => {
    const t = flow(
      { 'client-id': 'ci+client', 'client-secret': 's3cr:et', issuer: ISSUER },
      {
        [DISCOVERY]: discovery,
        [DEVICE]: deviceCode,
        [TOKEN]: inTurn(
          pending,
          pending,
          json(200, { access_token: 'at-0123456789abcdef', token_type: 'Bearer' })
        )
      }
    )
    await expect(t.run()).resolves.toBe('approved')
    // RFC 6749 §2.3.1: both parts form-encoded, then joined and base64-encoded.
    const basic = `Basic ${Buffer.from('ci%2Bclient:s3cr%3Aet').toString('base64')}`
    for (const exchange of [...t.to(DEVICE), ...t.to(TOKEN)]) {
      expect(header(exchange, 'authorization')).toBe(basic)
      expect(exchange.form.has('client_secret')).toBe(false)
    }
    // RFC 6749 §3.2.1 lets an authenticated client name itself too; Authlib 1.2 files the device
    // code under that name (deviations.ts). The polls authenticate as RFC 6749 §2.3.1 has it.
    expect(t.to(DEVICE).map((exchange) => exchange.form.get('client_id'))).toEqual(['ci+client'])
    for (const exchange of t.to(TOKEN)) expect(exchange.form.has('client_id')).toBe(false)
    expect(t.to(TOKEN)).toHaveLength(3)
  })
})

describe('RFC 8628 §3.5 expired_token: a new device authorization waits for the user', () => {
  it('ends the step on expired_token without starting another device authorization by itself', async () => {
    const t = flow(
      { 'client-id': 'ci', issuer: ISSUER },
      {
        [DISCOVERY]: discovery,
        [DEVICE]: deviceCode,
        [TOKEN]: inTurn(pending, errorAnswer(400, 'expired_token'))
      }
    )
    await expect(t.run()).resolves.toBe('expired')
    expect(t.to(DEVICE)).toHaveLength(1)
    expect(t.to(TOKEN)).toHaveLength(2)
    expect(t.runner.failed).toContain('Run the job again')
  })
})

describe('RFC 6749 §5.1: the successful token response', () => {
  it('ignores value names it does not recognize (the client MUST)', () => {
    const tokens = parseTokenResponse(
      {
        access_token: 'at-1-0123456789abcdef',
        token_type: 'Bearer',
        expires_in: 300,
        ext_expires_in: 3599, // Entra ID
        refresh_expires_in: 0, // Keycloak
        'not-before-policy': 0, // Keycloak
        session_state: 'f0e1', // Keycloak
        foo: { nested: true }
      },
      endpoint
    )
    expect(tokens).toEqual({
      accessToken: 'at-1-0123456789abcdef',
      tokenType: 'Bearer',
      expiresInSeconds: 300
    })
  })

  it('makes no assumption about token sizes: takes a 16 KiB access token', () => {
    const large = 'eyJ' + 'A'.repeat(16 * 1024)
    expect(
      parseTokenResponse({ access_token: large, token_type: 'Bearer' }, endpoint).accessToken
    ).toBe(large)
  })

  it('tolerates a missing token_type (REQUIRED): the token is output, token-type is not', async () => {
    const t = flow(
      { 'client-id': 'ci', issuer: ISSUER },
      {
        [DISCOVERY]: discovery,
        [DEVICE]: deviceCode,
        [TOKEN]: () => json(200, { access_token: 'at-no-type-0123456789abcdef' })
      }
    )
    await expect(t.run()).resolves.toBe('approved')
    expect(t.runner.outputs['access-token']).toBe('at-no-type-0123456789abcdef')
    expect(t.runner.outputs['token-type']).toBeUndefined()
  })
})

describe('RFC 6749 §5.2: the error response', () => {
  it('shows error and error_description to the person, on one line, and error_uri only when it is https', () => {
    const withUri = oauthError(
      endpoint,
      400,
      {
        error: 'invalid_grant',
        errorDescription: 'The code\r\nexpired.',
        errorUri: 'https://id.example.com/errors#invalid_grant'
      },
      'device-token'
    )
    expect(withUri.message).toContain('"invalid_grant" (HTTP 400): The code\\r\\nexpired.')
    expect(explainError(withUri)).toContain('More: https://id.example.com/errors#invalid_grant')
    expect(withUri.body).toEqual({
      error: 'invalid_grant',
      errorDescription: 'The code\r\nexpired.',
      errorUri: 'https://id.example.com/errors#invalid_grant'
    })

    const unsafe = oauthError(
      endpoint,
      400,
      { error: 'invalid_grant', errorUri: 'javascript:alert(1)' },
      'device-token'
    )
    expect(explainError(unsafe)).not.toContain('javascript:')
    const relative = oauthError(
      endpoint,
      400,
      { error: 'invalid_grant', errorUri: '/docs/errors' },
      'device-token'
    )
    expect(relative.message).not.toContain('/docs/errors')
  })
})
