import {
  ActionError,
  describeEndpoint,
  ProviderResponseError,
  type EndpointRef
} from '../errors.js'
import { type OAuthContext } from './exchange.js'
import { getJson } from './redirects.js'
import { capitalize, unusableResponse } from './provider-errors.js'
import { safeText } from '../safe-text.js'

/** Who approved, for the log, the summary, the non-secret outputs and any policy. */
export interface Approver {
  /** preferred_username, else a verified email, else sub: log-safe, bounded. */
  readonly name: string
  /** The whole sub, exactly as the provider sent it: what a policy compares. */
  readonly subject: string
  /** The sub as it may be shown. */
  readonly shownSubject: string
  /** Why the name is not the one the provider offered (an unverified email), for the log. */
  readonly note?: string
}

/** OpenID Connect Core §2: sub is at most 255 ASCII characters. */
export const MAX_SUBJECT_LENGTH = 255
const MAX_NAME_LENGTH = 200

export class ApproverError extends ActionError {
  override name = 'ApproverError'
}

/**
 * Picks the name a person recognises: preferred_username, then email, then sub. An email counts
 * only when the provider says it verified it (email_verified: true, OpenID Connect Core §5.1):
 * anyone can type ceo@victim.example into a self-service profile. Throws when sub cannot be an
 * identifier (too long, not ASCII, or a workflow command the next step could echo).
 */
export function approverFromClaims(
  claims: Readonly<Record<string, unknown>>,
  /** Where the claims came from, for messages: "ID token", "userinfo endpoint". */
  source = 'ID token'
): Approver | undefined {
  const subject = claims['sub']
  if (typeof subject !== 'string' || subject === '') return undefined
  checkSubject(subject, source)
  const username = nonEmptyString(claims['preferred_username'])
  const email = nonEmptyString(claims['email'])
  const emailVerified = claims['email_verified'] === true
  const shownSubject = safeText(subject, { maxLength: MAX_SUBJECT_LENGTH })
  let note: string | undefined
  if (!username && email && !emailVerified) {
    note = `The ${source} names the email ${safeText(email, { maxLength: 100 })}, but does not say it is verified (email_verified is ${claims['email_verified'] === undefined ? 'missing' : safeText(JSON.stringify(claims['email_verified']), { maxLength: 20 })}), so the approver is named by sub instead.`
  }
  const name = username ?? (emailVerified ? email : undefined)
  return {
    name: name ? safeText(name, { maxLength: MAX_NAME_LENGTH }) : shownSubject,
    subject,
    shownSubject,
    ...(note && { note })
  }
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined
}

/** The subject is output whole, so it must be one that can be output and compared whole. */
function checkSubject(subject: string, source: string): void {
  const problem =
    subject.length > MAX_SUBJECT_LENGTH
      ? `is ${subject.length} characters long; OpenID Connect allows at most ${MAX_SUBJECT_LENGTH}`
      : !/^[\x20-\x7E]+$/.test(subject)
        ? 'has characters outside printable ASCII (OpenID Connect Core §2)'
        : safeText(subject, { maxLength: MAX_SUBJECT_LENGTH }) !== subject
          ? 'has workflow command syntax (## followed by [, or :: at the start) that a later step printing it would run'
          : undefined
  if (problem) {
    throw new ApproverError(
      `The ${source} names the approver by a sub that ${problem}. Who approved cannot be recorded from it.`
    )
  }
}

/** A user API answering JSON about the token's owner: OIDC userinfo, or a provider's own (GitHub /user). */
export interface UserApi {
  readonly endpoint: EndpointRef
  readonly headers?: Readonly<Record<string, string>>
  /** Which members hold the display name and the stable subject. */
  readonly nameField: string
  readonly subjectField: string
}

/** What a user API said about the token's owner: the checked subject and every field. */
export interface UserInfo {
  readonly subject: string
  readonly fields: Readonly<Record<string, unknown>>
}

/**
 * Asks the user API who owns the access token. With `expectedSubject` (from a verified id_token)
 * the answer must be about the same person (OpenID Connect Core §5.3.2).
 */
export async function fetchApprover(
  ctx: OAuthContext,
  api: UserApi,
  accessToken: string,
  expectedSubject?: string
): Promise<Approver> {
  return approverFromUserInfo(api, await fetchUserInfo(ctx, api, accessToken, expectedSubject))
}

/** The user API's answer, for the approver's name and for an approval policy's claims. */
export async function fetchUserInfo(
  ctx: OAuthContext,
  api: UserApi,
  accessToken: string,
  expectedSubject?: string
): Promise<UserInfo> {
  const read = await getJson(ctx, api.endpoint, {
    ...api.headers,
    Authorization: `Bearer ${accessToken}`
  })
  const refusedFor =
    read.bearerError ??
    (typeof read.fields?.['error'] === 'string' ? read.fields['error'] : undefined)
  if ((read.status === 401 || read.status === 403) && refusedFor === 'insufficient_scope') {
    // RFC 6750 §3.1; OpenID Connect Core §5.3: userinfo answers only a token granted openid.
    throw new ProviderResponseError(
      api.endpoint,
      read.status,
      `${capitalize(describeEndpoint(api.endpoint))} refused the access token (HTTP ${read.status}, insufficient_scope): it was granted without the scope the endpoint needs, for an OpenID Connect userinfo endpoint openid (OpenID Connect Core §5.3). Add openid to the scope input.`
    )
  }
  if (read.status !== 200 || !read.fields)
    throw unusableResponse(api.endpoint, read, 'a JSON object about the user')
  const fields = read.fields
  const subject = fields[api.subjectField]
  const subjectText = typeof subject === 'number' ? String(subject) : subject
  if (typeof subjectText !== 'string' || subjectText === '') {
    throw new ProviderResponseError(
      api.endpoint,
      200,
      `The ${api.endpoint.name} answered without ${api.subjectField}.`
    )
  }
  if (expectedSubject !== undefined && subjectText !== expectedSubject) {
    throw new ProviderResponseError(
      api.endpoint,
      200,
      `The ${api.endpoint.name} describes a different user than the ID token.`
    )
  }
  return { subject: subjectText, fields }
}

export function approverFromUserInfo(api: UserApi, info: UserInfo): Approver {
  const claims =
    api.nameField === 'preferred_username'
      ? info.fields
      : { ...info.fields, preferred_username: info.fields[api.nameField] }
  return approverFromClaims({ ...claims, sub: info.subject }, api.endpoint.name) as Approver
}
