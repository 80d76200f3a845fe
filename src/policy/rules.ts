/**
 * The approval policy: who may approve, what their identity must say, whether the person who
 * started the run may approve it, and how many different people must. Read from the inputs by
 * read-policy.ts, judged by judge.ts, put in words by describe.ts.
 */

/** The inputs a rule comes from, as the person writing the workflow knows them. */
export type PolicyRule =
  'allowed-approvers' | 'required-claims' | 'allow-self-approval' | 'approvals'

/**
 * One line of allowed-approvers. Each kind matches one field of the verified identity and
 * nothing else: an entry never stands for "a username, or else a subject".
 */
export type ApproverEntry =
  /**
   * `alice@example.com`, `*@example.com`: the verified email (email_verified: true), ignoring
   * case; `*` and `?` are wildcards, in the local part and the domain separately.
   */
  | {
      readonly kind: 'email'
      readonly text: string
      readonly local: string
      readonly domain: string
    }
  /** `sub:VALUE`: the subject (sub), exactly. What nobody can choose: the strongest entry. */
  | { readonly kind: 'subject'; readonly text: string; readonly value: string }
  /**
   * `username:VALUE`: preferred_username, exactly. Weaker: at many providers the user chooses it
   * or can change it, and OpenID Connect Core §5.7 says it is not unique.
   */
  | { readonly kind: 'username'; readonly text: string; readonly value: string }
  /** provider: github, a bare entry: the login, ignoring case (logins are unique at GitHub). */
  | { readonly kind: 'login'; readonly text: string; readonly value: string }
  /** provider: github, `id:NNN`: the numeric user id, which never changes. */
  | { readonly kind: 'user-id'; readonly text: string; readonly value: string }
  /** `@org`: an active member of the GitHub organization. */
  | { readonly kind: 'org'; readonly text: string; readonly org: string }
  /** `@org/team`: an active member of the team in that organization. */
  | { readonly kind: 'team'; readonly text: string; readonly org: string; readonly team: string }

/** One line of required-claims: `claim=value`. */
export interface ClaimRequirement {
  readonly text: string
  readonly claim: string
  readonly value: string
}

/** How the action tells that the approver is the person who started the run. */
export type SelfApprovalRule =
  /** allow-self-approval: true. */
  | { readonly kind: 'allowed' }
  /** provider: github: the approver's login against GITHUB_TRIGGERING_ACTOR and GITHUB_ACTOR. */
  | { readonly kind: 'github-login'; readonly runActors: readonly RunActor[] }
  /** Any other provider: a claim the workflow names against the values it gives in run-actor. */
  | { readonly kind: 'claim'; readonly claim: string; readonly runActors: readonly RunActor[] }
  /** Any other provider without self-approval-claim: the action cannot tell, and says so. */
  | { readonly kind: 'undetectable' }

/** A value that stands for the person who started the run, and where it came from. */
export interface RunActor {
  readonly value: string
  readonly from: string
}

export interface ApprovalPolicy {
  /** GitHub logins ignore case and GitHub has organizations; OpenID Connect has neither. */
  readonly provider: 'github' | 'oidc'
  /** Empty: anyone who can sign in at the provider. */
  readonly allowedApprovers: readonly ApproverEntry[]
  /** All must hold. */
  readonly requiredClaims: readonly ClaimRequirement[]
  readonly selfApproval: SelfApprovalRule
  /** How many different people (distinct subjects) must approve, one after the other. */
  readonly approvals: number
  /**
   * False when no policy input was set. The defaults still apply (one approval; with provider:
   * github, not the person who started the run), but nobody asked for a gate.
   */
  readonly configured: boolean
}

/** The most approvals one run may ask for: each is a person waited for in turn. */
export const MAX_APPROVALS = 10
