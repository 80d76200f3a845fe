/**
 * Google's "OAuth 2.0 for TV and Limited-Input Device Applications", replayed through the action:
 * `verification_url` instead of `verification_uri`, the client secret at the token endpoint, and
 * errors with HTTP 428 (pending) and 403 (slow_down, access_denied) instead of 400.
 *
 * Source: https://developers.google.com/identity/protocols/oauth2/limited-input-device
 * (steps 1 to 6: the device request and response, polling, the responses to polling requests,
 * refreshing; "Allowed scopes"). Discovery document:
 * https://accounts.google.com/.well-known/openid-configuration
 */
import { describe, expect, it } from '@jest/globals'
import type { Route } from '../../test-support/fakes.js'
import { flow, gaps, header, inTurn, json, providerKey } from './support.js'

const ISSUER = 'https://accounts.google.com'
const DISCOVERY = `${ISSUER}/.well-known/openid-configuration`
const DEVICE = 'https://oauth2.googleapis.com/device/code'
const TOKEN = 'https://oauth2.googleapis.com/token'
const JWKS = 'https://www.googleapis.com/oauth2/v3/certs'
const USERINFO = 'https://openidconnect.googleapis.com/v1/userinfo'
const CLIENT_ID = '1234567890-tvclient0abcdefghij.apps.googleusercontent.com'
const SECRET = 'GOCSPX-test-secret-value'

// Source: Google's discovery document (the fields the action reads).
const discovery: Route = () =>
  json(200, {
    issuer: ISSUER,
    device_authorization_endpoint: DEVICE,
    token_endpoint: TOKEN,
    userinfo_endpoint: USERINFO,
    jwks_uri: JWKS,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic']
  })
// Source: step 1, "Device authorization response": the URL is named verification_url.
const deviceCode = {
  device_code: 'AH-1Ng2vB7kQe9TzR4mXpWc0sLd8YfUj3Oa6Ih5Gn',
  user_code: 'GQVQ-JKEC',
  verification_url: 'https://www.google.com/device',
  expires_in: 1800,
  interval: 5
}
// Source: step 6 (in the documentation's numbering of the polling responses): pending is HTTP 428
// "Precondition Required", polling too fast and a refusal are HTTP 403 "Forbidden".
const pending = json(428, {
  error: 'authorization_pending',
  error_description: 'Precondition Required'
})
const slowDown = json(403, { error: 'slow_down', error_description: 'Forbidden' })
const denied = json(403, { error: 'access_denied', error_description: 'Forbidden' })

const inputs = {
  'client-id': CLIENT_ID,
  'client-secret': SECRET,
  'client-auth-method': 'client_secret_post',
  issuer: ISSUER,
  scope: 'openid email https://www.googleapis.com/auth/drive.file'
}

/** A run against Google; `token` builds the token endpoint from the "access granted" answer. */
async function google(token: (granted: Route) => Route, extra: Record<string, string> = {}) {
  const key = await providerKey('google-key-1')
  let tokenRoute: Route = () => pending
  const t = flow(
    { ...inputs, ...extra },
    {
      [DISCOVERY]: discovery,
      [DEVICE]: () => json(200, deviceCode),
      [TOKEN]: (request) => tokenRoute(request),
      [JWKS]: key.jwks,
      [USERINFO]: () =>
        json(200, {
          sub: '110248495921238986420',
          email: 'approver@example.com',
          email_verified: true
        })
    }
  )
  // Source: step 6, "Access granted": access_token, expires_in, scope, token_type, refresh_token,
  // and id_token when openid was asked for.
  const granted: Route = async () =>
    json(200, {
      access_token: 'ya29.a0AfB_test-access-token',
      expires_in: 3599,
      refresh_token: '1//0g-test-refresh-token',
      scope:
        'openid https://www.googleapis.com/auth/drive.file https://www.googleapis.com/auth/userinfo.email',
      token_type: 'Bearer',
      id_token: await key.idToken(
        {
          iss: ISSUER,
          aud: CLIENT_ID,
          azp: CLIENT_ID,
          sub: '110248495921238986420',
          email: 'approver@example.com',
          email_verified: true
        },
        t.clock.now()
      )
    })
  tokenRoute = token(granted)
  return t
}

describe('Google (limited-input device flow)', () => {
  it('shows verification_url, polls through 428 and 403 slow_down with the client secret, then outputs verified tokens', async () => {
    const t = await google((granted) => inTurn(pending, slowDown, pending, granted))
    await expect(t.run()).resolves.toBe('approved')

    // The device request carries the client ID and the scopes.
    const [device] = t.to(DEVICE)
    expect(device!.form.get('client_id')).toBe(CLIENT_ID)
    expect(device!.form.get('scope')).toBe(inputs.scope)
    // Source: step 4, "Poll Google's authorization server": client_id, client_secret, device_code, grant_type.
    const polls = t.to(TOKEN)
    expect(polls).toHaveLength(4)
    expect(Object.fromEntries(polls[0]!.form)).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code: deviceCode.device_code,
      client_id: CLIENT_ID,
      client_secret: SECRET
    })
    // 428 is pending, not a failure; 403 slow_down adds 5 s for good.
    const [beforeSlowDown, afterSlowDown, later] = gaps(polls)
    expect(beforeSlowDown).toBeLessThan(10_000)
    expect(afterSlowDown).toBeGreaterThanOrEqual(10_000)
    expect(later).toBeGreaterThanOrEqual(10_000)

    expect(t.runner.text('info')).toContain('Open   https://www.google.com/device')
    expect(t.runner.outputs).toMatchObject({
      'access-token': 'ya29.a0AfB_test-access-token',
      'refresh-token': '1//0g-test-refresh-token',
      'expires-in': '3599',
      'token-type': 'Bearer',
      approver: 'approver@example.com'
    })
    expect(t.runner.outputs['id-token']).toMatch(/^eyJ/)
  })

  it('refreshes with the client secret; Google keeps the refresh token, so it is output unchanged', async () => {
    // Source: "Refreshing an access token (offline access)": the response has no new refresh token.
    const t = await google(
      () => () =>
        json(200, {
          access_token: 'ya29.refreshed-0123456789abcdef',
          expires_in: 3599,
          scope: 'https://www.googleapis.com/auth/drive.file',
          token_type: 'Bearer'
        }),
      {
        'refresh-token': '1//0g-stored-refresh-token',
        scope: 'https://www.googleapis.com/auth/drive.file'
      }
    )
    await expect(t.run()).resolves.toBe('refreshed')
    expect(Object.fromEntries(t.to(TOKEN)[0]!.form)).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: '1//0g-stored-refresh-token',
      client_id: CLIENT_ID,
      client_secret: SECRET
    })
    expect(t.runner.outputs['refresh-token']).toBe('1//0g-stored-refresh-token')
    expect(t.runner.outputs['refresh-token-rotated']).toBe('false')
  })

  it('ends "denied" when the user refuses (HTTP 403 access_denied)', async () => {
    const t = await google(() => inTurn(pending, denied))
    await expect(t.run()).resolves.toBe('denied')
    expect(t.runner.failed).toMatch(/denied/)
    expect(t.to(TOKEN)).toHaveLength(2)
  })

  it('points to the "TVs and Limited Input devices" client type on invalid_client', async () => {
    // Source: step 1 errors: invalid_client when the client type is not the limited-input one.
    const wrongType = flow(inputs, {
      [DISCOVERY]: discovery,
      [DEVICE]: () =>
        json(401, { error: 'invalid_client', error_description: 'Invalid client type.' })
    })
    await expect(wrongType.run()).resolves.toBe('failed')
    expect(wrongType.runner.failed).toContain('"invalid_client" (HTTP 401)')
    expect(wrongType.runner.failed).toContain('TVs and Limited Input devices')
  })

  it('lists where the allowed scopes are on invalid_scope', async () => {
    const t = flow(inputs, {
      [DISCOVERY]: discovery,
      [DEVICE]: () =>
        json(400, {
          error: 'invalid_scope',
          error_description:
            'Invalid device flow scope: https://www.googleapis.com/auth/gmail.readonly'
        })
    })
    await expect(t.run()).resolves.toBe('failed')
    expect(t.runner.failed).toContain('limited-input-device#allowedscopes')
  })

  it('asks for client-secret when Google says the secret is missing at the token endpoint', async () => {
    const t = flow(
      { 'client-id': CLIENT_ID, issuer: ISSUER, scope: 'email' },
      {
        [DISCOVERY]: discovery,
        [DEVICE]: () => json(200, deviceCode),
        [TOKEN]: () =>
          json(400, { error: 'invalid_request', error_description: 'client_secret is missing.' })
      }
    )
    await expect(t.run()).resolves.toBe('failed')
    // A public client sends no secret anywhere, so Google's complaint is explained.
    expect(t.to(TOKEN)[0]!.form.has('client_secret')).toBe(false)
    expect(header(t.to(TOKEN)[0]!, 'authorization')).toBeUndefined()
    expect(t.runner.failed).toContain('set client-secret')
  })

  it('explains org_internal and admin_policy_enforced', async () => {
    for (const [error, expected] of [
      ['org_internal', 'user type Internal'],
      ['admin_policy_enforced', 'Google Workspace administrator']
    ] as const) {
      const t = flow(inputs, { [DISCOVERY]: discovery, [DEVICE]: () => json(403, { error }) })
      await expect(t.run()).resolves.toBe('failed')
      expect(t.runner.failed).toContain(expected)
    }
  })
})
