import { describe, expect, it } from '@jest/globals'
import { ProviderResponseError } from '../../src/errors.js'
import type { OAuthContext } from '../../src/oauth/exchange.js'
import type { HttpResponse } from '../../src/oauth/http.js'
import {
  ApproverError,
  approverFromClaims,
  fetchApprover,
  type UserApi
} from '../../src/oauth/approver.js'
import { github } from '../../src/providers/github.js'
import { FakeClock, json, scriptedHttp, type Route } from '../../test-support/fakes.js'

const USERINFO_URL = 'https://id.example.com/userinfo'
const ACCESS_TOKEN = 'at-secret-for-userinfo'
const userinfo: UserApi = {
  endpoint: { name: 'userinfo endpoint', url: USERINFO_URL },
  nameField: 'preferred_username',
  subjectField: 'sub'
}

function context(routes: Record<string, Route>) {
  const http = scriptedHttp(routes)
  const ctx: OAuthContext = { http, clock: new FakeClock(), requestTimeoutMs: 5000 }
  return { ctx, http }
}

function redirect(status: number, location: string): HttpResponse {
  return { status, headers: { location }, body: '' }
}

describe('approverFromClaims', () => {
  it('names the approver by preferred_username first', () => {
    const claims = { sub: 's-1', preferred_username: 'alice', email: 'alice@example.com' }
    expect(approverFromClaims(claims)).toEqual({
      name: 'alice',
      subject: 's-1',
      shownSubject: 's-1'
    })
  })

  it('falls back to a verified email, then to sub', () => {
    expect(
      approverFromClaims({ sub: 's-1', email: 'alice@example.com', email_verified: true })?.name
    ).toBe('alice@example.com')
    expect(approverFromClaims({ sub: 's-1' })?.name).toBe('s-1')
  })

  it.each([undefined, false, 'true', 1])(
    'names the approver by sub, and says why, when the email is not marked verified (email_verified %j)',
    (verified) => {
      const approver = approverFromClaims({
        sub: 's-1',
        email: 'ceo@victim.example',
        ...(verified !== undefined && { email_verified: verified })
      })
      expect(approver?.name).toBe('s-1')
      expect(approver?.note).toContain(
        'names the email ceo@victim.example, but does not say it is verified'
      )
      expect(approver?.note).toContain('so the approver is named by sub instead')
    }
  )

  it('outputs the whole sub, up to the 255 characters OpenID Connect allows', () => {
    const sub = `auth0|${'x'.repeat(249)}`
    expect(approverFromClaims({ sub })?.subject).toBe(sub)
    expect(() => approverFromClaims({ sub: `${sub}y` })).toThrow(
      'is 256 characters long; OpenID Connect allows at most 255'
    )
  })

  it('refuses a sub that a later step printing it would run as a workflow command', () => {
    for (const sub of ['x##[set-output name=a]b', '::stop-commands::x'])
      expect(() => approverFromClaims({ sub })).toThrow(ApproverError)
  })

  it('makes a name log-safe: neither command syntax, no line break, bidi character or 20 kB', () => {
    const approver = approverFromClaims({
      sub: 's-1',
      preferred_username: `##[set-output name=approver]ceo\u2028\u202e${'y'.repeat(20_000)}`
    })
    expect(approver?.name).not.toContain('##[')
    expect(approver?.name).toContain('\\u2028\\u202e')
    expect([...(approver?.name ?? '')].length).toBeLessThanOrEqual(200)
  })

  it('skips names that are empty or not strings', () => {
    const claims = { sub: 's-1', preferred_username: '', email: { address: 'a@b' } }
    expect(approverFromClaims(claims)?.name).toBe('s-1')
    expect(approverFromClaims({ sub: 's-1', preferred_username: 42 })?.name).toBe('s-1')
  })

  it('knows no approver without a sub', () => {
    expect(approverFromClaims({ preferred_username: 'alice' })).toBeUndefined()
    expect(approverFromClaims({ sub: '' })).toBeUndefined()
    expect(approverFromClaims({ sub: 7 })).toBeUndefined()
  })
})

describe('fetchApprover', () => {
  it('asks the userinfo endpoint with the access token as a bearer token', async () => {
    const { ctx, http } = context({
      [USERINFO_URL]: () =>
        json(200, { sub: 's-1', preferred_username: 'alice', email: 'alice@example.com' })
    })
    const approver = await fetchApprover(ctx, userinfo, ACCESS_TOKEN)
    expect(approver).toEqual({ name: 'alice', subject: 's-1', shownSubject: 's-1' })
    expect(http.requests).toHaveLength(1)
    expect(http.requests[0]?.method).toBe('GET')
    expect(http.requests[0]?.headers['Authorization']).toBe(`Bearer ${ACCESS_TOKEN}`)
  })

  it('reads a GitHub-style /user answer: login for the name, the numeric id as the subject', async () => {
    const api = github.userApi?.('https://github.com/login/oauth/access_token') as UserApi
    expect(api.endpoint.url).toBe('https://api.github.com/user')
    const { ctx, http } = context({
      [api.endpoint.url]: () =>
        json(200, { login: 'octocat', id: 583231, email: null, name: 'The Octocat' })
    })
    expect(await fetchApprover(ctx, api, ACCESS_TOKEN)).toEqual({
      name: 'octocat',
      subject: '583231',
      shownSubject: '583231'
    })
    expect(http.requests[0]?.headers).toMatchObject({
      Accept: 'application/vnd.github+json',
      Authorization: `Bearer ${ACCESS_TOKEN}`
    })
  })

  it('accepts the answer when its subject is the one the ID token named', async () => {
    const { ctx } = context({
      [USERINFO_URL]: () => json(200, { sub: 's-1', preferred_username: 'alice' })
    })
    await expect(fetchApprover(ctx, userinfo, ACCESS_TOKEN, 's-1')).resolves.toMatchObject({
      subject: 's-1'
    })
  })

  it('refuses an answer about another user than the ID token named (OpenID Connect Core §5.3.2)', async () => {
    const { ctx } = context({
      [USERINFO_URL]: () => json(200, { sub: 'mallory', preferred_username: 'alice' })
    })
    const error = await fetchApprover(ctx, userinfo, ACCESS_TOKEN, 's-1').catch(
      (caught: unknown) => caught
    )
    expect(error).toBeInstanceOf(ProviderResponseError)
    expect((error as Error).message).toMatch(/describes a different user than the ID token/)
  })

  it('refuses an answer without the subject field, naming the field', async () => {
    const { ctx } = context({ [USERINFO_URL]: () => json(200, { preferred_username: 'alice' }) })
    await expect(fetchApprover(ctx, userinfo, ACCESS_TOKEN)).rejects.toThrow(/answered without sub/)
  })

  it('reports a refusal of the token (401) without quoting the token', async () => {
    const { ctx } = context({ [USERINFO_URL]: () => json(401, { message: 'Bad credentials' }) })
    const error = (await fetchApprover(ctx, userinfo, ACCESS_TOKEN).catch(
      (caught: unknown) => caught
    )) as Error
    expect(error).toBeInstanceOf(ProviderResponseError)
    expect(error.message).toMatch(/HTTP 401/)
    expect(error.message).not.toContain(ACCESS_TOKEN)
  })

  it('follows a redirect on the same origin with the token', async () => {
    const moved = 'https://id.example.com/v2/userinfo'
    const { ctx, http } = context({
      [USERINFO_URL]: () => redirect(301, '/v2/userinfo'),
      [moved]: () => json(200, { sub: 's-1' })
    })
    await expect(fetchApprover(ctx, userinfo, ACCESS_TOKEN)).resolves.toMatchObject({
      subject: 's-1'
    })
    expect(http.requests.map((r) => r.url)).toEqual([USERINFO_URL, moved])
  })

  it('never follows a redirect to another origin with the bearer token', async () => {
    const elsewhere = 'https://collector.example.net/userinfo'
    const { ctx, http } = context({
      [USERINFO_URL]: () => redirect(302, elsewhere),
      [elsewhere]: () => json(200, { sub: 's-1' })
    })
    const error = (await fetchApprover(ctx, userinfo, ACCESS_TOKEN).catch(
      (caught: unknown) => caught
    )) as Error
    expect(error).toBeInstanceOf(ProviderResponseError)
    expect(error.message).toMatch(/redirected to another site \(collector\.example\.net\)/)
    expect(http.requests.map((r) => r.url)).toEqual([USERINFO_URL])
  })

  it('does not treat another port on the same host as the same origin', async () => {
    const otherPort = 'https://id.example.com:8443/userinfo'
    const { ctx, http } = context({
      [USERINFO_URL]: () => redirect(307, otherPort),
      [otherPort]: () => json(200, { sub: 's' })
    })
    await expect(fetchApprover(ctx, userinfo, ACCESS_TOKEN)).rejects.toThrow(/another site/)
    expect(http.requests).toHaveLength(1)
  })
})
