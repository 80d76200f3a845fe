import { describe, expect, it } from '@jest/globals'
import { CancelledError, NetworkError, ProviderResponseError } from '../../src/errors.js'
import { postForm, type OAuthContext } from '../../src/oauth/exchange.js'
import { getJson } from '../../src/oauth/redirects.js'
import { isTransientStatus } from '../../src/oauth/response.js'
import { MAX_RETRY_WAIT_MS, withRetries } from '../../src/oauth/retry.js'
import { unusableResponse } from '../../src/oauth/provider-errors.js'
import {
  HEADERS_TOO_LARGE,
  TransportFailure,
  type HttpResponse,
  type HttpTransport
} from '../../src/oauth/http.js'
import { readResponse } from '../../src/oauth/response.js'
import { FakeClock, json, scriptedHttp, type Route } from '../../test-support/fakes.js'

const TOKEN_URL = 'https://id.example.com/token'
const DOC_URL = 'https://id.example.com/.well-known/openid-configuration'
const token = { name: 'token endpoint', url: TOKEN_URL }
const discovery = { name: 'discovery document', url: DOC_URL }

function context(http: HttpTransport, overrides: Partial<OAuthContext> = {}) {
  const clock = new FakeClock()
  const ctx: OAuthContext = { http, clock, requestTimeoutMs: 10_000, ...overrides }
  return { ctx, clock }
}

function redirect(status: number, location?: string): HttpResponse {
  return { status, headers: location ? { location } : {}, body: '' }
}

function html(status: number, title = 'Error'): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'text/html' },
    body: `<html><title>${title}</title></html>`
  }
}

/** A route that answers from a list, one answer (or failure) per request, the last one repeating. */
function sequence(...answers: Array<HttpResponse | TransportFailure>): Route {
  let n = 0
  return () => {
    const answer = answers[Math.min(n++, answers.length - 1)] as HttpResponse | TransportFailure
    if (answer instanceof TransportFailure) throw answer
    return answer
  }
}

describe('postForm', () => {
  it('POSTs the form body with Content-Type form and Accept: application/json', async () => {
    const http = scriptedHttp({
      [TOKEN_URL]: () => json(200, { access_token: 'at-0123456789abcdef' })
    })
    const { ctx } = context(http)
    const params = new URLSearchParams({ grant_type: 'refresh_token', scope: 'a b' })
    const read = await postForm(ctx, token, params, { Authorization: 'Basic eA==' })
    expect(read.fields).toEqual({ access_token: 'at-0123456789abcdef' })
    const [request] = http.requests
    expect(request?.method).toBe('POST')
    expect(request?.url).toBe(TOKEN_URL)
    expect(request?.body).toBe('grant_type=refresh_token&scope=a+b')
    expect(request?.headers).toEqual({
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
      Authorization: 'Basic eA=='
    })
    expect(request?.timeoutMs).toBe(10_000)
  })

  it('passes the abort signal and a per-call timeout to the transport', async () => {
    const http = scriptedHttp({ [TOKEN_URL]: () => json(200, {}) })
    const controller = new AbortController()
    const { ctx } = context(http, { signal: controller.signal })
    await postForm(ctx, token, new URLSearchParams(), {}, 1234)
    expect(http.requests[0]?.signal).toBe(controller.signal)
    expect(http.requests[0]?.timeoutMs).toBe(1234)
  })

  it.each([301, 302, 303, 307, 308])(
    'does not follow a %i, and says where it pointed and what to set',
    async (status) => {
      const http = scriptedHttp({
        [TOKEN_URL]: () => redirect(status, '/v2/token?x=##[stop-commands]y')
      })
      const { ctx } = context(http)
      const error = await postForm(
        ctx,
        token,
        new URLSearchParams({ client_secret: 'cs-0123456789abcdef' })
      ).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ProviderResponseError)
      expect((error as Error).message).toBe(
        `The token endpoint (${TOKEN_URL}) redirected (HTTP ${status}) to https://id.example.com/v2/token?x=##\\[stop-commands]y, and the action does not follow redirects for POSTs: set the endpoint to the final URL.`
      )
      expect(http.requests).toHaveLength(1)
    }
  )

  it('cuts the client secret out of the Location it quotes, percent-encoded too', async () => {
    const secret = 'cs-0123456789/abcdef+xyz'
    const http = scriptedHttp({
      [TOKEN_URL]: () => redirect(307, `/echo?client_secret=${encodeURIComponent(secret)}`)
    })
    const { ctx } = context(http)
    const error = await postForm(ctx, token, new URLSearchParams({ client_secret: secret })).catch(
      (e: unknown) => e
    )
    expect((error as Error).message).toContain('https://id.example.com/echo?client_secret=***,')
    expect((error as Error).message).not.toContain(encodeURIComponent(secret))
  })

  it('says so when a POST is redirected without a Location', async () => {
    const http = scriptedHttp({ [TOKEN_URL]: () => ({ status: 307, headers: {}, body: '' }) })
    const { ctx } = context(http)
    await expect(postForm(ctx, token, new URLSearchParams())).rejects.toThrow(
      'redirected (HTTP 307) without a Location header, and the action does not follow redirects for POSTs'
    )
  })

  it('cuts the secrets it sent out of quoted provider text before anything can escape them', async () => {
    const secret = 'cs-#[with-brackets-0123456789'
    const http = scriptedHttp({
      [TOKEN_URL]: () =>
        json(400, {
          error: 'invalid_client',
          error_description: `client_secret ${secret} is wrong for device_code dc-0123456789abcdef`
        })
    })
    const { ctx } = context(http)
    const read = await postForm(
      ctx,
      token,
      new URLSearchParams({ client_secret: secret, device_code: 'dc-0123456789abcdef' })
    )
    expect(read.fields?.['error_description']).toBe(
      'client_secret *** is wrong for device_code ***'
    )
  })

  it('cuts a secret from HTTP Basic credentials and the known secrets out too', async () => {
    const http = scriptedHttp({
      [TOKEN_URL]: () =>
        json(400, {
          error: 'invalid_client',
          error_description: 'bad s3cr3t+/= and rt-known-0123456789'
        })
    })
    const { ctx } = context(http, { secrets: () => ['rt-known-0123456789'] })
    const basic = Buffer.from(`client:${encodeURIComponent('s3cr3t+/=')}`).toString('base64')
    const read = await postForm(ctx, token, new URLSearchParams(), {
      Authorization: `Basic ${basic}`
    })
    expect(read.fields?.['error_description']).toBe('bad *** and ***')
  })

  it('explains response headers too large for node (HPE_HEADER_OVERFLOW) in words', async () => {
    const http = scriptedHttp({
      [TOKEN_URL]: () => {
        throw new TransportFailure('too-large', true, HEADERS_TOO_LARGE)
      }
    })
    const { ctx } = context(http)
    await expect(postForm(ctx, token, new URLSearchParams())).rejects.toThrow(
      `The token endpoint (${TOKEN_URL}) sent response headers larger than Node.js accepts (16 KiB; HPE_HEADER_OVERFLOW)`
    )
  })

  it('turns a timeout into a NetworkError naming the endpoint and the limit', async () => {
    const http = scriptedHttp({
      [TOKEN_URL]: () => {
        throw new TransportFailure('timeout', true, 'no complete answer within 10000 ms')
      }
    })
    const { ctx } = context(http)
    const error = await postForm(ctx, token, new URLSearchParams()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as NetworkError).failure).toBe('timeout')
    expect((error as NetworkError).message).toBe(
      `The token endpoint (${TOKEN_URL}) did not answer within 10 s.`
    )
  })

  it('turns a refused connection into a NetworkError that was not delivered, with proxy advice', async () => {
    const http = scriptedHttp({
      [TOKEN_URL]: () => {
        throw new TransportFailure('connection', false, 'ECONNREFUSED')
      }
    })
    const { ctx } = context(http)
    const error = (await postForm(ctx, token, new URLSearchParams()).catch(
      (e: unknown) => e
    )) as NetworkError
    expect(error).toBeInstanceOf(NetworkError)
    expect(error.maybeDelivered).toBe(false)
    expect(error.message).toContain(
      `Could not reach the token endpoint (${TOKEN_URL}): ECONNREFUSED.`
    )
    expect(error.message).toContain('https_proxy')
  })

  it('says a certificate for another host name is wrong, not untrusted: no NODE_EXTRA_CA_CERTS advice', async () => {
    const http = scriptedHttp({
      [TOKEN_URL]: () => {
        throw new TransportFailure(
          'connection',
          true,
          "ERR_TLS_CERT_ALTNAME_INVALID (Host: id.example.com. is not in the cert's altnames: DNS:other.example.com)"
        )
      }
    })
    const { ctx } = context(http)
    const error = (await postForm(ctx, token, new URLSearchParams()).catch(
      (e: unknown) => e
    )) as Error
    expect(error.message).toContain("the cert's altnames: DNS:other.example.com")
    expect(error.message).toContain('made out to another host name than id.example.com')
    expect(error.message).not.toContain('point NODE_EXTRA_CA_CERTS')
  })

  it('says an expired certificate must be renewed (or the clock is wrong)', async () => {
    const http = scriptedHttp({
      [TOKEN_URL]: () => {
        throw new TransportFailure('connection', true, 'CERT_HAS_EXPIRED')
      }
    })
    const { ctx } = context(http)
    const error = (await postForm(ctx, token, new URLSearchParams()).catch(
      (e: unknown) => e
    )) as Error
    expect(error.message).toContain('outside its validity dates')
    expect(error.message).not.toContain('NODE_EXTRA_CA_CERTS')
  })

  it('points at NODE_EXTRA_CA_CERTS when the TLS certificate is not trusted', async () => {
    const http = scriptedHttp({
      [TOKEN_URL]: () => {
        throw new TransportFailure('connection', false, 'SELF_SIGNED_CERT_IN_CHAIN')
      }
    })
    const { ctx } = context(http)
    const error = (await postForm(ctx, token, new URLSearchParams()).catch(
      (e: unknown) => e
    )) as Error
    expect(error.message).toContain('NODE_EXTRA_CA_CERTS')
  })

  it('turns a response over the size cap into a ProviderResponseError', async () => {
    const http = scriptedHttp({
      [TOKEN_URL]: () => {
        throw new TransportFailure('too-large', true, 'too large')
      }
    })
    const { ctx } = context(http)
    const error = (await postForm(ctx, token, new URLSearchParams()).catch(
      (e: unknown) => e
    )) as Error
    expect(error).toBeInstanceOf(ProviderResponseError)
    expect(error.message).toContain('larger than 1 MiB')
  })

  it('throws CancelledError, not a network error, when the signal aborted', async () => {
    const controller = new AbortController()
    const http = scriptedHttp({
      [TOKEN_URL]: () => {
        controller.abort()
        throw new TransportFailure('aborted', true, 'cancelled')
      }
    })
    const { ctx } = context(http, { signal: controller.signal })
    await expect(postForm(ctx, token, new URLSearchParams())).rejects.toBeInstanceOf(CancelledError)
    await expect(postForm(ctx, token, new URLSearchParams())).rejects.toBeInstanceOf(CancelledError)
    expect(http.requests).toHaveLength(1)
  })
})

describe('getJson', () => {
  it('GETs with Accept: application/json and reports the final URL', async () => {
    const http = scriptedHttp({ [DOC_URL]: () => json(200, { issuer: 'https://id.example.com' }) })
    const { ctx } = context(http)
    const read = await getJson(ctx, discovery)
    expect(read.fields).toEqual({ issuer: 'https://id.example.com' })
    expect(read.finalUrl).toBe(DOC_URL)
    expect(http.requests[0]?.method).toBe('GET')
    expect(http.requests[0]?.headers['Accept']).toBe('application/json')
  })

  it('follows redirects to https URLs, relative ones included', async () => {
    const http = scriptedHttp({
      [DOC_URL]: () => redirect(301, 'https://cdn.example.com/doc'),
      'https://cdn.example.com/doc': () => redirect(302, '/v2/doc'),
      'https://cdn.example.com/v2/doc': () => json(200, { issuer: 'x' })
    })
    const { ctx } = context(http)
    const read = await getJson(ctx, discovery)
    expect(read.status).toBe(200)
    expect(read.finalUrl).toBe('https://cdn.example.com/v2/doc')
    expect(http.requests.map((r) => r.url)).toEqual([
      DOC_URL,
      'https://cdn.example.com/doc',
      'https://cdn.example.com/v2/doc'
    ])
  })

  it('refuses a redirect to http://, naming where it pointed', async () => {
    const http = scriptedHttp({ [DOC_URL]: () => redirect(302, 'http://plain.example.com/doc') })
    const { ctx } = context(http)
    const error = (await getJson(ctx, discovery).catch((e: unknown) => e)) as ProviderResponseError
    expect(error).toBeInstanceOf(ProviderResponseError)
    expect(error.status).toBe(302)
    expect(error.message).toContain('redirected to http://plain.example.com, which is not https')
    expect(http.requests).toHaveLength(1)
  })

  it('refuses a redirect to http:// even on loopback', async () => {
    const http = scriptedHttp({ [DOC_URL]: () => redirect(302, 'http://127.0.0.1:8080/doc') })
    const { ctx } = context(http)
    await expect(getJson(ctx, discovery)).rejects.toThrow(
      /redirected to http:\/\/127\.0\.0\.1:8080/
    )
  })

  it('follows five redirects but not six', async () => {
    const routes: Record<string, Route> = {}
    for (let i = 0; i < 6; i++) {
      const from = i === 0 ? DOC_URL : `https://id.example.com/hop${i}`
      routes[from] = () => redirect(302, `https://id.example.com/hop${i + 1}`)
    }
    routes['https://id.example.com/hop5'] = () => json(200, { ok: true })
    const { ctx } = context(scriptedHttp(routes))
    const read = await getJson(ctx, discovery)
    expect(read.finalUrl).toBe('https://id.example.com/hop5')

    routes['https://id.example.com/hop5'] = () => redirect(302, 'https://id.example.com/hop6')
    routes['https://id.example.com/hop6'] = () => json(200, { ok: true })
    const http = scriptedHttp(routes)
    const error = (await getJson(context(http).ctx, discovery).catch((e: unknown) => e)) as Error
    expect(error).toBeInstanceOf(ProviderResponseError)
    expect(error.message).toContain('redirected more than 5 times')
    expect(http.requests).toHaveLength(6)
  })

  it('reports a redirect without a Location header', async () => {
    const http = scriptedHttp({ [DOC_URL]: () => redirect(301) })
    const { ctx } = context(http)
    const error = (await getJson(ctx, discovery).catch((e: unknown) => e)) as Error
    expect(error).toBeInstanceOf(ProviderResponseError)
    expect(error.message).toBe(
      `The discovery document (${DOC_URL}) redirected without a Location header. Give the final URL instead.`
    )
  })

  it('reports a redirect to a malformed Location as a provider error', async () => {
    const http = scriptedHttp({ [DOC_URL]: () => redirect(302, 'https://[bad') })
    const { ctx } = context(http)
    const error = (await getJson(ctx, discovery).catch((e: unknown) => e)) as Error
    expect(error).toBeInstanceOf(ProviderResponseError)
    expect(error.message).toContain('Location')
  })

  it('sends a bearer token along a redirect only within the same origin', async () => {
    const userinfo = { name: 'userinfo endpoint', url: 'https://id.example.com/userinfo' }
    const auth = { Authorization: 'Bearer at-1' }
    const same = scriptedHttp({
      [userinfo.url]: () => redirect(302, '/me'),
      'https://id.example.com/me': () => json(200, { sub: 'u' })
    })
    expect((await getJson(context(same).ctx, userinfo, auth)).fields).toEqual({ sub: 'u' })
    expect(same.requests[1]?.headers['Authorization']).toBe('Bearer at-1')

    const other = scriptedHttp({
      [userinfo.url]: () => redirect(302, 'https://evil.example.net/me')
    })
    const error = (await getJson(context(other).ctx, userinfo, auth).catch(
      (e: unknown) => e
    )) as Error
    expect(error).toBeInstanceOf(ProviderResponseError)
    expect(error.message).toContain('redirected to another site (evil.example.net)')
    expect(other.requests).toHaveLength(1)
  })

  it('returns a non-redirect status as it is (404)', async () => {
    const http = scriptedHttp({ [DOC_URL]: () => json(404, { error: 'not_found' }) })
    const read = await getJson(context(http).ctx, discovery)
    expect(read.status).toBe(404)
  })
})

describe('withRetries', () => {
  const options = { attempts: 3, retryMaybeDelivered: true }

  function retrying(route: Route, retryOptions = options) {
    const http = scriptedHttp({ [TOKEN_URL]: route })
    const { ctx, clock } = context(http)
    const reasons: string[] = []
    const run = () =>
      withRetries(ctx, token, () => postForm(ctx, token, new URLSearchParams({ a: 'b' })), {
        ...retryOptions,
        onRetry: (reason) => reasons.push(reason)
      })
    return { http, clock, reasons, run }
  }

  it('retries a 5xx with exponential backoff, then returns the success', async () => {
    const t = retrying(sequence(html(502), json(503, {}), json(200, { ok: true })))
    const read = await t.run()
    expect(read.fields).toEqual({ ok: true })
    expect(t.http.requests).toHaveLength(3)
    // FakeClock.random() is 0.5: three quarters of 1 s, then of 2 s.
    expect(t.clock.sleeps).toEqual([750, 1500])
    expect(t.reasons).toEqual([
      `The token endpoint (${TOKEN_URL}) answered HTTP 502`,
      `The token endpoint (${TOKEN_URL}) answered HTTP 503`
    ])
  })

  it('says what happened before a retry once, with the endpoint once and without the advice', async () => {
    let calls = 0
    const t = retrying(() => {
      calls++
      if (calls === 1) throw new TransportFailure('connection', false, 'ECONNREFUSED')
      return json(200, { ok: true })
    })
    await t.run()
    expect(t.reasons).toEqual([
      `The token endpoint (${TOKEN_URL}) could not be reached: ECONNREFUSED`
    ])
  })

  it('retries 408 and a bare 429', async () => {
    const t = retrying(sequence(json(408, {}), json(429, {}), json(200, { ok: true })))
    expect((await t.run()).status).toBe(200)
    expect(t.http.requests).toHaveLength(3)
  })

  it('waits as long as Retry-After says instead of the backoff', async () => {
    const t = retrying(sequence(json(503, {}, { 'retry-after': '12' }), json(200, {})))
    await t.run()
    expect(t.clock.sleeps).toEqual([12_000])
  })

  it('caps a Retry-After before the prompt at a minute, and says so (it is advice, RFC 9110 §10.2.3)', async () => {
    const t = retrying(sequence(json(503, {}, { 'retry-after': '3600' }), json(200, {})))
    await t.run()
    expect(t.clock.sleeps).toEqual([MAX_RETRY_WAIT_MS])
    expect(t.reasons).toEqual([
      `The token endpoint (${TOKEN_URL}) answered HTTP 503 (the provider asked for 3600 s with Retry-After; waiting at most 60 s)`
    ])
  })

  it('never waits past the end the context sets (the timeout input), and then answers with what it has', async () => {
    const http = scriptedHttp({
      [TOKEN_URL]: sequence(
        json(503, { n: 1 }, { 'retry-after': '50' }),
        json(503, { n: 2 }, { 'retry-after': '50' }),
        json(503, { n: 3 }, { 'retry-after': '50' }),
        json(200, {})
      )
    })
    const clock = new FakeClock()
    const ctx: OAuthContext = {
      http,
      clock,
      requestTimeoutMs: 10_000,
      retriesEndAtMs: clock.now() + 70_000
    }
    const read = await withRetries(ctx, token, () => postForm(ctx, token, new URLSearchParams()), {
      ...options,
      attempts: 5
    })
    expect(clock.sleeps).toEqual([50_000, 20_000])
    expect(read.status).toBe(503)
    expect(read.fields).toEqual({ n: 3 })
  })

  it('gives up after `attempts` and returns the last answer', async () => {
    const t = retrying(
      sequence(json(500, { n: 1 }), json(500, { n: 2 }), json(500, { n: 3 }), json(200, {}))
    )
    const read = await t.run()
    expect(read.status).toBe(500)
    expect(read.fields).toEqual({ n: 3 })
    expect(t.http.requests).toHaveLength(3)
    expect(t.clock.sleeps).toHaveLength(2)
  })

  it('retries network failures, then throws the last one after `attempts`', async () => {
    const t = retrying(sequence(new TransportFailure('reset', true, 'reset')))
    const error = await t.run().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as NetworkError).failure).toBe('reset')
    expect(t.http.requests).toHaveLength(3)
    expect(t.clock.sleeps).toEqual([750, 1500])
  })

  it('retries a network failure, then returns the success', async () => {
    const t = retrying(
      sequence(new TransportFailure('timeout', true, 't'), json(200, { ok: true }))
    )
    expect((await t.run()).fields).toEqual({ ok: true })
    expect(t.reasons[0]).toContain('did not answer within 10 s')
  })

  it('does not retry a failure that may have reached the server when retryMaybeDelivered is false', async () => {
    const t = retrying(sequence(new TransportFailure('reset', true, 'reset'), json(200, {})), {
      attempts: 3,
      retryMaybeDelivered: false
    })
    await expect(t.run()).rejects.toBeInstanceOf(NetworkError)
    expect(t.http.requests).toHaveLength(1)
    expect(t.clock.sleeps).toEqual([])
  })

  it('still retries a failure that surely never left (refused) when retryMaybeDelivered is false', async () => {
    const t = retrying(
      sequence(new TransportFailure('connection', false, 'ECONNREFUSED'), json(200, {})),
      {
        attempts: 3,
        retryMaybeDelivered: false
      }
    )
    expect((await t.run()).status).toBe(200)
    expect(t.http.requests).toHaveLength(2)
  })

  it('does not retry a response carrying an OAuth error, even with a 5xx status', async () => {
    const t = retrying(sequence(json(503, { error: 'temporarily_unavailable' }), json(200, {})))
    const read = await t.run()
    expect(read.status).toBe(503)
    expect(read.fields?.['error']).toBe('temporarily_unavailable')
    expect(t.http.requests).toHaveLength(1)
  })

  it('retries a 503 whose error is an object: that is a gateway talking, not an OAuth error', async () => {
    const gateway = json(503, { error: { code: 'ServiceUnavailable', message: 'try later' } })
    const t = retrying(sequence(gateway, json(200, { ok: true })))
    expect((await t.run()).fields).toEqual({ ok: true })
    expect(t.http.requests).toHaveLength(2)
  })

  it('does not retry a 4xx', async () => {
    const t = retrying(sequence(json(404, {}), json(200, {})))
    expect((await t.run()).status).toBe(404)
    expect(t.http.requests).toHaveLength(1)
  })

  it('does not retry an error that is not a network failure', async () => {
    const t = retrying(sequence(new TransportFailure('too-large', true, 'big'), json(200, {})))
    await expect(t.run()).rejects.toBeInstanceOf(ProviderResponseError)
    expect(t.http.requests).toHaveLength(1)
  })

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController()
    const http = scriptedHttp({
      [TOKEN_URL]: () => {
        controller.abort()
        return json(503, {})
      }
    })
    const { ctx } = context(http, { signal: controller.signal })
    const run = withRetries(ctx, token, () => postForm(ctx, token, new URLSearchParams()), options)
    await expect(run).rejects.toBeInstanceOf(CancelledError)
    expect(http.requests).toHaveLength(1)
  })
})

describe('unusableResponse', () => {
  const now = Date.UTC(2026, 0, 1)

  it('says what came back, what was expected, and hints at a wrong URL for an HTML page', () => {
    const read = readResponse(html(200, 'Sign in'), now)
    const error = unusableResponse(token, read, 'a JSON object with access_token')
    expect(error).toBeInstanceOf(ProviderResponseError)
    expect(error.status).toBe(200)
    expect(error.endpoint).toBe(token)
    expect(error.message).toBe(
      `The token endpoint (${TOKEN_URL}) answered HTTP 200, but the body is an HTML page titled "Sign in", not JSON; expected a JSON object with access_token. A web page usually means a wrong URL, or a proxy, firewall or login page answering instead of the identity provider.`
    )
  })

  it('says the provider is failing for a 5xx that is not HTML', () => {
    const read = readResponse({ status: 503, headers: {}, body: '' }, now)
    const error = unusableResponse(token, read, 'tokens')
    expect(error.message).toBe(
      `The token endpoint (${TOKEN_URL}) answered HTTP 503, but the body is empty; expected tokens. The provider seems to be failing; try again later.`
    )
  })

  it('names a JSON object without the expected fields, with no hint for a 4xx', () => {
    const read = readResponse(json(400, { message: 'bad' }), now)
    const error = unusableResponse(token, read, 'tokens')
    expect(error.message).toBe(
      `The token endpoint (${TOKEN_URL}) answered HTTP 400, but the body is a JSON object without the expected fields; expected tokens.`
    )
  })

  it('classifies transient statuses', () => {
    expect([408, 429, 500, 502, 503, 504].every(isTransientStatus)).toBe(true)
    expect([200, 400, 401, 403, 404, 428].some(isTransientStatus)).toBe(false)
  })
})
