import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  DIST_POST,
  findLeaks,
  startAction,
  stateEnv,
  USER_CODE_LINE,
  type ActionResult
} from '../../test-support/action-process.js'
import { startGitHubFake, type GitHubFake } from '../../test-support/github-fake.js'
import { startIdp, type Idp } from '../../test-support/idp.js'

/**
 * dist/post.js as the runner runs a post step: after dist/index.js, with the main step's
 * GITHUB_STATE file handed back as STATE_<name> variables and the same inputs. Every byte both
 * steps write is scanned for secrets; the state file may hold the token for the post step, and
 * nothing else.
 */
let idp: Idp
let github: GitHubFake

beforeAll(async () => {
  ;[idp, github] = await Promise.all([
    startIdp({ interval: 1 }),
    startGitHubFake({
      tokens: { 'pat-e2e': 'write', 'ghs-read-only': 'read' },
      apps: { 'Iv1.e2e': 'app-secret-e2e' }
    })
  ])
})
afterAll(async () => {
  await Promise.all([idp.close(), github.close()])
})

const MODES: Array<{ name: string; env: Record<string, string> }> = [
  { name: 'normal', env: {} },
  { name: 'debug (RUNNER_DEBUG=1)', env: { RUNNER_DEBUG: '1' } }
]

/** RFC 7662 at the embedded IdP: does the provider still take the token? */
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
  return ((await response.json()) as { active: boolean }).active
}

/** Secrets only in ::add-mask:: lines; the state file only under the names the post step reads. */
function expectNoLeaks(
  result: ActionResult,
  secrets: string[],
  allowedInState: string[] = []
): void {
  const streams = {
    stdout: result.stdout,
    stderr: result.stderr,
    summary: result.raw.summary,
    env: result.raw.env
  }
  expect(findLeaks(streams, secrets)).toEqual([])
  const state = Object.entries(result.state)
  for (const [name, value] of state) {
    for (const secret of secrets) {
      if (!value.includes(secret)) continue
      expect(allowedInState).toContain(secret)
      expect(['revoke-access-token', 'revoke-refresh-token']).toContain(name)
    }
  }
}

async function approvedMainStep(inputs: Record<string, string>, env: Record<string, string>) {
  const run = startAction({ inputs, env })
  const [, userCode] = await run.waitFor(USER_CODE_LINE)
  await idp.approve(userCode as string)
  const result = await run.done
  expect(result.code).toBe(0)
  return result
}

describe.each(MODES)('dist/post.js after dist/index.js ($name)', ({ env }) => {
  it('revokes the access token at the revocation endpoint: it fails introspection afterwards', async () => {
    const { clientId, clientSecret } = idp.clients.noRefresh
    const inputs = {
      issuer: idp.issuer,
      'client-id': clientId,
      'client-secret': clientSecret,
      scope: 'openid'
    }
    const main = await approvedMainStep(inputs, env)
    const accessToken = main.outputs['access-token'] as string
    expect(main.state['revoke-access-token']).toBe(accessToken)
    expect(main.stdout).toContain(`::add-mask::${accessToken}`)
    expect(await isActive(accessToken)).toBe(true)

    const post = await startAction({
      inputs,
      env: { ...env, ...stateEnv(main.state) },
      entry: DIST_POST
    }).done
    expect(post.code).toBe(0)
    expect(post.stdout).toContain(
      `Revoked the access token (revocation endpoint ${idp.issuer}/token/revocation).`
    )
    expect(post.stdout).not.toMatch(/^::(warning|error)::/m)
    expect(post.summary).toContain('Access token revoked')
    expect(await isActive(accessToken)).toBe(false)

    expectNoLeaks(main, [clientSecret], [accessToken])
    expectNoLeaks(post, [clientSecret, accessToken])
    if (env['RUNNER_DEBUG'])
      expect(post.stdout).toMatch(
        /::debug::POST .*\/token\/revocation sending \[token, token_type_hint\] with Authorization/
      )
  })

  it('ends with a warning, not a failure, when the provider refuses the revocation', async () => {
    const { clientId, clientSecret } = idp.clients.noRefresh
    const inputs = {
      issuer: idp.issuer,
      'client-id': clientId,
      'client-secret': clientSecret,
      scope: 'openid'
    }
    const main = await approvedMainStep(inputs, env)
    const post = await startAction({
      inputs: { ...inputs, 'client-secret': 'wrong-secret-for-post' },
      env: { ...env, ...stateEnv(main.state) },
      entry: DIST_POST
    }).done
    expect(post.code).toBe(0)
    expect(post.stdout).toMatch(
      /^::warning::The access token was not revoked\. .*"invalid_client" \(HTTP 401\)/m
    )
    expectNoLeaks(post, ['wrong-secret-for-post', main.outputs['access-token'] as string])
  })

  it('runs after a cancelled main step, finds nothing to revoke, and exits 0', async () => {
    const inputs = { issuer: idp.issuer, 'client-id': idp.clients.public.clientId }
    const run = startAction({ inputs, env })
    await run.waitFor(USER_CODE_LINE)
    run.child.kill('SIGINT')
    const main = await run.done
    expect(main.code).toBe(1)
    const post = await startAction({
      inputs,
      env: { ...env, ...stateEnv(main.state) },
      entry: DIST_POST
    }).done
    expect(post.code).toBe(0)
    expect(post.stdout).not.toMatch(/^::(warning|error)::/m)
    if (env['RUNNER_DEBUG']) expect(post.stdout).toContain('Nothing to revoke')
  })

  it("revokes a GitHub token with DELETE /applications/{client_id}/token on the runner's GITHUB_API_URL", async () => {
    const token = github.issueAppToken('Iv1.e2e')
    const state = {
      'revocation-plan': JSON.stringify({
        api: 'github',
        url: github.apiUrl,
        clientId: 'Iv1.e2e',
        clientAuthMethod: 'client_secret_post',
        tokenEndpoint: 'https://github.com/login/oauth/access_token'
      }),
      'revoke-access-token': token
    }
    const post = await startAction({
      inputs: { provider: 'github', 'client-id': 'Iv1.e2e', 'client-secret': 'app-secret-e2e' },
      env: { ...env, ...stateEnv(state) },
      entry: DIST_POST
    }).done
    expect(post.code).toBe(0)
    expect(post.stdout).toContain(`Revoked the access token (GitHub API at ${github.apiUrl}).`)
    expect(github.isAppTokenValid('Iv1.e2e', token)).toBe(false)
    expectNoLeaks(post, [token, 'app-secret-e2e'])
  })
})

describe('dist/index.js with store-refresh-token', () => {
  it('seals the new refresh token into the repository secret (libsodium from its lazy chunk)', async () => {
    const inputs = {
      issuer: idp.issuer,
      'client-id': idp.clients.public.clientId,
      scope: 'openid offline_access',
      'store-refresh-token': 'OAUTH_RT_E2E',
      'secrets-token': 'pat-e2e'
    }
    const main = await approvedMainStep(inputs, {
      GITHUB_API_URL: github.apiUrl,
      GITHUB_REPOSITORY: 'octo/release',
      GITHUB_REPOSITORY_ID: '4242'
    })
    const refreshToken = main.outputs['refresh-token'] as string
    expect(github.secret('repo:octo/release/OAUTH_RT_E2E')?.value).toBe(refreshToken)
    expect(main.outputs['refresh-token-stored']).toBe('true')
    expect(main.stdout).toMatch(
      /Created the repository secret OAUTH_RT_E2E of octo\/release with the new refresh token at /
    )
    expect(main.summary).toContain(
      'Created the repository secret OAUTH&#95;RT&#95;E2E of octo/release'
    )
    expect(main.state).toEqual({})
    expectNoLeaks(main, ['pat-e2e', refreshToken, main.outputs['access-token'] as string])
  })

  it('fails the step with the 403 advice when the token may not write secrets, the new token still an output', async () => {
    const run = startAction({
      inputs: {
        issuer: idp.issuer,
        'client-id': idp.clients.public.clientId,
        scope: 'openid offline_access',
        'store-refresh-token': 'OAUTH_RT_E2E_DENIED',
        'secrets-token': 'ghs-read-only'
      },
      env: { GITHUB_API_URL: github.apiUrl, GITHUB_REPOSITORY: 'octo/release' }
    })
    const [, userCode] = await run.waitFor(USER_CODE_LINE)
    await idp.approve(userCode as string)
    const result = await run.done
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /^::error::Could not read the public key of the repository secret OAUTH_RT_E2E_DENIED of octo\/release: GitHub answered HTTP 403/m
    )
    expect(result.stdout).toContain("The workflow's GITHUB_TOKEN never can")
    // The approval stood: only storing failed, and the run page says so (issue 21).
    expect(result.stdout).toMatch(
      /^::notice title=Approved by alice%2C but the refresh token was not stored::Approved by alice .*\. The tokens are in this step's outputs \(masked\)\. Then the refresh token was not stored: Could not read the public key/m
    )
    expect(result.stdout).not.toContain('title=Approval failed')
    expect(result.summary).toMatch(
      /^<h2>⚠️ Approved by alice, but the refresh token was not stored<\/h2>/
    )
    expect(result.outputs['refresh-token']).toMatch(/^\S{20,}$/)
    expect(github.secret('repo:octo/release/OAUTH_RT_E2E_DENIED')).toBeUndefined()
    expectNoLeaks(result, ['ghs-read-only', result.outputs['refresh-token'] as string])
  })
})
