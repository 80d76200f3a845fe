import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  findLeaks,
  startAction,
  USER_CODE_LINE,
  type ActionResult,
  type ActionRun
} from '../../test-support/action-process.js'
import { startIdp, type Idp } from '../../test-support/idp.js'

/**
 * dist/index.js run as the runner runs it (INPUT_* variables, real GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY, GITHUB_STATE and GITHUB_ENV files) against the embedded identity provider.
 * Every scenario scans every byte the action wrote for secret values outside ::add-mask:: lines,
 * in normal and in debug mode (RUNNER_DEBUG=1).
 */
let idp: Idp
let shortLived: Idp

beforeAll(async () => {
  ;[idp, shortLived] = await Promise.all([
    startIdp({ interval: 1 }),
    startIdp({ interval: 1, deviceCodeTtlSeconds: 2 })
  ])
})
afterAll(async () => {
  await Promise.all([idp.close(), shortLived.close()])
})

const OUTPUT_SECRETS = ['access-token', 'refresh-token', 'id-token'] as const
const MODES: Array<{ name: string; env: Record<string, string> }> = [
  { name: 'normal', env: {} },
  { name: 'debug (RUNNER_DEBUG=1)', env: { RUNNER_DEBUG: '1' } }
]

/** The device code, as the token endpoint saw it: the IdP records every request's grant. */
function deviceCodeOf(run: ActionRun): string | undefined {
  return /::add-mask::(\S+)\n/.exec(run.stdout())?.[1]
}

/**
 * Secrets may appear only in ::add-mask:: lines, and (the tokens) as their own output in the
 * output file. Nothing else: not the log, not stderr, not the summary, state or env files.
 */
function expectNoLeaks(result: ActionResult, secrets: string[], outputTokens: string[] = []): void {
  const everywhereButOutputs = {
    stdout: result.stdout,
    stderr: result.stderr,
    summary: result.raw.summary,
    state: result.raw.state,
    env: result.raw.env
  }
  expect(findLeaks(everywhereButOutputs, [...secrets, ...outputTokens])).toEqual([])
  // The output file carries the tokens as outputs; anything else secret must not be there.
  expect(findLeaks({ output: result.raw.output }, secrets)).toEqual([])
  for (const token of outputTokens) {
    const carriers = Object.entries(result.outputs).filter(([, value]) => value.includes(token))
    for (const [name] of carriers) expect(OUTPUT_SECRETS).toContain(name)
  }
}

/** Every secret is announced with ::add-mask:: before its first use anywhere in stdout. */
function expectMaskedBeforeUse(stdout: string, secrets: string[]): void {
  for (const secret of secrets) {
    const mask = stdout.indexOf(`::add-mask::${secret}`)
    expect(mask).toBeGreaterThanOrEqual(0)
  }
}

describe.each(MODES)('dist/index.js as a runner step ($name)', ({ env }) => {
  it('prompts live, gets tokens once approved, writes outputs and a summary, leaks nothing', async () => {
    const { clientId, clientSecret } = idp.clients.post
    const run = startAction({
      inputs: {
        issuer: idp.issuer,
        'client-id': clientId,
        'client-secret': clientSecret,
        scope: 'openid profile offline_access'
      },
      env
    })
    // The prompt and the notice are in the log before anyone approves: the log is live.
    await run.waitFor(/^::notice title=Approval needed%3A enter code \S+::Open /m)
    const [, userCode] = await run.waitFor(USER_CODE_LINE)
    expect(run.stdout()).toContain(`${idp.issuer}/device`)
    await idp.approve(userCode as string, { user: 'bob' })
    const result = await run.done

    expect(result.code).toBe(0)
    expect(result.outputs['access-token']).toMatch(/^\S{20,}$/)
    expect(result.outputs['refresh-token']).toBeDefined()
    expect(result.outputs['id-token']).toBeDefined()
    expect(result.outputs['approver']).toBe('bob')
    expect(result.outputs['expires-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(result.summary).toContain('✅ Approved')
    expect(result.summary).toContain(userCode)
    const tokens = OUTPUT_SECRETS.map((name) => result.outputs[name] as string)
    const deviceCode = deviceCodeOf(run)
    expect(deviceCode).toBeDefined()
    expectMaskedBeforeUse(result.stdout, [clientSecret, deviceCode as string, ...tokens])
    expectNoLeaks(result, [clientSecret, deviceCode as string], tokens)
    if (env['RUNNER_DEBUG'])
      expect(result.stdout).toMatch(/::debug::POST .*\/token sending \[grant_type, device_code/)
  })

  it('exits 1 with a clear error and a "Denied" record when the person declines', async () => {
    const run = startAction({
      inputs: { issuer: idp.issuer, 'client-id': idp.clients.public.clientId, scope: 'openid' },
      env
    })
    const [, userCode] = await run.waitFor(USER_CODE_LINE)
    await idp.approve(userCode as string, { deny: true })
    const result = await run.done
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^::error::The request was denied/m)
    expect(result.summary).toContain('🚫 Denied')
    expect(result.outputs).toEqual({})
    expectNoLeaks(result, [deviceCodeOf(run) as string])
  })

  it('exits 1 with "Expired" when nobody approves before the code expires', async () => {
    const run = startAction({
      inputs: { issuer: shortLived.issuer, 'client-id': shortLived.clients.public.clientId },
      env
    })
    const result = await run.done
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^::error::The code expired/m)
    expect(result.summary).toContain('⌛ Expired')
    expectNoLeaks(result, [deviceCodeOf(run) as string])
  })

  it('refreshes from a stored refresh token and masks both the old and the rotated one', async () => {
    const login = startAction({
      inputs: {
        issuer: idp.issuer,
        'client-id': idp.clients.public.clientId,
        scope: 'openid offline_access'
      },
      env
    })
    const [, userCode] = await login.waitFor(USER_CODE_LINE)
    await idp.approve(userCode as string)
    const first = await login.done
    const stored = first.outputs['refresh-token'] as string

    const refresh = startAction({
      inputs: {
        issuer: idp.issuer,
        'client-id': idp.clients.public.clientId,
        'refresh-token': stored
      },
      env
    })
    const result = await refresh.done
    expect(result.code).toBe(0)
    expect(result.outputs['refresh-token-rotated']).toBe('true')
    expect(result.outputs['refresh-token']).not.toBe(stored)
    expect(result.summary).toContain('Refreshed')
    const tokens = OUTPUT_SECRETS.map((name) => result.outputs[name]).filter(
      (t): t is string => !!t
    )
    expectMaskedBeforeUse(result.stdout, [stored, ...tokens])
    expectNoLeaks(result, [stored], tokens)
  })

  it('fails on a dead refresh token without printing it', async () => {
    const dead = 'dead-refresh-token-value-0123456789'
    const result = await startAction({
      inputs: {
        issuer: idp.issuer,
        'client-id': idp.clients.public.clientId,
        'refresh-token': dead
      },
      env
    }).done
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^::error::.*invalid_grant/m)
    expectMaskedBeforeUse(result.stdout, [dead])
    expectNoLeaks(result, [dead])
  })
})

describe('dist/index.js: a first hour with the action (issue 13)', () => {
  it('a first run from an empty secret with on-refresh-failure: device warns, asks a person, and says to store the token', async () => {
    const run = startAction({
      inputs: {
        issuer: idp.issuer,
        'client-id': idp.clients.public.clientId,
        scope: 'openid offline_access',
        'refresh-token': '',
        'on-refresh-failure': 'device'
      }
    })
    const [, userCode] = await run.waitFor(USER_CODE_LINE)
    // The run number the Actions page shows, not only the run id.
    await run.waitFor(/Asked by octo\/release · workflow "Release" · run #17 · started by octocat/)
    await idp.approve(userCode as string)
    const result = await run.done
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^::warning::The refresh-token input is empty/m)
    expect(result.outputs['refresh-token']).toBeDefined()
    expect(result.outputs['refresh-token-rotated']).toBe('true')
  })

  it('refuses timeout: 1 before showing a code nobody could approve', async () => {
    const result = await startAction({
      inputs: { issuer: idp.issuer, 'client-id': idp.clients.public.clientId, timeout: '1' }
    }).done
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /^::error::Input 'timeout': is 1 s, but the provider's polling interval/m
    )
    expect(result.stdout).not.toMatch(USER_CODE_LINE)
    expect(result.stdout).not.toContain('::notice')
  })
})

describe('dist/index.js: bad input ends with one clear error, no stack trace', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    [
      'a missing client-id',
      { issuer: 'https://id.example.com' },
      /^::error::Input 'client-id': is required/m
    ],
    [
      'an issuer that is not a URL',
      { issuer: 'id.example.com', 'client-id': 'x' },
      /^::error::Input 'issuer': "id\.example\.com" is not an absolute URL/m
    ],
    [
      'http:// off loopback',
      { issuer: 'http://id.example.com', 'client-id': 'x' },
      /^::error::Input 'issuer': .*uses http:\/\//m
    ],
    [
      'an unknown client-auth-method',
      { issuer: 'https://id.example.com', 'client-id': 'x', 'client-auth-method': 'magic' },
      /^::error::Input 'client-auth-method': "magic" is not one of/m
    ],
    [
      'a malformed extra-params line',
      {
        issuer: 'https://id.example.com',
        'client-id': 'x',
        'extra-params': 'prompt=login\nnonsense'
      },
      /^::error::Input 'extra-params': line 2 is not key=value/m
    ],
    [
      'an extra param overriding client_id',
      { issuer: 'https://id.example.com', 'client-id': 'x', 'extra-params': 'client_id=evil' },
      /^::error::Input 'extra-params': line 1 sets client_id/m
    ],
    [
      'extra params joined with &',
      { issuer: 'https://id.example.com', 'client-id': 'x', 'extra-params': 'a=1&b=2' },
      /^::error::Input 'extra-params': line 1: the value of a contains "&b="/m
    ],
    [
      'comma-separated scopes for an OIDC provider',
      { issuer: 'https://id.example.com', 'client-id': 'x', scope: 'openid,profile,email' },
      /^::error::Input 'scope': "openid,profile,email" has commas/m
    ],
    [
      'an empty refresh-token (a misspelt secret) with on-refresh-failure: fail',
      {
        issuer: 'https://id.example.com',
        'client-id': 'x',
        'refresh-token': '',
        'on-refresh-failure': 'fail'
      },
      /^::error::Input 'refresh-token': is empty, but on-refresh-failure: fail .*check its name/m
    ],
    [
      'an empty refresh-token with mode: refresh',
      { issuer: 'https://id.example.com', 'client-id': 'x', mode: 'refresh' },
      /^::error::Input 'refresh-token': is empty, and mode: refresh never asks a person/m
    ]
  ]
  it.each(cases)('%s', async (_name, inputs, expected) => {
    const result = await startAction({ inputs }).done
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(expected)
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
    expect(result.elapsedMs).toBeLessThan(5000)
  })

  it('reports an issuer nobody answers at, naming it', async () => {
    const result = await startAction({ inputs: { issuer: 'http://127.0.0.1:9', 'client-id': 'x' } })
      .done
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /^::error::Could not reach the discovery document \(http:\/\/127\.0\.0\.1:9\/\.well-known\/openid-configuration\): ECONNREFUSED/m
    )
  })

  it('reports a discovery document without a device endpoint and says how to fix it', async () => {
    // oidc-provider publishes one, so point discovery-url at a JSON document that lacks it: the
    // IdP's JWKS is JSON but not a discovery document.
    const result = await startAction({
      inputs: { 'discovery-url': `${idp.issuer}/jwks`, 'client-id': 'x' }
    }).done
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^::error::The discovery document at .* has no issuer/m)
  })
})

describe('dist/index.js: cancellation with real signals', () => {
  it('stops within 2 s of SIGINT and records "cancelled" in the summary', async () => {
    const run = startAction({
      inputs: { issuer: idp.issuer, 'client-id': idp.clients.public.clientId }
    })
    await run.waitFor(USER_CODE_LINE)
    const sent = Date.now()
    run.child.kill('SIGINT')
    const result = await run.done
    expect(Date.now() - sent).toBeLessThan(2000)
    expect(result.code).toBe(1)
    expect(result.summary).toContain('⏹️ Cancelled')
    expect(result.stdout).toMatch(/^::error::The step was cancelled/m)
  })

  it('also stops on SIGTERM, as the runner sends 7.5 s after SIGINT', async () => {
    const run = startAction({
      inputs: { issuer: idp.issuer, 'client-id': idp.clients.public.clientId }
    })
    await run.waitFor(USER_CODE_LINE)
    const sent = Date.now()
    run.child.kill('SIGTERM')
    const result = await run.done
    expect(Date.now() - sent).toBeLessThan(2000)
    expect(result.summary).toContain('Cancelled')
  })

  it('handles SIGINT then SIGTERM in quick succession without crashing', async () => {
    const run = startAction({
      inputs: { issuer: idp.issuer, 'client-id': idp.clients.public.clientId }
    })
    await run.waitFor(USER_CODE_LINE)
    run.child.kill('SIGINT')
    run.child.kill('SIGTERM')
    const result = await run.done
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('')
    expect(result.summary.match(/Cancelled/g)).toHaveLength(1)
  })
})
