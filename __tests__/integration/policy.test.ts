import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { systemClock } from '../../src/clock.js'
import { run } from '../../src/main.js'
import { createHttpTransport } from '../../src/oauth/http.js'
import { RecordingRunner } from '../../test-support/fakes.js'
import { startIdp, type Idp } from '../../test-support/idp.js'

/**
 * The approval policy against a real identity provider (oidc-provider on 127.0.0.1) whose users
 * carry groups and amr: alice (release-managers, mfa), bob (developers, password only), carol
 * (release-managers, mfa), and this file's own: mallory, whose username is dave's subject; eve,
 * whose ID token says email_verified without an email while userinfo names an unverified one;
 * grace, whose username only the userinfo endpoint gives. Approvals are done over HTTP as a
 * browser would; each user code the IdP issues (a fresh one follows every refusal) goes to the
 * next person in the queue.
 */
let idp: Idp
const queue: string[] = []
const approvals: Array<Promise<void>> = []

beforeAll(async () => {
  idp = await startIdp({
    interval: 1,
    extraUsers: [
      { sub: 'd7f3a9-dave', preferred_username: 'dave', name: 'Dave', amr: ['pwd'] },
      { sub: 'mallory', preferred_username: 'd7f3a9-dave', name: 'Mallory', amr: ['pwd'] },
      {
        sub: 'eve',
        preferred_username: 'eve',
        name: 'Eve',
        amr: ['pwd'],
        idToken: { email: null, email_verified: true },
        userinfo: { email: 'ceo@example.test', email_verified: false }
      },
      {
        sub: 'grace-sub',
        preferred_username: 'grace',
        email: 'grace@example.test',
        name: 'Grace',
        amr: ['pwd'],
        idToken: { preferred_username: null }
      }
    ],
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

/** A run in which these people approve, in this order, one per code the IdP issues. */
async function gate(inputs: Record<string, string>, approvers: string[]) {
  queue.splice(0, queue.length, ...approvers)
  const requestsBefore = idp.requests.length
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
  return { runner, ending, requests: idp.requests.slice(requestsBefore) }
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
      '✓ alice@example.test is in allowed-approvers (verified email matches *@example.test).'
    )
    expect(log).toContain(
      "✓ alice@example.test's groups includes release-managers (required-claims)."
    )
    expect(log).toContain("✓ alice@example.test's amr includes mfa (required-claims).")
    // The prompt stated the policy before anyone signed in.
    expect(log).toMatch(/│ {3}Policy {3}Who may approve: verified email \*@example\.test/)
    expect(log).toContain('Must have: groups = release-managers and amr = mfa')
    expect(runner.summary).toContain('Must have: groups = release-managers and amr = mfa')
  })

  it('refuses someone without MFA, revokes their token, and lets the next person approve', async () => {
    const { runner, ending } = await gate({ 'required-claims': 'amr=mfa' }, ['bob', 'carol'])
    expect(ending).toBe('approved')
    expect(runner.outputs['approver']).toBe('carol')
    const log = runner.text('info')
    expect(log).toContain(
      "The approval was refused: bob@example.test's amr (pwd) does not include mfa (required-claims: amr=mfa)."
    )
    expect(log).toContain("Revoked the refused approval's (bob@example.test) access token")
    expect(log).toContain(
      '│ A fresh code: the approval policy refused the approval by bob@example.test (required-claims), and the wait goes on.'
    )
    expect(await liveTokensNotOutput(runner)).toEqual([])
    expect(await userinfoStatus(runner.outputs['access-token'] as string)).toBe(200)
    expect(runner.summary).toContain('✅ Approved')
  })

  it('fails once the wait is over when nobody the policy accepts came, naming who was refused', async () => {
    const { runner, ending } = await gate({ 'required-claims': 'amr=mfa', timeout: '6s' }, ['bob'])
    expect(ending).toBe('timed-out')
    expect(runner.failed).toMatch(
      /^The approval policy refused bob@example\.test \(required-claims\), and nobody it accepts approved before the wait for this approval ended at .* \(the timeout input\)\. The last refusal: bob@example\.test's amr \(pwd\) does not include mfa \(required-claims: amr=mfa\)\./
    )
    expect(runner.outputs).toEqual({})
    expect(await liveTokensNotOutput(runner)).toEqual([])
    expect(runner.summary).toContain(
      '<th align="left">Who tried</th><td><code>bob@example.test</code>'
    )
    expect(runner.summary).toContain(
      '<th align="left">Refused by</th><td><code>required-claims</code>'
    )
  })

  it('refuses someone outside allowed-approvers, in plain words naming each kind', async () => {
    const { runner, ending } = await gate(
      { 'allowed-approvers': 'username:alice\nusername:carol' },
      ['bob', 'carol']
    )
    expect(ending).toBe('approved')
    expect(runner.text('info')).toContain(
      'bob@example.test is not in allowed-approvers (compared: username bob)'
    )
    expect(runner.text('info')).toContain(
      '✓ carol@example.test is in allowed-approvers (username carol).'
    )
  })

  it('refuses the person who started the run, told by a claim the workflow names', async () => {
    const { runner, ending } = await gate(
      { 'self-approval-claim': 'email', 'run-actor': 'Alice+release@Example.test' },
      ['alice', 'carol']
    )
    expect(ending).toBe('approved')
    expect(runner.outputs['approver']).toBe('carol')
    expect(runner.text('info')).toContain('alice@example.test started this run')
    expect(await liveTokensNotOutput(runner)).toEqual([])
  })

  it('fails closed at once when a required claim is not there, saying how to get it', async () => {
    const { runner, ending, requests } = await gate({ 'required-claims': 'department=release' }, [
      'alice',
      'carol'
    ])
    expect(ending).toBe('refused')
    expect(runner.failed).toContain('cannot be judged')
    expect(runner.failed).toContain('has no department claim')
    expect(runner.outputs).toEqual({})
    expect(requests.filter((request) => request.path.endsWith('/device/auth'))).toHaveLength(1)
    queue.splice(0)
  })
})

describe('each entry matches what it says, against a real identity provider', () => {
  it('does not let a username equal to someone’s subject pass for that subject', async () => {
    const { runner, ending } = await gate({ 'allowed-approvers': 'sub:d7f3a9-dave' }, [
      'mallory',
      'd7f3a9-dave'
    ])
    expect(ending).toBe('approved')
    expect(runner.outputs['approver-subject']).toBe('d7f3a9-dave')
    expect(runner.text('info')).toContain(
      'd7f3a9-dave is not in allowed-approvers (compared: subject mallory).'
    )
    expect(await liveTokensNotOutput(runner)).toEqual([])
  })

  it('refuses a bare entry before any request, showing both ways to write it', async () => {
    const { runner, ending, requests } = await gate({ 'allowed-approvers': 'd7f3a9-dave' }, [])
    expect(ending).toBe('failed')
    expect(runner.failed).toContain('Write sub:d7f3a9-dave for the subject')
    expect(runner.failed).toContain('or username:d7f3a9-dave for preferred_username')
    expect(requests).toEqual([])
  })

  it('never pairs userinfo’s email with the ID token’s email_verified', async () => {
    const { runner, ending, requests } = await gate({ 'allowed-approvers': '*@example.test' }, [
      'eve',
      'alice'
    ])
    expect(ending).toBe('approved')
    expect(runner.outputs['approver']).toBe('alice')
    // The ID token had no email, so userinfo was asked; its email is not verified.
    expect(requests.some((request) => request.path === '/me')).toBe(true)
    expect(runner.text('info')).toContain(
      'eve is not in allowed-approvers (compared: email ceo@example.test, not verified).'
    )
  })

  it('asks userinfo for a username only it gives', async () => {
    const { runner, ending, requests } = await gate({ 'allowed-approvers': 'username:grace' }, [
      'grace-sub'
    ])
    expect(ending).toBe('approved')
    expect(requests.some((request) => request.path === '/me')).toBe(true)
    expect(runner.text('info')).toContain(
      '✓ grace@example.test is in allowed-approvers (username grace).'
    )
  })

  it('refuses a commented-out list before any request: it would let anyone approve', async () => {
    const { runner, ending, requests } = await gate({ 'allowed-approvers': '# alice (on leave)' }, [
      'bob'
    ])
    expect(ending).toBe('failed')
    expect(runner.failed).toBe(
      "Input 'allowed-approvers': has no entries: every line is blank or a # comment. Name at least one approver, or remove allowed-approvers to let anyone who can sign in approve."
    )
    expect(requests).toEqual([])
    queue.splice(0)
  })

  it('refuses a policy that judges the approver when scope lacks openid, before any request', async () => {
    const { runner, ending, requests } = await gate(
      { 'allowed-approvers': '*@example.test', scope: 'profile email' },
      []
    )
    expect(ending).toBe('failed')
    expect(runner.failed).toContain("Input 'scope'")
    expect(requests).toEqual([])
  })

  it('without the openid scope, says to add it rather than blaming the answer’s fields', async () => {
    // No policy: the scope check before any request does not apply, and userinfo is asked.
    const { runner, ending } = await gate({ scope: 'api:read' }, ['alice'])
    expect(ending).toBe('approved')
    // oidc-provider answers userinfo 403 insufficient_scope to a token without openid.
    const warnings = runner.text('warning')
    expect(warnings).toContain('insufficient_scope')
    expect(warnings).toContain('Add openid to the scope input')
    expect(warnings).not.toContain('without the expected fields')
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
      '<h3>Request 2: Approval 2 of 2: a different person &#40;not alice&#41;</h3>'
    )
  })

  it('refuses the same person twice without costing the first approval', async () => {
    const { runner, ending } = await gate({ approvals: '2' }, ['alice', 'alice', 'carol'])
    expect(ending).toBe('approved')
    expect(runner.outputs['approvers']).toBe('["alice","carol"]')
    expect(runner.text('info')).toContain(
      'The approval was refused: alice@example.test already gave approval 1 of 2; approval 2 of 2 must come from a different person (approvals: 2).'
    )
    expect(await userinfoStatus(runner.outputs['access-token'] as string)).toBe(200)
    expect(await liveTokensNotOutput(runner)).toEqual([])
  })
})
