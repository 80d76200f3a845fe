/**
 * Who approved, as the policy sees them: only what a verified source said. Built by the identity
 * stage from a verified id_token's claims, the userinfo endpoint's answer, or GitHub's /user
 * with the new token; never from anything the approver could type unchecked.
 */
export interface VerifiedIdentity {
  /** `sub`; GitHub: the numeric user id. Stable, and what tells two people apart. */
  readonly subject: string
  /** preferred_username; GitHub: the login. */
  readonly username?: string
  /**
   * The email address, present only when the provider said it is verified (email_verified: true
   * or the provider's equivalent). The policy takes it as given and never reads `claims.email`.
   */
  readonly email?: string
  /** Every claim of the verified source (GitHub: the fields of /user), for required-claims. */
  readonly claims: Readonly<Record<string, unknown>>
  /** Where it came from, for messages: "ID token", "userinfo endpoint", "GitHub user API". */
  readonly source: string
}

/**
 * The identity from a verified source's claims. `usernameField` is preferred_username for OpenID
 * Connect, login for GitHub's /user. The email counts only with email_verified: true (OpenID
 * Connect Core §5.1); GitHub's /user says nothing about verification, so it never counts there.
 */
export function verifiedIdentityFrom(
  subject: string,
  claims: Readonly<Record<string, unknown>>,
  source: string,
  usernameField = 'preferred_username'
): VerifiedIdentity {
  const username = nonEmpty(claims[usernameField])
  const email = claims['email_verified'] === true ? nonEmpty(claims['email']) : undefined
  return {
    subject,
    ...(username !== undefined && { username }),
    ...(email !== undefined && { email }),
    claims,
    source
  }
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined
}

/**
 * What a claim holds, for required-claims and self-approval-claim: the top-level member of that
 * name, else, for a name with dots, the nested member (Keycloak's realm_access.roles).
 * A top-level name wins, so Auth0's namespaced claims (https://example.com/roles) work as written.
 */
export function claimValue(claims: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name]
  if (!name.includes('.')) return undefined
  let value: unknown = claims
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
    if (!Object.hasOwn(value, part)) return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

/** The name to call the approver by in messages: the one a person recognises. */
export function displayName(identity: VerifiedIdentity): string {
  return shown(identity.email ?? identity.username ?? identity.subject)
}

/**
 * Identity text as a message may quote it: one line of visible characters (no control, bidi or
 * other format characters that could fake or hide text), at most 120 characters.
 */
export function shown(text: string): string {
  const visible = text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ').trim()
  if (visible === '') return '(nothing visible)'
  return visible.length > 120 ? `${visible.slice(0, 119)}…` : visible
}
