import type { MembershipLookup } from './github-membership.js'
import { claimValue, displayName, shown, type VerifiedIdentity } from './verified-identity.js'
import type {
  ApprovalPolicy,
  ApproverEntry,
  ClaimRequirement,
  PolicyRule,
  SelfApprovalRule
} from './rules.js'
import { emailForm, exact, globMatches, looseForm } from './text-match.js'

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
  return verdictOf(who, findings)
}

function verdictOf(approver: string, findings: Finding[]): Verdict {
  const broken = findings.find((finding) => finding.result === 'broken')
  const unknown = findings.find((finding) => finding.result === 'unknown')
  const outcome = broken ? 'refused' : unknown ? 'undecidable' : 'allowed'
  const reason = (broken ?? unknown)?.text
  return { outcome, approver, findings, ...(reason && { reason }) }
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
      const actor = rule.runActors.find(
        (candidate) => looseForm(candidate.value) === looseForm(login)
      )
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
      const hit = rule.runActors.find((actor) =>
        values.some((value) => looseForm(value) === looseForm(actor.value))
      )
      if (hit) {
        return finding(
          'broken',
          `${who} started this run (their ${rule.claim} is ${shown(hit.value)}, the run-actor) and may not approve it (allow-self-approval is false).`
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
  const value = claimValue(identity.claims, claim)
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
    const matched = patternMatch(entry, identity, policy.provider)
    if (matched) return finding('holds', `${who} is in allowed-approvers (${matched}).`)
  }
  const memberships = policy.allowedApprovers.filter(
    (entry): entry is Exclude<ApproverEntry, { kind: 'pattern' }> => entry.kind !== 'pattern'
  )
  const unknowns: string[] = []
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
  const emailEntries = policy.allowedApprovers.filter(
    (entry) => entry.kind === 'pattern' && entry.matches === 'email'
  )
  if (emailEntries.length > 0 && identity.email === undefined) {
    unknowns.unshift(
      `${who} has no verified email address in the ${identity.source}, so the email entries of allowed-approvers (${emailEntries.map((e) => e.text).join(', ')}) cannot be judged. Add email to the scope input; the provider must mark the address verified (email_verified).`
    )
  }
  if (unknowns.length > 0) return finding('unknown', unknowns.join(' '))
  return finding(
    'broken',
    `${who} is not in allowed-approvers (compared: ${comparedFields(identity)}${notMember.length > 0 ? `; ${notMember.join('; ')}` : ''}).`
  )
}

/** Which entry matched, in words, or undefined. */
function patternMatch(
  entry: ApproverEntry,
  identity: VerifiedIdentity,
  provider: 'github' | 'oidc'
): string | undefined {
  if (entry.kind !== 'pattern') return undefined
  if (entry.matches === 'email') {
    if (identity.email === undefined) return undefined
    return globMatches(emailForm(entry.text), emailForm(identity.email))
      ? `email matches ${entry.text}`
      : undefined
  }
  // GitHub logins ignore case (Octocat is octocat); other usernames and every sub are compared exactly.
  const username = identity.username
  if (username !== undefined) {
    const form = provider === 'github' ? emailForm : exact
    if (globMatches(form(entry.text), form(username))) return `username matches ${entry.text}`
  }
  if (globMatches(exact(entry.text), exact(identity.subject)))
    return `subject matches ${entry.text}`
  return undefined
}

function comparedFields(identity: VerifiedIdentity): string {
  const fields = [
    ...(identity.email !== undefined ? [`email ${shown(identity.email)}`] : ['no verified email']),
    ...(identity.username !== undefined ? [`username ${shown(identity.username)}`] : []),
    `subject ${shown(identity.subject)}`
  ]
  return fields.join(', ')
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
  const value = claimValue(identity.claims, claim)
  if (value === undefined || value === null) {
    return finding(
      'unknown',
      `${who} has no ${claim} claim (looked for in the ${identity.source}), so required-claims ${requirement.text} cannot be judged. ${claimHelp(claim)}`
    )
  }
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
