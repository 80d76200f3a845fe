import { describe, expect, it } from '@jest/globals'
import type { RevocationPlan } from '../../src/revocation/state.js'
import { runPost, type PostRunner } from '../../src/revocation/post-step.js'
import {
  FakeClock,
  json,
  RecordingRunner,
  scriptedHttp,
  type Route
} from '../../test-support/fakes.js'

const REVOKE = 'https://id.example.com/revoke'
const plan: RevocationPlan = {
  api: 'rfc7009',
  url: REVOKE,
  clientId: 'app',
  clientAuthMethod: 'client_secret_basic',
  tokenEndpoint: 'https://id.example.com/token'
}

function setup(
  state: Record<string, string>,
  route: Route = () => json(200, {}),
  inputs: Record<string, string> = { 'client-secret': 'sec-1' }
) {
  const runner: RecordingRunner & PostRunner = Object.assign(new RecordingRunner(inputs), {
    getState: (name: string) => state[name] ?? ''
  })
  const http = scriptedHttp({ [REVOKE]: route })
  const clock = new FakeClock()
  return {
    runner,
    http,
    clock,
    run: () => runPost({ runner, http, clock, signal: new AbortController().signal })
  }
}

const saved = (overrides: Partial<RevocationPlan> = {}, token = 'at-secret-1') => ({
  'revocation-plan': JSON.stringify({ ...plan, ...overrides }),
  'revoke-access-token': token
})

describe('runPost', () => {
  it('does nothing, quietly, when the main step left nothing', async () => {
    const t = setup({})
    expect(await t.run()).toEqual([])
    expect(t.http.requests).toHaveLength(0)
    expect(t.runner.text('warning')).toBe('')
    expect(t.runner.summary).toBe('')
  })

  it('masks the saved token and the secret before revoking', async () => {
    const t = setup(saved())
    await t.run()
    expect(t.runner.secrets).toEqual(expect.arrayContaining(['at-secret-1', 'sec-1']))
    expect(new URLSearchParams(t.http.requests[0]?.body).get('token')).toBe('at-secret-1')
  })

  it('skips an access token that has expired already', async () => {
    const t = setup(saved({ accessTokenExpiresAtMs: Date.UTC(2026, 0, 1) }))
    expect(await t.run()).toEqual([{ token: 'access_token', result: { kind: 'expired' } }])
    expect(t.http.requests).toHaveLength(0)
    expect(t.runner.text('info')).toContain('expired at 2026-01-01T00:00:00Z; nothing to revoke')
  })

  it('warns, without a request, when the post step has no client-secret', async () => {
    const t = setup(saved(), undefined, {})
    const outcome = await t.run()
    expect(outcome[0]?.result.kind).toBe('failed')
    expect(t.http.requests).toHaveLength(0)
    expect(t.runner.text('warning')).toContain('has no client-secret')
  })

  it("warns with the provider's words for unsupported_token_type, and names the way out", async () => {
    const t = setup(saved(), () =>
      json(400, { error: 'unsupported_token_type', error_description: 'opaque only.' })
    )
    await t.run()
    expect(t.runner.text('warning')).toBe(
      `The access token was not revoked. The revocation endpoint (${REVOKE}) answered "unsupported_token_type" (HTTP 400): opaque only. The provider does not revoke this type of token (RFC 7009 §2.2.1); it stays valid until it expires. Set revoke: access-token or none to skip it.`
    )
  })

  it('reports a provider that stays unavailable as a warning, never a failure', async () => {
    const t = setup(saved(), () => ({ status: 503, headers: { 'retry-after': '600' }, body: '' }))
    const outcome = await t.run()
    expect(outcome[0]?.result.kind).toBe('unavailable')
    expect(t.runner.failed).toBeUndefined()
    expect(t.runner.text('warning')).toContain('try again in 600 s')
  })

  describe('a provider that quotes the token back', () => {
    // Long enough that a bound on the quoted text alone would cut it in two, past the runner's mask.
    const token = `at-secret/${'x'.repeat(600)}+end`
    const escapings = [
      ['as it is', token],
      ['with / escaped', token.replace(/\//g, '\\/')],
      ['with \\u escapes', token.replace(/\//g, '\\u002F').replace(/\+/g, '\\u002b')]
    ]

    it.each(escapings)('never shows it %s in an error_description', async (_how, quoted) => {
      const t = setup(saved({}, token), () =>
        json(400, { error: 'invalid_request', error_description: `bad token ${quoted} here` })
      )
      await t.run()
      const warning = t.runner.text('warning')
      expect(warning).toContain('answered "invalid_request" (HTTP 400): bad token *** here.')
      expect(warning).not.toContain('xxxxxxxxxx')
    })

    it.each(escapings)("never shows it %s in GitHub's message", async (_how, quoted) => {
      const api = 'https://api.github.com'
      const runner: RecordingRunner & PostRunner = Object.assign(
        new RecordingRunner({ 'client-secret': 'sec-1' }),
        {
          getState: (name: string) =>
            ({
              'revocation-plan': JSON.stringify({ ...plan, api: 'github', url: api }),
              'revoke-access-token': token
            })[name] ?? ''
        }
      )
      const http = scriptedHttp({
        [`${api}/applications/app/token`]: () => json(422, { message: `No token ${quoted}` })
      })
      await runPost({ runner, http, clock: new FakeClock(), signal: new AbortController().signal })
      const warning = runner.text('warning')
      expect(warning).toContain('answered HTTP 422 ("No token ***")')
      expect(warning).not.toContain('xxxxxxxxxx')
    })
  })

  it('writes no summary with summary: false', async () => {
    const t = setup(saved(), undefined, { 'client-secret': 'sec-1', summary: 'false' })
    await t.run()
    expect(t.runner.summary).toBe('')
  })

  it('signs a private_key_jwt assertion for the token endpoint with the key from its inputs', async () => {
    const { generateKeyPairSync } = await import('node:crypto')
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString()
    const t = setup(saved({ clientAuthMethod: 'private_key_jwt' }), undefined, {
      'client-private-key': pem
    })
    expect((await t.run())[0]?.result.kind).toBe('revoked')
    const assertion = new URLSearchParams(t.http.requests[0]?.body).get('client_assertion') ?? ''
    const claims = JSON.parse(
      Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString()
    ) as {
      aud: string
    }
    expect(claims.aud).toBe('https://id.example.com/token')
  })
})
