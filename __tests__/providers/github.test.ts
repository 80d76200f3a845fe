/**
 * GitHub's device flow, replayed from its documentation through the whole action.
 *
 * Source (endpoints, parameters, responses, error codes):
 * https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#device-flow
 * Source (GitHub App refresh tokens, rotation, client secret):
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
 */
import { describe, expect, it } from '@jest/globals'
import type { Route } from '../../test-support/fakes.js'
import { ENV, flow, formAnswer, gaps, header, inTurn, json } from './support.js'

const DEVICE = 'https://github.com/login/device/code'
const TOKEN = 'https://github.com/login/oauth/access_token'
const USER = 'https://api.github.com/user'
const DOCS =
  'https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow'

// Source: the device flow, step 1 (JSON form, with Accept: application/json). Values are ours.
const deviceCode = {
  device_code: '9f1c2e7a4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a',
  user_code: 'KQPR-TXWZ',
  verification_uri: 'https://github.com/login/device',
  expires_in: 900,
  interval: 5
}
// Source: the device flow, "Error codes for the device flow"; GitHub answers them with HTTP 200.
const pending = json(200, {
  error: 'authorization_pending',
  error_description: 'The authorization request is still pending.',
  error_uri: DOCS
})
// slow_down carries the new interval ("The error response includes the new interval").
const slowDown = json(200, {
  error: 'slow_down',
  error_description: 'Too many requests have been made in the same timeframe.',
  error_uri: DOCS,
  interval: 10
})
// Source: the device flow, step 3: scopes come back comma-separated.
const granted = json(200, {
  access_token: 'gho_Xw7Kq2Lm9Rt4Vb8Nc1Zd6Yf3Hj5Pg0Sa',
  token_type: 'bearer',
  scope: 'repo,gist'
})
const user: Route = () => json(200, { login: 'mona', id: 583231 })

function deviceFlow(inputs: Record<string, string>, token: Route, env?: Record<string, string>) {
  return flow(
    { provider: 'github', 'client-id': 'Ov23liAbCdEfGh123456', ...inputs },
    { [DEVICE]: () => json(200, deviceCode), [TOKEN]: token, [USER]: user },
    env
  )
}

describe('GitHub (provider: github)', () => {
  it('runs the documented flow: no discovery, JSON asked for, pending and slow_down with HTTP 200, then tokens', async () => {
    const t = deviceFlow({ scope: 'repo gist' }, inTurn(pending, slowDown, pending, granted))
    await expect(t.run()).resolves.toBe('approved')

    expect(t.exchanges.map((e) => e.url)).toEqual([DEVICE, TOKEN, TOKEN, TOKEN, TOKEN, USER])
    const [device] = t.to(DEVICE)
    // Without Accept: application/json, GitHub answers form-encoded.
    expect(header(device!, 'accept')).toBe('application/json')
    expect(Object.fromEntries(device!.form)).toEqual({
      client_id: 'Ov23liAbCdEfGh123456',
      scope: 'repo gist'
    })
    const polls = t.to(TOKEN)
    expect(Object.fromEntries(polls[0]!.form)).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code: deviceCode.device_code,
      client_id: 'Ov23liAbCdEfGh123456'
    })
    // The device flow needs no client secret.
    expect(polls.every((poll) => !poll.form.has('client_secret'))).toBe(true)
    const [, afterSlowDown, next] = gaps(polls)
    expect(gaps(polls)[0]).toBeGreaterThanOrEqual(5000)
    expect(afterSlowDown).toBeGreaterThanOrEqual(10_000) // the interval slow_down sent
    expect(next).toBeGreaterThanOrEqual(10_000) // and for all later polls
  })

  it('outputs the granted scope space-separated, and who approved from the user API', async () => {
    const t = deviceFlow({ scope: 'repo gist' }, inTurn(pending, granted))
    await t.run()
    expect(t.runner.outputs).toMatchObject({
      'access-token': 'gho_Xw7Kq2Lm9Rt4Vb8Nc1Zd6Yf3Hj5Pg0Sa',
      'token-type': 'bearer',
      scope: 'repo gist',
      approver: 'mona',
      'approver-subject': '583231'
    })
    expect(header(t.to(USER)[0]!, 'authorization')).toBe(
      'Bearer gho_Xw7Kq2Lm9Rt4Vb8Nc1Zd6Yf3Hj5Pg0Sa'
    )
    expect(t.runner.text('info')).toContain('https://github.com/login/device')
    expect(t.runner.text('info')).toContain('KQPR-TXWZ')
  })

  it("reads GitHub's default form-encoded answers too", async () => {
    // Source: "By default, the response takes the following form" (form-encoded), steps 1 and 3.
    const t = flow(
      { provider: 'github', 'client-id': 'Ov23liAbCdEfGh123456' },
      {
        [DEVICE]: () => formAnswer(200, { ...deviceCode, expires_in: '900', interval: '5' }),
        [TOKEN]: inTurn(
          formAnswer(200, { error: 'authorization_pending', error_description: 'pending' }),
          formAnswer(200, {
            access_token: 'gho_FormEncoded1234567890',
            token_type: 'bearer',
            scope: 'repo,gist'
          })
        ),
        [USER]: user
      }
    )
    await expect(t.run()).resolves.toBe('approved')
    expect(t.runner.outputs['access-token']).toBe('gho_FormEncoded1234567890')
    expect(t.runner.outputs.scope).toBe('repo gist')
  })

  it("uses GitHub Enterprise Server's paths on the runner's GITHUB_SERVER_URL, and its API under /api/v3", async () => {
    const server = 'https://ghe.example.com'
    const t = flow(
      { provider: 'github', 'client-id': 'Ov23liAbCdEfGh123456' },
      {
        [`${server}/login/device/code`]: () =>
          json(200, { ...deviceCode, verification_uri: `${server}/login/device` }),
        [`${server}/login/oauth/access_token`]: () => granted,
        [`${server}/api/v3/user`]: user
      },
      // A runner always says who started the run; the default policy compares it with the login.
      { ...ENV, GITHUB_SERVER_URL: server }
    )
    await expect(t.run()).resolves.toBe('approved')
    expect(t.exchanges.map((e) => e.url)).toEqual([
      `${server}/login/device/code`,
      `${server}/login/oauth/access_token`,
      `${server}/api/v3/user`
    ])
  })

  describe('GitHub App user tokens: expiring, with a rotating refresh token', () => {
    // Source: "Refreshing a user access token with a refresh token", the response parameters.
    const refreshed = json(200, {
      access_token: 'ghu_NewUserToken0123456789abcdef',
      expires_in: 28800,
      refresh_token: 'ghr_NewRefreshToken0123456789abcdefghijklmnopqrstuvwx',
      refresh_token_expires_in: 15811200,
      scope: '',
      token_type: 'bearer'
    })

    it('refreshes with client_id and client_secret in the form, and outputs the rotated refresh token', async () => {
      const t = flow(
        {
          provider: 'github',
          'client-id': 'Iv23liAppClient00001',
          'client-secret': 'app-client-secret-value',
          'refresh-token': 'ghr_OldRefreshToken'
        },
        { [TOKEN]: () => refreshed, [USER]: user }
      )
      await expect(t.run()).resolves.toBe('refreshed')
      expect(Object.fromEntries(t.to(TOKEN)[0]!.form)).toEqual({
        grant_type: 'refresh_token',
        refresh_token: 'ghr_OldRefreshToken',
        client_id: 'Iv23liAppClient00001',
        client_secret: 'app-client-secret-value'
      })
      expect(t.runner.outputs).toMatchObject({
        'access-token': 'ghu_NewUserToken0123456789abcdef',
        'refresh-token': 'ghr_NewRefreshToken0123456789abcdefghijklmnopqrstuvwx',
        'refresh-token-rotated': 'true',
        'expires-in': '28800',
        'expires-at': '2026-11-24T18:00:00Z',
        'refresh-token-expires-at': '2027-05-26T10:00:00Z'
      })
      // An empty scope (GitHub Apps) is no scope at all.
      expect(t.runner.outputs.scope).toBeUndefined()
      expect(t.runner.secrets).toEqual(
        expect.arrayContaining(['ghr_OldRefreshToken', 'app-client-secret-value'])
      )
    })

    it('refreshes a device-flow token with the client_id alone ("required unless ... the device flow")', async () => {
      const t = flow(
        {
          provider: 'github',
          'client-id': 'Iv23liAppClient00001',
          'refresh-token': 'ghr_OldRefreshToken'
        },
        { [TOKEN]: () => refreshed, [USER]: user }
      )
      await expect(t.run()).resolves.toBe('refreshed')
      expect(Object.fromEntries(t.to(TOKEN)[0]!.form)).toEqual({
        grant_type: 'refresh_token',
        refresh_token: 'ghr_OldRefreshToken',
        client_id: 'Iv23liAppClient00001'
      })
    })

    it('reports bad_refresh_token (sent with HTTP 200) as a dead refresh token, and can fall back to the device flow', async () => {
      const dead = json(200, {
        error: 'bad_refresh_token',
        error_description: 'The refresh token passed is incorrect or expired.',
        error_uri: 'https://docs.github.com'
      })
      const failing = flow(
        { provider: 'github', 'client-id': 'Iv23liAppClient00001', 'refresh-token': 'ghr_Used' },
        { [TOKEN]: () => dead }
      )
      await expect(failing.run()).resolves.toBe('failed')
      expect(failing.runner.failed).toContain('"bad_refresh_token" (HTTP 200)')
      expect(failing.runner.failed).toContain('GitHub rotates it on every refresh')

      const fallback = flow(
        {
          provider: 'github',
          'client-id': 'Iv23liAppClient00001',
          'refresh-token': 'ghr_Used',
          'on-refresh-failure': 'device'
        },
        {
          [DEVICE]: () => json(200, deviceCode),
          [TOKEN]: (request) =>
            new URLSearchParams(request.body).get('grant_type') === 'refresh_token'
              ? dead
              : granted,
          [USER]: user
        }
      )
      await expect(fallback.run()).resolves.toBe('approved')
      expect(fallback.runner.text('warning')).toContain('Starting the device flow instead')
    })
  })

  describe("GitHub's own error codes", () => {
    it.each([200, 400])(
      'says where to enable the device flow on device_flow_disabled (HTTP %i)',
      async (status) => {
        const t = flow(
          { provider: 'github', 'client-id': 'Ov23liAbCdEfGh123456' },
          {
            [DEVICE]: () =>
              json(status, {
                error: 'device_flow_disabled',
                error_description: 'Device Flow must be explicitly enabled for this App',
                error_uri: DOCS
              })
          }
        )
        await expect(t.run()).resolves.toBe('failed')
        expect(t.runner.failed).toContain('device_flow_disabled')
        expect(t.runner.failed).toContain('Developer settings')
        expect(t.runner.failed).toContain('Enable Device Flow')
        expect(t.to(TOKEN)).toHaveLength(0)
      }
    )

    it('explains incorrect_client_credentials: the Client ID, not the App ID', async () => {
      const t = flow(
        { provider: 'github', 'client-id': '123456' },
        {
          [DEVICE]: () =>
            json(200, {
              error: 'incorrect_client_credentials',
              error_description: 'The client_id and/or client_secret passed are incorrect.'
            })
        }
      )
      await expect(t.run()).resolves.toBe('failed')
      expect(t.runner.failed).toContain('incorrect_client_credentials')
      expect(t.runner.failed).toContain('not the App ID')
    })

    it('stops polling on incorrect_device_code and says to run the job again', async () => {
      const t = deviceFlow(
        {},
        inTurn(
          pending,
          json(200, {
            error: 'incorrect_device_code',
            error_description: 'The device_code provided is not valid.'
          })
        )
      )
      await expect(t.run()).resolves.toBe('failed')
      expect(t.to(TOKEN)).toHaveLength(2)
      expect(t.runner.failed).toContain('incorrect_device_code')
      expect(t.runner.failed).toContain('run the job again')
    })

    it('calls unsupported_grant_type while polling a bug in the action', async () => {
      const t = deviceFlow({}, () =>
        json(200, {
          error: 'unsupported_grant_type',
          error_description: 'The grant type must be urn:ietf:params:oauth:grant-type:device_code.'
        })
      )
      await expect(t.run()).resolves.toBe('failed')
      expect(t.runner.failed).toContain('unsupported_grant_type')
      expect(t.runner.failed).toContain('bug in the action')
    })

    it('ends "denied" on access_denied and "expired" on expired_token, both sent with HTTP 200', async () => {
      const denied = deviceFlow(
        {},
        inTurn(
          pending,
          json(200, {
            error: 'access_denied',
            error_description: 'The user has denied your application access.'
          })
        )
      )
      await expect(denied.run()).resolves.toBe('denied')
      const expired = deviceFlow(
        {},
        inTurn(
          pending,
          json(200, { error: 'expired_token', error_description: 'This device_code has expired.' })
        )
      )
      await expect(expired.run()).resolves.toBe('expired')
      expect(expired.to(TOKEN)).toHaveLength(2)
    })
  })
})
