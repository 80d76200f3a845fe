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
import { errorAnswer, header, inTurn, json, provider } from '../../test-support/replay.js'

const ISSUER = 'https://accounts.google.com'
const DISCOVERY = `${ISSUER}/.well-known/openid-configuration`
const DEVICE = 'https://oauth2.googleapis.com/device/code'
const TOKEN = 'https://oauth2.googleapis.com/token'
const USERINFO = 'https://openidconnect.googleapis.com/v1/userinfo'
const CLIENT_ID = '1234567890-tvclient0abcdefghij.apps.googleusercontent.com'
const SECRET = 'GOCSPX-test-secret-value'

// Source: step 6 (in the documentation's numbering of the polling responses): pending is HTTP 428
// "Precondition Required", polling too fast and a refusal are HTTP 403 "Forbidden".
const pending = errorAnswer(428, 'authorization_pending', 'Precondition Required')
const slowDown = errorAnswer(403, 'slow_down', 'Forbidden')
const denied = errorAnswer(403, 'access_denied', 'Forbidden')

const inputs = {
  'client-id': CLIENT_ID,
  'client-secret': SECRET,
  'client-auth-method': 'client_secret_post',
  issuer: ISSUER,
  scope: 'openid email https://www.googleapis.com/auth/drive.file'
}

/** Google; a test scripts the token endpoint from the "access granted" answer. */
const google = provider({
  // Source: Google's discovery document (the fields the action reads).
  discovery: DISCOVERY,
  issuer: ISSUER,
  device: DEVICE,
  token: TOKEN,
  userinfo: USERINFO,
  jwks: 'https://www.googleapis.com/oauth2/v3/certs',
  keyId: 'google-key-1',
  authMethods: ['client_secret_post', 'client_secret_basic'],
  // Source: step 1, "Device authorization response": the URL is named verification_url.
  deviceCode: {
    device_code: 'AH-1Ng2vB7kQe9TzR4mXpWc0sLd8YfUj3Oa6Ih5Gn',
    user_code: 'GQVQ-JKEC',
    verification_url: 'https://www.google.com/device',
    expires_in: 1800,
    interval: 5
  },
  inputs,
  routes: {
    [USERINFO]: () => json(200, { sub: '110248495921238986420', email: 'approver@example.com' })
  },
  // Source: step 6, "Access granted": access_token, expires_in, scope, token_type, refresh_token,
  // and id_token when openid was asked for.
  granted: async (signIdToken) =>
    json(200, {
      access_token: 'ya29.a0AfB_test-access-token',
      expires_in: 3599,
      refresh_token: '1//0g-test-refresh-token',
      scope:
        'openid https://www.googleapis.com/auth/drive.file https://www.googleapis.com/auth/userinfo.email',
      token_type: 'Bearer',
      id_token: await signIdToken({
        iss: ISSUER,
        aud: CLIENT_ID,
        azp: CLIENT_ID,
        sub: '110248495921238986420',
        email: 'approver@example.com'
      })
    })
})

describe('Google (limited-input device flow)', () => {
  it('shows verification_url, polls through 428 and 403 slow_down with the client secret, then outputs verified tokens', async () => {
    const t = await google.run((granted) => inTurn(pending, slowDown, pending, granted))
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
      device_code: google.deviceCode.device_code,
      client_id: CLIENT_ID,
      client_secret: SECRET
    })
    // 428 is pending, not a failure; 403 slow_down adds 5 s for good.
    expect(t.gaps(TOKEN)[0]).toBeLessThan(10_000)
    t.expectSlowDown(TOKEN)

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
    const t = await google.run(
      () => () =>
        json(200, {
          access_token: 'ya29.refreshed',
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
    t.expectStored('1//0g-stored-refresh-token', 'false')
  })

  it('ends "denied" when the user refuses (HTTP 403 access_denied)', async () => {
    const t = await google.endsAs('denied', pending, denied)
    expect(t.runner.failed).toMatch(/denied/)
    expect(t.to(TOKEN)).toHaveLength(2)
  })

  it('points to the "TVs and Limited Input devices" client type on invalid_client', async () => {
    // Source: step 1 errors: invalid_client when the client type is not the limited-input one.
    const wrongType = google.answering({
      [DEVICE]: () => errorAnswer(401, 'invalid_client', 'Invalid client type.')
    })
    await wrongType.failsSaying('"invalid_client" (HTTP 401)', 'TVs and Limited Input devices')
  })

  it('lists where the allowed scopes are on invalid_scope', async () => {
    const refusal = 'Invalid device flow scope: https://www.googleapis.com/auth/gmail.readonly'
    const t = google.answering({ [DEVICE]: () => errorAnswer(400, 'invalid_scope', refusal) })
    await t.failsSaying('limited-input-device#allowedscopes')
  })

  it('asks for client-secret when Google says the secret is missing at the token endpoint', async () => {
    const t = google.answering(
      {
        [DEVICE]: () => json(200, google.deviceCode),
        [TOKEN]: () => errorAnswer(400, 'invalid_request', 'client_secret is missing.')
      },
      { 'client-id': CLIENT_ID, issuer: ISSUER, scope: 'email' }
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
      const t = google.answering({ [DEVICE]: () => errorAnswer(403, error) })
      await t.failsSaying(expected)
    }
  })
})
