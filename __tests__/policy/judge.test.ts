import { describe, expect, it } from '@jest/globals'
import type { OAuthContext } from '../../src/oauth/exchange.js'
import { gitHubMembership } from '../../src/policy/github-membership.js'
import { verifiedIdentityFrom, type VerifiedIdentity } from '../../src/policy/verified-identity.js'
import {
  claimsMissing,
  judgeApproval,
  type ApprovalContext,
  type Verdict
} from '../../src/policy/judge.js'
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

/** An identity from a verified ID token's claims, and optionally a userinfo answer after it. */
function fromIdToken(
  claims: Record<string, unknown>,
  userinfo?: Record<string, unknown>
): VerifiedIdentity {
  return verifiedIdentityFrom(String(claims['sub']), [
    { name: 'ID token', claims, describesSignIn: true },
    ...(userinfo ? [{ name: 'userinfo endpoint', claims: userinfo, describesSignIn: false }] : [])
  ])
}

/** A GitHub identity as GET /user gives it. */
function fromGitHub(fields: Record<string, unknown>): VerifiedIdentity {
  return verifiedIdentityFrom(
    String(fields['id']),
    [{ name: 'GitHub user API', claims: fields, describesSignIn: false }],
    'login'
  )
}

const ALICE_CLAIMS = {
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
}
const alice = fromIdToken(ALICE_CLAIMS)
const mona = fromGitHub({ login: 'Mona', id: 583231, type: 'User' })

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
      { 'allowed-approvers': 'username:alice', 'required-claims': 'amr=mfa', approvals: '2' },
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
  it('says in plain words who is not in the list, naming each field it compared by its kind', async () => {
    const verdict = await judged({
      'allowed-approvers': 'username:bob\nsub:bob-sub\n*@corp.example'
    })
    expect(verdict.outcome).toBe('refused')
    expect(verdict.reason).toBe(
      'alice@example.com is not in allowed-approvers (compared: verified email alice@example.com, username alice, subject alice-sub).'
    )
  })

  it('names only the fields the list has entries for', async () => {
    const verdict = await judged({ 'allowed-approvers': 'sub:bob-sub' })
    expect(verdict.reason).toBe(
      'alice@example.com is not in allowed-approvers (compared: subject alice-sub).'
    )
  })

  it.each([
    ['username:alice', 'username alice'],
    ['sub:alice-sub', 'subject alice-sub'],
    ['alice@example.com', 'verified email matches alice@example.com'],
    ['*@example.com', 'verified email matches *@example.com'],
    ['a?ice@*.com', 'verified email matches a?ice@*.com'],
    ['ALICE@Example.COM', 'verified email matches ALICE@Example.COM']
  ])('allows on the entry %j (%s)', async (entry, how) => {
    const verdict = await judged({ 'allowed-approvers': `username:nobody\n${entry}` })
    expect(verdict.outcome).toBe('allowed')
    expect(finding(verdict, 'allowed-approvers')?.text).toBe(
      `alice@example.com is in allowed-approvers (${how}).`
    )
  })

  it('matches a sub: entry against the subject only: a username equal to it counts for nothing', async () => {
    // The exploit: the README said to name subjects, and a username can be chosen to equal one.
    const mallory = fromIdToken({ sub: 'mallory-sub', preferred_username: '248289761001' })
    const verdict = await judged({ 'allowed-approvers': 'sub:248289761001' }, mallory)
    expect(verdict.outcome).toBe('refused')
    expect(verdict.reason).toBe(
      '248289761001 is not in allowed-approvers (compared: subject mallory-sub).'
    )
    const owner = fromIdToken({ sub: '248289761001', preferred_username: 'alice' })
    expect((await judged({ 'allowed-approvers': 'sub:248289761001' }, owner)).outcome).toBe(
      'allowed'
    )
  })

  it('matches a username: entry against the username only, never the subject', async () => {
    const named = fromIdToken({ sub: 'alice', preferred_username: 'someone-else' })
    expect((await judged({ 'allowed-approvers': 'username:alice' }, named)).outcome).toBe('refused')
  })

  it('compares OIDC usernames and subjects with their case; GitHub logins without', async () => {
    expect((await judged({ 'allowed-approvers': 'username:Alice' })).outcome).toBe('refused')
    expect((await judged({ 'allowed-approvers': 'sub:ALICE-SUB' })).outcome).toBe('refused')
    const selfOk = { 'allow-self-approval': 'true' }
    const github = (entry: string, who: VerifiedIdentity = mona) =>
      judged({ 'allowed-approvers': entry, ...selfOk }, who, FIRST, 'github')
    expect((await github('mona')).outcome).toBe('allowed')
    expect(finding(await github('MONA'), 'allowed-approvers')?.text).toBe(
      'Mona is in allowed-approvers (login MONA).'
    )
    expect((await github('id:583231')).outcome).toBe('allowed')
  })

  it('with provider: github, a bare number is a login, never the user id', async () => {
    // "4242" meant as a user id is matched by whoever registers the login 4242, and only them.
    const squatter = fromGitHub({ login: '4242', id: 99 })
    const owner = fromGitHub({ login: 'octo-owner', id: 4242 })
    const selfOk = { 'allow-self-approval': 'true' }
    const verdict = (entry: string, who: VerifiedIdentity) =>
      judged({ 'allowed-approvers': entry, ...selfOk }, who, FIRST, 'github')
    expect((await verdict('id:4242', squatter)).outcome).toBe('refused')
    expect((await verdict('id:4242', owner)).outcome).toBe('allowed')
    expect((await verdict('4242', owner)).outcome).toBe('refused')
    expect((await verdict('id:4242', squatter)).reason).toBe(
      '4242 is not in allowed-approvers (compared: user id 99).'
    )
  })

  it('matches an email entry only against the verified email, never a username that looks like one', async () => {
    const impostor = fromIdToken({
      sub: 'eve-sub',
      preferred_username: 'ceo@example.com',
      email: 'ceo@example.com'
    })
    const verdict = await judged({ 'allowed-approvers': 'ceo@example.com' }, impostor)
    // The provider named an address but did not call it verified: the person's, so refused.
    expect(verdict.outcome).toBe('refused')
    expect(verdict.reason).toBe(
      'ceo@example.com is not in allowed-approvers (compared: email ceo@example.com, not verified).'
    )
  })

  it('cannot judge an email entry when the provider says nothing about an email at all', async () => {
    const verdict = await judged(
      { 'allowed-approvers': '*@example.com' },
      fromIdToken({ sub: 's', preferred_username: 'x' })
    )
    expect(verdict.outcome).toBe('undecidable')
    expect(verdict.reason).toContain('x has no email address in the ID token')
    expect(verdict.reason).toContain('Add email to the scope input')
  })

  it.each([
    'alice@evil.com#@example.com',
    '"alice@evil.com"@example.com',
    'alice@evil.com@example.com',
    'alice@example.com ',
    'alice@[127.0.0.1]'
  ])('never matches a verified email that is not one plain address: %j', async (email) => {
    const odd = fromIdToken({ sub: 's', email, email_verified: true })
    const verdict = await judged({ 'allowed-approvers': '*@example.com\n*@*.com' }, odd)
    expect(verdict.outcome).toBe('refused')
    expect(verdict.reason).toContain('which is not a plain address')
  })

  it('does not let a wildcard in the local part reach across the @', async () => {
    const odd = fromIdToken({ sub: 's', email: 'x@evil.example', email_verified: true })
    expect((await judged({ 'allowed-approvers': '*@example' }, odd)).outcome).toBe('refused')
    expect((await judged({ 'allowed-approvers': '*@*.example' }, odd)).outcome).toBe('allowed')
  })

  it('allows on a username entry even when the identity has no verified email', async () => {
    const { email: _email, email_verified: _verified, ...claims } = ALICE_CLAIMS
    const verdict = await judged(
      { 'allowed-approvers': '*@example.com\nusername:alice' },
      fromIdToken(claims)
    )
    expect(verdict.outcome).toBe('allowed')
  })

  it('cannot judge a username entry when no source has a username', async () => {
    const verdict = await judged(
      { 'allowed-approvers': 'username:alice' },
      fromIdToken({ sub: 'alice-sub' })
    )
    expect(verdict.outcome).toBe('undecidable')
    expect(verdict.reason).toContain('has no preferred_username in the ID token')
  })

  it('unifies NFC and NFD spellings but not look-alike letters', async () => {
    const jose = fromIdToken({
      sub: 'j',
      preferred_username: 'Jos\u00e9',
      email: 'jos\u00e9@ex\u00e4mple.com',
      email_verified: true
    })
    expect((await judged({ 'allowed-approvers': 'username:Jose\u0301' }, jose)).outcome).toBe(
      'allowed'
    )
    expect(
      (await judged({ 'allowed-approvers': 'JOSE\u0301@EXA\u0308MPLE.COM' }, jose)).outcome
    ).toBe('allowed')
    const cyrillic = fromIdToken({ ...ALICE_CLAIMS, preferred_username: '\u0430lice' })
    expect((await judged({ 'allowed-approvers': 'username:alice' }, cyrillic)).outcome).toBe(
      'refused'
    )
  })

  it('names the approver in messages without control or bidi characters', async () => {
    const sneaky = fromIdToken({ sub: 'x', preferred_username: 'mallory\u202E\n::error::boom' })
    const verdict = await judged({ 'allowed-approvers': 'username:alice' }, sneaky)
    expect(verdict.reason).not.toMatch(/[\u0000-\u001F\u202E]/)
    expect(verdict.approver).toBe('mallory ::error::boom')
  })
})

describe('judgeApproval: one source per decision', () => {
  it('never pairs an email from userinfo with the ID token’s email_verified', async () => {
    // The exploit: email_verified in the ID token without an email, an unverified email in userinfo.
    const split = fromIdToken(
      { sub: 'eve-sub', email_verified: true },
      { sub: 'eve-sub', email: 'ceo@example.com', email_verified: false }
    )
    expect(split.email).toBeUndefined()
    const verdict = await judged({ 'allowed-approvers': '*@example.com' }, split)
    expect(verdict.outcome).toBe('refused')
    expect(verdict.reason).toContain('email ceo@example.com, not verified')
    const required = await judged({ 'required-claims': 'email=ceo@example.com' }, split)
    expect(required.outcome).toBe('refused')
  })

  it('takes a verified pair whole from userinfo when the ID token has none', async () => {
    const later = fromIdToken(
      { sub: 'alice-sub', email: 'old@example.com', email_verified: false },
      { sub: 'alice-sub', email: 'alice@example.com', email_verified: true }
    )
    expect(later.email).toBe('alice@example.com')
    expect((await judged({ 'allowed-approvers': 'alice@example.com' }, later)).outcome).toBe(
      'allowed'
    )
  })

  it('prefers the ID token’s claim whole over userinfo’s', async () => {
    const both = fromIdToken(
      { sub: 's', groups: ['developers'] },
      { sub: 's', groups: ['release-managers'] }
    )
    expect((await judged({ 'required-claims': 'groups=release-managers' }, both)).outcome).toBe(
      'refused'
    )
  })

  it('takes a claim the ID token lacks from userinfo', async () => {
    const more = fromIdToken({ sub: 's' }, { sub: 's', groups: ['release-managers'] })
    const verdict = await judged({ 'required-claims': 'groups=release-managers' }, more)
    expect(verdict.outcome).toBe('allowed')
  })

  it.each(['amr', 'acr', 'auth_time'])(
    'counts %s only from the ID token: userinfo does not describe this sign-in',
    async (claim) => {
      const fromUserinfo = fromIdToken({ sub: 's' }, { sub: 's', [claim]: ['mfa'] })
      const verdict = await judged({ 'required-claims': `${claim}=mfa` }, fromUserinfo)
      expect(verdict.outcome).toBe('undecidable')
      expect(verdict.reason).toContain(
        `has no ${claim} claim in the ID token, the only source that says how this sign-in happened`
      )
    }
  )

  it('says which claims the identity lacks that userinfo could add, never amr', () => {
    const rules = policy({
      'allowed-approvers': '*@example.com\nusername:x',
      'required-claims': 'groups=a\namr=mfa',
      'self-approval-claim': 'github_login',
      'run-actor': 'octocat'
    })
    expect(claimsMissing(rules, fromIdToken({ sub: 's' }))).toEqual([
      'email',
      'preferred_username',
      'groups',
      'github_login'
    ])
    expect(claimsMissing(rules, alice)).toEqual(['github_login'])
    // An address without email_verified: userinfo may have the verified pair.
    const unverified = fromIdToken({ ...ALICE_CLAIMS, email_verified: false, github_login: 'a' })
    expect(claimsMissing(rules, unverified)).toEqual(['email'])
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
      fromGitHub({ login: 'octocat', id: 2 }),
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
    const { amr: _amr, ...claims } = ALICE_CLAIMS
    const verdict = await judged({ 'required-claims': 'amr=mfa' }, fromIdToken(claims))
    expect(verdict.outcome).toBe('undecidable')
    expect(verdict.reason).toContain('alice@example.com has no amr claim in the ID token')
    expect(verdict.reason).toContain('Auth0 sends it only after multi-factor sign-in')
  })

  it('fails closed on an absent groups claim, saying how to map it', async () => {
    const verdict = await judged({ 'required-claims': 'groups=x' }, fromIdToken({ sub: 's' }))
    expect(verdict.outcome).toBe('undecidable')
    expect(verdict.reason).toContain('groupMembershipClaims')
  })

  it('fails closed on an object claim, showing how to reach inside it', async () => {
    const verdict = await judged({ 'required-claims': 'realm_access=release' })
    expect(verdict.outcome).toBe('undecidable')
    expect(verdict.reason).toContain('realm_access.roles')
  })

  it('reads email only as verified: a bare email claim does not satisfy email=', async () => {
    const unverified = fromIdToken({ sub: 's', email: 'alice@example.com', email_verified: false })
    const verdict = await judged({ 'required-claims': 'email=alice@example.com' }, unverified)
    expect(verdict.outcome).toBe('refused')
    expect(verdict.reason).toBe(
      "s's email alice@example.com is not verified (required-claims: email=alice@example.com)."
    )
    const none = await judged({ 'required-claims': 'email=a@b.c' }, fromIdToken({ sub: 's' }))
    expect(none.outcome).toBe('undecidable')
    expect(none.reason).toContain('has no verified email address')
  })

  it('does not read the prototype of the claims object', async () => {
    const verdict = await judged(
      { 'required-claims': 'constructor=x\n__proto__=y' },
      fromIdToken({ sub: 's' })
    )
    expect(verdict.findings.map((f) => f.result)).toEqual(['unchecked', 'unknown', 'unknown'])
  })

  it('bounds a long list of groups in the message', async () => {
    const groups = Array.from({ length: 40 }, (_, i) => `g${i}`)
    const verdict = await judged(
      { 'required-claims': 'groups=admins' },
      fromIdToken({ sub: 's', groups })
    )
    expect(verdict.reason).toContain('g9 and 30 more')
  })
})

describe('judgeApproval: allow-self-approval', () => {
  it('with provider: github, refuses the login that started the run, whatever its case', async () => {
    const octocat = fromGitHub({ login: 'OctoCat', id: 1 })
    const verdict = await judged({}, octocat, FIRST, 'github')
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
      'alice@example.com started this run (their email alice@example.com is the run-actor Alice@Example.com up to case, invisible characters or a +tag) and may not approve it (allow-self-approval is false).'
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

  it('counts the same mailbox with a +tag as the person who started the run', async () => {
    const tagged = fromIdToken({
      sub: 'octo-sub',
      email: 'Octo.Cat+release@Example.com',
      email_verified: true
    })
    const verdict = await judged(
      { 'self-approval-claim': 'email', 'run-actor': 'octo.cat@example.com' },
      tagged
    )
    expect(verdict.outcome).toBe('refused')
    expect(verdict.reason).toBe(
      'Octo.Cat+release@Example.com started this run (their email Octo.Cat+release@Example.com is the run-actor octo.cat@example.com up to case, invisible characters or a +tag) and may not approve it (allow-self-approval is false).'
    )
    // And the other way round: the run-actor has the tag.
    const plain = fromIdToken({ sub: 'o', email: 'octo.cat@example.com', email_verified: true })
    const reverse = await judged(
      { 'self-approval-claim': 'email', 'run-actor': 'octo.cat+ci@example.com' },
      plain
    )
    expect(reverse.outcome).toBe('refused')
    // Another mailbox at the same domain is someone else.
    const other = fromIdToken({ sub: 'x', email: 'octo.cats@example.com', email_verified: true })
    const different = await judged(
      { 'self-approval-claim': 'email', 'run-actor': 'octo.cat@example.com' },
      other
    )
    expect(different.outcome).toBe('allowed')
  })

  it('uses only the verified email for self-approval-claim: email', async () => {
    const unverified = fromIdToken({ ...ALICE_CLAIMS, email_verified: false })
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
      fromGitHub({ login: 'octocat', id: 2 }),
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
    const namesake = fromIdToken({ ...ALICE_CLAIMS, sub: 'other-alice' })
    const verdict = await judged({ approvals: '2' }, namesake, second)
    expect(verdict.outcome).toBe('allowed')
    expect(finding(verdict, 'approvals')?.text).toBe(
      'alice@example.com is a different person from alice@example.com (approval 2 of 2).'
    )
  })

  it('still applies every other rule to the second person', async () => {
    const bob = fromIdToken({
      ...ALICE_CLAIMS,
      sub: 'bob-sub',
      email: 'bob@example.com',
      preferred_username: 'bob'
    })
    const verdict = await judged(
      { approvals: '2', 'allowed-approvers': 'username:alice' },
      bob,
      second
    )
    expect(verdict.outcome).toBe('refused')
    expect(verdict.reason).toContain('bob@example.com is not in allowed-approvers')
  })
})

describe('judgeApproval: several rules', () => {
  it('refuses when one rule is broken even if another cannot be judged', async () => {
    const verdict = await judged({
      'allowed-approvers': 'username:bob',
      'required-claims': 'missing=x'
    })
    expect(verdict.outcome).toBe('refused')
    expect(verdict.findings.map((f) => f.result)).toEqual(['unchecked', 'broken', 'unknown'])
  })
})
