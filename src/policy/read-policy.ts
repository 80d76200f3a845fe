import { InputError } from '../errors.js'
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
}

export interface PolicySetting {
  /** `github` checks @org/@team membership and compares logins; everything else is OIDC. */
  readonly provider: 'github' | 'oidc'
  /** A stored refresh token that may be used skips the person, so it cannot meet approvals > 1. */
  readonly refreshToken: boolean
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
  const requiredClaims = parseRequiredClaims(source.getInput('required-claims'))
  const selfApproval = readSelfApproval(source, setting.provider)
  const approvals = parseApprovals(source.getInput('approvals'))
  if (approvals > 1 && setting.refreshToken) {
    throw new InputError(
      'approvals',
      `is ${approvals}, but refresh-token is set: a stored refresh token gets a token without anyone approving, which would skip the gate. Use approvals only in a job that asks people (remove refresh-token, or set mode: device), or set approvals: 1.`
    )
  }
  return {
    provider: setting.provider,
    allowedApprovers,
    requiredClaims,
    selfApproval,
    approvals,
    configured: POLICY_INPUTS.some((name) => source.getInput(name) !== '')
  }
}

/** Lines that carry an entry, with their 1-based line numbers; blank lines and # comments skipped. */
function entriesOf(value: string): Array<{ line: string; where: string }> {
  const entries: Array<{ line: string; where: string }> = []
  value.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    entries.push({ line, where: `line ${index + 1}` })
  })
  return entries
}

/** A line quoted in a message: one line, bounded. */
function quoted(line: string): string {
  const shown = line.replace(/[\u0000-\u001F\u007F-\u009F]/g, ' ')
  return `"${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}"`
}

// GitHub: an organization login is up to 39 letters, digits and single hyphens; a team slug is
// the team's name in lower case with hyphens, and may keep underscores and dots.
const GITHUB_ORG = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/
const GITHUB_TEAM = /^[A-Za-z0-9_.-]{1,100}$/
const MAX_PATTERN_LENGTH = 320

export function parseAllowedApprovers(value: string, provider: 'github' | 'oidc'): ApproverEntry[] {
  return entriesOf(value).map(({ line, where }) => {
    const fail = (problem: string): never => {
      throw new InputError('allowed-approvers', `${where} (${quoted(line)}) ${problem}`)
    }
    if (/[\u0000-\u001F\u007F-\u009F]/.test(line)) fail('has control characters.')
    if (/[\s,;]/.test(line))
      fail('holds more than one entry, or spaces. Write one name, email or @team a line.')
    if (line.startsWith('@')) return membershipEntry(line, provider, fail)
    if (line.length > MAX_PATTERN_LENGTH) fail(`is longer than ${MAX_PATTERN_LENGTH} characters.`)
    if (/^[*?]+$/.test(line))
      fail('matches anyone. To let anyone who can sign in approve, remove allowed-approvers.')
    return {
      kind: 'pattern',
      text: line,
      matches: line.indexOf('@') > 0 ? 'email' : 'username-or-subject'
    }
  })
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
  if (!GITHUB_ORG.test(org))
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

export function parseRequiredClaims(value: string): ClaimRequirement[] {
  return entriesOf(value).map(({ line, where }) => {
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
    return { text: `${claim}=${claimValue}`, claim, value: claimValue }
  })
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

function parseRunActors(value: string): RunActor[] {
  const actors = entriesOf(value).map(({ line, where }) => {
    if (/[\u0000-\u001F\u007F-\u009F]/.test(line))
      throw new InputError('run-actor', `${where} has control characters.`)
    return { value: line, from: 'run-actor' }
  })
  if (actors.length === 0) {
    throw new InputError(
      'run-actor',
      "is empty, so the action cannot tell who started the run. Set it to the run's value for self-approval-claim, one a line (for example ${{ github.triggering_actor }}). When it comes from a mapping such as fromJSON(vars.EMAILS)[github.triggering_actor], the person who started the run is missing from that mapping."
    )
  }
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
