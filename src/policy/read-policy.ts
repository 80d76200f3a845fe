import { InputError } from '../errors.js'
import { addressPatternOf } from './email-address.js'
import {
  MAX_APPROVALS,
  type ApprovalPolicy,
  type ApproverEntry,
  type ClaimRequirement,
  type RunActor,
  type SelfApprovalRule
} from './rules.js'

/** What reading the policy needs: the inputs and the runner's environment. */
export interface PolicyInputSource {
  /** The input's value, trimmed; '' when not set. */
  getInput(name: string): string
  readonly env: Readonly<Record<string, string | undefined>>
  /** Said before any request, for a policy that is likely (not surely) mistaken. */
  warning?(message: string): void
}

export interface PolicySetting {
  /** `github` checks @org/@team membership and compares logins; everything else is OIDC. */
  readonly provider: 'github' | 'oidc'
  /** A stored refresh token that may be used skips the person, so it cannot meet approvals > 1. */
  readonly refreshToken: boolean
  /** The scope input, when set: an OpenID Connect identity comes only with openid. */
  readonly scope?: string
}

export const POLICY_INPUTS = [
  'allowed-approvers',
  'required-claims',
  'allow-self-approval',
  'self-approval-claim',
  'run-actor',
  'approvals'
] as const

/** Reads and checks the policy inputs before any request; each problem names its input. */
export function readPolicy(source: PolicyInputSource, setting: PolicySetting): ApprovalPolicy {
  const allowedApprovers = parseAllowedApprovers(
    source.getInput('allowed-approvers'),
    setting.provider
  )
  const requiredClaims = parseRequiredClaims(source.getInput('required-claims'), setting.provider)
  const selfApproval = readSelfApproval(source, setting.provider)
  const approvals = parseApprovals(source.getInput('approvals'))
  if (approvals > 1 && setting.refreshToken) {
    throw new InputError(
      'approvals',
      `is ${approvals}, but refresh-token is set: a stored refresh token gets a token without anyone approving, which would skip the gate. Use approvals only in a job that asks people (remove refresh-token, or set mode: device), or set approvals: 1.`
    )
  }
  const policy: ApprovalPolicy = {
    provider: setting.provider,
    allowedApprovers,
    requiredClaims,
    selfApproval,
    approvals,
    configured: POLICY_INPUTS.some((name) => source.getInput(name) !== '')
  }
  if (setting.provider === 'oidc') checkScope(policy, setting.scope, source)
  return policy
}

/** The policy inputs that judge who approved, and so need a verified identity. */
export function inputsNeedingIdentity(policy: ApprovalPolicy): string[] {
  return [
    ...(policy.allowedApprovers.length > 0 ? ['allowed-approvers'] : []),
    ...(policy.requiredClaims.length > 0 ? ['required-claims'] : []),
    ...(policy.selfApproval.kind === 'claim' ? ['self-approval-claim'] : []),
    ...(policy.approvals > 1 ? ['approvals'] : [])
  ]
}

/**
 * An OpenID Connect identity comes only with the openid scope: the ID token (OpenID Connect Core
 * §3.1.2.1) and the userinfo endpoint (§5.3) both need it. A policy that judges the approver
 * without it would refuse everyone, after they approved.
 */
function checkScope(
  policy: ApprovalPolicy,
  scope: string | undefined,
  source: PolicyInputSource
): void {
  const inputs = inputsNeedingIdentity(policy)
  if (inputs.length === 0) return
  const scopes = (scope ?? '').split(/\s+/).filter(Boolean)
  const judged = `${inputs.join(', ')} ${inputs.length === 1 ? 'judges' : 'judge'} who approved`
  if (scope === undefined || scopes.length === 0) {
    source.warning?.(
      `The approval policy (${judged}) needs a verified identity, and the scope input is not set: unless the provider grants openid by default, no ID token or userinfo comes back and every approval is refused. Set scope to include openid (for example openid profile email).`
    )
    return
  }
  if (!scopes.includes('openid')) {
    throw new InputError(
      'scope',
      `is "${scope.slice(0, 200)}", without openid, but ${judged}: that needs a verified identity, an ID token or the userinfo endpoint's answer, which an OpenID Connect provider gives only for the openid scope (OpenID Connect Core §3.1.2.1, §5.3). Add openid to scope (for example openid ${scope.slice(0, 100)}).`
    )
  }
  const emailRules = [
    ...(policy.allowedApprovers.some((entry) => entry.kind === 'email')
      ? ['the email entries of allowed-approvers']
      : []),
    ...(policy.requiredClaims.some((requirement) => requirement.claim === 'email')
      ? ['required-claims email=']
      : []),
    ...(policy.selfApproval.kind === 'claim' && policy.selfApproval.claim === 'email'
      ? ['self-approval-claim: email']
      : [])
  ]
  if (emailRules.length > 0 && !scopes.includes('email')) {
    source.warning?.(
      `${emailRules.join(', ')} compare the verified email, and the scope input does not ask for email: most providers send email and email_verified only for the email scope (OpenID Connect Core §5.4). Add email to scope, unless your provider sends them anyway.`
    )
  }
}

/**
 * Lines that carry an entry, with their 1-based line numbers; blank lines and # comments skipped.
 * An input that was set but holds nothing else is refused: a list whose every line is commented
 * out would otherwise mean "no rule", the opposite of what it was meant to say.
 */
function entriesOf(
  input: string,
  value: string,
  empty: string
): Array<{ line: string; where: string }> {
  const entries: Array<{ line: string; where: string }> = []
  value.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    entries.push({ line, where: `line ${index + 1}` })
  })
  if (value.trim() !== '' && entries.length === 0) throw new InputError(input, empty)
  return entries
}

/** A line quoted in a message: one line, bounded. */
function quoted(line: string): string {
  const shown = line.replace(/[\u0000-\u001F\u007F-\u009F]/g, ' ')
  return `"${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}"`
}

// GitHub: a login or an organization is up to 39 letters, digits and single hyphens; a team slug
// is the team's name in lower case with hyphens, and may keep underscores and dots.
const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/
const GITHUB_TEAM = /^[A-Za-z0-9_.-]{1,100}$/
const MAX_ENTRY_LENGTH = 320

export function parseAllowedApprovers(value: string, provider: 'github' | 'oidc'): ApproverEntry[] {
  const entries = entriesOf(
    'allowed-approvers',
    value,
    'has no entries: every line is blank or a # comment. Name at least one approver, or remove allowed-approvers to let anyone who can sign in approve.'
  )
  return entries.map(({ line, where }) => {
    const fail = (problem: string): never => {
      throw new InputError('allowed-approvers', `${where} (${quoted(line)}) ${problem}`)
    }
    if (/[\u0000-\u001F\u007F-\u009F]/.test(line)) fail('has control characters.')
    if (/[\s,;]/.test(line)) fail('holds more than one entry, or spaces. Write one entry a line.')
    if (line.length > MAX_ENTRY_LENGTH) fail(`is longer than ${MAX_ENTRY_LENGTH} characters.`)
    if (line.startsWith('@')) return membershipEntry(line, provider, fail)
    return provider === 'github' ? gitHubEntry(line, fail) : oidcEntry(line, fail)
  })
}

const WILDCARDS = /[*?]/

/**
 * With an OpenID Connect provider every entry says what it matches: an email address, sub:, or
 * username:. A bare name could be read either way, and a username can be chosen to look like
 * someone's subject, so it is refused.
 */
function oidcEntry(line: string, fail: (problem: string) => never): ApproverEntry {
  const prefixed = /^(sub|username|id):(.*)$/.exec(line)
  if (prefixed) {
    const [, prefix, value = ''] = prefixed
    if (prefix === 'id')
      fail(
        'uses id:, which is for provider: github (the numeric user id). With an OpenID Connect provider, write the subject as sub:VALUE.'
      )
    if (value === '') fail(`has nothing after ${prefix}:.`)
    if (WILDCARDS.test(value))
      fail(
        `has a wildcard (* or ?): a ${prefix === 'sub' ? 'subject' : 'username'} is compared whole, since a pattern would let in anyone who gets a matching one. Wildcards work only in email entries (*@example.com).`
      )
    return prefix === 'sub'
      ? { kind: 'subject', text: line, value }
      : { kind: 'username', text: line, value }
  }
  if (line.includes('@')) return emailEntry(line, fail)
  return fail(
    `does not say what it matches. Write sub:${line} for the subject (the provider's stable id for the person, the stronger choice), or username:${line} for preferred_username (which many providers let people choose or change). An entry with an @ is a verified email.`
  )
}

/** With provider: github: a bare entry is the login; id:NNN the numeric id. */
function gitHubEntry(line: string, fail: (problem: string) => never): ApproverEntry {
  const id = /^id:(.*)$/.exec(line)
  if (id) {
    const value = id[1] ?? ''
    if (!/^[1-9][0-9]{0,19}$/.test(value))
      fail('is not id: followed by a numeric GitHub user id (for example id:583231).')
    return { kind: 'user-id', text: line, value }
  }
  if (/^(sub|username):/.test(line))
    fail(
      'is written for an OpenID Connect provider. With provider: github, write the login as it is (octocat), or id:NNN for the numeric user id.'
    )
  if (line.includes('@'))
    fail(
      "is an email address, but GitHub's user API does not say whether an email is verified, so it cannot be judged. Write the login, id:NNN, or @organization/team."
    )
  if (WILDCARDS.test(line))
    fail(
      'has a wildcard (* or ?): anyone can register a GitHub login that a pattern matches. Write each login, or use @organization/team.'
    )
  if (!GITHUB_LOGIN.test(line))
    fail('is not a GitHub login (up to 39 letters, digits and single hyphens).')
  return { kind: 'login', text: line, value: line }
}

function emailEntry(line: string, fail: (problem: string) => never): ApproverEntry {
  if (/^[*?]+@[*?]+$/.test(line))
    fail('matches anyone. To let anyone who can sign in approve, remove allowed-approvers.')
  const address = addressPatternOf(line)
  if ('problem' in address) return fail(address.problem)
  return { kind: 'email', text: line, local: address.local, domain: address.domain }
}

function membershipEntry(
  line: string,
  provider: 'github' | 'oidc',
  fail: (problem: string) => never
): ApproverEntry {
  if (provider !== 'github') {
    return fail(
      'names a GitHub organization or team, whose members only provider: github can check. With an OpenID Connect provider, require the group with required-claims instead (for example groups=release-managers).'
    )
  }
  const [org = '', team, extra] = line.slice(1).split('/')
  if (!GITHUB_LOGIN.test(org))
    fail(
      'is not @organization or @organization/team-slug (an organization is up to 39 letters, digits and hyphens).'
    )
  if (extra !== undefined) fail('has more than one /; write @organization/team-slug.')
  if (team === undefined) return { kind: 'org', text: line, org }
  if (!GITHUB_TEAM.test(team))
    fail(
      "has a team that is not a team slug (the team's name in lower case with hyphens, as in its URL)."
    )
  return { kind: 'team', text: line, org, team: team as string }
}

/**
 * The fields of GitHub's /user that its owner cannot set: everything else (company, name, bio,
 * blog, location, email, twitter_username, hireable …) anyone can write on their own profile.
 * https://docs.github.com/en/rest/users/users#get-the-authenticated-user
 */
const GITHUB_FIXED_FIELDS = ['id', 'node_id', 'type', 'site_admin', 'two_factor_authentication']

export function parseRequiredClaims(
  value: string,
  provider: 'github' | 'oidc' = 'oidc'
): ClaimRequirement[] {
  const entries = entriesOf(
    'required-claims',
    value,
    'has no entries: every line is blank or a # comment. Write one claim=value a line, or remove required-claims.'
  )
  return entries.map(({ line, where }) => {
    const fail = (problem: string): never => {
      throw new InputError('required-claims', `${where} (${quoted(line)}) ${problem}`)
    }
    if (/[\u0000-\u001F\u007F-\u009F]/.test(line)) fail('has control characters.')
    const equals = line.indexOf('=')
    if (equals === -1) fail('is not claim=value (for example groups=release-managers or amr=mfa).')
    const claim = line.slice(0, equals).trim()
    const claimValue = line.slice(equals + 1).trim()
    if (claim === '') fail('has no claim name before the =.')
    if (/\s/.test(claim)) fail('has a space in the claim name.')
    if (claimValue === '') fail(`has no value after the =; say which value ${claim} must hold.`)
    checkValueShape(claim, claimValue, fail)
    if (provider === 'github' && !GITHUB_FIXED_FIELDS.includes(claim)) {
      fail(
        `names ${claim}, which is not a field GitHub sets: the approver can write company, name, bio, blog, location, email and the like on their own profile, so anyone could meet it. To require membership, use allowed-approvers with @organization or @organization/team. With provider: github, required-claims may name only ${GITHUB_FIXED_FIELDS.join(', ')}.`
      )
    }
    return { text: `${claim}=${claimValue}`, claim, value: claimValue }
  })
}

/**
 * Mistakes that would make a requirement never hold, caught before anyone is asked: two claims
 * on one line, and a value written as JSON or in quotes. A value that itself starts as name=…
 * (an LDAP DN such as cn=admins,ou=groups) is taken as written.
 */
function checkValueShape(claim: string, value: string, fail: (problem: string) => never): void {
  const json = /^[[{"]/.test(value)
  if (json) {
    const items = [...value.matchAll(/"([^"]*)"/g)].map((match) => match[1] ?? '')
    const example =
      items.length > 0 ? items.map((item) => `${claim}=${item}`).join(' and ') : `${claim}=mfa`
    fail(
      `has a value in JSON or quotes; write the value alone, one a line (${example}). A list claim holds when it contains the value.`
    )
  }
  if (/^[\w.-]+=/.test(value)) return
  const second = /[,;\s]\s*([\w.:/-]+)=(\S*)/.exec(value)
  if (second) {
    const first = value.slice(0, second.index).replace(/[,;\s]+$/, '')
    fail(
      `holds two claims on one line; write one claim=value a line: ${claim}=${first} and, on the next line, ${second[1]}=${second[2] ?? ''}. All lines must hold.`
    )
  }
}

function readSelfApproval(
  source: PolicyInputSource,
  provider: 'github' | 'oidc'
): SelfApprovalRule {
  const allowInput = source.getInput('allow-self-approval')
  const allowed = readBoolean('allow-self-approval', allowInput)
  const claim = source.getInput('self-approval-claim')
  const runActorInput = source.getInput('run-actor')

  if (claim && provider === 'github') {
    throw new InputError(
      'self-approval-claim',
      "is not used with provider: github, which compares the approver's GitHub login with GITHUB_TRIGGERING_ACTOR and GITHUB_ACTOR. Remove it."
    )
  }
  if (runActorInput && !claim) {
    throw new InputError(
      'run-actor',
      provider === 'github'
        ? 'is not used with provider: github, which takes who started the run from GITHUB_TRIGGERING_ACTOR and GITHUB_ACTOR. Remove it.'
        : 'is set without self-approval-claim: name the claim of the approver to compare it with (for example self-approval-claim: email).'
    )
  }
  if (allowed === true) {
    if (claim) {
      throw new InputError(
        'self-approval-claim',
        'is set, but allow-self-approval is true, so nothing is compared. Remove one of them.'
      )
    }
    return { kind: 'allowed' }
  }

  if (provider === 'github') {
    const runActors = actorsFromEnv(source.env)
    if (runActors.length === 0) {
      throw new InputError(
        'allow-self-approval',
        'is false (the default), but neither GITHUB_TRIGGERING_ACTOR nor GITHUB_ACTOR is set, so who started the run is unknown. Outside GitHub Actions, set allow-self-approval: true.'
      )
    }
    return { kind: 'github-login', runActors }
  }

  if (claim) {
    if (/[\s\u0000-\u001F\u007F-\u009F]/.test(claim))
      throw new InputError('self-approval-claim', 'must be one claim name, without spaces.')
    return { kind: 'claim', claim, runActors: parseRunActors(runActorInput) }
  }
  if (allowed === false) {
    throw new InputError(
      'allow-self-approval',
      "is false, but an OpenID Connect identity does not say which GitHub user it is, so the action cannot tell whether the approver started the run. Set self-approval-claim to a claim that names them (for example email, or a github_login claim mapped at the provider) and run-actor to the run's value for it (for example ${{ github.triggering_actor }}); or remove allow-self-approval."
    )
  }
  return { kind: 'undetectable' }
}

/** GITHUB_TRIGGERING_ACTOR started this attempt (a re-run's is the person re-running); GITHUB_ACTOR the first. */
function actorsFromEnv(env: Readonly<Record<string, string | undefined>>): RunActor[] {
  const actors: RunActor[] = []
  for (const name of ['GITHUB_TRIGGERING_ACTOR', 'GITHUB_ACTOR']) {
    const value = env[name]?.trim()
    if (value && !actors.some((actor) => actor.value === value)) actors.push({ value, from: name })
  }
  return actors
}

const RUN_ACTOR_EMPTY =
  "is empty, so the action cannot tell who started the run. Set it to the run's value for self-approval-claim, one a line (for example ${{ github.triggering_actor }}). When it comes from a mapping such as fromJSON(vars.EMAILS)[github.triggering_actor], the person who started the run is missing from that mapping."

function parseRunActors(value: string): RunActor[] {
  const actors = entriesOf('run-actor', value, RUN_ACTOR_EMPTY).map(({ line, where }) => {
    if (/[\u0000-\u001F\u007F-\u009F]/.test(line))
      throw new InputError('run-actor', `${where} has control characters.`)
    return { value: line, from: 'run-actor' }
  })
  if (actors.length === 0) throw new InputError('run-actor', RUN_ACTOR_EMPTY)
  return actors
}

export function parseApprovals(value: string): number {
  if (value === '') return 1
  const count = /^\d{1,3}$/.test(value) ? Number(value) : NaN
  if (!(count >= 1 && count <= MAX_APPROVALS)) {
    throw new InputError(
      'approvals',
      `"${value.slice(0, 20)}" is not a whole number from 1 to ${MAX_APPROVALS}: how many different people must approve, one after the other.`
    )
  }
  return count
}

/** The YAML 1.2 core schema booleans, as @actions/core's getBooleanInput reads them; '' is unset. */
function readBoolean(input: string, value: string): boolean | undefined {
  if (value === '') return undefined
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(input, `"${value.slice(0, 40)}" is not true or false.`)
}
