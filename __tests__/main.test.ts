import { describe, expect, it } from '@jest/globals'
import type { HttpRequest } from '../src/oauth/http.js'
import { json, type Route } from '../test-support/fakes.js'
import {
  EXAMPLE,
  errorAnswer,
  exampleDeviceCode,
  exampleDiscovery,
  flow
} from '../test-support/replay.js'

const { issuer: ISSUER, discovery: DISCOVERY, device: DEVICE, token: TOKEN } = EXAMPLE

const discovery = exampleDiscovery()
const deviceCode = exampleDeviceCode({
  verification_uri_complete: `${ISSUER}/device?user_code=WDJB-MJHT`
})
const issued = {
  access_token: 'at-secret-456-0123456789abcdef',
  token_type: 'Bearer',
  expires_in: 3600,
  refresh_token: 'rt-secret-789-0123456789abcdef',
  id_token: 'eyJ.idtoken.secret',
  scope: 'openid profile'
}

/** The token endpoint answers pending `pendingPolls` times, then with tokens. */
function tokenEndpoint(pendingPolls: number, answer: Route = () => json(200, issued)): Route {
  let polls = 0
  return (request) => {
    polls++
    return polls <= pendingPolls ? json(400, { error: 'authorization_pending' }) : answer(request)
  }
}

/** A run of the action for client release-bot at the example provider. */
function setup(inputs: Record<string, string>, routes: Record<string, Route>) {
  return flow({ 'client-id': 'release-bot', issuer: ISSUER, ...inputs }, routes)
}

function formOf(request: HttpRequest | undefined): URLSearchParams {
  return new URLSearchParams(request?.body ?? '')
}

describe('run: the device flow end to end (in memory)', () => {
  it('shows the code, waits for approval and sets masked outputs', async () => {
    const t = setup(
      { scope: 'openid profile' },
      { [DISCOVERY]: discovery, [DEVICE]: deviceCode, [TOKEN]: tokenEndpoint(3) }
    )
    await expect(t.run()).resolves.toBe('approved')
    expect(t.runner.failed).toBeUndefined()
    expect(t.runner.outputs).toEqual({
      'access-token': 'at-secret-456-0123456789abcdef',
      'refresh-token': 'rt-secret-789-0123456789abcdef',
      // A first run: the new refresh token must be stored.
      'refresh-token-rotated': 'true',
      'token-type': 'Bearer',
      'expires-in': '3600',
      'expires-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      scope: 'openid profile'
    })
    const log = t.runner.text('info')
    expect(log).toContain(`${ISSUER}/device`)
    expect(log).toContain('WDJB-MJHT')
    expect(log).toContain(`${ISSUER}/device?user_code=WDJB-MJHT`)
    expect(log).toContain('release-bot')
    expect(log).toContain('octo/release')
    const notice = t.runner.logs.find((entry) => entry.level === 'notice')
    expect(notice?.title).toContain('WDJB-MJHT')
    expect(t.runner.summary).toContain('<h2>✅ Approved')
    expect(t.runner.summary).toContain('WDJB-MJHT')
  })

  it('withholds an ID token it cannot verify (no jwks_uri known), and says why', async () => {
    const t = setup({}, { [DISCOVERY]: discovery, [DEVICE]: deviceCode, [TOKEN]: tokenEndpoint(0) })
    await expect(t.run()).resolves.toBe('approved')
    expect(t.runner.outputs['id-token']).toBeUndefined()
    expect(t.runner.text('warning')).toMatch(/cannot verify it/)
    expect(t.runner.text('notice')).toMatch(/who approved is not recorded/)
  })

  it('masks the device code and every token before anything can print or output them', async () => {
    const t = setup({}, { [DISCOVERY]: discovery, [DEVICE]: deviceCode, [TOKEN]: tokenEndpoint(1) })
    await t.run()
    for (const secret of [
      'dc-secret-123-0123456789abcdef',
      'at-secret-456-0123456789abcdef',
      'rt-secret-789-0123456789abcdef',
      'eyJ.idtoken.secret'
    ]) {
      expect(t.runner.secrets).toContain(secret)
      const masked = t.runner.events.indexOf(`mask:${secret}`)
      const firstUse = t.runner.events.findIndex(
        (event) => event.startsWith('output:') && event.endsWith(`=${secret}`)
      )
      if (firstUse >= 0) expect(masked).toBeLessThan(firstUse)
      // Never in a log line, the summary or a failure message.
      expect(t.runner.text()).not.toContain(secret)
      expect(t.runner.summary).not.toContain(secret)
    }
  })

  it('sends the device code grant with the client id (RFC 8628 §3.4)', async () => {
    const t = setup(
      { scope: 'openid' },
      { [DISCOVERY]: discovery, [DEVICE]: deviceCode, [TOKEN]: tokenEndpoint(0) }
    )
    await t.run()
    const deviceRequest = t.http.requests.find((r) => r.url === DEVICE)
    expect(formOf(deviceRequest).get('client_id')).toBe('release-bot')
    expect(formOf(deviceRequest).get('scope')).toBe('openid')
    const poll = t.http.requests.find((r) => r.url === TOKEN)
    expect(Object.fromEntries(formOf(poll))).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code: 'dc-secret-123-0123456789abcdef',
      client_id: 'release-bot'
    })
  })

  it('makes no discovery request when both endpoints are given', async () => {
    const t = setup(
      { issuer: '', 'device-authorization-endpoint': DEVICE, 'token-endpoint': TOKEN },
      { [DEVICE]: deviceCode, [TOKEN]: tokenEndpoint(0) }
    )
    await expect(t.run()).resolves.toBe('approved')
    expect(t.http.requests.map((r) => r.url)).toEqual([DEVICE, TOKEN])
  })

  it('records a denial in the log and the summary', async () => {
    const t = setup(
      {},
      {
        [DISCOVERY]: discovery,
        [DEVICE]: deviceCode,
        [TOKEN]: tokenEndpoint(2, () => json(400, { error: 'access_denied' }))
      }
    )
    await expect(t.run()).resolves.toBe('denied')
    expect(t.runner.failed).toMatch(/denied/)
    expect(t.runner.summary).toContain('<h2>🚫 Denied')
    // The client is named once: in the request section, which the outcome follows.
    expect(
      t.runner.summary.match(/<th align="left">Client<\/th><td><code>release-bot<\/code>/g)
    ).toHaveLength(1)
    expect(t.runner.outputs).toEqual({})
  })

  it('stops at the timeout input and says so', async () => {
    const t = setup(
      { timeout: '2m' },
      { [DISCOVERY]: discovery, [DEVICE]: deviceCode, [TOKEN]: tokenEndpoint(1000) }
    )
    await expect(t.run()).resolves.toBe('timed-out')
    expect(t.runner.failed).toMatch(/timeout/)
    expect(t.runner.summary).toContain('Timed out')
    const polls = t.http.requests.filter((r) => r.url === TOKEN).length
    expect(polls).toBeGreaterThan(15)
    expect(polls).toBeLessThanOrEqual(24)
  })

  it('reminds the person about once a minute while waiting', async () => {
    const t = setup(
      {},
      { [DISCOVERY]: discovery, [DEVICE]: deviceCode, [TOKEN]: tokenEndpoint(1000) }
    )
    await expect(t.run()).resolves.toBe('expired')
    const reminders = t.runner.logs.filter((entry) =>
      entry.message.startsWith('Still waiting for approval')
    )
    expect(reminders.length).toBeGreaterThanOrEqual(8)
    expect(reminders.length).toBeLessThanOrEqual(10)
    expect(reminders[0]?.message).toContain('WDJB-MJHT')
    expect(reminders[0]?.message).toMatch(/min .*left/)
    expect(t.runner.summary).toContain('Expired')
  })

  it('records a cancellation when the signal aborts mid-wait', async () => {
    const t = setup(
      {},
      {
        [DISCOVERY]: discovery,
        [DEVICE]: deviceCode,
        [TOKEN]: (r) => {
          t.controller.abort()
          return tokenEndpoint(1000)(r)
        }
      }
    )
    await expect(t.run()).resolves.toBe('cancelled')
    expect(t.runner.summary).toContain('Cancelled')
    expect(t.http.requests.filter((r) => r.url === TOKEN)).toHaveLength(1)
  })

  it('names the client in the outcome when no code was shown (a failure before the prompt)', async () => {
    const t = setup(
      {},
      { [DISCOVERY]: discovery, [DEVICE]: () => json(400, { error: 'invalid_client' }) }
    )
    await expect(t.run()).resolves.toBe('failed')
    expect(t.runner.summary).toMatch(
      /<h2>❌ Failed[\s\S]*<th align="left">Client<\/th><td><code>release-bot<\/code>/
    )
  })

  it('fails with the input named when client-id is missing, before any request', async () => {
    const t = setup({ 'client-id': '' }, {})
    await expect(t.run()).resolves.toBe('failed')
    expect(t.runner.failed).toMatch(/^Input 'client-id': is required/)
    expect(t.http.requests).toHaveLength(0)
  })

  it('reports a provider answering HTML instead of a device code', async () => {
    const t = setup(
      {},
      {
        [DISCOVERY]: discovery,
        [DEVICE]: () => ({
          status: 200,
          headers: { 'content-type': 'text/html' },
          body: '<html><title>Sign in</title></html>'
        })
      }
    )
    await t.failsSaying('device authorization endpoint', 'HTML page')
    expect(t.runner.failed).not.toMatch(/\n\s+at /) // no stack trace
  })

  it('outputs the requested scope when the token response leaves scope out (RFC 6749 §5.1)', async () => {
    const { scope: _omitted, ...withoutScope } = issued
    const t = setup(
      { scope: 'openid email' },
      {
        [DISCOVERY]: discovery,
        [DEVICE]: deviceCode,
        [TOKEN]: tokenEndpoint(0, () => json(200, withoutScope))
      }
    )
    await expect(t.run()).resolves.toBe('approved')
    expect(t.runner.outputs['scope']).toBe('openid email')
  })

  it('writes no summary when summary is false', async () => {
    const t = setup(
      { summary: 'false' },
      { [DISCOVERY]: discovery, [DEVICE]: deviceCode, [TOKEN]: tokenEndpoint(0) }
    )
    await t.run()
    expect(t.runner.summary).toBe('')
  })

  it('warns about a polling interval the provider set absurdly high, and honours it', async () => {
    const slowDevice: Route = () =>
      json(200, {
        device_code: 'dc-0123456789abcdef',
        user_code: 'ABCD',
        verification_uri: `${ISSUER}/device`,
        expires_in: 900,
        interval: 600
      })
    const t = setup({}, { [DISCOVERY]: discovery, [DEVICE]: slowDevice, [TOKEN]: tokenEndpoint(0) })
    await expect(t.run()).resolves.toBe('approved')
    expect(t.runner.text('warning')).toMatch(/every 600 s/)
    expect(t.clock.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(600_000)
  })
})

describe('run: a sign-in page on another host than the issuer', () => {
  const SLACK = 'https://hooks.slack.com/services/T0/B0/secretsecretsecret'

  async function buttonLabel(verificationUri: string): Promise<string | undefined> {
    const t = setup(
      { scope: 'openid profile', 'notify-webhook': SLACK },
      {
        [DISCOVERY]: discovery,
        [DEVICE]: exampleDeviceCode({ verification_uri: verificationUri }),
        [TOKEN]: tokenEndpoint(1),
        [SLACK]: () => ({ status: 200, headers: {}, body: 'ok' })
      }
    )
    await expect(t.run()).resolves.toBe('approved')
    const first = JSON.parse(t.http.requests.find((r) => r.url === SLACK)?.body ?? '{}') as {
      blocks: Array<{
        type: string
        elements?: Array<{ action_id?: string; text: { text: string } }>
      }>
    }
    const actions = first.blocks.find((block) => block.type === 'actions')
    return actions?.elements?.find((button) => button.action_id === 'open-sign-in')?.text.text
  }

  it('names that host in the button that leads there', async () => {
    expect(await buttonLabel('https://login.other.example/device')).toBe(
      'Open the sign-in page at login.other.example'
    )
  })

  it('keeps the plain label for the issuer’s own host', async () => {
    expect(await buttonLabel(`${ISSUER}/device`)).toBe('Open the sign-in page')
  })
})

describe('run: refresh from a stored refresh token', () => {
  it('trades the refresh token for new tokens without asking anyone', async () => {
    const t = setup(
      { 'refresh-token': 'stored-rt-0123456789abcdef' },
      {
        [DISCOVERY]: discovery,
        [TOKEN]: (request) => {
          expect(Object.fromEntries(formOf(request))).toMatchObject({
            grant_type: 'refresh_token',
            refresh_token: 'stored-rt-0123456789abcdef'
          })
          return json(200, {
            access_token: 'fresh-at-0123456789abcdef',
            token_type: 'Bearer',
            expires_in: 60,
            refresh_token: 'rotated-rt-0123456789abcdef'
          })
        }
      }
    )
    await expect(t.run()).resolves.toBe('refreshed')
    expect(t.runner.outputs['access-token']).toBe('fresh-at-0123456789abcdef')
    t.expectStored('rotated-rt-0123456789abcdef', 'true')
    expect(t.runner.secrets).toEqual(
      expect.arrayContaining([
        'stored-rt-0123456789abcdef',
        'fresh-at-0123456789abcdef',
        'rotated-rt-0123456789abcdef'
      ])
    )
    expect(t.http.requests.some((r) => r.url === DEVICE)).toBe(false)
    expect(t.runner.summary).toContain('Refreshed')
  })

  it('fails on a dead refresh token by default, saying what to do', async () => {
    const t = setup(
      { 'refresh-token': 'dead-rt-0123456789abcdef' },
      {
        [DISCOVERY]: discovery,
        [TOKEN]: () => errorAnswer(400, 'invalid_grant', 'grant request is invalid')
      }
    )
    await t.failsSaying('invalid_grant', 'on-refresh-failure: device')
    expect(t.http.requests.some((r) => r.url === DEVICE)).toBe(false)
  })

  it('falls back to the device flow on a dead refresh token with on-refresh-failure: device', async () => {
    let calls = 0
    const t = setup(
      { 'refresh-token': 'dead-rt-0123456789abcdef', 'on-refresh-failure': 'device' },
      {
        [DISCOVERY]: discovery,
        [DEVICE]: deviceCode,
        [TOKEN]: (request) => {
          calls++
          if (formOf(request).get('grant_type') === 'refresh_token')
            return json(400, { error: 'invalid_grant' })
          return calls < 3 ? json(400, { error: 'authorization_pending' }) : json(200, issued)
        }
      }
    )
    await expect(t.run()).resolves.toBe('approved')
    expect(t.runner.text('warning')).toMatch(/Starting the device flow instead/)
    expect(t.runner.outputs['access-token']).toBe('at-secret-456-0123456789abcdef')
  })

  it('does not fall back to the device flow for errors other than a dead token', async () => {
    const t = setup(
      { 'refresh-token': 'rt-0123456789abcdef', 'on-refresh-failure': 'device' },
      {
        [DISCOVERY]: discovery,
        [TOKEN]: () => json(401, { error: 'invalid_client' })
      }
    )
    await t.failsSaying('invalid_client')
    expect(t.http.requests.some((r) => r.url === DEVICE)).toBe(false)
  })
})
