import { describe, expect, it } from '@jest/globals'
import type { ClientCredentials } from '../../src/oauth/client-auth.js'
import type { OAuthContext } from '../../src/oauth/exchange.js'
import { TransportFailure, type HttpResponse, type HttpTransport } from '../../src/oauth/http.js'
import { gitHubApiUrl } from '../../src/oauth/github-api.js'
import { revokeGitHubToken, revokeToken, type RevocationResult } from '../../src/oauth/revoke.js'
import { FakeClock, json, scriptedHttp, type Route } from '../../test-support/fakes.js'

const REVOKE_URL = 'https://id.example.com/oauth/revoke'
const endpoint = { name: 'revocation endpoint', url: REVOKE_URL }
const TOKEN = 'at-secret-value-1'
const basicClient: ClientCredentials = {
  clientId: 'conf-app',
  clientSecret: 's3cret',
  method: 'client_secret_basic'
}

function context(http: HttpTransport, signal?: AbortSignal) {
  const clock = new FakeClock()
  const ctx: OAuthContext = {
    http,
    clock,
    requestTimeoutMs: 5000,
    ...(signal && { signal })
  }
  return { ctx, clock }
}

function sequence(...answers: Array<HttpResponse | TransportFailure>): Route {
  let n = 0
  return () => {
    const answer = answers[Math.min(n++, answers.length - 1)] as HttpResponse | TransportFailure
    if (answer instanceof TransportFailure) throw answer
    return answer
  }
}

function messageOf(result: RevocationResult): string {
  if (result.kind === 'revoked') throw new Error('expected a failed revocation')
  return result.message
}

describe('revokeToken (RFC 7009)', () => {
  it('POSTs token and token_type_hint with the client authentication of the token endpoint (§2.1)', async () => {
    const http = scriptedHttp({ [REVOKE_URL]: () => ({ status: 200, headers: {}, body: '' }) })
    const { ctx } = context(http)
    const result = await revokeToken(ctx, endpoint, basicClient, TOKEN, 'access_token')
    expect(result).toEqual({ kind: 'revoked' })
    const [request] = http.requests
    expect(request?.method).toBe('POST')
    expect(new URLSearchParams(request?.body)).toEqual(
      new URLSearchParams({ token: TOKEN, token_type_hint: 'access_token' })
    )
    expect(request?.headers['Authorization']).toBe(
      `Basic ${Buffer.from('conf-app:s3cret').toString('base64')}`
    )
    expect(request?.headers['Content-Type']).toBe('application/x-www-form-urlencoded')
  })

  it('cuts the token it sent out of what the provider quotes, whatever else is masked (§2.1)', async () => {
    const long = `${TOKEN}-${'y'.repeat(600)}`
    const http = scriptedHttp({
      [REVOKE_URL]: () =>
        json(400, { error: 'invalid_request', error_description: `cannot revoke ${long} now` })
    })
    const github = scriptedHttp({
      'https://api.github.com/applications/conf-app/token': () =>
        json(422, { message: `cannot revoke ${long} now` })
    })
    // No known secrets in the context: the request's own token parameter is enough.
    const rfc = await revokeToken(context(http).ctx, endpoint, basicClient, long, 'access_token')
    const gh = await revokeGitHubToken(
      context(github).ctx,
      'https://api.github.com',
      'conf-app',
      's3cret',
      long
    )
    expect(messageOf(rfc)).toContain('cannot revoke *** now')
    expect(messageOf(gh)).toContain('cannot revoke *** now')
  })

  it('identifies a public client with client_id, and sends the refresh_token hint', async () => {
    const http = scriptedHttp({ [REVOKE_URL]: () => json(200, {}) })
    const { ctx } = context(http)
    await revokeToken(ctx, endpoint, { clientId: 'cli', method: 'none' }, 'rt-1', 'refresh_token')
    const body = new URLSearchParams(http.requests[0]?.body)
    expect(body.get('client_id')).toBe('cli')
    expect(body.get('token_type_hint')).toBe('refresh_token')
    expect(http.requests[0]?.headers['Authorization']).toBeUndefined()
  })

  it('counts any 200 as revoked and ignores its body (§2.2)', async () => {
    const http = scriptedHttp({ [REVOKE_URL]: () => json(200, { error: 'ignored_anyway' }) })
    // RFC 7009 §2.2: the client ignores the body of a 200.
    expect(
      await revokeToken(context(http).ctx, endpoint, basicClient, TOKEN, 'access_token')
    ).toEqual({
      kind: 'revoked'
    })
  })

  it("reports unsupported_token_type as its own result, with the provider's words (§2.2.1)", async () => {
    const http = scriptedHttp({
      [REVOKE_URL]: () =>
        json(400, {
          error: 'unsupported_token_type',
          error_description: 'refresh tokens are not revocable here'
        })
    })
    const result = await revokeToken(
      context(http).ctx,
      endpoint,
      basicClient,
      'rt-secret-value-1',
      'refresh_token'
    )
    expect(result.kind).toBe('unsupported-token-type')
    expect(messageOf(result)).toContain('refresh tokens are not revocable here')
    expect(messageOf(result)).toBe(
      `The revocation endpoint (${REVOKE_URL}) answered "unsupported_token_type" (HTTP 400): refresh tokens are not revocable here.`
    )
  })

  it('reports invalid_client as refused, with the words of the provider and the error as data', async () => {
    const http = scriptedHttp({
      [REVOKE_URL]: () => json(401, { error: 'invalid_client', error_description: 'bad secret' })
    })
    const result = await revokeToken(
      context(http).ctx,
      endpoint,
      basicClient,
      TOKEN,
      'access_token'
    )
    expect(result).toMatchObject({
      kind: 'refused',
      status: 401,
      error: { error: 'invalid_client', errorDescription: 'bad secret' }
    })
    expect(messageOf(result)).toMatch(
      /revocation endpoint .* answered "invalid_client" \(HTTP 401\): bad secret\.$/
    )
    expect(http.requests).toHaveLength(1)
  })

  it('waits a short Retry-After after 503 and tries again (§2.2.1)', async () => {
    const http = scriptedHttp({
      [REVOKE_URL]: sequence(
        { status: 503, headers: { 'retry-after': '2' }, body: '' },
        { status: 200, headers: {}, body: '' }
      )
    })
    const { ctx, clock } = context(http)
    expect(await revokeToken(ctx, endpoint, basicClient, TOKEN, 'access_token')).toEqual({
      kind: 'revoked'
    })
    expect(clock.sleeps).toEqual([2000])
    expect(http.requests).toHaveLength(2)
  })

  it('does not wait out a long Retry-After: unavailable, with the delay', async () => {
    const http = scriptedHttp({
      [REVOKE_URL]: () => ({ status: 503, headers: { 'retry-after': '120' }, body: '' })
    })
    const { ctx, clock } = context(http)
    const result = await revokeToken(ctx, endpoint, basicClient, TOKEN, 'access_token')
    expect(result).toMatchObject({ kind: 'unavailable', status: 503, retryAfterMs: 120_000 })
    expect(messageOf(result)).toContain('try again in 120 s')
    expect(clock.sleeps).toEqual([])
    expect(http.requests).toHaveLength(1)
  })

  it('honours a larger maxRetryDelayMs', async () => {
    const http = scriptedHttp({
      [REVOKE_URL]: sequence(
        { status: 503, headers: { 'retry-after': '20' }, body: '' },
        json(200, {})
      )
    })
    const { ctx, clock } = context(http)
    const result = await revokeToken(ctx, endpoint, basicClient, TOKEN, 'access_token', {
      maxRetryDelayMs: 30_000
    })
    expect(result.kind).toBe('revoked')
    expect(clock.sleeps).toEqual([20_000])
  })

  it('gives up after three tries of a failing provider', async () => {
    const http = scriptedHttp({ [REVOKE_URL]: () => json(503, {}) })
    const result = await revokeToken(
      context(http).ctx,
      endpoint,
      basicClient,
      TOKEN,
      'access_token'
    )
    expect(result).toMatchObject({ kind: 'unavailable', status: 503 })
    expect(http.requests).toHaveLength(3)
  })

  it('reports server_error as unavailable, without retrying an answer', async () => {
    const http = scriptedHttp({
      [REVOKE_URL]: () => json(500, { error: 'server_error', error_description: 'db down' })
    })
    const result = await revokeToken(
      context(http).ctx,
      endpoint,
      basicClient,
      TOKEN,
      'access_token'
    )
    // An OAuth error is an answer: withRetries does not retry it, and it is reported as it is.
    expect(result.kind).toBe('unavailable')
    expect(messageOf(result)).toContain('"server_error" HTTP 500')
    expect(http.requests).toHaveLength(1)
  })

  it('retries a network failure, then reports it as failed with where it went', async () => {
    const http = scriptedHttp({
      [REVOKE_URL]: () => {
        throw new TransportFailure('connection', false, 'ECONNREFUSED')
      }
    })
    const result = await revokeToken(
      context(http).ctx,
      endpoint,
      basicClient,
      TOKEN,
      'access_token'
    )
    expect(result.kind).toBe('failed')
    expect(messageOf(result)).toContain(`Could not reach the revocation endpoint (${REVOKE_URL})`)
    expect(http.requests).toHaveLength(3)
  })

  it('reports an HTML page as failed, not as revoked', async () => {
    const http = scriptedHttp({
      [REVOKE_URL]: () => ({
        status: 404,
        headers: { 'content-type': 'text/html' },
        body: '<html><title>Not Found</title></html>'
      })
    })
    const result = await revokeToken(
      context(http).ctx,
      endpoint,
      basicClient,
      TOKEN,
      'access_token'
    )
    expect(result.kind).toBe('failed')
    expect(messageOf(result)).toContain('HTTP 404')
    expect(messageOf(result)).toContain('Not Found')
  })

  it('returns, does not throw, when cancelled', async () => {
    const controller = new AbortController()
    controller.abort()
    const http = scriptedHttp({ [REVOKE_URL]: () => json(200, {}) })
    const result = await revokeToken(
      context(http, controller.signal).ctx,
      endpoint,
      basicClient,
      TOKEN,
      'access_token'
    )
    expect(result).toEqual({ kind: 'failed', message: 'The revocation was cancelled.' })
    expect(http.requests).toHaveLength(0)
  })

  it('returns, does not throw, when the client key cannot sign', async () => {
    const http = scriptedHttp({ [REVOKE_URL]: () => json(200, {}) })
    const result = await revokeToken(
      context(http).ctx,
      endpoint,
      { clientId: 'c', method: 'private_key_jwt', privateKey: '{"kty":"RSA","d":"x"}' },
      TOKEN,
      'access_token'
    )
    expect(result).toMatchObject({ kind: 'failed', clientKey: true })
    expect(messageOf(result)).toContain('cannot sign the client assertion (RFC 7523)')
  })

  it('never puts the token in a message', async () => {
    const answers: HttpResponse[] = [
      json(400, { error: 'invalid_request', error_description: 'bad' }),
      json(503, {}),
      { status: 418, headers: {}, body: TOKEN }
    ]
    for (const answer of answers) {
      const http = scriptedHttp({ [REVOKE_URL]: () => answer })
      const result = await revokeToken(
        context(http).ctx,
        endpoint,
        basicClient,
        TOKEN,
        'access_token'
      )
      expect(messageOf(result)).not.toContain(TOKEN)
    }
  })
})

describe('revokeGitHubToken (DELETE /applications/{client_id}/token)', () => {
  const API = 'https://api.github.com'
  const URL_ = `${API}/applications/Iv1.abc/token`

  it('DELETEs with Basic client credentials and the token in a JSON body', async () => {
    const http = scriptedHttp({ [URL_]: () => ({ status: 204, headers: {}, body: '' }) })
    const result = await revokeGitHubToken(context(http).ctx, API, 'Iv1.abc', 'gh-secret', 'ghu_1')
    expect(result).toEqual({ kind: 'revoked' })
    const [request] = http.requests
    expect(request?.method).toBe('DELETE')
    expect(JSON.parse(request?.body ?? '')).toEqual({ access_token: 'ghu_1' })
    expect(request?.headers).toMatchObject({
      Authorization: `Basic ${Buffer.from('Iv1.abc:gh-secret').toString('base64')}`,
      Accept: 'application/vnd.github+json',
      'Content-Type': 'application/json',
      'X-GitHub-Api-Version': '2022-11-28'
    })
  })

  it('uses the GitHub Enterprise Server API from GITHUB_API_URL', async () => {
    const api = gitHubApiUrl({ GITHUB_API_URL: 'https://ghes.example.com/api/v3/' })
    expect(api).toBe('https://ghes.example.com/api/v3')
    expect(gitHubApiUrl({})).toBe('https://api.github.com')
    expect(gitHubApiUrl({ GITHUB_API_URL: '' })).toBe('https://api.github.com')
    const http = scriptedHttp({
      'https://ghes.example.com/api/v3/applications/Iv1.abc/token': () => ({
        status: 204,
        headers: {},
        body: ''
      })
    })
    expect((await revokeGitHubToken(context(http).ctx, api, 'Iv1.abc', 's', 't')).kind).toBe(
      'revoked'
    )
  })

  it('explains a 404 as credentials GitHub does not accept, quoting GitHub', async () => {
    const http = scriptedHttp({ [URL_]: () => json(404, { message: 'Not Found' }) })
    const result = await revokeGitHubToken(context(http).ctx, API, 'Iv1.abc', 'wrong', 'ghu_1')
    expect(result).toMatchObject({ kind: 'refused', status: 404 })
    expect(messageOf(result)).toContain('("Not Found")')
    expect(messageOf(result)).toContain("did not accept the app's client credentials")
  })

  it('explains a 422 as a token GitHub would not revoke', async () => {
    const http = scriptedHttp({ [URL_]: () => json(422, { message: 'Validation Failed' }) })
    const result = await revokeGitHubToken(context(http).ctx, API, 'Iv1.abc', 's', 'ghu_1')
    expect(result).toMatchObject({ kind: 'refused', status: 422 })
    expect(messageOf(result)).toContain('Validation Failed')
  })

  it('retries a 502 and reports a lasting one as unavailable', async () => {
    const http = scriptedHttp({ [URL_]: () => json(502, { message: 'Server Error' }) })
    const result = await revokeGitHubToken(context(http).ctx, API, 'Iv1.abc', 's', 'ghu_1')
    expect(result.kind).toBe('unavailable')
    expect(http.requests).toHaveLength(3)
  })

  it('escapes the client id in the path', async () => {
    const http = scriptedHttp({
      [`${API}/applications/a%2Fb/token`]: () => ({ status: 204, headers: {}, body: '' })
    })
    expect((await revokeGitHubToken(context(http).ctx, API, 'a/b', 's', 't')).kind).toBe('revoked')
  })
})
