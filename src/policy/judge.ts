import type { MembershipLookup } from './github-membership.js'
import {
  claimOf,
  displayName,
  shown,
  SIGN_IN_CLAIMS,
  type VerifiedIdentity
} from './verified-identity.js'
import { addressMatches, addressOf, samePerson } from './email-address.js'
import type {
  ApprovalPolicy,
  ApproverEntry,
  ClaimRequirement,
  PolicyRule,
  SelfApprovalRule
} from './rules.js'
import { emailForm, exact } from './text-match.js'

/**
 * Judges one approval against the policy, on the verified identity only. Every rule gives a
 * finding in plain words; a rule that cannot be judged (no identity, a claim absent, GitHub not
 * saying) is `unknown`, and an unknown fails closed just as a broken rule does.
 */

/** holds / broken / unknown decide; unchecked is said in the record and decides nothing. */
export type FindingResult = 'holds' | 'broken' | 'unknown' | 'unchecked'

export interface Finding {
  readonly rule: PolicyRule
  readonly result: FindingResult
  /** One sentence for the log and the summary; for `unknown`, what was missing and how to get it. */
  readonly text: string
}

export interface Verdict {
  readonly outcome: 'allowed' | 'refused' | 'undecidable'
  /** Who tried, as the messages name them. */
  readonly approver: string
  readonly findings: readonly Finding[]
  /** The sentence the step fails with: the first broken rule, else the first unknown one. */
  readonly reason?: string
}

export interface EarlierApproval {
  readonly subject: string
  readonly name: string
}

export interface ApprovalContext {
  /** 1 for the first approval of the run. */
  readonly approvalNumber: number
  /** Those who approved before, in order. */
  readonly earlier: readonly EarlierApproval[]
  /** Why no verified identity is known, and how to get one, when the identity stage knows. */
  readonly noIdentityHelp?: string
  /** Why a source that could have added missing claims (userinfo) did not: said with each unknown. */
  readonly sourceProblem?: string
  /** GitHub's API as the approver, for @org and @org/team entries. */
  readonly membership?: MembershipLookup
  /**
   * The tokens came from a stored refresh token: nobody approved during this run, so whether the
   * approver started it does not arise. The other rules still apply to the token's owner.
   */
  readonly refreshed?: boolean
}

const NO_IDENTITY_HELP =
  'The provider gave no verified identity of the approver: no ID token that could be verified, and no userinfo endpoint that answered. Add openid to the scope input, and set issuer so that the ID token can be verified.'

export async function judgeApproval(
  policy: ApprovalPolicy,
  identity: VerifiedIdentity | undefined,
  context: ApprovalContext
): Promise<Verdict> {
  const findings: Finding[] = []
  if (!identity) {
    for (const rule of rulesNeedingIdentity(policy, context)) {
      findings.push({
        rule,
        result: 'unknown',
        text: `${ruleInWords(rule)} cannot be judged. ${context.noIdentityHelp ?? NO_IDENTITY_HELP}`
      })
    }
    return verdictOf('the approver (identity unknown)', findings)
  }
  const who = displayName(identity)
  if (context.earlier.length > 0) findings.push(distinctPerson(identity, who, policy, context))
  findings.push(
    context.refreshed
      ? {
          rule: 'allow-self-approval',
          result: 'unchecked',
          text: 'Whether the approver started the run does not arise: the token came from a stored refresh token, and nobody approved during this run.'
        }
      : selfApproval(policy.selfApproval, identity, who)
  )
  if (policy.allowedApprovers.length > 0) {
    const refusedAlready = findings.some((finding) => finding.result === 'broken')
    findings.push(await allowedApprover(policy, identity, who, context, refusedAlready))
  }
  for (const requirement of policy.requiredClaims)
    findings.push(requiredClaim(requirement, identity, who))
  const explained = context.sourceProblem
    ? findings.map((finding) =>
        finding.result === 'unknown'
          ? { ...finding, text: `${finding.text} ${context.sourceProblem}` }
          : finding
      )
    : findings
  return verdictOf(who, explained)
}

function verdictOf(approver: string, findings: Finding[]): Verdict {
  const broken = findings.find((finding) => finding.result === 'broken')
  const unknown = findings.find((finding) => finding.result === 'unknown')
  const outcome = broken ? 'refused' : unknown ? 'undecidable' : 'allowed'
  const reason = (broken ?? unknown)?.text
  return { outcome, approver, findings, ...(reason && { reason }) }
}

/**
 * The claims the policy reads that this identity lacks and another verified source (the userinfo
 * endpoint, about the same subject) could add: `email` for a verified address, and the claims
 * named by allowed-approvers, required-claims and self-approval-claim. amr, acr and auth_time are
 * never among them: only the ID token says how this sign-in happened.
 */
export function claimsMissing(policy: ApprovalPolicy, identity: VerifiedIdentity): string[] {
  const wanted = new Set<string>()
  const { allowedApprovers, requiredClaims, selfApproval } = policy
  if (allowedApprovers.some((entry) => entry.kind === 'email')) wanted.add('email')
  if (allowedApprovers.some((entry) => entry.kind === 'username')) wanted.add('preferred_username')
  for (const requirement of requiredClaims) wanted.add(requirement.claim)
  if (selfApproval.kind === 'claim') wanted.add(selfApproval.claim)
  return [...wanted].filter((claim) => {
    if (SIGN_IN_CLAIMS.has(claim)) return false
    if (claim === 'email') return identity.email === undefined
    if (claim === 'preferred_username') return identity.username === undefined
    return claimOf(identity, claim) === undefined
  })
}

function rulesNeedingIdentity(policy: ApprovalPolicy, context: ApprovalContext): PolicyRule[] {
  const rules: PolicyRule[] = []
  if (policy.approvals > 1) rules.push('approvals')
  const selfCheck =
    policy.selfApproval.kind === 'github-login' || policy.selfApproval.kind === 'claim'
  if (selfCheck && !context.refreshed) rules.push('allow-self-approval')
  if (policy.allowedApprovers.length > 0) rules.push('allowed-approvers')
  if (policy.requiredClaims.length > 0) rules.push('required-claims')
  return rules
}

function ruleInWords(rule: PolicyRule): string {
  switch (rule) {
    case 'approvals':
      return 'Whether this is a different person from the earlier approvers (approvals)'
    case 'allow-self-approval':
      return 'Whether the approver started the run (allow-self-approval: false)'
    case 'allowed-approvers':
      return 'Whether the approver is in allowed-approvers'
    case 'required-claims':
      return 'Whether the approver has the required-claims'
  }
}

function distinctPerson(
  identity: VerifiedIdentity,
  who: string,
  policy: ApprovalPolicy,
  context: ApprovalContext
): Finding {
  const of = `approval ${context.approvalNumber} of ${policy.approvals}`
  const same = context.earlier.findIndex((earlier) => earlier.subject === identity.subject)
  if (same !== -1) {
    return {
      rule: 'approvals',
      result: 'broken',
      text: `${who} already gave approval ${same + 1} of ${policy.approvals}; ${of} must come from a different person (approvals: ${policy.approvals}).`
    }
  }
  return {
    rule: 'approvals',
    result: 'holds',
    text: `${who} is a different person from ${context.earlier.map((earlier) => shown(earlier.name)).join(' and ')} (${of}).`
  }
}

function selfApproval(rule: SelfApprovalRule, identity: VerifiedIdentity, who: string): Finding {
  const finding = (result: FindingResult, text: string): Finding => ({
    rule: 'allow-self-approval',
    result,
    text
  })
  switch (rule.kind) {
    case 'allowed':
      return finding(
        'unchecked',
        'The person who started the run may approve it (allow-self-approval: true).'
      )
    case 'undetectable':
      return finding(
        'unchecked',
        'Whether the approver started the run was not checked: an OpenID Connect identity does not say which GitHub user it is. Set self-approval-claim and run-actor to check it.'
      )
    case 'github-login': {
      const login = identity.username
      if (login === undefined)
        return finding(
          'unknown',
          `GitHub's user API gave no login for ${who}, so whether they started the run cannot be told.`
        )
      const actor = rule.runActors.find((candidate) => samePerson(candidate.value, login))
      if (actor) {
        return finding(
          'broken',
          `${shown(login)} started this run (${actor.from}) and may not approve it (allow-self-approval is false).`
        )
      }
      return finding(
        'holds',
        `${shown(login)} did not start this run (${rule.runActors.map((a) => `${a.from} is ${shown(a.value)}`).join(', ')}).`
      )
    }
    case 'claim': {
      const values = selfApprovalValues(rule.claim, identity)
      if (values === undefined) {
        return finding(
          'unknown',
          `${who} has no ${rule.claim === 'email' ? 'verified email address' : `${rule.claim} claim`} (self-approval-claim: ${rule.claim}), so whether they started the run cannot be told. ${claimHelp(rule.claim)}`
        )
      }
      for (const actor of rule.runActors) {
        const value = values.find((candidate) => samePerson(candidate, actor.value))
        if (value === undefined) continue
        const same =
          value === actor.value
            ? `their ${rule.claim} is ${shown(actor.value)}, the run-actor`
            : `their ${rule.claim} ${shown(value)} is the run-actor ${shown(actor.value)} up to case, invisible characters or a +tag`
        return finding(
          'broken',
          `${who} started this run (${same}) and may not approve it (allow-self-approval is false).`
        )
      }
      return finding(
        'holds',
        `${who} did not start this run (their ${rule.claim} is not ${rule.runActors.map((a) => shown(a.value)).join(' or ')}).`
      )
    }
  }
}

/** The claim's values as text; the email only when verified. undefined when absent or unusable. */
function selfApprovalValues(claim: string, identity: VerifiedIdentity): string[] | undefined {
  if (claim === 'email') return identity.email === undefined ? undefined : [identity.email]
  const value = claimOf(identity, claim)?.value
  const values = (Array.isArray(value) ? value : [value]).filter(isScalar).map(String)
  return values.length > 0 ? values : undefined
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
}

async function allowedApprover(
  policy: ApprovalPolicy,
  identity: VerifiedIdentity,
  who: string,
  context: ApprovalContext,
  refusedAlready: boolean
): Promise<Finding> {
  const finding = (result: FindingResult, text: string): Finding => ({
    rule: 'allowed-approvers',
    result,
    text
  })
  for (const entry of policy.allowedApprovers) {
    const matched = entryMatch(entry, identity)
    if (matched) return finding('holds', `${who} is in allowed-approvers (${matched}).`)
  }
  const memberships = policy.allowedApprovers.filter(
    (entry): entry is Extract<ApproverEntry, { kind: 'org' | 'team' }> =>
      entry.kind === 'org' || entry.kind === 'team'
  )
  const unknowns = unknownFields(policy, identity, who)
  if (memberships.length > 0 && refusedAlready) {
    return finding(
      'unchecked',
      `GitHub was not asked whether ${who} is in ${memberships.map((e) => e.text).join(', ')}: another rule already refused them.`
    )
  }
  const notMember: string[] = []
  for (const entry of memberships) {
    if (!context.membership || identity.username === undefined) {
      unknowns.push(
        `GitHub could not be asked whether ${who} is in ${entry.text}: the approver's login and token are needed.`
      )
      continue
    }
    const answer = await context.membership.check(
      entry.kind === 'team' ? { org: entry.org, team: entry.team } : { org: entry.org }
    )
    if (answer.status === 'member')
      return finding('holds', `${who} is an active member of ${entry.text} (allowed-approvers).`)
    if (answer.status === 'unknown') unknowns.push(answer.problem)
    else notMember.push(`${shown(identity.username)} ${answer.detail}`)
  }
  if (unknowns.length > 0) return finding('unknown', unknowns.join(' '))
  return finding(
    'broken',
    `${who} is not in allowed-approvers (compared: ${comparedFields(policy, identity)}${notMember.length > 0 ? `; ${notMember.join('; ')}` : ''}).`
  )
}

/**
 * The entries that cannot be judged because the provider said nothing about the field they
 * match: the setup's problem (a scope, a claim mapping), not the person's, so it is said as such.
 * An address the provider names but does not call verified is the person's: it matches nothing.
 */
function unknownFields(policy: ApprovalPolicy, identity: VerifiedIdentity, who: string): string[] {
  const unknowns: string[] = []
  const ofKind = (kind: ApproverEntry['kind']): string[] =>
    policy.allowedApprovers.filter((entry) => entry.kind === kind).map((entry) => entry.text)
  const emails = ofKind('email')
  if (emails.length > 0 && identity.email === undefined && identity.unverifiedEmail === undefined) {
    unknowns.push(
      `${who} has no email address in the ${identity.source}, so the email entries of allowed-approvers (${emails.join(', ')}) cannot be judged. Add email to the scope input; the provider must mark the address verified (email_verified).`
    )
  }
  const usernames = [...ofKind('username'), ...ofKind('login')]
  if (usernames.length > 0 && identity.username === undefined) {
    unknowns.push(
      policy.provider === 'github'
        ? `GitHub's user API gave no login for ${who}, so the logins in allowed-approvers (${usernames.join(', ')}) cannot be judged.`
        : `${who} has no preferred_username in the ${identity.source}, so the username entries of allowed-approvers (${usernames.join(', ')}) cannot be judged. Add profile to the scope input, or name the approver by sub: instead.`
    )
  }
  return unknowns
}

/** Which entry matched, in words naming the kind, or undefined. */
function entryMatch(entry: ApproverEntry, identity: VerifiedIdentity): string | undefined {
  switch (entry.kind) {
    case 'email': {
      const address = identity.email === undefined ? undefined : addressOf(identity.email)
      return address && addressMatches(entry, address)
        ? `verified email matches ${entry.text}`
        : undefined
    }
    case 'subject':
      return exact(entry.value) === exact(identity.subject) ? `subject ${entry.value}` : undefined
    case 'username':
      return identity.username !== undefined && exact(entry.value) === exact(identity.username)
        ? `username ${entry.value}`
        : undefined
    case 'login':
      // GitHub logins are unique ignoring case: Octocat is octocat.
      return identity.username !== undefined &&
        emailForm(entry.value) === emailForm(identity.username)
        ? `login ${entry.value}`
        : undefined
    case 'user-id':
      return entry.value === identity.subject ? `user id ${entry.value}` : undefined
    case 'org':
    case 'team':
      return undefined
  }
}

/** What was compared, each field named by its kind: only the kinds the list has entries for. */
function comparedFields(policy: ApprovalPolicy, identity: VerifiedIdentity): string {
  const kinds = new Set(policy.allowedApprovers.map((entry) => entry.kind))
  const fields: string[] = []
  if (kinds.has('email')) {
    const email = identity.email
    fields.push(
      email !== undefined
        ? addressOf(email)
          ? `verified email ${shown(email)}`
          : `verified email ${shown(email)}, which is not a plain address`
        : `email ${shown(identity.unverifiedEmail ?? '')}, not verified`
    )
  }
  if ((kinds.has('username') || kinds.has('login')) && identity.username !== undefined)
    fields.push(
      `${policy.provider === 'github' ? 'login' : 'username'} ${shown(identity.username)}`
    )
  if (kinds.has('subject')) fields.push(`subject ${shown(identity.subject)}`)
  if (kinds.has('user-id')) fields.push(`user id ${shown(identity.subject)}`)
  return fields.length > 0 ? fields.join(', ') : 'the memberships below'
}

function requiredClaim(
  requirement: ClaimRequirement,
  identity: VerifiedIdentity,
  who: string
): Finding {
  const finding = (result: FindingResult, text: string): Finding => ({
    rule: 'required-claims',
    result,
    text
  })
  const { claim, value: wanted } = requirement
  // The email only as verified: a bare email claim may be whatever the person typed at sign-up.
  if (claim === 'email') {
    if (identity.email === undefined && identity.unverifiedEmail !== undefined) {
      return finding(
        'broken',
        `${who}'s email ${shown(identity.unverifiedEmail)} is not verified (required-claims: ${requirement.text}).`
      )
    }
    if (identity.email === undefined) {
      return finding(
        'unknown',
        `${who} has no verified email address, so required-claims ${requirement.text} cannot be judged. Add email to the scope input; the provider must mark the address verified (email_verified).`
      )
    }
    return emailForm(identity.email) === emailForm(wanted)
      ? finding('holds', `${who} has email ${shown(wanted)} (required-claims).`)
      : finding(
          'broken',
          `${who} does not have email ${shown(wanted)} (required-claims: ${requirement.text}).`
        )
  }
  const found = claimOf(identity, claim)
  if (found === undefined) {
    const where = SIGN_IN_CLAIMS.has(claim)
      ? `in the ID token, the only source that says how this sign-in happened (OpenID Connect Core §2; a userinfo answer does not count for ${claim})`
      : `in the ${identity.source}`
    return finding(
      'unknown',
      `${who} has no ${claim} claim ${where}, so required-claims ${requirement.text} cannot be judged. ${claimHelp(claim)}`
    )
  }
  const value = found.value
  if (Array.isArray(value)) {
    const held = value.filter(isScalar).map(String)
    if (held.some((item) => exact(item) === exact(wanted)))
      return finding('holds', `${who}'s ${claim} includes ${shown(wanted)} (required-claims).`)
    return finding(
      'broken',
      `${who}'s ${claim} (${listed(held)}) does not include ${shown(wanted)} (required-claims: ${requirement.text}).`
    )
  }
  if (!isScalar(value)) {
    return finding(
      'unknown',
      `${who}'s ${claim} claim is an object, not a value, so required-claims ${requirement.text} cannot be judged. Name a member inside it with a dot (for example realm_access.roles=release).`
    )
  }
  if (exact(String(value)) === exact(wanted))
    return finding('holds', `${who}'s ${claim} is ${shown(wanted)} (required-claims).`)
  return finding(
    'broken',
    `${who}'s ${claim} is ${shown(String(value))}, not ${shown(wanted)} (required-claims: ${requirement.text}).`
  )
}

function listed(values: string[]): string {
  if (values.length === 0) return 'empty'
  const first = values.slice(0, 10).map(shown).join(', ')
  return values.length > 10 ? `${first} and ${values.length - 10} more` : first
}

/** How to get a claim that is missing: the well-known ones have well-known answers. */
function claimHelp(claim: string): string {
  switch (claim) {
    case 'amr':
      return 'amr (RFC 8176) says how the person signed in, and only some providers send it: Entra ID and Okta do; Auth0 sends it only after multi-factor sign-in; Google sends none.'
    case 'groups':
      return 'Have the provider put the groups claim into the ID token or userinfo (Okta: a groups claim on the authorization server; Entra ID: groupMembershipClaims in the app manifest; Keycloak: a group membership mapper), and ask for the scope that carries it.'
    case 'email':
      return 'Add email to the scope input; the provider must mark the address verified (email_verified).'
    default:
      return `Have the provider add the ${claim} claim to the ID token or userinfo (a claim mapping at the provider), and ask for the scope that carries it.`
  }
}
