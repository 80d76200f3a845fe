import { explainError } from '../../src/flow/failure.js'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import nock from 'nock'
import { NetworkError, OAuthError, ProviderResponseError } from '../../src/errors.js'
import type { OAuthContext } from '../../src/oauth/exchange.js'
import { createHttpTransport } from '../../src/oauth/http.js'
import {
  DEVICE_CODE_GRANT,
  parseTokenResponse,
  refreshTokens,
  requestToken,
  type TokenAttempt
} from '../../src/oauth/token.js'
import { FakeClock } from '../../test-support/fakes.js'

const ORIGIN = 'https://id.example.com'
const endpoint = { name: 'token endpoint', url: `${ORIGIN}/oauth/token` }
const publicClient = { clientId: 'cli-app', method: 'none' as const }
const confidential = {
  clientId: 'conf-app',
  clientSecret: 's3cret',
  method: 'client_secret_post' as const
}

/** nock 14 emits only Error instances (nock#2789): a plain { code } object would hang the request. */
function connectionReset(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
}

function context(): OAuthContext {
  return { http: createHttpTransport('test'), clock: new FakeClock(), requestTimeoutMs: 5000 }
}

function deviceGrant(): URLSearchParams {
  return new URLSearchParams({ grant_type: DEVICE_CODE_GRANT, device_code: 'dc-1' })
}

function problemOf(fields: Record<string, unknown>): string {
  try {
    parseTokenResponse(fields, endpoint)
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderResponseError)
    return (error as Error).message
  }
  throw new Error(`accepted ${JSON.stringify(fields)}`)
}

describe('parseTokenResponse (RFC 6749 §5.1)', () => {
  it('normalizes a complete response', () => {
    expect(
      parseTokenResponse(
        {
          access_token: 'at-1',
          token_type: 'Bearer',
          refresh_token: 'rt-1',
          id_token: 'h.p.s',
          expires_in: 3600,
          scope: 'openid profile',
          refresh_token_expires_in: 15897600
        },
        endpoint
      )
    ).toEqual({
      accessToken: 'at-1',
      tokenType: 'Bearer',
      refreshToken: 'rt-1',
      idToken: 'h.p.s',
      expiresInSeconds: 3600,
      scope: 'openid profile',
      refreshTokenExpiresInSeconds: 15897600
    })
  })

  it('leaves every optional field undefined when absent', () => {
    const tokens = parseTokenResponse({ access_token: 'at-1' }, endpoint)
    expect(tokens).toEqual({ accessToken: 'at-1' })
    expect(Object.keys(tokens)).toEqual(['accessToken'])
  })

  it('requires access_token', () => {
    expect(problemOf({ token_type: 'Bearer' })).toBe(
      `The token endpoint (${endpoint.url}) answered without usable tokens: access_token is missing.`
    )
    expect(problemOf({ access_token: '' })).toContain('access_token is not a string')
    expect(problemOf({ access_token: 42 })).toContain('access_token is not a string')
  })

  it.each(['at 1', 'at\n1', 'at\u00001', 'at\t1', 'töken'])(
    'refuses a token with spaces, control or non-ASCII characters: %j',
    (token) => {
      expect(problemOf({ access_token: token })).toContain('has characters a token cannot have')
      expect(problemOf({ access_token: 'ok', refresh_token: token })).toContain(
        'refresh_token is longer than'
      )
    }
  )

  it('never quotes a token in its messages', () => {
    expect(problemOf({ access_token: 'secret value' })).not.toContain('secret')
  })

  it('ignores an empty optional token but refuses a malformed one', () => {
    expect(
      parseTokenResponse({ access_token: 'at', refresh_token: '' }, endpoint)
    ).not.toHaveProperty('refreshToken')
    expect(problemOf({ access_token: 'at', id_token: 12 })).toContain('id_token is not a string')
  })

  it('accepts expires_in and refresh_token_expires_in as numeric strings', () => {
    const tokens = parseTokenResponse(
      { access_token: 'at', expires_in: '3599', refresh_token_expires_in: '7200' },
      endpoint
    )
    expect(tokens.expiresInSeconds).toBe(3599)
    expect(tokens.refreshTokenExpiresInSeconds).toBe(7200)
  })

  it('drops an expires_in that is zero, negative or not a number', () => {
    for (const expiresIn of [0, -5, 'soon', {}]) {
      expect(
        parseTokenResponse({ access_token: 'at', expires_in: expiresIn }, endpoint)
      ).not.toHaveProperty('expiresInSeconds')
    }
  })

  it('drops a token_type or scope with control characters', () => {
    const tokens = parseTokenResponse(
      { access_token: 'at', token_type: 'Bearer\n', scope: 'a\u0007b' },
      endpoint
    )
    expect(tokens).toEqual({ accessToken: 'at' })
  })
})

describe('token endpoint requests', () => {
  beforeAll(() => nock.disableNetConnect())
  afterEach(() => nock.cleanAll())
  afterAll(() => {
    nock.enableNetConnect()
    nock.restore()
  })

  describe('requestToken', () => {
    async function attempt(): Promise<TokenAttempt> {
      return requestToken(context(), endpoint, publicClient, deviceGrant())
    }

    it('returns the tokens of a 200 answer, having sent the grant and client_id', async () => {
      let body = ''
      const scope = nock(ORIGIN)
        .post('/oauth/token')
        .reply(200, (_uri, raw) => {
          body = String(raw)
          return { access_token: 'at-1', token_type: 'Bearer' }
        })
      expect(await attempt()).toEqual({
        kind: 'tokens',
        tokens: { accessToken: 'at-1', tokenType: 'Bearer' }
      })
      expect(Object.fromEntries(new URLSearchParams(body))).toEqual({
        grant_type: DEVICE_CODE_GRANT,
        device_code: 'dc-1',
        client_id: 'cli-app'
      })
      expect(scope.isDone()).toBe(true)
    })

    it('returns an OAuth error with its status (authorization_pending, 400)', async () => {
      nock(ORIGIN).post('/oauth/token').reply(400, { error: 'authorization_pending' })
      expect(await attempt()).toEqual({
        kind: 'oauth-error',
        status: 400,
        body: { error: 'authorization_pending' }
      })
    })

    it('returns an OAuth error sent with HTTP 200 (GitHub)', async () => {
      nock(ORIGIN)
        .post('/oauth/token')
        .reply(200, 'error=authorization_pending&error_description=pending', {
          'Content-Type': 'application/x-www-form-urlencoded'
        })
      expect(await attempt()).toEqual({
        kind: 'oauth-error',
        status: 200,
        body: { error: 'authorization_pending', errorDescription: 'pending' }
      })
    })

    it('returns slow_down with the new interval it carries (GitHub) and Retry-After', async () => {
      nock(ORIGIN)
        .post('/oauth/token')
        .reply(429, { error: 'slow_down', interval: '10' }, { 'Retry-After': '15' })
      expect(await attempt()).toEqual({
        kind: 'oauth-error',
        status: 429,
        body: { error: 'slow_down' },
        retryAfterMs: 15_000,
        intervalSeconds: 10
      })
    })

    it('ignores an unusable interval sent with slow_down', async () => {
      nock(ORIGIN).post('/oauth/token').reply(400, { error: 'slow_down', interval: 0 })
      const result = await attempt()
      expect(result.kind).toBe('oauth-error')
      expect(result).not.toHaveProperty('intervalSeconds')
    })

    it('returns a 5xx without an OAuth error as transient, with Retry-After', async () => {
      nock(ORIGIN).post('/oauth/token').reply(503, 'busy', { 'Retry-After': '3' })
      const result = await attempt()
      expect(result).toMatchObject({ kind: 'transient', status: 503, retryAfterMs: 3000 })
      expect(result.kind === 'transient' && result.reason).toContain('answered HTTP 503')
    })

    it('returns a network failure as transient, without a status', async () => {
      nock(ORIGIN).post('/oauth/token').replyWithError(connectionReset())
      const result = await attempt()
      expect(result.kind).toBe('transient')
      expect(result).not.toHaveProperty('status')
      expect(result.kind === 'transient' && result.reason).toContain('was reset')
    })

    it('throws for a 200 HTML page: neither tokens nor an error', async () => {
      nock(ORIGIN)
        .post('/oauth/token')
        .reply(200, '<html><title>Login</title></html>', { 'Content-Type': 'text/html' })
      const error = await attempt().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ProviderResponseError)
      expect((error as Error).message).toContain('expected a JSON object with access_token')
    })

    it('throws for a 400 without an OAuth error', async () => {
      nock(ORIGIN).post('/oauth/token').reply(400, { message: 'Bad Request' })
      const error = await attempt().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ProviderResponseError)
      expect((error as ProviderResponseError).status).toBe(400)
    })

    it('throws for a 200 JSON answer whose access_token is malformed', async () => {
      nock(ORIGIN).post('/oauth/token').reply(200, { access_token: 'two words' })
      await expect(attempt()).rejects.toThrow('has characters a token cannot have')
    })
  })

  describe('refreshTokens (RFC 6749 §6)', () => {
    function refresh(scope?: string) {
      return refreshTokens(context(), endpoint, confidential, 'rt-old', scope)
    }

    it('sends grant_type=refresh_token, the refresh token, the scope and the client credentials', async () => {
      let body = ''
      const scope = nock(ORIGIN)
        .post('/oauth/token')
        .reply(200, (_uri, raw) => {
          body = String(raw)
          return { access_token: 'at-2', refresh_token: 'rt-new', expires_in: 3600 }
        })
      const tokens = await refresh('openid offline_access')
      expect(tokens).toEqual({
        accessToken: 'at-2',
        refreshToken: 'rt-new',
        expiresInSeconds: 3600
      })
      expect(Object.fromEntries(new URLSearchParams(body))).toEqual({
        grant_type: 'refresh_token',
        refresh_token: 'rt-old',
        scope: 'openid offline_access',
        client_id: 'conf-app',
        client_secret: 's3cret'
      })
      expect(scope.isDone()).toBe(true)
    })

    it('sends no scope when none is asked for', async () => {
      let body = ''
      nock(ORIGIN)
        .post('/oauth/token')
        .reply(200, (_uri, raw) => {
          body = String(raw)
          return { access_token: 'at-2' }
        })
      await refresh()
      expect(new URLSearchParams(body).has('scope')).toBe(false)
    })

    it('turns invalid_grant into an OAuthError that says to run the device flow again', async () => {
      const scope = nock(ORIGIN)
        .post('/oauth/token')
        .reply(400, { error: 'invalid_grant', error_description: 'Token is not active' })
      const error = (await refresh().catch((e: unknown) => e)) as OAuthError
      expect(error).toBeInstanceOf(OAuthError)
      expect(error.error).toBe('invalid_grant')
      expect(error.message).toContain('"invalid_grant" (HTTP 400): Token is not active.')
      expect(explainError(error)).toContain('Run the device flow again')
      expect(error.message).not.toContain('rt-old')
      expect(scope.isDone()).toBe(true)
    })

    it('retries a 503, then returns the tokens', async () => {
      const scope = nock(ORIGIN)
        .post('/oauth/token')
        .reply(503)
        .post('/oauth/token')
        .reply(200, { access_token: 'at-2' })
      expect((await refresh()).accessToken).toBe('at-2')
      expect(scope.isDone()).toBe(true)
    })

    it('does not retry a connection reset after sending: the provider may have rotated the token', async () => {
      const scope = nock(ORIGIN)
        .post('/oauth/token')
        .replyWithError(connectionReset())
        .post('/oauth/token')
        .reply(200, { access_token: 'at-2' })
      const error = await refresh().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(NetworkError)
      expect((error as NetworkError).failure).toBe('reset')
      expect(scope.isDone()).toBe(false)
      expect(scope.pendingMocks()).toHaveLength(1)
    })

    it('reports a 200 without tokens as a ProviderResponseError', async () => {
      nock(ORIGIN).post('/oauth/token').reply(200, '<html></html>')
      await expect(refresh()).rejects.toBeInstanceOf(ProviderResponseError)
    })
  })
})
