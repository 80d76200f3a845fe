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
import {
  ENV,
  errorAnswer,
  flow,
  formAnswer,
  header,
  inTurn,
  json,
  provider
} from '../../test-support/replay.js'

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
const pending = errorAnswer(
  200,
  'authorization_pending',
  'The authorization request is still pending.',
  { error_uri: DOCS }
)
// slow_down carries the new interval ("The error response includes the new interval").
const slowDown = errorAnswer(
  200,
  'slow_down',
  'Too many requests have been made in the same timeframe.',
  { error_uri: DOCS, interval: 10 }
)
// Source: the device flow, step 3: scopes come back comma-separated.
const granted = json(200, {
  access_token: 'gho_Xw7Kq2Lm9Rt4Vb8Nc1Zd6Yf3Hj5Pg0Sa',
  token_type: 'bearer',
  scope: 'repo,gist'
})
const user: Route = () => json(200, { login: 'mona', id: 583231 })

/** github.com through the preset: no discovery, and who approved from the user API. */
const github = provider({
  device: DEVICE,
  token: TOKEN,
  deviceCode,
  inputs: { provider: 'github', 'client-id': 'Ov23liAbCdEfGh123456' },
  routes: { [USER]: user },
  granted: () => granted
})

describe('GitHub (provider: github)', () => {
  it('runs the documented flow: no discovery, JSON asked for, pending and slow_down with HTTP 200, then tokens', async () => {
    const t = await github.run((granted) => inTurn(pending, slowDown, pending, granted), {
      scope: 'repo gist'
    })
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
    expect(t.gaps(TOKEN)[0]).toBeGreaterThanOrEqual(5000)
    // The interval slow_down sent, for this and all later polls.
    t.expectSlowDown(TOKEN)
  })

  it('outputs the granted scope space-separated, and who approved from the user API', async () => {
    const t = await github.run((granted) => inTurn(pending, granted), { scope: 'repo gist' })
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
    const t = github.answering({
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
    })
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
    // A GitHub App's client, with a refresh token from an earlier run.
    const app = {
      provider: 'github',
      'client-id': 'Iv23liAppClient00001',
      'refresh-token': 'ghr_OldRefreshToken'
    }
    const refreshing = { [TOKEN]: () => refreshed, [USER]: user }

    it('refreshes with client_id and client_secret in the form, and outputs the rotated refresh token', async () => {
      const t = flow({ ...app, 'client-secret': 'app-client-secret-value' }, refreshing)
      await t.refreshesWith(TOKEN, {
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
      const t = flow(app, refreshing)
      await t.refreshesWith(TOKEN, {
        grant_type: 'refresh_token',
        refresh_token: 'ghr_OldRefreshToken',
        client_id: 'Iv23liAppClient00001'
      })
    })

    it('reports bad_refresh_token (sent with HTTP 200) as a dead refresh token, and can fall back to the device flow', async () => {
      const dead = errorAnswer(
        200,
        'bad_refresh_token',
        'The refresh token passed is incorrect or expired.',
        { error_uri: 'https://docs.github.com' }
      )
      const failing = flow(
        {
          provider: 'github',
          'client-id': 'Iv23liAppClient00001',
          'refresh-token': 'ghr_Used-0123456789abcdef'
        },
        { [TOKEN]: () => dead }
      )
      await failing.failsSaying(
        '"bad_refresh_token" (HTTP 200)',
        'GitHub rotates it on every refresh'
      )

      const fallback = flow(
        {
          provider: 'github',
          'client-id': 'Iv23liAppClient00001',
          'refresh-token': 'ghr_Used-0123456789abcdef',
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
        const t = github.answering({
          [DEVICE]: () =>
            errorAnswer(
              status,
              'device_flow_disabled',
              'Device Flow must be explicitly enabled for this App',
              { error_uri: DOCS }
            )
        })
        await t.failsSaying('device_flow_disabled', 'Developer settings', 'Enable Device Flow')
        expect(t.to(TOKEN)).toHaveLength(0)
      }
    )

    it('explains incorrect_client_credentials: the Client ID, not the App ID', async () => {
      const t = github.answering(
        {
          [DEVICE]: () =>
            errorAnswer(
              200,
              'incorrect_client_credentials',
              'The client_id and/or client_secret passed are incorrect.'
            )
        },
        { provider: 'github', 'client-id': '123456' }
      )
      await t.failsSaying('incorrect_client_credentials', 'not the App ID')
    })

    it('stops polling on incorrect_device_code and says to run the job again', async () => {
      const t = await github.polled(
        pending,
        errorAnswer(200, 'incorrect_device_code', 'The device_code provided is not valid.')
      )
      await t.failsSaying('incorrect_device_code', 'run the job again')
      expect(t.to(TOKEN)).toHaveLength(2)
    })

    it('calls unsupported_grant_type while polling a bug in the action', async () => {
      const t = await github.polled(
        errorAnswer(
          200,
          'unsupported_grant_type',
          'The grant type must be urn:ietf:params:oauth:grant-type:device_code.'
        )
      )
      await t.failsSaying('unsupported_grant_type', 'bug in the action')
    })

    it('ends "denied" on access_denied and "expired" on expired_token, both sent with HTTP 200', async () => {
      await github.endsAs(
        'denied',
        pending,
        errorAnswer(200, 'access_denied', 'The user has denied your application access.')
      )
      const expired = await github.endsAs(
        'expired',
        pending,
        errorAnswer(200, 'expired_token', 'This device_code has expired.')
      )
      expect(expired.to(TOKEN)).toHaveLength(2)
    })
  })
})
