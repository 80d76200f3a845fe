/**
 * Auth0's Device Authorization Flow, replayed through the action: `audience`, pending with HTTP
 * 403, slow_down with HTTP 429, `expired_token` exactly once and `invalid_grant` after it, and
 * refresh tokens only with `offline_access`.
 *
 * Source (device code request and response, token request, the error responses and statuses):
 * https://auth0.com/docs/api/authentication/device-authorization-flow/authorize-device
 * Source (the expired_token note, refresh, limitations: Native apps, auth method None):
 * https://auth0.com/docs/get-started/authentication-and-authorization-flow/device-authorization-flow/call-your-api-using-the-device-authorization-flow
 * Source (discovery document, issuer with a trailing slash): https://{tenant}.auth0.com/.well-known/openid-configuration
 */
import { describe, expect, it } from '@jest/globals'
import { errorAnswer, header, inTurn, json, provider } from '../../test-support/replay.js'

const ISSUER = 'https://example-ci.us.auth0.com/'
const DISCOVERY = 'https://example-ci.us.auth0.com/.well-known/openid-configuration'
const DEVICE = 'https://example-ci.us.auth0.com/oauth/device/code'
const TOKEN = 'https://example-ci.us.auth0.com/oauth/token'

// Source: the token responses: pending is HTTP 403, polling too fast HTTP 429.
const pending = errorAnswer(403, 'authorization_pending', 'User has yet to authorize device code.')
const slowDown = errorAnswer(
  429,
  'slow_down',
  'You are polling faster than the specified interval of 5 seconds.'
)
const expired = errorAnswer(403, 'expired_token', 'The device code has expired.')
const invalidGrant = errorAnswer(403, 'invalid_grant', 'Invalid or expired device code.')
const denied = errorAnswer(
  403,
  'access_denied',
  'User cancelled the confirmation prompt or consent page.'
)

// The workflow's client (a Native application) and the API it asks a token for.
const CLIENT_ID = 'wQ3nTy8pLm2Kd7Rv4Xs9Bz1Hc6Fg0Aj'
const AUDIENCE = 'https://api.example.com/deployments'

const auth0 = provider({
  discovery: DISCOVERY,
  issuer: ISSUER,
  device: DEVICE,
  token: TOKEN,
  jwks: 'https://example-ci.us.auth0.com/.well-known/jwks.json',
  keyId: 'auth0-key-1',
  userinfo: 'https://example-ci.us.auth0.com/userinfo',
  authMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
  // Source: "Device Code Response".
  deviceCode: {
    device_code: 'Ag_EE7xq2Y9Lm-test-device-code-Kp3z',
    user_code: 'HWZB-QMTX',
    verification_uri: 'https://example-ci.us.auth0.com/activate',
    verification_uri_complete: 'https://example-ci.us.auth0.com/activate?user_code=HWZB-QMTX',
    expires_in: 900,
    interval: 5
  },
  inputs: {
    'client-id': CLIENT_ID,
    issuer: ISSUER,
    audience: AUDIENCE,
    scope: 'openid profile offline_access deploy:staging'
  },
  // Source: the successful token response: access, id and refresh tokens, 86400 s.
  granted: async (signIdToken) =>
    json(200, {
      access_token: 'eyJhbGciOiJSUzI1NiJ9.test-access-token',
      id_token: await signIdToken({
        iss: ISSUER,
        aud: CLIENT_ID,
        sub: 'github|583231',
        nickname: 'mona',
        email: 'mona@example.com'
      }),
      refresh_token: 'v1.MRrT-test-refresh-token',
      scope: 'openid profile offline_access deploy:staging',
      expires_in: 86400,
      token_type: 'Bearer'
    })
})

describe('Auth0', () => {
  it('sends the audience, polls through 403 pending and 429 slow_down, then outputs the tokens', async () => {
    const t = await auth0.run((granted) => inTurn(pending, slowDown, pending, granted))
    await expect(t.run()).resolves.toBe('approved')

    // The issuer keeps Auth0's trailing slash; discovery goes to the host's well-known path.
    expect(t.exchanges[0]!.url).toBe(DISCOVERY)
    const [device] = t.to(DEVICE)
    expect(Object.fromEntries(device!.form)).toEqual({
      client_id: CLIENT_ID,
      scope: 'openid profile offline_access deploy:staging',
      audience: AUDIENCE
    })
    // A Native app with Token Endpoint Authentication Method None: no secret, no Basic header.
    expect(header(device!, 'authorization')).toBeUndefined()
    const polls = t.to(TOKEN)
    expect(Object.fromEntries(polls[0]!.form)).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code: auth0.deviceCode.device_code,
      client_id: CLIENT_ID
    })
    // 403 pending is not a failure; 429 slow_down is slow_down (5 s more), not a transient error.
    expect(t.gaps(TOKEN)[0]).toBeLessThan(10_000)
    t.expectSlowDown(TOKEN)
    expect(t.runner.text('info')).not.toContain('Trying again')

    expect(t.runner.text('info')).toContain(auth0.deviceCode.verification_uri_complete)
    expect(t.runner.outputs).toMatchObject({
      'refresh-token': 'v1.MRrT-test-refresh-token',
      'expires-in': '86400',
      approver: 'mona@example.com'
    })
  })

  it('stops at the one expired_token Auth0 sends, and never polls on into its invalid_grant', async () => {
    const t = await auth0.endsAs('expired', pending, expired, invalidGrant)
    expect(t.to(TOKEN)).toHaveLength(2)
    expect(t.runner.failed).toContain('expired before anyone approved it')
  })

  it("explains an invalid_grant while polling as Auth0's answer after expired_token", async () => {
    const t = await auth0.polled(pending, invalidGrant)
    await t.failsSaying(
      '"invalid_grant" (HTTP 403)',
      'answers expired_token once and invalid_grant after that'
    )
  })

  it('refreshes with the client ID alone and outputs a rotated refresh token', async () => {
    // Source: "Refresh Tokens" (grant_type, client_id, refresh_token); with rotation on, a new one.
    const t = await auth0.run(
      () => () =>
        json(200, {
          access_token: 'eyJ.refreshed',
          refresh_token: 'v1.MRrT-rotated',
          expires_in: 86400,
          scope: 'deploy:staging offline_access',
          token_type: 'Bearer'
        }),
      { 'refresh-token': 'v1.MRrT-stored', scope: '' }
    )
    await t.refreshesWith(TOKEN, {
      grant_type: 'refresh_token',
      refresh_token: 'v1.MRrT-stored',
      client_id: CLIENT_ID
    })
    t.expectStored('v1.MRrT-rotated', 'true')
  })

  it('explains a reused rotated refresh token: Auth0 revokes the whole family', async () => {
    const t = await auth0.run(
      () => () => errorAnswer(403, 'invalid_grant', 'Unknown or invalid refresh token.'),
      { 'refresh-token': 'v1.MRrT-already-used' }
    )
    await t.failsSaying('revokes the whole family', 'on-refresh-failure: device')
  })

  it('ends "denied" on access_denied', async () => {
    await auth0.endsAs('denied', pending, denied)
  })

  it('says which switches the application needs on unauthorized_client', async () => {
    const t = auth0.answering({
      [DEVICE]: () =>
        errorAnswer(
          403,
          'unauthorized_client',
          "Grant type 'urn:ietf:params:oauth:grant-type:device_code' not allowed for the client."
        )
    })
    await t.failsSaying(
      'unauthorized_client',
      'Native',
      'Device Code',
      'Token Endpoint Authentication Method None'
    )
  })

  it('says the audience must be an API identifier when Auth0 does not know it', async () => {
    const t = auth0.answering({
      [DEVICE]: () => errorAnswer(403, 'access_denied', `Service not found: ${AUDIENCE}`)
    })
    await t.failsSaying('Identifier of an API')
  })
})
