import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  DIST_POST,
  findLeaks,
  startAction,
  stateEnv,
  USER_CODE_LINE,
  type ActionResult
} from '../../test-support/action-process.js'
import { startIdp, type Idp } from '../../test-support/idp.js'

/**
 * One approval for a whole pipeline (issue 22), as the runner runs it: dist/index.js as the
 * approving job, then again as a later job of the same run (its own process, its own runner
 * files, the same GITHUB_RUN_ID and GITHUB_REPOSITORY_ID) given only the first one's handoff
 * output; dist/post/index.js as each job's post step. Every byte both jobs write is scanned for
 * secrets.
 */
let idp: Idp
let shortLived: Idp

beforeAll(async () => {
  ;[idp, shortLived] = await Promise.all([
    startIdp({ interval: 1 }),
    startIdp({ interval: 1, accessTokenTtlSeconds: 1 })
  ])
})
afterAll(async () => {
  await Promise.all([idp.close(), shortLived.close()])
})

const KEY = 'q83vEjRWeJq8ze8BI0VniavN7wEjRWeJq83vASNFZ4k='
const RUN = { GITHUB_REPOSITORY_ID: '123456789', GITHUB_RUN_ID: '4242' }
const TOKEN_OUTPUTS = ['access-token', 'refresh-token', 'id-token'] as const

/** The approving job: mode: device and handoff-key; a person approves in the embedded IdP. */
async function approvingJob(issuer: Idp): Promise<ActionResult> {
  const run = startAction({
    inputs: {
      issuer: issuer.issuer,
      'client-id': issuer.clients.public.clientId,
      scope: 'openid offline_access',
      mode: 'device',
      'handoff-key': KEY
    },
    env: { ...RUN, GITHUB_JOB: 'approve', GITHUB_RUN_ATTEMPT: '1' }
  })
  const [, userCode] = await run.waitFor(USER_CODE_LINE)
  await issuer.approve(userCode as string, { user: 'alice' })
  const result = await run.done
  expect(result.code).toBe(0)
  return result
}

/** A later job of the same run, given only the handoff output. */
function laterJob(
  issuer: Idp,
  handoff: string,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {}
): Promise<ActionResult> {
  return startAction({
    inputs: {
      issuer: issuer.issuer,
      'client-id': issuer.clients.public.clientId,
      'handoff-key': KEY,
      handoff,
      ...inputs
    },
    env: { ...RUN, GITHUB_JOB: 'publish', GITHUB_RUN_ATTEMPT: '2', ...env }
  }).done
}

/** Every value the job masked: what the runner would cut out of a job output. */
function maskedIn(result: ActionResult): string[] {
  return [...result.stdout.matchAll(/^::add-mask::(.*)$/gm)].map((match) => match[1] as string)
}

/**
 * Secrets only in ::add-mask:: lines and, the tokens, as their own outputs: not in the log, the
 * summary, the state or env files, and not in the handoff output, which carries none in clear.
 */
function expectNoLeaks(result: ActionResult, secrets: string[], allowedInState: string[] = []) {
  const streams = {
    stdout: result.stdout,
    stderr: result.stderr,
    summary: result.raw.summary,
    env: result.raw.env,
    handoff: result.outputs['handoff'] ?? ''
  }
  expect(findLeaks(streams, secrets)).toEqual([])
  const state = Object.entries(result.state)
    .filter(([name]) => !allowedInState.includes(name))
    .map(([, value]) => value)
    .join('\n')
  expect(findLeaks({ state }, secrets)).toEqual([])
  for (const [name, value] of Object.entries(result.outputs)) {
    if ((TOKEN_OUTPUTS as readonly string[]).includes(name)) continue
    expect(findLeaks({ [name]: value }, secrets)).toEqual([])
  }
}

/** RFC 7662 at the embedded IdP: does the provider still take the token? */
async function isActive(issuer: Idp, token: string): Promise<boolean> {
  const { clientId, clientSecret } = issuer.clients.basic
  const response = await fetch(`${issuer.issuer}/token/introspection`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`
    },
    body: new URLSearchParams({ token })
  })
  return ((await response.json()) as { active: boolean }).active
}

describe('dist/index.js: approve once, hand the tokens to a later job of the run', () => {
  it('the later job gets the same tokens from the handoff alone, with no request, and nothing leaks', async () => {
    const approve = await approvingJob(idp)
    const handoff = approve.outputs['handoff'] as string
    const tokens = TOKEN_OUTPUTS.map((name) => approve.outputs[name] as string)
    expect(tokens.every(Boolean)).toBe(true)
    // A job output: the runner drops one that holds any masked value; this one holds none.
    expect(handoff).toMatch(/^dfa-handoff-v1\.123456789\.4242\.[A-Za-z0-9_-]+$/)
    for (const masked of maskedIn(approve)) expect(handoff).not.toContain(masked)
    expect(approve.stdout).not.toContain(`::add-mask::${handoff}`)
    expect(maskedIn(approve)).toContain(KEY)
    // Compact: a few hundred bytes of JSON, 40 bytes of nonce and tag, in base64url.
    expect(handoff.length).toBeLessThan(4000)

    const requestsBefore = idp.requests.length
    const publish = await laterJob(idp, handoff)
    expect(publish.code).toBe(0)
    expect(idp.requests.length).toBe(requestsBefore)
    for (const name of [
      ...TOKEN_OUTPUTS,
      'approver',
      'approver-subject',
      'approvers',
      'expires-at',
      'scope',
      'token-type'
    ])
      expect([name, publish.outputs[name]]).toEqual([name, approve.outputs[name]])
    expect(publish.stdout).toContain(
      'Opened the handoff of job approve (attempt 1): approved by alice.'
    )
    expect(publish.summary).toContain('Opened the handoff of an earlier job')
    // Masked in the later job before any line that could print them.
    for (const secret of [KEY, ...tokens])
      expect(publish.stdout.indexOf(`::add-mask::${secret}`)).toBeGreaterThanOrEqual(0)

    const secrets = [KEY, ...tokens]
    expectNoLeaks(approve, secrets, ['revoke-access-token', 'revoke-refresh-token'])
    expectNoLeaks(publish, secrets)

    // The approving job's post step leaves the tokens to the later jobs.
    const approvePost = await startAction({
      inputs: { issuer: idp.issuer, 'client-id': idp.clients.public.clientId, 'handoff-key': KEY },
      env: { ...RUN, ...stateEnv(approve.state) },
      entry: DIST_POST
    }).done
    expect(approvePost.code).toBe(0)
    expect(approvePost.stdout).not.toMatch(/Revoked/)
    expect(await isActive(idp, tokens[0] as string)).toBe(true)
    expectNoLeaks(approvePost, secrets)
  })

  it('the last job revokes at its end when its revoke says so', async () => {
    const approve = await approvingJob(idp)
    const accessToken = approve.outputs['access-token'] as string
    const tag = await laterJob(idp, approve.outputs['handoff'] as string, { revoke: 'all' })
    expect(tag.code).toBe(0)
    const post = await startAction({
      inputs: { issuer: idp.issuer, 'client-id': idp.clients.public.clientId, revoke: 'all' },
      env: { ...RUN, ...stateEnv(tag.state) },
      entry: DIST_POST
    }).done
    expect(post.code).toBe(0)
    expect(post.stdout).toContain('Revoked the refresh token')
    expect(await isActive(idp, accessToken)).toBe(false)
    const secrets = [KEY, accessToken, approve.outputs['refresh-token'] as string]
    expectNoLeaks(tag, secrets, ['revoke-access-token', 'revoke-refresh-token'])
    expectNoLeaks(post, secrets)
  })

  it('an expired access token is refreshed with the refresh token inside, and nothing leaks', async () => {
    const approve = await approvingJob(shortLived)
    const handoff = approve.outputs['handoff'] as string
    const first = TOKEN_OUTPUTS.map((name) => approve.outputs[name] as string)
    // Past the access token's one second of life.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const publish = await laterJob(shortLived, handoff)
    expect(publish.code).toBe(0)
    expect(publish.stdout).toContain('Exchanged the refresh token for a new access token.')
    const renewed = publish.outputs['access-token'] as string
    expect(renewed).toMatch(/^\S{20,}$/)
    expect(renewed).not.toBe(first[0])
    expect(await isActive(shortLived, renewed)).toBe(true)
    // oidc-provider rotates refresh tokens: the new one is reported, for a store step.
    expect(publish.outputs['refresh-token-rotated']).toBe('true')
    expect(publish.outputs['approver']).toBe('alice')
    // The ID token verified at approval, not the refresh's (which nobody verified here).
    expect(publish.outputs['id-token']).toBe(approve.outputs['id-token'])
    expect(publish.summary).toContain('this job refreshed it')
    const secrets = [KEY, ...first, renewed, publish.outputs['refresh-token'] as string]
    for (const secret of secrets)
      expect(publish.stdout.indexOf(`::add-mask::${secret}`)).toBeGreaterThanOrEqual(0)
    expectNoLeaks(approve, secrets, ['revoke-access-token', 'revoke-refresh-token'])
    expectNoLeaks(publish, secrets)
  })

  it('refuses the handoff in another run, with another key, or cut short: exit 1, nothing output', async () => {
    const approve = await approvingJob(idp)
    const handoff = approve.outputs['handoff'] as string
    const cases: Array<[string, Promise<ActionResult>]> = [
      [
        'sealed in workflow run 4242, and this is run 4243',
        laterJob(idp, handoff, {}, { GITHUB_RUN_ID: '4243' })
      ],
      [
        'handoff-key is not the key that sealed it',
        laterJob(idp, handoff, { 'handoff-key': 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=' })
      ],
      ['The handoff', laterJob(idp, handoff.slice(0, -8))]
    ]
    const secrets = TOKEN_OUTPUTS.map((name) => approve.outputs[name] as string)
    for (const [says, job] of cases) {
      const result = await job
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(
        new RegExp(`^::error::.*${says.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm')
      )
      expect(result.outputs).toEqual({})
      expectNoLeaks(result, [KEY, ...secrets])
    }
  })
})
