import { ProviderResponseError, type EndpointRef } from '../errors.js'
import { type OAuthContext } from './exchange.js'
import { getJson } from './redirects.js'
import { unusableResponse } from './wording.js'

/** Who approved, for the log, the summary and the non-secret outputs. */
export interface Approver {
  /** preferred_username, else email, else sub. */
  readonly name: string
  readonly subject: string
}

/** Picks the name a person recognises: preferred_username, then email, then sub. */
export function approverFromClaims(
  claims: Readonly<Record<string, unknown>>
): Approver | undefined {
  const subject = claims['sub']
  if (typeof subject !== 'string' || subject === '') return undefined
  const name = [claims['preferred_username'], claims['email']].find(
    (v): v is string => typeof v === 'string' && v !== ''
  )
  return { name: clean(name ?? subject), subject: clean(subject) }
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
  return approverFromClaims({ ...claims, sub: info.subject }) as Approver
}

/** Names reach the log and outputs: one printable line, bounded. */
function clean(text: string): string {
  return text.replace(/[\u0000-\u001F\u007F-\u009F]+/g, ' ').slice(0, 200)
}
