import { describe, expect, it } from '@jest/globals'
import type { ClientCredentials } from '../../src/oauth/client-auth.js'
import type { TokenSet } from '../../src/oauth/token.js'
import { gitHubApiFor, planRevocation, type PlanInputs } from '../../src/revocation/plan.js'

const NOW = Date.UTC(2026, 11, 2, 12)
const client: ClientCredentials = {
  clientId: 'app',
  method: 'client_secret_basic',
  clientSecret: 's'
}
const tokens: TokenSet = { accessToken: 'at-1', expiresInSeconds: 600 }
const base: PlanInputs = {
  revoke: 'access-token',
  github: false,
  client,
  metadata: {
    tokenEndpoint: 'https://id.example.com/token',
    revocationEndpoint: 'https://id.example.com/revoke'
  },
  refreshTokenKept: false,
  env: {},
  nowMs: NOW
}

describe('planRevocation: what the post step will revoke', () => {
  it('revokes the access token at the revocation endpoint when no refresh token outlives the job', () => {
    expect(planRevocation(tokens, base)).toEqual({
      state: {
        plan: {
          api: 'rfc7009',
          url: 'https://id.example.com/revoke',
          clientId: 'app',
          clientAuthMethod: 'client_secret_basic',
          tokenEndpoint: 'https://id.example.com/token',
          accessTokenExpiresAtMs: NOW + 600_000
        },
        accessToken: 'at-1'
      }
    })
  })

  it('never saves the client secret', () => {
    expect(JSON.stringify(planRevocation(tokens, base))).not.toContain('"s"')
  })

  it('revokes nothing with revoke: none', () => {
    expect(planRevocation(tokens, { ...base, revoke: 'none' })).toEqual({})
  })

  it('leaves the access token alone when a refresh token outlives the job (RFC 7009 §2.1), and says how to revoke both', () => {
    const plan = planRevocation(tokens, { ...base, refreshToken: 'rt-1' })
    expect(plan.state).toBeUndefined()
    expect(plan.note).toContain('RFC 7009 §2.1')
    expect(plan.note).toContain('Set revoke: all')
  })

  it('revokes both with revoke: all', () => {
    const plan = planRevocation(tokens, { ...base, revoke: 'all', refreshToken: 'rt-1' })
    expect(plan.state).toMatchObject({ accessToken: 'at-1', refreshToken: 'rt-1' })
  })

  it('never touches a refresh token kept for later jobs, even with revoke: all', () => {
    const plan = planRevocation(tokens, {
      ...base,
      revoke: 'all',
      refreshToken: 'rt-1',
      refreshTokenKept: true
    })
    expect(plan.state).toBeUndefined()
    expect(plan.note).toContain('kept for later jobs')
  })

  it('says so when the provider has no revocation endpoint', () => {
    const plan = planRevocation(tokens, {
      ...base,
      metadata: { tokenEndpoint: 'https://id.example.com/token' }
    })
    expect(plan.state).toBeUndefined()
    expect(plan.note).toContain('no revocation_endpoint')
    expect(plan.note).toContain('revocation-endpoint')
  })

  it("uses GitHub's API with provider: github, and only with a client secret", () => {
    const github = {
      ...base,
      github: true,
      client: { clientId: 'Iv1.x', method: 'client_secret_post' as const, clientSecret: 'gh' },
      metadata: { tokenEndpoint: 'https://github.com/login/oauth/access_token' }
    }
    expect(planRevocation(tokens, github).state?.plan).toMatchObject({
      api: 'github',
      url: 'https://api.github.com',
      clientId: 'Iv1.x'
    })
    const without = planRevocation(tokens, {
      ...github,
      client: { clientId: 'Iv1.x', method: 'none' as const }
    })
    expect(without.state).toBeUndefined()
    expect(without.note).toContain("only with the app's client secret")
  })

  it('says GitHub revokes the access token only, with revoke: all', () => {
    const plan = planRevocation(tokens, {
      ...base,
      revoke: 'all',
      refreshToken: 'ghr_1',
      github: true,
      metadata: { tokenEndpoint: 'https://github.com/login/oauth/access_token' }
    })
    expect(plan.state?.refreshToken).toBeUndefined()
    expect(plan.state?.accessToken).toBe('at-1')
    expect(plan.note).toContain('revokes the access token only')
  })
})

describe('gitHubApiFor', () => {
  it("uses the runner's GITHUB_API_URL for a token from the runner's own server", () => {
    const env = {
      GITHUB_SERVER_URL: 'https://ghes.example.com',
      GITHUB_API_URL: 'https://ghes.example.com/api/v3'
    }
    expect(gitHubApiFor('https://ghes.example.com/login/oauth/access_token', env)).toBe(
      'https://ghes.example.com/api/v3'
    )
  })

  it("derives the API of another server by GitHub's rules", () => {
    expect(
      gitHubApiFor('https://github.com/login/oauth/access_token', {
        GITHUB_SERVER_URL: 'https://ghes.example.com'
      })
    ).toBe('https://api.github.com')
    expect(gitHubApiFor('https://other.example.com/login/oauth/access_token', {})).toBe(
      'https://other.example.com/api/v3'
    )
  })
})
