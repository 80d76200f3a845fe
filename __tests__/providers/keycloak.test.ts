/**
 * Keycloak's OAuth 2.0 Device Authorization Grant, replayed through the action: the realm in the
 * issuer's path, every error with HTTP 400, the grant switched on per client, and Keycloak 17's
 * 600 s default polling interval (honoured, reported, and still one poll before the code dies).
 *
 * Source (the grant, per-client switch, lifespan and polling interval settings):
 * https://www.keycloak.org/docs/latest/server_admin/#con-oauth2-device-authorization-grant_server_administration_guide
 * Source (error codes, descriptions and statuses): keycloak/keycloak
 * services/src/main/java/org/keycloak/protocol/oidc/grants/device/DeviceGrantType.java and
 * endpoints/DeviceEndpoint.java
 * Source (600 s interval): https://github.com/keycloak/keycloak/issues/12327 (fixed by PR #11893)
 */
import { describe, expect, it } from '@jest/globals'
import type { Route } from '../../test-support/fakes.js'
import { flow, gaps, header, inTurn, json, providerKey } from './support.js'

const HOST = 'https://sso.example.com'
const ISSUER = `${HOST}/realms/ci`
const DISCOVERY = `${ISSUER}/.well-known/openid-configuration`
const OIDC = `${ISSUER}/protocol/openid-connect`
const DEVICE = `${OIDC}/auth/device`
const TOKEN = `${OIDC}/token`
const JWKS = `${OIDC}/certs`
const USERINFO = `${OIDC}/userinfo`

const discovery: Route = () =>
  json(200, {
    issuer: ISSUER,
    device_authorization_endpoint: DEVICE,
    token_endpoint: TOKEN,
    jwks_uri: JWKS,
    userinfo_endpoint: USERINFO,
    token_endpoint_auth_methods_supported: [
      'private_key_jwt',
      'client_secret_basic',
      'client_secret_post',
      'tls_client_auth',
      'client_secret_jwt'
    ]
  })
function deviceCode(interval: number, expiresIn = 600) {
  return {
    device_code: 'kc-device-code-5e2f8a1b-test',
    user_code: 'QBFN-RKXD',
    verification_uri: `${ISSUER}/device`,
    verification_uri_complete: `${ISSUER}/device?user_code=QBFN-RKXD`,
    expires_in: expiresIn,
    interval
  }
}
// Source: DeviceGrantType.java: every answer below is HTTP 400.
const pending = json(400, {
  error: 'authorization_pending',
  error_description: 'The authorization request is still pending'
})
const slowDown = json(400, { error: 'slow_down', error_description: 'Slow down' })
const denied = json(400, {
  error: 'access_denied',
  error_description: 'The end user denied the authorization request'
})
const expired = json(400, { error: 'expired_token', error_description: 'Device code is expired' })

async function keycloak(
  device: ReturnType<typeof deviceCode>,
  token: (granted: Route) => Route,
  inputs: Record<string, string> = {}
) {
  const key = await providerKey('kc-key-1')
  let tokenRoute: Route = () => pending
  const t = flow(
    { 'client-id': 'release-cli', issuer: ISSUER, scope: 'openid offline_access', ...inputs },
    {
      [DISCOVERY]: discovery,
      [DEVICE]: () => json(200, device),
      [TOKEN]: (request) => tokenRoute(request),
      [JWKS]: key.jwks
    }
  )
  const granted: Route = async () =>
    json(200, {
      access_token: 'eyJhbGciOiJSUzI1NiJ9.kc-access-token',
      expires_in: 300,
      refresh_expires_in: 0,
      refresh_token: 'eyJhbGciOiJIUzUxMiJ9.kc-offline-token',
      token_type: 'Bearer',
      id_token: await key.idToken(
        {
          iss: ISSUER,
          aud: 'release-cli',
          azp: 'release-cli',
          sub: 'f3b1c2d4-5e6f-7a8b-9c0d-1e2f3a4b5c6d',
          preferred_username: 'mona'
        },
        t.clock.now()
      ),
      'not-before-policy': 0,
      session_state: '1b2c3d4e-test',
      scope: 'openid offline_access profile email'
    })
  tokenRoute = token(granted)
  return t
}

describe('Keycloak', () => {
  it("discovers the realm's endpoints from the issuer path and runs the flow through pending and slow_down", async () => {
    const t = await keycloak(deviceCode(5), (granted) =>
      inTurn(pending, slowDown, pending, granted)
    )
    await expect(t.run()).resolves.toBe('approved')
    expect(t.exchanges.map((e) => e.url).slice(0, 2)).toEqual([DISCOVERY, DEVICE])
    const polls = t.to(TOKEN)
    expect(polls).toHaveLength(4)
    expect(gaps(polls)[1]).toBeGreaterThanOrEqual(10_000)
    expect(gaps(polls)[2]).toBeGreaterThanOrEqual(10_000)
    expect(t.runner.text('info')).toContain(`${ISSUER}/device?user_code=QBFN-RKXD`)
    expect(t.runner.outputs).toMatchObject({
      'refresh-token': 'eyJhbGciOiJIUzUxMiJ9.kc-offline-token',
      'expires-in': '300',
      approver: 'mona'
    })
  })

  it("honours Keycloak 17's 600 s interval, says so, and still polls once before a 600 s code expires", async () => {
    const t = await keycloak(deviceCode(600, 600), (granted) => granted)
    await expect(t.run()).resolves.toBe('approved')
    expect(t.runner.text('warning')).toContain('poll only every 600 s')
    const [poll] = t.to(TOKEN)
    // Never before the interval would allow... except the one last poll just before expiry.
    expect(poll!.atMs - t.startMs).toBeGreaterThanOrEqual(590_000)
    expect(poll!.atMs - t.startMs).toBeLessThan(600_000)
    expect(t.to(TOKEN)).toHaveLength(1)
  })

  it('honours a 600 s interval with a longer-lived code: polls 600 s apart', async () => {
    const t = await keycloak(deviceCode(600, 1800), (granted) => inTurn(pending, granted))
    await expect(t.run()).resolves.toBe('approved')
    const polls = t.to(TOKEN)
    expect(polls[0]!.atMs - t.startMs).toBeGreaterThanOrEqual(600_000)
    expect(gaps(polls)[0]).toBeGreaterThanOrEqual(600_000)
  })

  it('authenticates a confidential client with HTTP Basic, and refreshes into a new refresh token', async () => {
    const t = await keycloak(
      deviceCode(5),
      () => () =>
        json(200, {
          access_token: 'eyJ.kc-refreshed',
          expires_in: 300,
          refresh_token: 'eyJ.kc-refresh-rotated',
          token_type: 'Bearer',
          scope: 'offline_access'
        }),
      { 'client-secret': 'kc-client-secret', 'refresh-token': 'eyJ.kc-refresh-stored', scope: '' }
    )
    await expect(t.run()).resolves.toBe('refreshed')
    const [refresh] = t.to(TOKEN)
    expect(header(refresh!, 'authorization')).toBe(
      `Basic ${Buffer.from('release-cli:kc-client-secret').toString('base64')}`
    )
    expect(Object.fromEntries(refresh!.form)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'eyJ.kc-refresh-stored'
    })
    expect(t.runner.outputs['refresh-token']).toBe('eyJ.kc-refresh-rotated')
    expect(t.runner.outputs['refresh-token-rotated']).toBe('true')
  })

  it('ends "denied" and "expired" on Keycloak\'s access_denied and expired_token', async () => {
    const refused = await keycloak(deviceCode(5), () => inTurn(pending, denied))
    await expect(refused.run()).resolves.toBe('denied')
    const late = await keycloak(deviceCode(5), () => inTurn(pending, expired))
    await expect(late.run()).resolves.toBe('expired')
  })

  it('says where to switch the grant on when the client may not use it', async () => {
    // Source: DeviceEndpoint.java, the client without the grant switched on.
    const t = flow(
      { 'client-id': 'release-cli', issuer: ISSUER },
      {
        [DISCOVERY]: discovery,
        [DEVICE]: () =>
          json(400, {
            error: 'unauthorized_client',
            error_description:
              'Client is not allowed to initiate OAuth 2.0 Device Authorization Grant. The flow is disabled for the client.'
          })
      }
    )
    await expect(t.run()).resolves.toBe('failed')
    expect(t.runner.failed).toContain('Capability config')
    expect(t.runner.failed).toContain('OAuth 2.0 Device Authorization Grant')
  })

  it('explains a confidential client polling without its secret', async () => {
    const t = await keycloak(
      deviceCode(5),
      () => () =>
        json(401, {
          error: 'unauthorized_client',
          error_description: 'Invalid client or Invalid client credentials'
        })
    )
    await expect(t.run()).resolves.toBe('failed')
    expect(t.runner.failed).toContain('Client authentication on')
    expect(t.runner.failed).toContain('client-secret')
  })
})
