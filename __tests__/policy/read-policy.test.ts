import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import type { ApprovalPolicy } from '../../src/policy/rules.js'
import { readPolicy, type PolicySetting } from '../../src/policy/read-policy.js'

const RUN_ENV = { GITHUB_ACTOR: 'octocat', GITHUB_TRIGGERING_ACTOR: 'hubot' }
const OIDC: PolicySetting = { provider: 'oidc', refreshToken: false }
const GITHUB: PolicySetting = { provider: 'github', refreshToken: false }

function source(inputs: Record<string, string>, env: Record<string, string> = RUN_ENV) {
  return { getInput: (name: string) => (inputs[name] ?? '').trim(), env }
}

function policyOf(
  inputs: Record<string, string>,
  setting: PolicySetting = OIDC,
  env: Record<string, string> = RUN_ENV
): ApprovalPolicy {
  return readPolicy(source(inputs, env), setting)
}

/** The InputError for these inputs; fails the test when none is thrown. */
function errorOf(
  inputs: Record<string, string>,
  setting: PolicySetting = OIDC,
  env: Record<string, string> = RUN_ENV
): InputError {
  try {
    readPolicy(source(inputs, env), setting)
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error(`expected an InputError for ${JSON.stringify(inputs)}`)
}

describe('readPolicy: without policy inputs', () => {
  it('asks one approval from anyone; OIDC self-approval is undetectable, not refused', () => {
    expect(policyOf({})).toEqual({
      provider: 'oidc',
      allowedApprovers: [],
      requiredClaims: [],
      selfApproval: { kind: 'undetectable' },
      approvals: 1,
      configured: false
    })
  })

  it('with provider: github refuses self-approval by default, against both run actors', () => {
    expect(policyOf({}, GITHUB).selfApproval).toEqual({
      kind: 'github-login',
      runActors: [
        { value: 'hubot', from: 'GITHUB_TRIGGERING_ACTOR' },
        { value: 'octocat', from: 'GITHUB_ACTOR' }
      ]
    })
  })

  it('names one actor once when the triggering actor is the actor', () => {
    const env = { GITHUB_ACTOR: 'octocat', GITHUB_TRIGGERING_ACTOR: 'octocat' }
    expect(policyOf({}, GITHUB, env).selfApproval).toEqual({
      kind: 'github-login',
      runActors: [{ value: 'octocat', from: 'GITHUB_TRIGGERING_ACTOR' }]
    })
  })

  it('refuses, before any request, a github default that cannot know who started the run', () => {
    const error = errorOf({}, GITHUB, {})
    expect(error.input).toBe('allow-self-approval')
    expect(error.message).toContain('neither GITHUB_TRIGGERING_ACTOR nor GITHUB_ACTOR is set')
    expect(policyOf({ 'allow-self-approval': 'true' }, GITHUB, {}).selfApproval).toEqual({
      kind: 'allowed'
    })
  })

  it('counts as configured once any policy input is set', () => {
    expect(policyOf({ approvals: '1' }).configured).toBe(true)
    expect(policyOf({ 'allow-self-approval': 'true' }).configured).toBe(true)
  })
})

describe('readPolicy: allowed-approvers', () => {
  it('reads one entry a line, each saying what it matches, skipping blank lines and # comments', () => {
    const policy = policyOf({
      'allowed-approvers':
        '\n  sub:248289761001  \n# release managers\n*@example.com\r\nusername:alice\n'
    })
    expect(policy.allowedApprovers).toEqual([
      { kind: 'subject', text: 'sub:248289761001', value: '248289761001' },
      { kind: 'email', text: '*@example.com', local: '*', domain: 'example.com' },
      { kind: 'username', text: 'username:alice', value: 'alice' }
    ])
  })

  it('refuses a bare entry with an OpenID Connect provider, showing both ways to write it', () => {
    // Before, a bare entry matched the username or the subject: a username can be chosen.
    const error = errorOf({ 'allowed-approvers': '*@example.com\n248289761001' })
    expect(error.input).toBe('allowed-approvers')
    expect(error.message).toBe(
      `Input 'allowed-approvers': line 2 ("248289761001") does not say what it matches. Write sub:248289761001 for the subject (the provider's stable id for the person, the stronger choice), or username:248289761001 for preferred_username (which many providers let people choose or change). An entry with an @ is a verified email.`
    )
  })

  it('reads a bare entry as a login with provider: github, and id:NNN as the user id', () => {
    expect(
      policyOf({ 'allowed-approvers': 'octocat\nid:583231\n4242' }, GITHUB).allowedApprovers
    ).toEqual([
      { kind: 'login', text: 'octocat', value: 'octocat' },
      { kind: 'user-id', text: 'id:583231', value: '583231' },
      { kind: 'login', text: '4242', value: '4242' }
    ])
  })

  it.each([
    ['id:abc', 'numeric GitHub user id'],
    ['id:', 'numeric GitHub user id'],
    ['sub:583231', 'write the login as it is'],
    ['username:octocat', 'write the login as it is'],
    ['octo@example.com', 'does not say whether an email is verified'],
    ['octo*', 'anyone can register a GitHub login that a pattern matches'],
    ['octo_cat', 'is not a GitHub login']
  ])('refuses %j with provider: github', (line, problem) => {
    const error = errorOf({ 'allowed-approvers': line }, GITHUB)
    expect(error.input).toBe('allowed-approvers')
    expect(error.message).toContain(problem)
  })

  it.each([
    ['sub:abc*', 'a subject is compared whole'],
    ['username:ali?e', 'a username is compared whole'],
    ['sub:', 'nothing after sub:'],
    ['id:583231', 'id:, which is for provider: github'],
    ['alice@evil.com#@example.com', 'more than one @'],
    ['alice@*', 'ends its domain with a wildcard'],
    ['alice@example.*', 'ends its domain with a wildcard'],
    ['*@*', 'matches anyone'],
    ['@example.com', 'names a GitHub organization or team'],
    ['"a b"@example.com', 'more than one entry, or spaces'],
    ['a(b)@example.com', 'its local part'],
    ['alice@exa_mple.com', 'its domain']
  ])('refuses %j with an OpenID Connect provider', (line, problem) => {
    const error = errorOf({ 'allowed-approvers': line })
    expect(error.input).toBe('allowed-approvers')
    expect(error.message).toContain(problem)
  })

  it.each([
    ['a list whose every line is a comment', '# alice (on leave)'],
    ['comments and blank lines', '\n# alice\n  # bob\n\n']
  ])('refuses %s: it would let anyone approve', (_what, value) => {
    const error = errorOf({ 'allowed-approvers': value })
    expect(error.input).toBe('allowed-approvers')
    expect(error.message).toContain('has no entries: every line is blank or a # comment')
    expect(error.message).toContain(
      'remove allowed-approvers to let anyone who can sign in approve'
    )
  })

  it('reads @org and @org/team with provider: github', () => {
    expect(
      policyOf({ 'allowed-approvers': '@octo\n@octo/release-managers' }, GITHUB).allowedApprovers
    ).toEqual([
      { kind: 'org', text: '@octo', org: 'octo' },
      { kind: 'team', text: '@octo/release-managers', org: 'octo', team: 'release-managers' }
    ])
  })

  it('refuses @org/team with an OIDC provider and points at required-claims', () => {
    const error = errorOf({ 'allowed-approvers': 'sub:alice\n@octo/release' })
    expect(error.input).toBe('allowed-approvers')
    expect(error.message).toContain('line 2 ("@octo/release")')
    expect(error.message).toContain('only provider: github can check')
    expect(error.message).toContain('groups=release-managers')
  })

  it.each([
    ['@', 'is not @organization'],
    ['@-octo', 'is not @organization'],
    [`@${'a'.repeat(40)}`, 'is not @organization'],
    ['@octo/', 'is not a team slug'],
    ['@octo/a/b', 'more than one /'],
    ['@octo/release managers', 'more than one entry, or spaces']
  ])('refuses the malformed GitHub entry %j', (line, problem) => {
    const error = errorOf({ 'allowed-approvers': line }, GITHUB)
    expect(error.input).toBe('allowed-approvers')
    expect(error.message).toContain(problem)
  })

  it.each([
    ['sub:alice sub:bob', 'more than one entry'],
    ['a@example.com,b@example.com', 'more than one entry'],
    ['sub:alice;sub:bob', 'more than one entry'],
    ['*', 'does not say what it matches'],
    ['*@*', 'matches anyone']
  ])('refuses the entry %j', (line, problem) => {
    const error = errorOf({ 'allowed-approvers': line })
    expect(error.input).toBe('allowed-approvers')
    expect(error.message).toContain(problem)
  })

  it('refuses an entry longer than 320 characters, quoting only its start', () => {
    const error = errorOf({ 'allowed-approvers': `${'x'.repeat(321)}@example.com` })
    expect(error.message).toContain('longer than 320')
    expect(error.message.length).toBeLessThan(200)
  })

  it('refuses control characters and never repeats them in the message', () => {
    const error = errorOf({ 'allowed-approvers': 'sub:ali\u0007ce' })
    expect(error.message).toContain('control characters')
    expect(error.message).not.toMatch(/[\u0000-\u001F]/)
  })

  it('accepts unicode names and emails as written', () => {
    expect(
      policyOf({ 'allowed-approvers': 'josé@exämple.com\nusername:李雷' }).allowedApprovers
    ).toEqual([
      { kind: 'email', text: 'josé@exämple.com', local: 'josé', domain: 'exämple.com' },
      { kind: 'username', text: 'username:李雷', value: '李雷' }
    ])
  })
})

describe('readPolicy: the scope an OpenID Connect policy needs', () => {
  function warningsOf(inputs: Record<string, string>, scope?: string): string[] {
    const warnings: string[] = []
    readPolicy(
      { ...source(inputs), warning: (message: string) => warnings.push(message) },
      { ...OIDC, ...(scope !== undefined && { scope }) }
    )
    return warnings
  }

  function scopeErrorOf(inputs: Record<string, string>, scope: string): InputError {
    try {
      readPolicy(source(inputs), { ...OIDC, scope })
    } catch (error) {
      if (error instanceof InputError) return error
      throw error
    }
    throw new Error(`expected an InputError for ${JSON.stringify(inputs)}`)
  }

  it.each([
    [{ 'allowed-approvers': 'sub:x' }, 'allowed-approvers judges who approved'],
    [{ 'required-claims': 'amr=mfa' }, 'required-claims judges who approved'],
    [{ approvals: '2' }, 'approvals judges who approved'],
    [{ 'self-approval-claim': 'email', 'run-actor': 'a@b.c' }, 'self-approval-claim judges']
  ])('refuses %j before any request when scope lacks openid', (inputs, named) => {
    const error = scopeErrorOf(inputs, 'profile email')
    expect(error.input).toBe('scope')
    expect(error.message).toContain(named)
    expect(error.message).toContain('Add openid to scope (for example openid profile email)')
  })

  it('says nothing when nothing judges the approver, or scope has openid', () => {
    expect(warningsOf({ 'allow-self-approval': 'true' }, 'profile')).toEqual([])
    expect(warningsOf({ 'allowed-approvers': 'sub:x' }, 'openid')).toEqual([])
  })

  it('warns, before any request, when scope is not set', () => {
    expect(warningsOf({ 'allowed-approvers': 'sub:x' })).toEqual([
      expect.stringContaining('the scope input is not set')
    ])
  })

  it('warns when the policy compares the verified email and scope does not ask for email', () => {
    expect(warningsOf({ 'allowed-approvers': '*@example.com' }, 'openid profile')).toEqual([
      expect.stringContaining(
        'the email entries of allowed-approvers compare the verified email, and the scope input does not ask for email'
      )
    ])
    expect(warningsOf({ 'allowed-approvers': '*@example.com' }, 'openid email')).toEqual([])
  })

  it('does not ask for openid with provider: github, whose identity is its user API', () => {
    expect(() =>
      readPolicy(source({ 'allowed-approvers': 'octocat' }), { ...GITHUB, scope: 'read:org' })
    ).not.toThrow()
  })
})

describe('readPolicy: required-claims', () => {
  it('reads claim=value lines, trimming around the =, keeping = inside the value', () => {
    expect(
      policyOf({
        'required-claims': 'groups = release-managers\namr=mfa\nhttps://x.example/role=a=b'
      }).requiredClaims
    ).toEqual([
      { text: 'groups=release-managers', claim: 'groups', value: 'release-managers' },
      { text: 'amr=mfa', claim: 'amr', value: 'mfa' },
      { text: 'https://x.example/role=a=b', claim: 'https://x.example/role', value: 'a=b' }
    ])
  })

  it.each([
    ['groups', 'is not claim=value'],
    ['=mfa', 'no claim name'],
    ['amr=', 'no value after the ='],
    ['my claim=x', 'space in the claim name']
  ])('refuses %j, naming the input and the line', (line, problem) => {
    const error = errorOf({ 'required-claims': `amr=mfa\n${line}` })
    expect(error.input).toBe('required-claims')
    expect(error.message).toContain('line 2')
    expect(error.message).toContain(problem)
  })

  it.each([
    [
      'groups=a, amr=mfa',
      'holds two claims on one line; write one claim=value a line: groups=a and, on the next line, amr=mfa.'
    ],
    ['groups=a amr=mfa', 'groups=a and, on the next line, amr=mfa'],
    ['groups=a;acr=gold', 'groups=a and, on the next line, acr=gold'],
    [
      'amr=["mfa"]',
      'has a value in JSON or quotes; write the value alone, one a line (amr=mfa). A list claim holds when it contains the value.'
    ],
    ['amr=["mfa","otp"]', '(amr=mfa and amr=otp)'],
    ['groups="release managers"', '(groups=release managers)'],
    ['realm_access={"roles":["x"]}', 'JSON or quotes']
  ])('refuses %j before any request, naming the fix', (line, fix) => {
    const error = errorOf({ 'required-claims': line })
    expect(error.input).toBe('required-claims')
    expect(error.message).toContain(fix)
  })

  it('takes a value that itself starts as name=… (an LDAP DN) as written', () => {
    expect(
      policyOf({ 'required-claims': 'memberOf=cn=release,ou=groups, dc=example' }).requiredClaims
    ).toEqual([
      {
        text: 'memberOf=cn=release,ou=groups, dc=example',
        claim: 'memberOf',
        value: 'cn=release,ou=groups, dc=example'
      }
    ])
  })

  it('refuses a list whose every line is a comment: it would require nothing', () => {
    const error = errorOf({ 'required-claims': '# amr=mfa' })
    expect(error.input).toBe('required-claims')
    expect(error.message).toContain('has no entries')
  })

  it.each(['company=@acme', 'name=Release Bot', 'email=a@acme.com', 'bio=x', 'location=HQ'])(
    'refuses %j with provider: github: the user edits it, so point at @org/team',
    (line) => {
      const error = errorOf({ 'required-claims': line, 'allow-self-approval': 'true' }, GITHUB)
      expect(error.input).toBe('required-claims')
      expect(error.message).toContain('which is not a field GitHub sets')
      expect(error.message).toContain('@organization/team')
    }
  )

  it('accepts the fields GitHub sets with provider: github', () => {
    const policy = policyOf(
      {
        'required-claims': 'two_factor_authentication=true\ntype=User',
        'allow-self-approval': 'true'
      },
      GITHUB
    )
    expect(policy.requiredClaims.map((requirement) => requirement.claim)).toEqual([
      'two_factor_authentication',
      'type'
    ])
  })
})

describe('readPolicy: allow-self-approval, self-approval-claim, run-actor', () => {
  it('compares a named claim with run-actor values, one a line', () => {
    expect(
      policyOf({
        'self-approval-claim': 'email',
        'run-actor': 'octo.cat@example.com\n  octocat  '
      }).selfApproval
    ).toEqual({
      kind: 'claim',
      claim: 'email',
      runActors: [
        { value: 'octo.cat@example.com', from: 'run-actor' },
        { value: 'octocat', from: 'run-actor' }
      ]
    })
  })

  it('fails closed when run-actor is empty, as a mapping without the actor gives', () => {
    const error = errorOf({ 'self-approval-claim': 'email', 'run-actor': '' })
    expect(error.input).toBe('run-actor')
    expect(error.message).toContain('missing from that mapping')
  })

  it('refuses an explicit false that an OIDC identity cannot honour without a claim', () => {
    const error = errorOf({ 'allow-self-approval': 'false' })
    expect(error.input).toBe('allow-self-approval')
    expect(error.message).toContain('self-approval-claim')
    expect(error.message).toContain('run-actor')
  })

  it('refuses self-approval-claim and run-actor with provider: github, which compares logins', () => {
    expect(errorOf({ 'self-approval-claim': 'email', 'run-actor': 'x' }, GITHUB).input).toBe(
      'self-approval-claim'
    )
    const error = errorOf({ 'run-actor': 'octocat' }, GITHUB)
    expect(error.input).toBe('run-actor')
    expect(error.message).toContain('GITHUB_TRIGGERING_ACTOR and GITHUB_ACTOR')
  })

  it('refuses run-actor without self-approval-claim', () => {
    expect(errorOf({ 'run-actor': 'octocat' }).message).toContain('without self-approval-claim')
  })

  it('refuses a claim to compare when self-approval is allowed anyway', () => {
    const error = errorOf({
      'allow-self-approval': 'true',
      'self-approval-claim': 'email',
      'run-actor': 'x'
    })
    expect(error.input).toBe('self-approval-claim')
    expect(error.message).toContain('nothing is compared')
  })

  it('reads the YAML booleans and refuses anything else', () => {
    expect(policyOf({ 'allow-self-approval': 'True' }).selfApproval.kind).toBe('allowed')
    expect(errorOf({ 'allow-self-approval': 'yes' }).message).toContain(
      '"yes" is not true or false'
    )
  })

  it('refuses a self-approval-claim with spaces', () => {
    expect(errorOf({ 'self-approval-claim': 'git login', 'run-actor': 'x' }).input).toBe(
      'self-approval-claim'
    )
  })
})

describe('readPolicy: approvals', () => {
  it.each([
    ['', 1],
    ['1', 1],
    ['2', 2],
    ['10', 10]
  ])('reads %j as %i', (value, expected) => {
    expect(policyOf({ approvals: value }).approvals).toBe(expected)
  })

  it.each(['0', '-1', '1.5', 'two', '11', '1e1', '0x2'])('refuses %j', (value) => {
    const error = errorOf({ approvals: value })
    expect(error.input).toBe('approvals')
    expect(error.message).toContain('whole number from 1 to 10')
  })

  it('refuses approvals > 1 with a refresh token, which would skip the people', () => {
    const error = errorOf({ approvals: '2' }, { provider: 'oidc', refreshToken: true })
    expect(error.input).toBe('approvals')
    expect(error.message).toContain('refresh-token')
    expect(policyOf({ approvals: '1' }, { provider: 'oidc', refreshToken: true }).approvals).toBe(1)
  })
})
