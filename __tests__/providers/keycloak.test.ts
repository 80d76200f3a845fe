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
import { errorAnswer, header, inTurn, json, provider } from '../../test-support/replay.js'

const HOST = 'https://sso.example.com'
const ISSUER = `${HOST}/realms/ci`
const DISCOVERY = `${ISSUER}/.well-known/openid-configuration`
const OIDC = `${ISSUER}/protocol/openid-connect`
const DEVICE = `${OIDC}/auth/device`
const TOKEN = `${OIDC}/token`

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
// Source: DeviceGrantType.java: every error below is HTTP 400.
const keycloakError = (error: string, description: string) => errorAnswer(400, error, description)
const pending = keycloakError('authorization_pending', 'The authorization request is still pending')
const slowDown = keycloakError('slow_down', 'Slow down')
const denied = keycloakError('access_denied', 'The end user denied the authorization request')
const expired = keycloakError('expired_token', 'Device code is expired')

/** A realm whose device authorization response is `device`. */
function keycloak(device: ReturnType<typeof deviceCode>) {
  return provider({
    discovery: DISCOVERY,
    issuer: ISSUER,
    device: DEVICE,
    token: TOKEN,
    jwks: `${OIDC}/certs`,
    keyId: 'kc-key-1',
    userinfo: `${OIDC}/userinfo`,
    authMethods: [
      'private_key_jwt',
      'client_secret_basic',
      'client_secret_post',
      'tls_client_auth',
      'client_secret_jwt'
    ],
    deviceCode: device,
    inputs: { 'client-id': 'release-cli', issuer: ISSUER, scope: 'openid offline_access' },
    granted: async (signIdToken) =>
      json(200, {
        access_token: 'eyJhbGciOiJSUzI1NiJ9.kc-access-token',
        expires_in: 300,
        refresh_expires_in: 0,
        refresh_token: 'eyJhbGciOiJIUzUxMiJ9.kc-offline-token',
        token_type: 'Bearer',
        id_token: await signIdToken({
          iss: ISSUER,
          aud: 'release-cli',
          azp: 'release-cli',
          sub: 'f3b1c2d4-5e6f-7a8b-9c0d-1e2f3a4b5c6d',
          preferred_username: 'mona'
        }),
        'not-before-policy': 0,
        session_state: '1b2c3d4e-test',
        scope: 'openid offline_access profile email'
      })
  })
}

describe('Keycloak', () => {
  it("discovers the realm's endpoints from the issuer path and runs the flow through pending and slow_down", async () => {
    const t = await keycloak(deviceCode(5)).run((granted) =>
      inTurn(pending, slowDown, pending, granted)
    )
    await expect(t.run()).resolves.toBe('approved')
    expect(t.exchanges.map((e) => e.url).slice(0, 2)).toEqual([DISCOVERY, DEVICE])
    const polls = t.to(TOKEN)
    expect(polls).toHaveLength(4)
    t.expectSlowDown(TOKEN)
    expect(t.runner.text('info')).toContain(`${ISSUER}/device?user_code=QBFN-RKXD`)
    expect(t.runner.outputs).toMatchObject({
      'refresh-token': 'eyJhbGciOiJIUzUxMiJ9.kc-offline-token',
      'expires-in': '300',
      approver: 'mona'
    })
  })

  it("honours Keycloak 17's 600 s interval, says so, and still polls once before a 600 s code expires", async () => {
    const t = await keycloak(deviceCode(600, 600)).run((granted) => granted)
    await expect(t.run()).resolves.toBe('approved')
    expect(t.runner.text('warning')).toContain('poll only every 600 s')
    const [poll] = t.to(TOKEN)
    // Never before the interval would allow... except the one last poll just before expiry.
    expect(poll!.atMs - t.startMs).toBeGreaterThanOrEqual(590_000)
    expect(poll!.atMs - t.startMs).toBeLessThan(600_000)
    expect(t.to(TOKEN)).toHaveLength(1)
  })

  it('honours a 600 s interval with a longer-lived code: polls 600 s apart', async () => {
    const t = await keycloak(deviceCode(600, 1800)).run((granted) => inTurn(pending, granted))
    await expect(t.run()).resolves.toBe('approved')
    const polls = t.to(TOKEN)
    expect(polls[0]!.atMs - t.startMs).toBeGreaterThanOrEqual(600_000)
    expect(t.gaps(TOKEN)[0]).toBeGreaterThanOrEqual(600_000)
  })

  it('authenticates a confidential client with HTTP Basic, and refreshes into a new refresh token', async () => {
    const t = await keycloak(deviceCode(5)).run(
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
    await t.refreshesWith(TOKEN, {
      grant_type: 'refresh_token',
      refresh_token: 'eyJ.kc-refresh-stored'
    })
    expect(header(t.to(TOKEN)[0]!, 'authorization')).toBe(
      `Basic ${Buffer.from('release-cli:kc-client-secret').toString('base64')}`
    )
    t.expectStored('eyJ.kc-refresh-rotated', 'true')
  })

  it('ends "denied" and "expired" on Keycloak\'s access_denied and expired_token', async () => {
    await keycloak(deviceCode(5)).endsAs('denied', pending, denied)
    await keycloak(deviceCode(5)).endsAs('expired', pending, expired)
  })

  it('says where to switch the grant on when the client may not use it', async () => {
    // Source: DeviceEndpoint.java, the client without the grant switched on.
    const t = keycloak(deviceCode(5)).answering(
      {
        [DEVICE]: () =>
          errorAnswer(
            400,
            'unauthorized_client',
            'Client is not allowed to initiate OAuth 2.0 Device Authorization Grant. The flow is disabled for the client.'
          )
      },
      { 'client-id': 'release-cli', issuer: ISSUER }
    )
    await t.failsSaying('Capability config', 'OAuth 2.0 Device Authorization Grant')
  })

  it('explains a confidential client polling without its secret', async () => {
    const t = await keycloak(deviceCode(5)).polled(
      errorAnswer(401, 'unauthorized_client', 'Invalid client or Invalid client credentials')
    )
    await t.failsSaying('Client authentication on', 'client-secret')
  })
})
