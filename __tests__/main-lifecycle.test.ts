import { describe, expect, it } from '@jest/globals'
import { run } from '../src/main.js'
import {
  FakeClock,
  json,
  RecordingRunner,
  scriptedHttp,
  type Route
} from '../test-support/fakes.js'

/** run(): what the main step does for the token's life after the job (issue 9), in memory. */
const ISSUER = 'https://id.example.com'
const DISCOVERY = `${ISSUER}/.well-known/openid-configuration`
const TOKEN = `${ISSUER}/token`
const REVOKE = `${ISSUER}/revoke`
const API = 'https://api.github.com'
const KEY_URL = `${API}/repos/octo/release/actions/secrets/public-key`
const SECRET_URL = `${API}/repos/octo/release/actions/secrets/OAUTH_RT`
const ENV = { GITHUB_REPOSITORY: 'octo/release' }
const DAY = 24 * 3600

const discovery: Route = () =>
  json(200, {
    issuer: ISSUER,
    device_authorization_endpoint: `${ISSUER}/device`,
    token_endpoint: TOKEN,
    revocation_endpoint: REVOKE
  })

function refreshSetup(
  inputs: Record<string, string>,
  answer: Record<string, unknown>,
  routes: Record<string, Route> = {}
) {
  const runner = new RecordingRunner(
    { 'client-id': 'bot', issuer: ISSUER, 'refresh-token': 'rt-old-1-0123456789abcdef', ...inputs },
    ENV
  )
  const http = scriptedHttp({ [DISCOVERY]: discovery, [TOKEN]: () => json(200, answer), ...routes })
  const clock = new FakeClock()
  return {
    runner,
    http,
    run: () => run({ runner, http, clock, signal: new AbortController().signal })
  }
}

describe('run: refresh token expiry', () => {
  it('warns in the log and the summary when the new refresh token expires within the window', async () => {
    const t = refreshSetup(
      {},
      {
        access_token: 'at-1-0123456789abcdef',
        refresh_token: 'rt-new-1-0123456789abcdef',
        refresh_token_expires_in: 3 * DAY
      }
    )
    expect(await t.run()).toBe('refreshed')
    expect(t.runner.text('warning')).toMatch(/^The refresh token expires at .*, in 3 days\./)
    expect(t.runner.summary).toContain('The refresh token expires at')
  })

  it('does not warn when it lives longer than the window', async () => {
    const t = refreshSetup(
      {},
      {
        access_token: 'at-1-0123456789abcdef',
        refresh_token: 'rt-new-1-0123456789abcdef',
        refresh_token_expires_in: 30 * DAY
      }
    )
    await t.run()
    expect(t.runner.text('warning')).not.toMatch(/expire/)
  })

  it('warns from refresh-token-expires-at when the token was not rotated', async () => {
    const t = refreshSetup(
      {
        'refresh-token-expires-at': '2026-11-26T10:00:00Z',
        'refresh-token-expiry-warning-days': '3'
      },
      { access_token: 'at-1-0123456789abcdef' }
    )
    await t.run()
    expect(t.runner.text('warning')).toContain('expires at 2026-11-26T10:00:00Z, in 2 days')
  })
})

describe('run: store-refresh-token', () => {
  const inputs = { 'store-refresh-token': 'OAUTH_RT', 'secrets-token': 'pat-1' }
  const key: Route = () => json(200, { key_id: 'k1', key: Buffer.alloc(32, 1).toString('base64') })

  it('stores a rotated refresh token and says so, without the value', async () => {
    const t = refreshSetup(
      inputs,
      { access_token: 'at-1-0123456789abcdef', refresh_token: 'rt-new-1-0123456789abcdef' },
      {
        [KEY_URL]: key,
        [SECRET_URL]: () => ({ status: 204, headers: {}, body: '' })
      }
    )
    expect(await t.run()).toBe('refreshed')
    expect(t.runner.outputs['refresh-token-stored']).toBe('true')
    expect(t.runner.text('info')).toMatch(
      /Updated the repository secret OAUTH_RT of octo\/release with the new refresh token at 2026-11-24T10:00:00Z\./
    )
    expect(t.runner.text()).not.toContain('rt-new-1-0123456789abcdef')
    expect(t.runner.summary).not.toContain('rt-new-1-0123456789abcdef')
    expect(t.runner.secrets).toContain('pat-1')
  })

  it('does not write the secret when the refresh token was not rotated', async () => {
    const t = refreshSetup(inputs, { access_token: 'at-1-0123456789abcdef' })
    expect(await t.run()).toBe('refreshed')
    expect(t.http.requests.map((r) => r.url)).not.toContain(KEY_URL)
    expect(t.runner.outputs['refresh-token-stored']).toBe('false')
    expect(t.runner.text('info')).toContain('still holds the one in use')
  })

  it('fails the step when the secret cannot be written, and keeps the new token in the output', async () => {
    const t = refreshSetup(
      inputs,
      { access_token: 'at-1-0123456789abcdef', refresh_token: 'rt-new-1-0123456789abcdef' },
      {
        [KEY_URL]: () => json(403, { message: 'Resource not accessible by integration' })
      }
    )
    expect(await t.run()).toBe('failed')
    expect(t.runner.failed).toContain('GITHUB_TOKEN never can')
    expect(t.runner.failed).toContain('still in the refresh-token output (masked)')
    expect(t.runner.outputs['refresh-token']).toBe('rt-new-1-0123456789abcdef')
  })

  it('fails with a clear message outside a GitHub job (no GITHUB_REPOSITORY)', async () => {
    const t = refreshSetup(inputs, {
      access_token: 'at-1-0123456789abcdef',
      refresh_token: 'rt-new-1-0123456789abcdef'
    })
    t.runner.env['GITHUB_REPOSITORY'] = undefined
    expect(await t.run()).toBe('failed')
    expect(t.runner.failed).toContain('store-refresh-token needs GITHUB_REPOSITORY')
  })
})

describe('run: state for the post step', () => {
  it('saves the token to revoke, masked, once no refresh token outlives the job', async () => {
    const t = refreshSetup(
      { revoke: 'all', 'client-secret': 'cs-1' },
      {
        access_token: 'at-9-0123456789abcdef',
        expires_in: 60,
        refresh_token: 'rt-9-0123456789abcdef'
      }
    )
    expect(await t.run()).toBe('refreshed')
    expect(t.runner.state['revoke-access-token']).toBe('at-9-0123456789abcdef')
    expect(t.runner.state['revoke-refresh-token']).toBe('rt-9-0123456789abcdef')
    expect(t.runner.secrets).toEqual(
      expect.arrayContaining(['at-9-0123456789abcdef', 'rt-9-0123456789abcdef'])
    )
    const plan = JSON.parse(t.runner.state['revocation-plan'] ?? '{}') as Record<string, unknown>
    expect(plan).toEqual({
      api: 'rfc7009',
      url: REVOKE,
      clientId: 'bot',
      clientAuthMethod: 'client_secret_basic',
      tokenEndpoint: TOKEN,
      accessTokenExpiresAtMs: Date.UTC(2026, 10, 24, 10, 1)
    })
    expect(JSON.stringify(t.runner.state)).not.toContain('cs-1')
  })

  it('keeps the refresh-token input alive: no rotation, nothing revoked even with revoke: all', async () => {
    const t = refreshSetup({ revoke: 'all' }, { access_token: 'at-9-0123456789abcdef' })
    await t.run()
    expect(t.runner.state).toEqual({})
    expect(t.runner.text('info')).toContain('kept for later jobs')
  })
})
