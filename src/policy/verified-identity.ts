/**
 * Who approved, as the policy sees them: only what a verified source said. Built by the identity
 * stage from a verified id_token's claims, the userinfo endpoint's answer about the same subject,
 * or GitHub's /user with the new token; never from anything the approver could type unchecked.
 */
export interface VerifiedIdentity {
  /** `sub`; GitHub: the numeric user id. Stable, and what tells two people apart. */
  readonly subject: string
  /** preferred_username; GitHub: the login. From the first source that has one. */
  readonly username?: string
  /**
   * The email address, present only when one source said both the address and that it is
   * verified (email_verified: true): never an address from one source and the flag from another.
   * GitHub's /user says nothing about verification, so it never counts there.
   */
  readonly email?: string
  /** A source named an address without saying it is verified: the person's, not the setup's. */
  readonly unverifiedEmail?: string
  /** What each verified source said, in order of trust: the ID token first. */
  readonly sources: readonly ClaimSource[]
  /** Where it came from, for messages: "ID token", "ID token and userinfo endpoint". */
  readonly source: string
}

/** One verified source's claims about the approver. */
export interface ClaimSource {
  /** "ID token", "userinfo endpoint", "GitHub user API". */
  readonly name: string
  readonly claims: Readonly<Record<string, unknown>>
  /**
   * The ID token: the only source whose amr, acr and auth_time describe this sign-in (OpenID
   * Connect Core §2). A userinfo answer says who the user is, not how they signed in just now.
   */
  readonly describesSignIn: boolean
}

/** Claims about the sign-in itself: they count only from a source that describes it. */
export const SIGN_IN_CLAIMS: ReadonlySet<string> = new Set(['amr', 'acr', 'auth_time'])

/**
 * The identity from verified sources about one subject, the ID token first. `usernameField` is
 * preferred_username for OpenID Connect, login for GitHub's /user. The email counts only as a
 * pair from one source with email_verified: true (OpenID Connect Core §5.1).
 */
export function verifiedIdentityFrom(
  subject: string,
  sources: readonly ClaimSource[],
  usernameField = 'preferred_username'
): VerifiedIdentity {
  const username = firstOf(sources, (claims) => nonEmpty(claims[usernameField]))
  const email = firstOf(sources, (claims) =>
    claims['email_verified'] === true ? nonEmpty(claims['email']) : undefined
  )
  const unverifiedEmail =
    email === undefined ? firstOf(sources, (claims) => nonEmpty(claims['email'])) : undefined
  return {
    subject,
    ...(username !== undefined && { username }),
    ...(email !== undefined && { email }),
    ...(unverifiedEmail !== undefined && { unverifiedEmail }),
    sources,
    source: sources.map((source) => source.name).join(' and ')
  }
}

function firstOf<T>(
  sources: readonly ClaimSource[],
  read: (claims: Readonly<Record<string, unknown>>) => T | undefined
): T | undefined {
  for (const source of sources) {
    const value = read(source.claims)
    if (value !== undefined) return value
  }
  return undefined
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined
}

/** A claim's value and the one source it came from. */
export interface FoundClaim {
  readonly value: unknown
  readonly source: string
}

/**
 * A claim as the policy reads it: whole from the first source that has it (the ID token before
 * userinfo), never pieced together; amr, acr and auth_time only from the ID token.
 */
export function claimOf(identity: VerifiedIdentity, name: string): FoundClaim | undefined {
  const signIn = SIGN_IN_CLAIMS.has(name)
  for (const source of identity.sources) {
    if (signIn && !source.describesSignIn) continue
    const value = claimValue(source.claims, name)
    if (value !== undefined && value !== null) return { value, source: source.name }
  }
  return undefined
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
