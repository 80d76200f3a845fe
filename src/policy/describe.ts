import { shown } from './verified-identity.js'
import type { ApprovalPolicy, ApproverEntry, SelfApprovalRule } from './rules.js'

/**
 * The policy in force, in words, for the prompt (so the approver knows before signing in) and
 * for the summary (so the record says what was required). Each line is "label: rule".
 */
export interface PolicyLine {
  readonly label: string
  readonly text: string
}

/**
 * The lines to show: none when nothing is in force (no policy input and an OpenID Connect
 * provider, where self-approval cannot be seen), so a run without a gate looks as it always did.
 */
export function policyInForce(policy: ApprovalPolicy): PolicyLine[] {
  const enforced = policy.configured || policy.selfApproval.kind === 'github-login'
  return enforced ? describePolicy(policy) : []
}

export function describePolicy(policy: ApprovalPolicy): PolicyLine[] {
  const lines: PolicyLine[] = [
    {
      label: 'Who may approve',
      text:
        policy.allowedApprovers.length === 0
          ? 'anyone who can sign in at the provider'
          : policy.allowedApprovers.map(entryInWords).join(', ')
    }
  ]
  if (policy.requiredClaims.length > 0) {
    lines.push({
      label: 'Must have',
      text: policy.requiredClaims
        .map(({ claim, value }) =>
          claim === 'email' ? `verified email ${value}` : `${claim} = ${value}`
        )
        .join(' and ')
    })
  }
  lines.push({ label: 'Self-approval', text: selfApprovalInWords(policy.selfApproval) })
  if (policy.approvals > 1) {
    lines.push({
      label: 'Approvals',
      text: `${policy.approvals} different people, one after the other`
    })
  }
  return lines
}

/** Each entry with its kind, so the approver and the record see what it matches. */
export function entryInWords(entry: ApproverEntry): string {
  switch (entry.kind) {
    case 'email':
      return `verified email ${entry.text}`
    case 'subject':
      return `subject ${entry.value}`
    case 'username':
      return `username ${entry.value}`
    case 'login':
      return `login ${entry.value}`
    case 'user-id':
      return `user id ${entry.value}`
    case 'org':
      return `members of ${entry.text}`
    case 'team':
      return `members of team ${entry.text}`
  }
}

function selfApprovalInWords(rule: SelfApprovalRule): string {
  switch (rule.kind) {
    case 'allowed':
      return 'allowed (the person who started the run may approve it)'
    case 'undetectable':
      return 'not checked (an OpenID Connect identity does not say which GitHub user it is; see self-approval-claim)'
    case 'github-login':
      return `not allowed: not ${rule.runActors.map((actor) => shown(actor.value)).join(' or ')}, who started the run`
    case 'claim':
      return `not allowed: the approver's ${rule.claim} must not be ${rule.runActors.map((actor) => shown(actor.value)).join(' or ')}`
  }
}

/** The heading of each prompt after the first: "Approval 2 of 2: a different person". */
export function approvalHeading(
  approvalNumber: number,
  approvals: number,
  earlierNames: readonly string[]
): string | undefined {
  if (approvals <= 1) return undefined
  if (approvalNumber === 1) return `Approval 1 of ${approvals}`
  return `Approval ${approvalNumber} of ${approvals}: a different person (not ${earlierNames.map(shown).join(' or ')})`
}
