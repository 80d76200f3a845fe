import { describe, expect, it } from '@jest/globals'
import { approvalHeading, describePolicy } from '../../src/policy/describe.js'
import { readPolicy, type PolicySetting } from '../../src/policy/read-policy.js'

const RUN_ENV = { GITHUB_ACTOR: 'octocat', GITHUB_TRIGGERING_ACTOR: 'hubot' }

function linesOf(inputs: Record<string, string>, provider: PolicySetting['provider'] = 'oidc') {
  const policy = readPolicy(
    { getInput: (name) => (inputs[name] ?? '').trim(), env: RUN_ENV },
    { provider, refreshToken: false }
  )
  return describePolicy(policy).map(({ label, text }) => `${label}: ${text}`)
}

describe('describePolicy', () => {
  it('says what the default means with OIDC', () => {
    expect(linesOf({})).toEqual([
      'Who may approve: anyone who can sign in at the provider',
      'Self-approval: not checked (an OpenID Connect identity does not say which GitHub user it is; see self-approval-claim)'
    ])
  })

  it('states a release gate in full', () => {
    expect(
      linesOf({
        'allowed-approvers': '*@example.com\nsub:248289761001\nusername:release-bot',
        'required-claims': 'groups=release-managers\namr=mfa\nemail=lead@example.com',
        'self-approval-claim': 'email',
        'run-actor': 'octo@example.com',
        approvals: '2'
      })
    ).toEqual([
      'Who may approve: verified email *@example.com, subject 248289761001, username release-bot',
      'Must have: groups = release-managers and amr = mfa and verified email lead@example.com',
      "Self-approval: not allowed: the approver's email must not be octo@example.com",
      'Approvals: 2 different people, one after the other'
    ])
  })

  it('names GitHub logins, user ids, organizations, teams and the run actors', () => {
    expect(
      linesOf({ 'allowed-approvers': 'mona\nid:583231\n@octo\n@octo/release' }, 'github')
    ).toEqual([
      'Who may approve: login mona, user id 583231, members of @octo, members of team @octo/release',
      'Self-approval: not allowed: not hubot or octocat, who started the run'
    ])
  })

  it('says when self-approval is allowed', () => {
    expect(linesOf({ 'allow-self-approval': 'true' }, 'github')).toContain(
      'Self-approval: allowed (the person who started the run may approve it)'
    )
  })
})

describe('approvalHeading', () => {
  it('says nothing for a single approval', () => {
    expect(approvalHeading(1, 1, [])).toBeUndefined()
  })

  it('numbers the approvals and asks for a different person after the first', () => {
    expect(approvalHeading(1, 2, [])).toBe('Approval 1 of 2')
    expect(approvalHeading(2, 2, ['alice'])).toBe('Approval 2 of 2: a different person (not alice)')
    expect(approvalHeading(3, 3, ['alice', 'bob\u202E'])).toBe(
      'Approval 3 of 3: a different person (not alice or bob)'
    )
  })
})
