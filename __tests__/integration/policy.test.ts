import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { systemClock } from '../../src/clock.js'
import { run } from '../../src/main.js'
import { createHttpTransport } from '../../src/oauth/http.js'
import { RecordingRunner } from '../../test-support/fakes.js'
import { startIdp, type Idp } from '../../test-support/idp.js'

/**
 * The approval policy against a real identity provider (oidc-provider on 127.0.0.1) whose users
 * carry groups and amr: alice (release-managers, mfa), bob (developers, password only), carol
 * (release-managers, mfa). Approvals are done over HTTP as a browser would; each user code the
 * IdP issues goes to the next person in the queue.
 */
let idp: Idp
const queue: string[] = []
const approvals: Array<Promise<void>> = []

beforeAll(async () => {
  idp = await startIdp({
    interval: 1,
    onDeviceAuthorization: (userCode) => {
      const user = queue.shift()
      if (user) approvals.push(idp.approve(userCode, { user }))
    }
  })
})

afterAll(async () => {
  await Promise.allSettled(approvals)
  await idp.close()
})

const RUN_ENV = {
  GITHUB_REPOSITORY: 'octo/release',
  GITHUB_RUN_ID: '4242',
  GITHUB_ACTOR: 'octocat',
  GITHUB_TRIGGERING_ACTOR: 'octocat'
}

/** A run in which these people approve, in this order. */
async function gate(inputs: Record<string, string>, approvers: string[]) {
  queue.splice(0, queue.length, ...approvers)
  const runner = new RecordingRunner(
    {
      issuer: idp.issuer,
      'client-id': idp.clients.public.clientId,
      scope: 'openid profile email offline_access',
      ...inputs
    },
    RUN_ENV
  )
  const ending = await run({
    runner,
    http: createHttpTransport('device-flow-action-test'),
    clock: systemClock,
    signal: new AbortController().signal
  })
  await Promise.all(approvals.splice(0))
  return { runner, ending }
}

/** What the IdP's userinfo endpoint says of a token: 200 while it is alive, 401 once revoked. */
async function userinfoStatus(token: string): Promise<number> {
  const response = await fetch(`${idp.issuer}/me`, {
    headers: { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(5000)
  })
  await response.arrayBuffer()
  return response.status
}

/** Every masked value that is not an output and still works as a token at the IdP. */
async function liveTokensNotOutput(runner: RecordingRunner): Promise<string[]> {
  const outputs = new Set(Object.values(runner.outputs))
  const candidates = [...new Set(runner.secrets)].filter((secret) => !outputs.has(secret))
  const statuses = await Promise.all(candidates.map(userinfoStatus))
  return candidates.filter((_, index) => statuses[index] === 200)
}

describe('the approval policy against a real identity provider', () => {
  it('allows a release manager who signed in with MFA, and says which rules held', async () => {
    const { runner, ending } = await gate(
      {
        'required-claims': 'groups=release-managers\namr=mfa',
        'allowed-approvers': '*@example.test'
      },
      ['alice']
    )
    expect(ending).toBe('approved')
    expect(runner.outputs['approver']).toBe('alice')
    expect(runner.outputs['approvers']).toBe('["alice"]')
    const log = runner.text('info')
    expect(log).toContain(
      '✓ alice@example.test is in allowed-approvers (email matches *@example.test).'
    )
    expect(log).toContain(
      "✓ alice@example.test's groups includes release-managers (required-claims)."
    )
    expect(log).toContain("✓ alice@example.test's amr includes mfa (required-claims).")
    // The prompt stated the policy before anyone signed in.
    expect(log).toMatch(/│ {3}Policy {3}Who may approve: \*@example\.test/)
    expect(log).toContain('Must have: groups = release-managers and amr = mfa')
    expect(runner.summary).toContain('Must have: groups = release-managers and amr = mfa')
  })

  it('refuses someone without MFA: no token output, the token revoked, the rule named', async () => {
    const { runner, ending } = await gate({ 'required-claims': 'amr=mfa' }, ['bob'])
    expect(ending).toBe('refused')
    expect(runner.failed).toBe(
      "The approval by bob@example.test was refused: bob@example.test's amr (pwd) does not include mfa (required-claims: amr=mfa)."
    )
    expect(runner.outputs).toEqual({})
    expect(runner.text('info')).toContain(
      "Revoked the refused approval's (bob@example.test) access token"
    )
    expect(await liveTokensNotOutput(runner)).toEqual([])
    expect(runner.summary).toContain('⛔ Refused by the approval policy')
    expect(runner.summary).toContain(
      '<th align="left">Who tried</th><td><code>bob@example.test</code>'
    )
    expect(runner.summary).toContain(
      '<th align="left">Refused by</th><td><code>required-claims</code>'
    )
  })

  it('refuses someone outside allowed-approvers, in plain words', async () => {
    const { runner, ending } = await gate({ 'allowed-approvers': 'alice\ncarol' }, ['bob'])
    expect(ending).toBe('refused')
    expect(runner.failed).toContain(
      'bob@example.test is not in allowed-approvers (compared: email bob@example.test, username bob, subject bob)'
    )
  })

  it('refuses the person who started the run, told by a claim the workflow names', async () => {
    const { runner, ending } = await gate(
      { 'self-approval-claim': 'email', 'run-actor': 'Alice@Example.test' },
      ['alice']
    )
    expect(ending).toBe('refused')
    expect(runner.failed).toContain('alice@example.test started this run')
    expect(runner.summary).toContain('<code>allow-self-approval</code>')
    expect(await liveTokensNotOutput(runner)).toEqual([])
  })

  it('fails closed when a required claim is not there, saying how to get it', async () => {
    const { runner, ending } = await gate({ 'required-claims': 'department=release' }, ['alice'])
    expect(ending).toBe('refused')
    expect(runner.failed).toContain('cannot be judged')
    expect(runner.failed).toContain('has no department claim')
    expect(runner.outputs).toEqual({})
  })
})

describe('two approvers against a real identity provider', () => {
  it('asks two different people in turn; outputs the first one’s tokens and revokes the second’s', async () => {
    const { runner, ending } = await gate(
      { approvals: '2', 'required-claims': 'groups=release-managers' },
      ['alice', 'carol']
    )
    expect(ending).toBe('approved')
    expect(runner.outputs['approver']).toBe('alice')
    expect(runner.outputs['approvers']).toBe('["alice","carol"]')
    const log = runner.text('info')
    expect(log).toContain('│ Approval 1 of 2.')
    expect(log).toContain('│ Approval 2 of 2: a different person (not alice).')
    expect(log).toContain('Approval 2 of 2 given by carol.')
    expect(log).toContain("Revoked approval 2's (carol) access token; it is never output.")
    expect(log).toContain('Approved by alice and carol')
    // The output token is alice's and alive; nothing of carol's still works.
    const access = runner.outputs['access-token'] as string
    const me = await fetch(`${idp.issuer}/me`, { headers: { Authorization: `Bearer ${access}` } })
    expect(((await me.json()) as { sub: string }).sub).toBe('alice')
    expect(await liveTokensNotOutput(runner)).toEqual([])
    expect(runner.summary).toContain('<code>alice</code>, <code>carol</code>')
    expect(runner.summary).toContain(
      'Device authorization (Approval 2 of 2: a different person &#40;not alice&#41;)'
    )
  })

  it('refuses the same person twice as the second approval, and revokes both approvals’ tokens', async () => {
    const { runner, ending } = await gate({ approvals: '2' }, ['alice', 'alice'])
    expect(ending).toBe('refused')
    expect(runner.failed).toBe(
      'The approval by alice@example.test was refused: alice@example.test already gave approval 1 of 2; approval 2 of 2 must come from a different person (approvals: 2).'
    )
    expect(runner.outputs).toEqual({})
    expect(runner.text('info')).toContain("Revoked approval 1's (alice) access token")
    expect(await liveTokensNotOutput(runner)).toEqual([])
    expect(runner.summary).toContain('<code>approvals</code>')
  })
})
