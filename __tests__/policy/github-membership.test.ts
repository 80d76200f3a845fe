import { describe, expect, it } from '@jest/globals'
import { CancelledError } from '../../src/errors.js'
import type { OAuthContext } from '../../src/oauth/exchange.js'
import { TransportFailure, type HttpResponse } from '../../src/oauth/http.js'
import { gitHubMembership, type Membership } from '../../src/policy/github-membership.js'
import { FakeClock, json, scriptedHttp, type Route } from '../../test-support/fakes.js'

const API = 'https://api.github.com'
const TOKEN = 'gho_approver_token_0123456789'
const ORG_URL = `${API}/user/memberships/orgs/octo`
const TEAM_URL = `${API}/orgs/octo/teams/release-managers/memberships/mona`

function lookup(
  routes: Record<string, Route>,
  options: { signal?: AbortSignal; base?: string } = {}
) {
  const http = scriptedHttp(routes)
  const clock = new FakeClock()
  const ctx: OAuthContext = {
    http,
    clock,
    requestTimeoutMs: 5000,
    ...(options.signal && { signal: options.signal })
  }
  const membership = gitHubMembership(ctx, {
    apiBaseUrl: options.base ?? API,
    accessToken: TOKEN,
    login: 'mona'
  })
  return { http, clock, membership }
}

async function orgAnswer(response: HttpResponse | (() => HttpResponse)): Promise<Membership> {
  const { membership } = lookup({
    [ORG_URL]: typeof response === 'function' ? response : () => response
  })
  return membership.check({ org: 'octo' })
}

describe('gitHubMembership: @org', () => {
  it('asks GET /user/memberships/orgs/{org} with the token and the API version', async () => {
    const { http, membership } = lookup({ [ORG_URL]: () => json(200, { state: 'active' }) })
    expect(await membership.check({ org: 'octo' })).toEqual({ status: 'member' })
    expect(http.requests).toHaveLength(1)
    expect(http.requests[0]).toMatchObject({
      method: 'GET',
      headers: {
        Authorization: `Bearer ${TOKEN}`,
        Accept: 'application/vnd.github+json',
        'X-GitHub-Api-Version': '2022-11-28'
      }
    })
  })

  it('counts a pending invitation as no membership', async () => {
    expect(await orgAnswer(json(200, { state: 'pending' }))).toEqual({
      status: 'not-member',
      detail: 'was invited to @octo but has not accepted'
    })
  })

  it('reads 404 as no membership, with what else a 404 can mean', async () => {
    const answer = await orgAnswer(json(404, { message: 'Not Found' }))
    expect(answer.status).toBe('not-member')
    expect(answer).toMatchObject({ detail: expect.stringContaining('read:org') })
    expect(answer).toMatchObject({
      detail: expect.stringContaining('"Members" organization permission')
    })
  })

  it('fails closed when the OAuth token lacks read:org, whatever the status', async () => {
    for (const status of [200, 404]) {
      const answer = await orgAnswer(
        json(status, { state: 'active' }, { 'x-oauth-scopes': 'repo, gist' })
      )
      expect(answer).toEqual({
        status: 'unknown',
        problem:
          "The approver's token has the scopes repo, gist but not read:org, which GitHub needs to show membership of @octo. Add read:org to the scope input."
      })
    }
  })

  it.each(['read:org', 'write:org', 'admin:org'])('accepts %s as enough scope', async (scope) => {
    expect(
      await orgAnswer(json(200, { state: 'active' }, { 'x-oauth-scopes': `repo, ${scope}` }))
    ).toEqual({
      status: 'member'
    })
  })

  it('says when SAML single sign-on stands in the way', async () => {
    const answer = await orgAnswer(
      json(
        403,
        { message: 'Resource protected by organization SAML enforcement.' },
        {
          'x-github-sso': 'required; url=https://github.com/orgs/octo/sso?authorization_request=x'
        }
      )
    )
    expect(answer.status).toBe('unknown')
    expect(answer).toMatchObject({ problem: expect.stringContaining('SAML single sign-on') })
    expect(JSON.stringify(answer)).not.toContain('authorization_request')
  })

  it('fails closed on 403 with GitHub’s own words and the permission to grant', async () => {
    const answer = await orgAnswer(json(403, { message: 'Resource not accessible by integration' }))
    expect(answer).toMatchObject({
      status: 'unknown',
      problem: expect.stringContaining('GitHub says: "Resource not accessible by integration"')
    })
    expect(answer).toMatchObject({
      problem: expect.stringContaining('OAuth App access restrictions')
    })
  })

  it('fails closed on 401, on a redirect (a renamed organization) and on an answer without state', async () => {
    expect(await orgAnswer(json(401, { message: 'Bad credentials' }))).toMatchObject({
      status: 'unknown',
      problem: expect.stringContaining('rejected the approver')
    })
    expect(
      await orgAnswer({ status: 301, headers: { location: `${API}/x` }, body: '' })
    ).toMatchObject({
      status: 'unknown',
      problem: expect.stringContaining('renamed')
    })
    expect(await orgAnswer(json(200, { role: 'member' }))).toMatchObject({ status: 'unknown' })
  })

  it('keeps GitHub’s message to one bounded line', async () => {
    const answer = await orgAnswer(
      json(418, { message: `line one\n::error::forged${'x'.repeat(500)}` })
    )
    expect(answer.status).toBe('unknown')
    const problem = (answer as { problem: string }).problem
    expect(problem).not.toMatch(/\n/)
    expect(problem.length).toBeLessThan(320)
  })

  it('never puts the token in an answer', async () => {
    const answers = await Promise.all([
      orgAnswer(json(401, { message: `token ${TOKEN.slice(0, 3)}` })),
      orgAnswer(json(500, {}))
    ])
    for (const answer of answers) expect(JSON.stringify(answer)).not.toContain(TOKEN)
  })
})

describe('gitHubMembership: @org/team', () => {
  it('asks GET /orgs/{org}/teams/{team}/memberships/{login}', async () => {
    const { membership } = lookup({
      [TEAM_URL]: () => json(200, { state: 'active', role: 'maintainer' })
    })
    expect(await membership.check({ org: 'octo', team: 'release-managers' })).toEqual({
      status: 'member'
    })
  })

  it('escapes the path segments', async () => {
    const url = `${API}/orgs/octo/teams/a.b_c/memberships/mona`
    const { http, membership } = lookup({ [url]: () => json(404, {}) })
    expect((await membership.check({ org: 'octo', team: 'a.b_c' })).status).toBe('not-member')
    expect(http.requests[0]?.url).toBe(url)
  })

  it('works against GitHub Enterprise Server (/api/v3)', async () => {
    const base = 'https://ghe.example.com/api/v3/'
    const { membership } = lookup(
      {
        'https://ghe.example.com/api/v3/user/memberships/orgs/octo': () =>
          json(200, { state: 'active' })
      },
      { base }
    )
    expect(await membership.check({ org: 'octo' })).toEqual({ status: 'member' })
  })
})

describe('gitHubMembership: failures on the way', () => {
  it('tries again after a 502 and a 429, then takes the answer', async () => {
    const answers = [
      json(502, {}),
      json(429, {}, { 'retry-after': '2' }),
      json(200, { state: 'active' })
    ]
    const { http, clock, membership } = lookup({ [ORG_URL]: () => answers.shift() as HttpResponse })
    expect(await membership.check({ org: 'octo' })).toEqual({ status: 'member' })
    expect(http.requests).toHaveLength(3)
    expect(clock.sleeps[1]).toBe(2000)
  })

  it('waits at most 10 s for a Retry-After, and stops after three tries', async () => {
    const { http, clock, membership } = lookup({
      [ORG_URL]: () => json(503, { message: 'down' }, { 'retry-after': '120' })
    })
    expect(await membership.check({ org: 'octo' })).toMatchObject({
      status: 'unknown',
      problem: expect.stringContaining('HTTP 503')
    })
    expect(http.requests).toHaveLength(3)
    expect(clock.sleeps).toEqual([10_000, 10_000])
  })

  it('fails closed when GitHub cannot be reached', async () => {
    const { http, membership } = lookup({
      [ORG_URL]: () => {
        throw new TransportFailure('connection', false, 'ECONNREFUSED')
      }
    })
    expect(await membership.check({ org: 'octo' })).toEqual({
      status: 'unknown',
      problem: 'Could not ask GitHub about @octo: ECONNREFUSED.'
    })
    expect(http.requests).toHaveLength(3)
  })

  it('stops at once when the step is cancelled', async () => {
    const controller = new AbortController()
    controller.abort()
    const { http, membership } = lookup(
      { [ORG_URL]: () => json(200, { state: 'active' }) },
      {
        signal: controller.signal
      }
    )
    await expect(membership.check({ org: 'octo' })).rejects.toBeInstanceOf(CancelledError)
    expect(http.requests).toHaveLength(0)
  })
})
