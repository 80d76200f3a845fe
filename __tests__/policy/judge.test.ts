import { describe, expect, it } from '@jest/globals'
import type { OAuthContext } from '../../src/oauth/exchange.js'
import { gitHubMembership } from '../../src/policy/github-membership.js'
import type { VerifiedIdentity } from '../../src/policy/verified-identity.js'
import { judgeApproval, type ApprovalContext, type Verdict } from '../../src/policy/judge.js'
import type { ApprovalPolicy } from '../../src/policy/rules.js'
import { readPolicy, type PolicySetting } from '../../src/policy/read-policy.js'
import { FakeClock, json, scriptedHttp, type Route } from '../../test-support/fakes.js'

const RUN_ENV = { GITHUB_ACTOR: 'octocat', GITHUB_TRIGGERING_ACTOR: 'octocat' }
const FIRST: ApprovalContext = { approvalNumber: 1, earlier: [] }

function policy(
  inputs: Record<string, string>,
  provider: PolicySetting['provider'] = 'oidc'
): ApprovalPolicy {
  return readPolicy(
    { getInput: (name) => (inputs[name] ?? '').trim(), env: RUN_ENV },
    { provider, refreshToken: false }
  )
}

const alice: VerifiedIdentity = {
  subject: 'alice-sub',
  username: 'alice',
  email: 'alice@example.com',
  claims: {
    sub: 'alice-sub',
    preferred_username: 'alice',
    email: 'alice@example.com',
    email_verified: true,
    groups: ['developers', 'release-managers'],
    amr: ['pwd', 'mfa'],
    department: 'Engineering',
    level: 3,
    contractor: false,
    realm_access: { roles: ['release', 'offline_access'] },
    'https://example.com/roles': ['publisher']
  },
  source: 'ID token'
}

/** A GitHub identity as GET /user gives it. */
const mona: VerifiedIdentity = {
  subject: '583231',
  username: 'Mona',
  claims: { login: 'Mona', id: 583231, type: 'User' },
  source: 'GitHub user API'
}

function judged(
  rules: Record<string, string>,
  identity: VerifiedIdentity | 'none' = alice,
  context: ApprovalContext = FIRST,
  provider: PolicySetting['provider'] = 'oidc'
): Promise<Verdict> {
  return judgeApproval(policy(rules, provider), identity === 'none' ? undefined : identity, context)
}

function finding(verdict: Verdict, rule: string) {
  return verdict.findings.find((f) => f.rule === rule)
}

describe('judgeApproval: no policy set', () => {
  it('allows anyone, and records that self-approval was not checked with OIDC', async () => {
    const verdict = await judged({})
    expect(verdict.outcome).toBe('allowed')
    expect(verdict.reason).toBeUndefined()
    expect(finding(verdict, 'allow-self-approval')).toEqual({
      rule: 'allow-self-approval',
      result: 'unchecked',
      text: expect.stringContaining('does not say which GitHub user it is')
    })
  })

  it('allows without any identity when no rule needs one', async () => {
    expect((await judged({}, 'none')).outcome).toBe('allowed')
  })
})

describe('judgeApproval: without a verified identity', () => {
  it('fails closed on every rule that needs one, saying how to get it', async () => {
    const verdict = await judged(
      { 'allowed-approvers': 'alice', 'required-claims': 'amr=mfa', approvals: '2' },
      'none'
    )
    expect(verdict.outcome).toBe('undecidable')
    expect(verdict.findings.map((f) => [f.rule, f.result])).toEqual([
      ['approvals', 'unknown'],
      ['allowed-approvers', 'unknown'],
      ['required-claims', 'unknown']
    ])
    expect(verdict.reason).toContain('Add openid to the scope input')
  })

  it('uses the help the identity stage gives', async () => {
    const verdict = await judgeApproval(policy({}, 'github'), undefined, {
      ...FIRST,
      noIdentityHelp: "GitHub's user API did not answer."
    })
    expect(verdict.outcome).toBe('undecidable')
    expect(verdict.reason).toBe(
      "Whether the approver started the run (allow-self-approval: false) cannot be judged. GitHub's user API did not answer."
    )
  })
})

describe('judgeApproval: allowed-approvers', () => {
  it('says in plain words who is not in the list, and what was compared', async () => {
    const verdict = await judged({ 'allowed-approvers': 'bob\n*@corp.example' })
    expect(verdict.outcome).toBe('refused')
    expect(verdict.reason).toBe(
      'alice@example.com is not in allowed-approvers (compared: email alice@example.com, username alice, subject alice-sub).'
    )
  })

  it.each([
    ['alice', 'username matches alice'],
    ['ali*', 'username matches ali*'],
    ['alice-sub', 'subject matches alice-sub'],
    ['alice@example.com', 'email matches alice@example.com'],
    ['*@example.com', 'email matches *@example.com'],
    ['ALICE@Example.COM', 'email matches ALICE@Example.COM']
  ])('allows on the entry %j (%s)', async (entry, how) => {
    const verdict = await judged({ 'allowed-approvers': `nobody\n${entry}` })
    expect(verdict.outcome).toBe('allowed')
    expect(finding(verdict, 'allowed-approvers')?.text).toBe(
      `alice@example.com is in allowed-approvers (${how}).`
    )
  })

  it('compares OIDC usernames and subjects with their case; GitHub logins without', async () => {
    expect((await judged({ 'allowed-approvers': 'Alice' })).outcome).toBe('refused')
    expect((await judged({ 'allowed-approvers': 'ALICE-SUB' })).outcome).toBe('refused')
    const github = await judged(
      { 'allowed-approvers': 'mona', 'allow-self-approval': 'true' },
      mona,
      FIRST,
      'github'
    )
    expect(github.outcome).toBe('allowed')
    expect((await judged({ 'allowed-approvers': '583231' }, mona, FIRST, 'github')).outcome).toBe(
      'allowed'
    )
  })

  it('matches an email entry only against the verified email, never a username that looks like one', async () => {
    const impostor: VerifiedIdentity = {
      subject: 'eve-sub',
      username: 'ceo@example.com',
      claims: { sub: 'eve-sub', preferred_username: 'ceo@example.com', email: 'ceo@example.com' },
      source: 'ID token'
    }
    const verdict = await judged({ 'allowed-approvers': 'ceo@example.com' }, impostor)
    expect(verdict.outcome).toBe('undecidable')
    expect(verdict.reason).toContain(
      'ceo@example.com has no verified email address in the ID token'
    )
    expect(verdict.reason).toContain('email_verified')
  })

  it('refuses rather than asks for an email when a verified one is there and does not match', async () => {
    const verdict = await judged({ 'allowed-approvers': '*@corp.example' })
    expect(verdict.outcome).toBe('refused')
  })

  it('allows on a username entry even when the identity has no verified email', async () => {
    const noEmail = { ...alice, email: undefined } as VerifiedIdentity
    const { email: _email, ...rest } = noEmail
    const verdict = await judged({ 'allowed-approvers': '*@example.com\nalice' }, rest)
    expect(verdict.outcome).toBe('allowed')
  })

  it('unifies NFC and NFD spellings but not look-alike letters', async () => {
    const jose: VerifiedIdentity = {
      subject: 'j',
      username: 'Jos\u00e9',
      email: 'jos\u00e9@ex\u00e4mple.com',
      claims: {},
      source: 'ID token'
    }
    expect((await judged({ 'allowed-approvers': 'Jose\u0301' }, jose)).outcome).toBe('allowed')
    expect(
      (await judged({ 'allowed-approvers': 'JOSE\u0301@EXA\u0308MPLE.COM' }, jose)).outcome
    ).toBe('allowed')
    const cyrillic = { ...alice, username: '\u0430lice' }
    expect((await judged({ 'allowed-approvers': 'alice' }, cyrillic)).outcome).toBe('refused')
  })

  it('names the approver in messages without control or bidi characters', async () => {
    const sneaky: VerifiedIdentity = {
      subject: 'x',
      username: 'mallory\u202E\n::error::boom',
      claims: {},
      source: 'ID token'
    }
    const verdict = await judged({ 'allowed-approvers': 'alice' }, sneaky)
    expect(verdict.reason).not.toMatch(/[\u0000-\u001F\u202E]/)
    expect(verdict.approver).toBe('mallory ::error::boom')
  })
})

describe('judgeApproval: @org and @org/team (provider: github)', () => {
  const API = 'https://api.github.com'
  function withGitHub(routes: Record<string, Route>) {
    const http = scriptedHttp(routes)
    const ctx: OAuthContext = { http, clock: new FakeClock(), requestTimeoutMs: 5000 }
    const context: ApprovalContext = {
      ...FIRST,
      membership: gitHubMembership(ctx, {
        apiBaseUrl: API,
        accessToken: 'gho_token',
        login: 'Mona'
      })
    }
    return { http, context }
  }
  const github = (rules: Record<string, string>, context: ApprovalContext) =>
    judgeApproval(policy({ 'allow-self-approval': 'true', ...rules }, 'github'), mona, context)

  it('allows an active member of the team, asked with the approver’s own token', async () => {
    const { http, context } = withGitHub({
      [`${API}/user/memberships/orgs/octo`]: () => json(404, { message: 'Not Found' }),
      [`${API}/orgs/octo/teams/release-managers/memberships/Mona`]: () =>
        json(200, { state: 'active', role: 'member' })
    })
    const verdict = await github({ 'allowed-approvers': '@octo\n@octo/release-managers' }, context)
    expect(verdict.outcome).toBe('allowed')
    expect(finding(verdict, 'allowed-approvers')?.text).toBe(
      'Mona is an active member of @octo/release-managers (allowed-approvers).'
    )
    expect(http.requests.map((r) => r.headers['Authorization'])).toEqual([
      'Bearer gho_token',
      'Bearer gho_token'
    ])
  })

  it('asks nothing of GitHub when a name entry already matched', async () => {
    const { http, context } = withGitHub({})
    expect((await github({ 'allowed-approvers': 'mona\n@octo' }, context)).outcome).toBe('allowed')
    expect(http.requests).toHaveLength(0)
  })

  it('refuses someone whose invitation is pending, saying so', async () => {
    const { context } = withGitHub({
      [`${API}/user/memberships/orgs/octo`]: () => json(200, { state: 'pending' })
    })
    const verdict = await github({ 'allowed-approvers': '@octo' }, context)
    expect(verdict.outcome).toBe('refused')
    expect(verdict.reason).toContain('Mona was invited to @octo but has not accepted')
  })

  it('fails closed when GitHub will not say, and tells the scope it needs', async () => {
    const { context } = withGitHub({
      [`${API}/user/memberships/orgs/octo`]: () =>
        json(404, { message: 'Not Found' }, { 'x-oauth-scopes': 'repo, gist' })
    })
    const verdict = await github({ 'allowed-approvers': '@octo' }, context)
    expect(verdict.outcome).toBe('undecidable')
    expect(verdict.reason).toContain('has the scopes repo, gist but not read:org')
  })

  it('does not ask GitHub once another rule refused the approver', async () => {
    const { http, context } = withGitHub({})
    const verdict = await judgeApproval(
      policy({ 'allowed-approvers': '@octo' }, 'github'),
      { ...mona, username: 'octocat' },
      context
    )
    expect(verdict.outcome).toBe('refused')
    expect(finding(verdict, 'allowed-approvers')?.result).toBe('unchecked')
    expect(http.requests).toHaveLength(0)
  })

  it('fails closed when there is no way to ask GitHub', async () => {
    const verdict = await github({ 'allowed-approvers': '@octo' }, FIRST)
    expect(verdict.outcome).toBe('undecidable')
    expect(verdict.reason).toContain('GitHub could not be asked whether Mona is in @octo')
  })
})

describe('judgeApproval: required-claims', () => {
  it.each([
    [
      'groups=release-managers',
      "alice@example.com's groups includes release-managers (required-claims)."
    ],
    ['amr=mfa', "alice@example.com's amr includes mfa (required-claims)."],
    ['department=Engineering', "alice@example.com's department is Engineering (required-claims)."],
    ['level=3', "alice@example.com's level is 3 (required-claims)."],
    ['contractor=false', "alice@example.com's contractor is false (required-claims)."],
    ['email_verified=true', "alice@example.com's email_verified is true (required-claims)."],
    [
      'realm_access.roles=release',
      "alice@example.com's realm_access.roles includes release (required-claims)."
    ],
    [
      'https://example.com/roles=publisher',
      "alice@example.com's https://example.com/roles includes publisher (required-claims)."
    ],
    ['email=ALICE@example.com', 'alice@example.com has email ALICE@example.com (required-claims).']
  ])('holds: %s', async (rule, text) => {
    const verdict = await judged({ 'required-claims': rule })
    expect(verdict.outcome).toBe('allowed')
    expect(finding(verdict, 'required-claims')?.text).toBe(text)
  })

  it.each([
    [
      'groups=admins',
      "alice@example.com's groups (developers, release-managers) does not include admins (required-claims: groups=admins)."
    ],
    [
      'groups=Release-Managers',
      "alice@example.com's groups (developers, release-managers) does not include Release-Managers (required-claims: groups=Release-Managers)."
    ],
    [
      'department=engineering',
      "alice@example.com's department is Engineering, not engineering (required-claims: department=engineering)."
    ],
    [
      'email=bob@example.com',
      'alice@example.com does not have email bob@example.com (required-claims: email=bob@example.com).'
    ]
  ])('is broken: %s', async (rule, text) => {
    const verdict = await judged({ 'required-claims': rule })
    expect(verdict.outcome).toBe('refused')
    expect(verdict.reason).toBe(text)
  })

  it('needs every line to hold', async () => {
    const verdict = await judged({ 'required-claims': 'groups=developers\ngroups=admins' })
    expect(verdict.outcome).toBe('refused')
    expect(
      verdict.findings.filter((f) => f.rule === 'required-claims').map((f) => f.result)
    ).toEqual(['holds', 'broken'])
  })

  it('fails closed on an absent amr, saying which providers send it', async () => {
    const { amr: _amr, ...claims } = alice.claims
    const verdict = await judged({ 'required-claims': 'amr=mfa' }, { ...alice, claims })
    expect(verdict.outcome).toBe('undecidable')
    expect(verdict.reason).toContain(
      'alice@example.com has no amr claim (looked for in the ID token)'
    )
    expect(verdict.reason).toContain('Auth0 sends it only after multi-factor sign-in')
  })

  it('fails closed on an absent groups claim, saying how to map it', async () => {
    const verdict = await judged({ 'required-claims': 'groups=x' }, { ...alice, claims: {} })
    expect(verdict.outcome).toBe('undecidable')
    expect(verdict.reason).toContain('groupMembershipClaims')
  })

  it('fails closed on an object claim, showing how to reach inside it', async () => {
    const verdict = await judged({ 'required-claims': 'realm_access=release' })
    expect(verdict.outcome).toBe('undecidable')
    expect(verdict.reason).toContain('realm_access.roles')
  })

  it('reads email only as verified: a bare email claim does not satisfy email=', async () => {
    const unverified: VerifiedIdentity = {
      subject: 's',
      claims: { email: 'alice@example.com', email_verified: false },
      source: 'ID token'
    }
    const verdict = await judged({ 'required-claims': 'email=alice@example.com' }, unverified)
    expect(verdict.outcome).toBe('undecidable')
    expect(verdict.reason).toContain('has no verified email address')
  })

  it('does not read the prototype of the claims object', async () => {
    const verdict = await judged(
      { 'required-claims': 'constructor=x\n__proto__=y' },
      { ...alice, claims: {} }
    )
    expect(verdict.findings.map((f) => f.result)).toEqual(['unchecked', 'unknown', 'unknown'])
  })

  it('bounds a long list of groups in the message', async () => {
    const groups = Array.from({ length: 40 }, (_, i) => `g${i}`)
    const verdict = await judged(
      { 'required-claims': 'groups=admins' },
      { ...alice, claims: { groups } }
    )
    expect(verdict.reason).toContain('g9 and 30 more')
  })
})

describe('judgeApproval: allow-self-approval', () => {
  it('with provider: github, refuses the login that started the run, whatever its case', async () => {
    const verdict = await judged({}, { ...mona, username: 'OctoCat' }, FIRST, 'github')
    expect(verdict.outcome).toBe('refused')
    expect(verdict.reason).toBe(
      'OctoCat started this run (GITHUB_TRIGGERING_ACTOR) and may not approve it (allow-self-approval is false).'
    )
  })

  it('with provider: github, allows someone else and says whom it compared', async () => {
    const verdict = await judged({}, mona, FIRST, 'github')
    expect(verdict.outcome).toBe('allowed')
    expect(finding(verdict, 'allow-self-approval')?.text).toBe(
      'Mona did not start this run (GITHUB_TRIGGERING_ACTOR is octocat).'
    )
  })

  it('refuses a re-run approved by the person who started the first run (GITHUB_ACTOR)', async () => {
    const rerun = readPolicy(
      { getInput: () => '', env: { GITHUB_ACTOR: 'mona', GITHUB_TRIGGERING_ACTOR: 'hubot' } },
      { provider: 'github', refreshToken: false }
    )
    const verdict = await judgeApproval(rerun, mona, FIRST)
    expect(verdict.outcome).toBe('refused')
    expect(verdict.reason).toContain('(GITHUB_ACTOR)')
  })

  it('with OIDC, compares the named claim with run-actor, ignoring case and invisible characters', async () => {
    const rules = { 'self-approval-claim': 'email', 'run-actor': 'Alice@Example.com' }
    const verdict = await judged(rules)
    expect(verdict.outcome).toBe('refused')
    expect(verdict.reason).toBe(
      'alice@example.com started this run (their email is Alice@Example.com, the run-actor) and may not approve it (allow-self-approval is false).'
    )
    const hidden = await judged({
      'self-approval-claim': 'email',
      'run-actor': 'alice\u200B@example.com'
    })
    expect(hidden.outcome).toBe('refused')
  })

  it('with OIDC, looks through an array claim', async () => {
    const verdict = await judged({ 'self-approval-claim': 'groups', 'run-actor': 'developers' })
    expect(verdict.outcome).toBe('refused')
  })

  it('with OIDC, allows a different person', async () => {
    const verdict = await judged({
      'self-approval-claim': 'preferred_username',
      'run-actor': 'octocat'
    })
    expect(verdict.outcome).toBe('allowed')
    expect(finding(verdict, 'allow-self-approval')?.text).toBe(
      'alice@example.com did not start this run (their preferred_username is not octocat).'
    )
  })

  it('fails closed when the named claim is absent', async () => {
    const verdict = await judged({ 'self-approval-claim': 'github_login', 'run-actor': 'octocat' })
    expect(verdict.outcome).toBe('undecidable')
    expect(verdict.reason).toContain('has no github_login claim')
  })

  it('uses only the verified email for self-approval-claim: email', async () => {
    const { email: _email, ...unverified } = alice
    const verdict = await judged(
      { 'self-approval-claim': 'email', 'run-actor': 'x@example.com' },
      unverified
    )
    expect(verdict.outcome).toBe('undecidable')
    expect(verdict.reason).toContain('has no verified email address')
  })

  it('allows self-approval when told to, and records that', async () => {
    const verdict = await judged(
      { 'allow-self-approval': 'true' },
      { ...mona, username: 'octocat' },
      FIRST,
      'github'
    )
    expect(verdict.outcome).toBe('allowed')
    expect(finding(verdict, 'allow-self-approval')?.result).toBe('unchecked')
  })
})

describe('judgeApproval: approvals by different people', () => {
  const second: ApprovalContext = {
    approvalNumber: 2,
    earlier: [{ subject: 'alice-sub', name: 'alice@example.com' }]
  }

  it('refuses the same person (the same subject) twice', async () => {
    const verdict = await judged({ approvals: '2' }, alice, second)
    expect(verdict.outcome).toBe('refused')
    expect(verdict.reason).toBe(
      'alice@example.com already gave approval 1 of 2; approval 2 of 2 must come from a different person (approvals: 2).'
    )
  })

  it('tells people apart by subject, not by name', async () => {
    const namesake = { ...alice, subject: 'other-alice' }
    const verdict = await judged({ approvals: '2' }, namesake, second)
    expect(verdict.outcome).toBe('allowed')
    expect(finding(verdict, 'approvals')?.text).toBe(
      'alice@example.com is a different person from alice@example.com (approval 2 of 2).'
    )
  })

  it('still applies every other rule to the second person', async () => {
    const bob: VerifiedIdentity = {
      ...alice,
      subject: 'bob-sub',
      email: 'bob@example.com',
      username: 'bob'
    }
    const verdict = await judged({ approvals: '2', 'allowed-approvers': 'alice' }, bob, second)
    expect(verdict.outcome).toBe('refused')
    expect(verdict.reason).toContain('bob@example.com is not in allowed-approvers')
  })
})

describe('judgeApproval: several rules', () => {
  it('refuses when one rule is broken even if another cannot be judged', async () => {
    const verdict = await judged({ 'allowed-approvers': 'bob', 'required-claims': 'missing=x' })
    expect(verdict.outcome).toBe('refused')
    expect(verdict.findings.map((f) => f.result)).toEqual(['unchecked', 'broken', 'unknown'])
  })
})
