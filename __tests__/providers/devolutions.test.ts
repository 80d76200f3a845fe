/**
 * Devolutions Server (DVLS): REST API access in a user context through the device authorization
 * flow, replayed through the action as its documentation describes it:
 * 1. GET the server's well-known OpenID configuration, read token_endpoint and
 *    device_authorization_endpoint;
 * 2. POST client_id and scope (form-encoded) to the device authorization endpoint, read
 *    device_code, user_code, verification_uri, verification_uri_complete and expires_in;
 * 3. open verification_uri_complete or show the user code, then poll the token endpoint;
 * 4. later, grant_type=refresh_token with the same client id, `dvls`.
 * The documented sample polls on a fixed 10 s and reads no `interval`; the action honours the
 * server's interval when there is one and RFC 8628's 5 s when there is none (below).
 *
 * Source: https://docs.devolutions.net/server/knowledge-base/how-to-articles/obtain-rest-api-access-in-a-user-context
 * (older copy: https://docs.devolutions.net/server/kb/how-to-articles/obtain-rest-api-access-user-context)
 * The page does not print the well-known URL or the endpoint paths; the action takes the URL whole
 * as discovery-url and the endpoints from the document, so the paths below are placeholders, not
 * claims about DVLS.
 */
import { describe, expect, it } from '@jest/globals'
import { errorAnswer, inTurn, json, provider } from '../../test-support/replay.js'

const DVLS = 'https://dvls.example.com'
const WELL_KNOWN = `${DVLS}/.well-known/openid-configuration`
const DEVICE = `${DVLS}/connect/deviceauthorization`
const TOKEN = `${DVLS}/connect/token`

// Step 2: the fields the documented script reads; it notes that "field names may vary by provider".
// No interval: the documented script does not read one.
const deviceCode = {
  device_code: 'DVLS-7F3A9C1E5B2D4F6A8C0E',
  user_code: 'TPLK-WQRD',
  verification_uri: `${DVLS}/device`,
  verification_uri_complete: `${DVLS}/device?userCode=TPLK-WQRD`,
  expires_in: 300
}
const pending = errorAnswer(400, 'authorization_pending')
const granted = json(200, {
  access_token: 'dvls-access-token-0123456789',
  expires_in: 3600,
  token_type: 'Bearer',
  refresh_token: 'dvls-refresh-token-0123456789',
  scope: 'openid offline_access'
})

const dvls = provider({
  // Step 1: the two endpoints the documented script reads.
  discovery: WELL_KNOWN,
  issuer: DVLS,
  device: DEVICE,
  token: TOKEN,
  deviceCode,
  inputs: { 'client-id': 'dvls', 'discovery-url': WELL_KNOWN, scope: 'openid offline_access' },
  granted: () => granted
})

describe('Devolutions Server', () => {
  it('reads the endpoints from the well-known URL, asks with client id dvls, and polls every 5 s without an interval', async () => {
    const t = await dvls.run((granted) => inTurn(pending, pending, granted))
    await expect(t.run()).resolves.toBe('approved')
    expect(t.exchanges.map((e) => e.url)).toEqual([WELL_KNOWN, DEVICE, TOKEN, TOKEN, TOKEN])
    expect(Object.fromEntries(t.to(DEVICE)[0]!.form)).toEqual({
      client_id: 'dvls',
      scope: 'openid offline_access'
    })
    expect(Object.fromEntries(t.to(TOKEN)[0]!.form)).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code: deviceCode.device_code,
      client_id: 'dvls'
    })
    // RFC 8628 §3.2: no interval means 5 s, not the documented script's fixed 10 s.
    const polls = t.to(TOKEN).map((poll) => poll.atMs - t.startMs)
    expect(polls[0]).toBeGreaterThanOrEqual(5000)
    expect(polls[0]).toBeLessThan(6000)
    expect(polls[1]! - polls[0]!).toBeGreaterThanOrEqual(5000)
    expect(polls[1]! - polls[0]!).toBeLessThan(6000)
    // The link that fills in the code is shown alongside the page and the code.
    expect(t.runner.text('info')).toContain(deviceCode.verification_uri_complete)
    expect(t.runner.outputs).toMatchObject({
      'access-token': 'dvls-access-token-0123456789',
      'refresh-token': 'dvls-refresh-token-0123456789',
      'expires-in': '3600'
    })
  })

  it('honours an interval when the server sends one', async () => {
    const t = dvls.answering({
      [DEVICE]: () => json(200, { ...deviceCode, interval: 10 }),
      [TOKEN]: inTurn(pending, granted)
    })
    await expect(t.run()).resolves.toBe('approved')
    const [first, second] = t.to(TOKEN)
    expect(first!.atMs - t.startMs).toBeGreaterThanOrEqual(10_000)
    expect(second!.atMs - first!.atMs).toBeGreaterThanOrEqual(10_000)
  })

  it('refreshes with grant_type=refresh_token and the same client id', async () => {
    const t = dvls.answering(
      {
        [TOKEN]: () =>
          json(200, {
            access_token: 'dvls-access-refreshed',
            expires_in: 3600,
            token_type: 'Bearer',
            refresh_token: 'dvls-refresh-token-next'
          })
      },
      { ...dvls.inputs, 'refresh-token': 'dvls-refresh-token-stored', scope: '' }
    )
    await t.refreshesWith(TOKEN, {
      grant_type: 'refresh_token',
      refresh_token: 'dvls-refresh-token-stored',
      client_id: 'dvls'
    })
    t.expectStored('dvls-refresh-token-next', 'true')
  })

  it('ends "denied" and "expired" on the RFC 8628 errors, and fails clearly without a device endpoint', async () => {
    await dvls.endsAs('denied', pending, errorAnswer(400, 'access_denied'))

    await dvls.endsAs('expired', pending, errorAnswer(400, 'expired_token'))

    // A server too old for the flow publishes no device_authorization_endpoint.
    const old = dvls.answering({
      [WELL_KNOWN]: () => json(200, { issuer: DVLS, token_endpoint: TOKEN })
    })
    await old.failsSaying('has no device_authorization_endpoint')
  })
})
