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
import type { Route } from '../../test-support/fakes.js'
import { flow, gaps, header, inTurn, json, providerKey } from './support.js'

const ISSUER = 'https://example-ci.us.auth0.com/'
const DISCOVERY = 'https://example-ci.us.auth0.com/.well-known/openid-configuration'
const DEVICE = 'https://example-ci.us.auth0.com/oauth/device/code'
const TOKEN = 'https://example-ci.us.auth0.com/oauth/token'
const JWKS = 'https://example-ci.us.auth0.com/.well-known/jwks.json'
const USERINFO = 'https://example-ci.us.auth0.com/userinfo'
const CLIENT_ID = 'wQ3nTy8pLm2Kd7Rv4Xs9Bz1Hc6Fg0Aj'
const AUDIENCE = 'https://api.example.com/deployments'

const discovery: Route = () =>
  json(200, {
    issuer: ISSUER,
    device_authorization_endpoint: DEVICE,
    token_endpoint: TOKEN,
    userinfo_endpoint: USERINFO,
    jwks_uri: JWKS,
    token_endpoint_auth_methods_supported: [
      'client_secret_basic',
      'client_secret_post',
      'private_key_jwt'
    ]
  })
// Source: "Device Code Response".
const deviceCode = {
  device_code: 'Ag_EE7xq2Y9Lm-test-device-code-Kp3z',
  user_code: 'HWZB-QMTX',
  verification_uri: 'https://example-ci.us.auth0.com/activate',
  verification_uri_complete: 'https://example-ci.us.auth0.com/activate?user_code=HWZB-QMTX',
  expires_in: 900,
  interval: 5
}
// Source: the token responses: pending is HTTP 403, polling too fast HTTP 429.
const pending = json(403, {
  error: 'authorization_pending',
  error_description: 'User has yet to authorize device code.'
})
const slowDown = json(429, {
  error: 'slow_down',
  error_description: 'You are polling faster than the specified interval of 5 seconds.'
})
const expired = json(403, {
  error: 'expired_token',
  error_description: 'The device code has expired.'
})
const invalidGrant = json(403, {
  error: 'invalid_grant',
  error_description: 'Invalid or expired device code.'
})

const inputs = {
  'client-id': CLIENT_ID,
  issuer: ISSUER,
  audience: AUDIENCE,
  scope: 'openid profile offline_access deploy:staging'
}

async function auth0(token: (granted: Route) => Route, extra: Record<string, string> = {}) {
  const key = await providerKey('auth0-key-1')
  let tokenRoute: Route = () => pending
  const t = flow(
    { ...inputs, ...extra },
    {
      [DISCOVERY]: discovery,
      [DEVICE]: () => json(200, deviceCode),
      [TOKEN]: (request) => tokenRoute(request),
      [JWKS]: key.jwks
    }
  )
  // Source: the successful token response: access, id and refresh tokens, 86400 s.
  const granted: Route = async () =>
    json(200, {
      access_token: 'eyJhbGciOiJSUzI1NiJ9.test-access-token',
      id_token: await key.idToken(
        {
          iss: ISSUER,
          aud: CLIENT_ID,
          sub: 'github|583231',
          nickname: 'mona',
          email: 'mona@example.com',
          email_verified: true
        },
        t.clock.now()
      ),
      refresh_token: 'v1.MRrT-test-refresh-token',
      scope: 'openid profile offline_access deploy:staging',
      expires_in: 86400,
      token_type: 'Bearer'
    })
  tokenRoute = token(granted)
  return t
}

describe('Auth0', () => {
  it('sends the audience, polls through 403 pending and 429 slow_down, then outputs the tokens', async () => {
    const t = await auth0((granted) => inTurn(pending, slowDown, pending, granted))
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
      device_code: deviceCode.device_code,
      client_id: CLIENT_ID
    })
    // 403 pending is not a failure; 429 slow_down is slow_down (5 s more), not a transient error.
    const [first, afterSlowDown, later] = gaps(polls)
    expect(first).toBeLessThan(10_000)
    expect(afterSlowDown).toBeGreaterThanOrEqual(10_000)
    expect(later).toBeGreaterThanOrEqual(10_000)
    expect(t.runner.text('info')).not.toContain('Trying again')

    expect(t.runner.text('info')).toContain(deviceCode.verification_uri_complete)
    expect(t.runner.outputs).toMatchObject({
      'refresh-token': 'v1.MRrT-test-refresh-token',
      'expires-in': '86400',
      approver: 'mona@example.com'
    })
  })

  it('stops at the one expired_token Auth0 sends, and never polls on into its invalid_grant', async () => {
    const t = await auth0(() => inTurn(pending, expired, invalidGrant))
    await expect(t.run()).resolves.toBe('expired')
    expect(t.to(TOKEN)).toHaveLength(2)
    expect(t.runner.failed).toContain('expired before anyone approved it')
  })

  it("explains an invalid_grant while polling as Auth0's answer after expired_token", async () => {
    const t = await auth0(() => inTurn(pending, invalidGrant))
    await expect(t.run()).resolves.toBe('failed')
    expect(t.runner.failed).toContain('"invalid_grant" (HTTP 403)')
    expect(t.runner.failed).toContain('answers expired_token once and invalid_grant after that')
  })

  it('refreshes with the client ID alone and outputs a rotated refresh token', async () => {
    // Source: "Refresh Tokens" (grant_type, client_id, refresh_token); with rotation on, a new one.
    const t = await auth0(
      () => () =>
        json(200, {
          access_token: 'eyJ.refreshed-0123456789abcdef',
          refresh_token: 'v1.MRrT-rotated-0123456789abcdef',
          expires_in: 86400,
          scope: 'deploy:staging offline_access',
          token_type: 'Bearer'
        }),
      { 'refresh-token': 'v1.MRrT-stored-0123456789abcdef', scope: '' }
    )
    await expect(t.run()).resolves.toBe('refreshed')
    expect(Object.fromEntries(t.to(TOKEN)[0]!.form)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'v1.MRrT-stored-0123456789abcdef',
      client_id: CLIENT_ID
    })
    expect(t.runner.outputs['refresh-token']).toBe('v1.MRrT-rotated-0123456789abcdef')
    expect(t.runner.outputs['refresh-token-rotated']).toBe('true')
  })

  it('explains a reused rotated refresh token: Auth0 revokes the whole family', async () => {
    const t = await auth0(
      () => () =>
        json(403, {
          error: 'invalid_grant',
          error_description: 'Unknown or invalid refresh token.'
        }),
      {
        'refresh-token': 'v1.MRrT-already-used'
      }
    )
    await expect(t.run()).resolves.toBe('failed')
    expect(t.runner.failed).toContain('revokes the whole family')
    expect(t.runner.failed).toContain('on-refresh-failure: device')
  })

  it('ends "denied" on access_denied', async () => {
    const t = await auth0(() =>
      inTurn(
        pending,
        json(403, {
          error: 'access_denied',
          error_description: 'User cancelled the confirmation prompt or consent page.'
        })
      )
    )
    await expect(t.run()).resolves.toBe('denied')
  })

  it('says which switches the application needs on unauthorized_client', async () => {
    const t = flow(inputs, {
      [DISCOVERY]: discovery,
      [DEVICE]: () =>
        json(403, {
          error: 'unauthorized_client',
          error_description:
            "Grant type 'urn:ietf:params:oauth:grant-type:device_code' not allowed for the client."
        })
    })
    await expect(t.run()).resolves.toBe('failed')
    expect(t.runner.failed).toContain('unauthorized_client')
    expect(t.runner.failed).toContain('Native')
    expect(t.runner.failed).toContain('Device Code')
    expect(t.runner.failed).toContain('Token Endpoint Authentication Method None')
  })

  it('says the audience must be an API identifier when Auth0 does not know it', async () => {
    const t = flow(inputs, {
      [DISCOVERY]: discovery,
      [DEVICE]: () =>
        json(403, { error: 'access_denied', error_description: `Service not found: ${AUDIENCE}` })
    })
    await expect(t.run()).resolves.toBe('failed')
    expect(t.runner.failed).toContain('Identifier of an API')
  })
})
