/**
 * Okta's Device Authorization grant through its org authorization server and a custom
 * authorization server, replayed through the action. The protocol is RFC 8628's; what differs is
 * the discovery path (the issuer's path) and where the switches are.
 *
 * Source (requests, responses, the pending answer, refresh tokens with offline_access, setup):
 * https://developer.okta.com/docs/guides/device-authorization-grant/main/
 * Source (org vs custom authorization servers and their metadata URLs):
 * https://developer.okta.com/docs/concepts/auth-servers/ and
 * https://developer.okta.com/docs/guides/oie-embedded-common-download-setup-app/android/main/ (issuer formats)
 */
import { describe, expect, it } from '@jest/globals'
import { errorAnswer, flow, inTurn, json, provider } from '../../test-support/replay.js'

const ORG = 'https://dev-4815162.okta.com'
const CLIENT_ID = '0oa1b2c3d4EfGhIjK5d7'

/** The two kinds of Okta authorization server: the org's, and a custom one (default). */
const servers = {
  org: {
    issuer: ORG,
    discovery: `${ORG}/.well-known/openid-configuration`,
    base: `${ORG}/oauth2/v1`
  },
  custom: {
    issuer: `${ORG}/oauth2/default`,
    discovery: `${ORG}/oauth2/default/.well-known/openid-configuration`,
    base: `${ORG}/oauth2/default/v1`
  }
}
type Server = (typeof servers)[keyof typeof servers]

// Source: "Request the device verification code", response example.
const deviceCode = {
  device_code: '7c4d1e2f-9a8b-4c3d-8e7f-6a5b4c3d2e1f',
  user_code: 'WLNQTXRB',
  verification_uri: `${ORG}/activate`,
  expires_in: 600,
  interval: 5
}
// Source: "Request for user access, ID and Refresh tokens", the pending response.
const pending = errorAnswer(
  400,
  'authorization_pending',
  'The device authorization is pending. Please try again later.'
)
// RFC 8628 §3.5 slow_down: Okta's SDKs handle it (okta/okta-mobile-kotlin PR #186).
const slowDown = errorAnswer(400, 'slow_down', 'The client is polling too fast.')

/** One Okta authorization server; a test scripts its token endpoint from the "granted" answer. */
function okta(server: Server) {
  return provider({
    discovery: server.discovery,
    issuer: server.issuer,
    device: `${server.base}/device/authorize`,
    token: `${server.base}/token`,
    jwks: `${server.base}/keys`,
    keyId: 'okta-key-1',
    authMethods: [
      'client_secret_basic',
      'client_secret_post',
      'client_secret_jwt',
      'private_key_jwt',
      'none'
    ],
    deviceCode,
    inputs: {
      'client-id': CLIENT_ID,
      issuer: server.issuer,
      scope: 'openid profile offline_access'
    },
    // Source: the token response after activation.
    granted: async (signIdToken) =>
      json(200, {
        token_type: 'Bearer',
        expires_in: 3600,
        access_token: 'eyJraWQiOiJ0ZXN0.okta-access-token',
        scope: 'offline_access openid profile',
        refresh_token: 'okta-refresh-token-0123456789abcdef',
        id_token: await signIdToken({
          iss: server.issuer,
          aud: CLIENT_ID,
          sub: '00u1a2b3c4D5e6F7g8h9',
          preferred_username: 'approver@example.com'
        })
      })
  })
}

describe('Okta', () => {
  it.each(Object.entries(servers))(
    "finds the %s authorization server at its issuer's path and runs the flow through to verified tokens",
    async (_name, server) => {
      const t = await okta(server).run((granted) => inTurn(pending, slowDown, pending, granted))
      await expect(t.run()).resolves.toBe('approved')
      expect(t.exchanges[0]!.url).toBe(server.discovery)
      expect(Object.fromEntries(t.to(`${server.base}/device/authorize`)[0]!.form)).toEqual({
        client_id: CLIENT_ID,
        scope: 'openid profile offline_access'
      })
      const polls = t.to(`${server.base}/token`)
      expect(polls).toHaveLength(4)
      t.expectSlowDown(`${server.base}/token`)
      expect(t.runner.outputs).toMatchObject({
        'refresh-token': 'okta-refresh-token-0123456789abcdef',
        scope: 'offline_access openid profile',
        approver: 'approver@example.com'
      })
    }
  )

  it('refreshes and outputs the rotated refresh token', async () => {
    const t = await okta(servers.custom).run(
      () => () =>
        json(200, {
          token_type: 'Bearer',
          expires_in: 3600,
          access_token: 'eyJ.okta-refreshed',
          scope: 'offline_access openid profile',
          refresh_token: 'okta-refresh-token-rotated'
        }),
      { 'refresh-token': 'okta-refresh-token-stored' }
    )
    await expect(t.run()).resolves.toBe('refreshed')
    expect(t.to(`${servers.custom.base}/token`)[0]!.form.get('grant_type')).toBe('refresh_token')
    t.expectStored('okta-refresh-token-rotated', 'true')
  })

  it('names the app type, the grant type and the policy rule on unauthorized_client', async () => {
    const server = servers.custom
    const t = flow(
      { 'client-id': CLIENT_ID, issuer: server.issuer },
      {
        [server.discovery]: () =>
          json(200, {
            issuer: server.issuer,
            device_authorization_endpoint: `${server.base}/device/authorize`,
            token_endpoint: `${server.base}/token`
          }),
        [`${server.base}/device/authorize`]: () =>
          errorAnswer(
            400,
            'unauthorized_client',
            'The client is not authorized to use the provided grant type. Configured grant types: [authorization_code].'
          )
      }
    )
    await t.failsSaying('Native (OIDC) app', 'Device Authorization', 'access policy rule')
  })

  it('ends "expired" on expired_token and "denied" on access_denied while polling', async () => {
    await okta(servers.org).endsAs(
      'expired',
      pending,
      errorAnswer(400, 'expired_token', 'The device code has expired.')
    )
    await okta(servers.org).endsAs(
      'denied',
      pending,
      errorAnswer(
        400,
        'access_denied',
        'The resource owner or authorization server denied the request.'
      )
    )
  })
})
