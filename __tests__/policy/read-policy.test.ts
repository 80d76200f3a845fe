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
  it('reads one entry a line, skipping blank lines and # comments', () => {
    const policy = policyOf({
      'allowed-approvers': '\n  alice  \n# release managers\n*@example.com\r\n12345\n'
    })
    expect(policy.allowedApprovers).toEqual([
      { kind: 'pattern', text: 'alice', matches: 'username-or-subject' },
      { kind: 'pattern', text: '*@example.com', matches: 'email' },
      { kind: 'pattern', text: '12345', matches: 'username-or-subject' }
    ])
  })

  it('treats an entry with an @ after its first character as an email, to match only the verified email', () => {
    expect(policyOf({ 'allowed-approvers': 'a@b' }).allowedApprovers[0]).toMatchObject({
      matches: 'email'
    })
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
    const error = errorOf({ 'allowed-approvers': 'alice\n@octo/release' })
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
    ['alice bob', 'more than one entry'],
    ['alice,bob', 'more than one entry'],
    ['alice;bob', 'more than one entry'],
    ['*', 'matches anyone'],
    ['**?', 'matches anyone']
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
    const error = errorOf({ 'allowed-approvers': 'ali\u0007ce' })
    expect(error.message).toContain('control characters')
    expect(error.message).not.toMatch(/[\u0000-\u001F]/)
  })

  it('accepts unicode names and emails as written', () => {
    expect(policyOf({ 'allowed-approvers': 'josé@exämple.com\n李雷' }).allowedApprovers).toEqual([
      { kind: 'pattern', text: 'josé@exämple.com', matches: 'email' },
      { kind: 'pattern', text: '李雷', matches: 'username-or-subject' }
    ])
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
