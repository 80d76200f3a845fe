import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { systemClock } from '../../src/clock.js'
import { run } from '../../src/main.js'
import { createHttpTransport } from '../../src/oauth/http.js'
import { runPost, type PostRunner } from '../../src/revocation/post-step.js'
import { RecordingRunner } from '../../test-support/fakes.js'
import { startGitHubFake, type GitHubFake } from '../../test-support/github-fake.js'
import { startIdp, type Idp } from '../../test-support/idp.js'

/**
 * The main step and then the post step, in process, against the embedded identity provider:
 * the main step saves the state, the post step gets it back as the runner hands it over, and
 * revokes at the provider's revocation_endpoint (RFC 7009). RFC 7662 introspection at the same
 * provider shows whether a token still lives.
 */
let idp: Idp
let github: GitHubFake

beforeAll(async () => {
  idp = await startIdp({
    interval: 1,
    onDeviceAuthorization: (userCode) => void idp.approve(userCode, { user: 'alice' })
  })
  github = await startGitHubFake({
    apps: { 'Iv1.app': 'app-secret-1' },
    tokens: { 'pat-write': 'write' }
  })
})
afterAll(async () => {
  await Promise.all([idp.close(), github.close()])
})

const http = createHttpTransport('device-flow-action-test')

/** RFC 7662: whether the provider still takes the token, asked as the basic client. */
async function isActive(token: string): Promise<boolean> {
  const { clientId, clientSecret } = idp.clients.basic
  const response = await fetch(`${idp.issuer}/token/introspection`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`
    },
    body: new URLSearchParams({ token })
  })
  expect(response.status).toBe(200)
  return ((await response.json()) as { active: boolean }).active
}

/** The post step's runner: the same inputs, and the state the main step saved. */
function postRunnerOf(main: RecordingRunner, inputs = main.inputs): PostRunner & RecordingRunner {
  const runner = new RecordingRunner(inputs, main.env)
  return Object.assign(runner, { getState: (name: string) => main.state[name] ?? '' })
}

async function mainStep(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  expected = 'approved'
): Promise<RecordingRunner> {
  const runner = new RecordingRunner(
    {
      issuer: idp.issuer,
      'client-id': idp.clients.basic.clientId,
      'client-secret': idp.clients.basic.clientSecret,
      scope: 'openid offline_access',
      ...inputs
    },
    env
  )
  const ending = await run({
    runner,
    http,
    clock: systemClock,
    signal: new AbortController().signal
  })
  expect(runner.failed).toBeUndefined()
  expect(ending).toBe(expected)
  return runner
}

const signal = new AbortController().signal

describe('the post step against the embedded identity provider (RFC 7009)', () => {
  it('revokes the access token: introspection says it is no longer active', async () => {
    const { clientId, clientSecret } = idp.clients.noRefresh
    const main = await mainStep({ 'client-id': clientId, 'client-secret': clientSecret })
    const accessToken = main.outputs['access-token'] as string
    expect(main.outputs['refresh-token']).toBeUndefined()
    expect(await isActive(accessToken)).toBe(true)
    // Nothing secret in the plan; the token is saved apart, and was masked before.
    expect(main.state['revocation-plan']).not.toContain(clientSecret)
    expect(main.state['revocation-plan']).not.toContain(accessToken)
    expect(main.state['revoke-access-token']).toBe(accessToken)
    expect(main.secrets).toContain(accessToken)

    const post = postRunnerOf(main)
    const outcome = await runPost({ runner: post, http, clock: systemClock, signal })
    expect(outcome).toEqual([{ token: 'access_token', result: { kind: 'revoked' } }])
    expect(post.text('info')).toContain(
      `Revoked the access token (revocation endpoint ${idp.issuer}/token/revocation).`
    )
    expect(post.text('warning')).toBe('')
    expect(post.summary).toContain('Access token revoked')
    expect(await isActive(accessToken)).toBe(false)
  })

  it('leaves both alone by default when a refresh token was issued: revoking one could end the other', async () => {
    const main = await mainStep({})
    expect(main.state).toEqual({})
    expect(main.text('info')).toContain('RFC 7009 §2.1')
    expect(main.text('info')).toContain('Set revoke: all to revoke both')
    // The reason: this provider ends the whole grant when an access token is revoked.
    expect(await isActive(main.outputs['refresh-token'] as string)).toBe(true)
  })

  it('revokes the refresh token and the access token with revoke: all', async () => {
    const main = await mainStep({ revoke: 'all' })
    const post = postRunnerOf(main)
    const outcome = await runPost({ runner: post, http, clock: systemClock, signal })
    expect(outcome.map(({ token, result }) => [token, result.kind])).toEqual([
      ['refresh_token', 'revoked'],
      ['access_token', 'revoked']
    ])
    expect(await isActive(main.outputs['access-token'] as string)).toBe(false)
    expect(await isActive(main.outputs['refresh-token'] as string)).toBe(false)
  })

  it('authenticates as the main step did: a public client too', async () => {
    const main = await mainStep({
      'client-id': idp.clients.public.clientId,
      'client-secret': '',
      revoke: 'all'
    })
    const post = postRunnerOf(main)
    const outcome = await runPost({ runner: post, http, clock: systemClock, signal })
    expect(outcome.every(({ result }) => result.kind === 'revoked')).toBe(true)
    expect(await isActive(main.outputs['refresh-token'] as string)).toBe(false)
  })

  it("warns with the provider's words, and does not fail, when the post step's secret is wrong", async () => {
    const { clientId, clientSecret } = idp.clients.noRefresh
    const main = await mainStep({ 'client-id': clientId, 'client-secret': clientSecret })
    const post = postRunnerOf(main, { ...main.inputs, 'client-secret': 'not-the-secret' })
    const outcome = await runPost({ runner: post, http, clock: systemClock, signal })
    expect(outcome[0]?.result.kind).toBe('refused')
    expect(post.text('warning')).toMatch(
      /^The access token was not revoked\. The revocation endpoint .* answered "invalid_client" \(HTTP 401\)/
    )
    expect(post.text('warning')).toContain('check client-id, client-secret')
    expect(post.secrets).toContain('not-the-secret')
    expect(post.summary).toContain('Access token not revoked (see the log)')
    expect(await isActive(main.outputs['access-token'] as string)).toBe(true)
  })

  it('saves nothing with revoke: none, and the post step does nothing', async () => {
    const { clientId, clientSecret } = idp.clients.noRefresh
    const main = await mainStep({
      'client-id': clientId,
      'client-secret': clientSecret,
      revoke: 'none'
    })
    expect(main.state).toEqual({})
    const post = postRunnerOf(main)
    expect(await runPost({ runner: post, http, clock: systemClock, signal })).toEqual([])
    expect(await isActive(main.outputs['access-token'] as string)).toBe(true)
  })

  it('never revokes a refresh token that is stored for later jobs, even with revoke: all', async () => {
    const env = {
      GITHUB_API_URL: github.apiUrl,
      GITHUB_REPOSITORY: 'octo/release',
      GITHUB_REPOSITORY_ID: '4242'
    }
    const main = await mainStep(
      { revoke: 'all', 'store-refresh-token': 'OAUTH_RT', 'secrets-token': 'pat-write' },
      env
    )
    expect(main.failed).toBeUndefined()
    const refreshToken = main.outputs['refresh-token'] as string
    expect(github.secret('repo:octo/release/OAUTH_RT')?.value).toBe(refreshToken)
    expect(main.outputs['refresh-token-stored']).toBe('true')
    expect(main.text('info')).toMatch(
      /Created the repository secret OAUTH_RT of octo\/release with the new refresh token at \d{4}-\d\d-\d\dT/
    )
    expect(main.summary).toContain(
      'Created the repository secret OAUTH&#95;RT of octo/release with the new refresh token'
    )
    expect(main.state).toEqual({})
    expect(main.text('info')).toContain('the refresh token is kept for later jobs')
    expect(await isActive(refreshToken)).toBe(true)
  })

  it('after a rotating refresh, revoke: all revokes the new refresh token, not the spent input', async () => {
    const first = await mainStep({ revoke: 'none' })
    const refreshToken = first.outputs['refresh-token'] as string
    const main = await mainStep({ revoke: 'all', 'refresh-token': refreshToken }, {}, 'refreshed')
    // oidc-provider rotates: the new one is not the input, and revoke: all may revoke it.
    const rotated = main.outputs['refresh-token'] as string
    expect(rotated).not.toBe(refreshToken)
    expect(main.state['revoke-refresh-token']).toBe(rotated)
  })
})

describe('the post step against a GitHub fake (DELETE /applications/{client_id}/token)', () => {
  it("revokes the access token with the app's client credentials", async () => {
    const token = github.issueAppToken('Iv1.app')
    const post = Object.assign(new RecordingRunner({ 'client-secret': 'app-secret-1' }), {
      getState: (name: string) =>
        ({
          'revocation-plan': JSON.stringify({
            api: 'github',
            url: github.apiUrl,
            clientId: 'Iv1.app',
            clientAuthMethod: 'client_secret_post',
            tokenEndpoint: 'https://github.com/login/oauth/access_token'
          }),
          'revoke-access-token': token
        })[name] ?? ''
    })
    const outcome = await runPost({
      runner: post,
      http,
      clock: systemClock,
      signal: new AbortController().signal
    })
    expect(outcome).toEqual([{ token: 'access_token', result: { kind: 'revoked' } }])
    expect(github.revoked).toContain(token)
    expect(github.isAppTokenValid('Iv1.app', token)).toBe(false)
    expect(post.secrets).toContain(token)
  })

  it('warns, naming client-secret, when GitHub does not accept the credentials', async () => {
    const token = github.issueAppToken('Iv1.app')
    const post = Object.assign(new RecordingRunner({ 'client-secret': 'stale-secret' }), {
      getState: (name: string) =>
        ({
          'revocation-plan': JSON.stringify({
            api: 'github',
            url: github.apiUrl,
            clientId: 'Iv1.app',
            clientAuthMethod: 'client_secret_post',
            tokenEndpoint: 'https://github.com/login/oauth/access_token'
          }),
          'revoke-access-token': token
        })[name] ?? ''
    })
    await runPost({ runner: post, http, clock: systemClock, signal })
    expect(post.text('warning')).toContain('answered HTTP 404 ("Not Found")')
    expect(post.text('warning')).toContain(
      'check that client-secret is a current secret of this app'
    )
    expect(github.isAppTokenValid('Iv1.app', token)).toBe(true)
  })
})
