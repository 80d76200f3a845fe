/**
 * Microsoft Entra ID's v2 device code flow, replayed through the action: endpoints under a
 * tenant, a ready-made `message`, no `verification_uri_complete`, numbers that may arrive as
 * strings, AADSTS codes in error_description, and a multi-tenant issuer template.
 *
 * Source (the flow, its parameters, responses and expected errors):
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code
 * Source (AADSTS codes): https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 * Source (numbers as strings, v1 endpoints): https://github.com/MicrosoftDocs/azure-docs/issues/54997
 * Source (discovery, the {tenantid} issuer template):
 * https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration
 */
import { describe, expect, it } from '@jest/globals'
import { errorAnswer, inTurn, json, provider } from '../../test-support/replay.js'

const LOGIN = 'https://login.microsoftonline.com'
const TENANT_ID = '72f988bf-0000-4000-8000-2d7cd011db47'
const CLIENT_ID = '00001111-aaaa-2222-bbbb-3333cccc4444'

/** An Entra tenant (a GUID, or common / organizations / consumers) as the action sees it. */
function tenant(name: string) {
  const issuer = `${LOGIN}/${name}/v2.0`
  return provider({
    discovery: `${issuer}/.well-known/openid-configuration`,
    // The multi-tenant documents publish a template, not the tenant asked for.
    issuer: ['common', 'organizations', 'consumers'].includes(name)
      ? `${LOGIN}/{tenantid}/v2.0`
      : issuer,
    device: `${LOGIN}/${name}/oauth2/v2.0/devicecode`,
    token: `${LOGIN}/${name}/oauth2/v2.0/token`,
    jwks: `${LOGIN}/${name}/discovery/v2.0/keys`,
    keyId: 'entra-key-1',
    authMethods: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    // Source: "Device authorization response" (no verification_uri_complete; a localized message).
    deviceCode: {
      user_code: 'FJ8KQ2ZRT',
      device_code: 'DAQABIQEAAADm9TPAsTlqTUxyRFHsmYxh0z-test-device-code',
      verification_uri: 'https://microsoft.com/devicelogin',
      expires_in: 900,
      interval: 5,
      message:
        'To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FJ8KQ2ZRT to authenticate.'
    },
    inputs: {
      'client-id': CLIENT_ID,
      issuer,
      scope: 'openid profile offline_access User.Read'
    },
    // Source: "Successful authentication response"; the id_token names the approver's own tenant.
    granted: async (signIdToken) =>
      json(200, {
        token_type: 'Bearer',
        scope: 'User.Read profile openid email',
        expires_in: 3599,
        access_token: 'eyJ0eXAiOiJKV1QiLCJub25jZSI6.test-access-token',
        refresh_token: '0.AXoAtest-refresh-token',
        id_token: await signIdToken({
          iss: `${LOGIN}/${TENANT_ID}/v2.0`,
          aud: CLIENT_ID,
          sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
          tid: TENANT_ID,
          preferred_username: 'approver@contoso.example'
        })
      })
  })
}

/** An Entra error body: the AADSTS code leads error_description, with the diagnostics around it. */
function entraError(status: number, error: string, code: number, text: string) {
  return errorAnswer(
    status,
    error,
    `AADSTS${code}: ${text}\r\nTrace ID: 0000aaaa-11bb-cccc-dd22-eeeeee333333\r\nCorrelation ID: aaaa0000-bb11-2222-33cc-444444dddddd\r\nTimestamp: 2026-11-24 10:00:05Z`,
    {
      error_codes: [code],
      timestamp: '2026-11-24 10:00:05Z',
      trace_id: '0000aaaa-11bb-cccc-dd22-eeeeee333333',
      correlation_id: 'aaaa0000-bb11-2222-33cc-444444dddddd',
      error_uri: `${LOGIN}/error?code=${code}`
    }
  )
}
// Source: "Expected errors": authorization_pending (AADSTS70016).
const pending = entraError(
  400,
  'authorization_pending',
  70016,
  'The provided request has not yet been authorized by the user. The user must input their code.'
)

const home = tenant(TENANT_ID)
const organizations = tenant('organizations')

describe('Microsoft Entra ID (v2 endpoints)', () => {
  it("discovers a tenant's endpoints, shows Entra's message, polls and verifies the id_token", async () => {
    const t = await home.run((granted) => inTurn(pending, pending, granted))
    await expect(t.run()).resolves.toBe('approved')
    expect(t.exchanges.map((e) => e.url)).toEqual([
      home.discovery,
      home.device,
      home.token,
      home.token,
      home.token,
      home.jwks
    ])
    expect(Object.fromEntries(t.to(home.device)[0]!.form)).toEqual({
      client_id: CLIENT_ID,
      scope: 'openid profile offline_access User.Read'
    })
    const log = t.runner.text('info')
    expect(log).toContain('https://microsoft.com/devicelogin')
    expect(log).toContain('The provider says: To sign in, use a web browser')
    // No verification_uri_complete: no "link with the code" is made up.
    expect(log).not.toContain('fills in the code')
    expect(t.runner.outputs).toMatchObject({
      'refresh-token': '0.AXoAtest-refresh-token',
      scope: 'User.Read profile openid email',
      approver: 'approver@contoso.example'
    })
  })

  it("accepts the approver's tenant in the id_token with the organizations endpoint (issuer template {tenantid})", async () => {
    const t = await organizations.run((granted) => inTurn(pending, granted))
    await expect(t.run()).resolves.toBe('approved')
    expect(t.runner.failed).toBeUndefined()
    expect(t.to(organizations.token)).toHaveLength(2)
    expect(t.runner.outputs['id-token']).toMatch(/^eyJ/)
    expect(t.runner.outputs.approver).toBe('approver@contoso.example')
  })

  it('takes expires_in and interval sent as strings (as the v1 endpoints send them)', async () => {
    const t = home.answering(
      {
        [home.device]: () => json(200, { ...home.deviceCode, expires_in: '900', interval: '7' }),
        [home.token]: inTurn(
          pending,
          json(200, {
            token_type: 'Bearer',
            expires_in: '3599',
            ext_expires_in: '3599',
            access_token: 'eyJ.string-numbers'
          })
        )
      },
      { 'client-id': CLIENT_ID, issuer: home.inputs.issuer, scope: 'User.Read' }
    )
    await expect(t.run()).resolves.toBe('approved')
    const polls = t.to(home.token)
    expect(polls[0]!.atMs - t.startMs).toBeGreaterThanOrEqual(7000)
    expect(polls[1]!.atMs - polls[0]!.atMs).toBeGreaterThanOrEqual(7000)
    expect(t.runner.outputs['expires-in']).toBe('3599')
    expect(t.runner.text('warning')).not.toContain('interval')
  })

  it('refreshes, and outputs the new refresh token Entra returns', async () => {
    const t = await home.run((granted) => granted, {
      'refresh-token': '0.AXoAstored-refresh-token'
    })
    await t.refreshesWith(home.token, {
      grant_type: 'refresh_token',
      refresh_token: '0.AXoAstored-refresh-token',
      scope: 'openid profile offline_access User.Read',
      client_id: CLIENT_ID
    })
    t.expectStored('0.AXoAtest-refresh-token', 'true')
  })

  describe('AADSTS errors', () => {
    it('shows AADSTS53003 and hints at Conditional Access blocking the device code flow', async () => {
      const t = await home.polled(
        pending,
        entraError(
          400,
          'invalid_grant',
          53003,
          'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.'
        )
      )
      await t.failsSaying('AADSTS53003', 'Conditional Access', 'Entra administrator')
      // The trace IDs stay on one line.
      expect(t.runner.failed).not.toMatch(/[\r\n]/)
    })

    it('says how to allow public client flows on AADSTS7000218', async () => {
      const t = await home.polled(
        entraError(
          401,
          'invalid_client',
          7000218,
          "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."
        )
      )
      await t.failsSaying('AADSTS7000218', 'Allow public client flows')
    })

    it('ends "denied" on authorization_declined, Entra\'s name for a refusal', async () => {
      const refusal = 'AADSTS70000: The user denied the request.'
      await home.endsAs('denied', pending, errorAnswer(400, 'authorization_declined', refusal))
    })

    it('ends "expired" on expired_token (AADSTS70019)', async () => {
      const t = await home.endsAs(
        'expired',
        pending,
        entraError(400, 'expired_token', 70019, 'Verification code expired.')
      )
      expect(t.to(home.token)).toHaveLength(2)
    })

    it('stops on bad_verification_code and says to run the job again', async () => {
      const notRecognized = 'AADSTS70000: The device code was not recognized.'
      const t = await home.polled(errorAnswer(400, 'bad_verification_code', notRecognized))
      await t.failsSaying('bad_verification_code', 'did not recognize the device code')
    })

    it('explains AADSTS50194: a single-tenant app on a multi-tenant endpoint', async () => {
      const t = organizations.answering(
        {
          [organizations.device]: () =>
            entraError(
              400,
              'invalid_request',
              50194,
              "Application 'x' is not configured as a multi-tenant application."
            )
        },
        { 'client-id': CLIENT_ID, issuer: organizations.inputs.issuer }
      )
      await t.failsSaying('put the tenant ID in the issuer')
    })
  })
})
