import {
  describeEndpoint,
  type EndpointRef,
  NetworkError,
  type OAuthErrorBody,
  ProviderResponseError
} from '../errors.js'
import { postAuthenticated } from './authenticated-post.js'
import { authenticate, type ClientCredentials } from './client-auth.js'
import { isBareRefreshRefusal, secondsOf } from './deviations.js'
import { type OAuthContext, postForm } from './exchange.js'
import { type Fail, failing } from './fields.js'
import { MAX_LIFETIME_SECONDS } from './fields.js'
import { capitalize, unusableResponse } from './provider-errors.js'
import { isTransientStatus, oauthErrorOf } from './response.js'
import { secretShapeProblem } from './fields.js'

/** RFC 6749 §5.1, normalized. Every string here except tokenType and scope is a secret. */
export interface TokenSet {
  readonly accessToken: string
  /** As sent; `usableAsBearer` says whether the action may present the token itself. */
  readonly tokenType?: string
  readonly refreshToken?: string
  readonly idToken?: string
  readonly expiresInSeconds?: number
  readonly scope?: string
  /** GitHub App user tokens: how long the refresh token lives. */
  readonly refreshTokenExpiresInSeconds?: number
}

/** The outcome of one token request, for the caller to decide on. */
export type TokenAttempt =
  | { readonly kind: 'tokens'; readonly tokens: TokenSet }
  | {
      readonly kind: 'oauth-error'
      readonly status: number
      readonly body: OAuthErrorBody
      readonly retryAfterMs?: number
      /** A new polling interval sent along with slow_down (GitHub does). */
      readonly intervalSeconds?: number
    }
  /** No decision from the provider: a 5xx or bare 429, or a network failure. Worth another try. */
  | {
      readonly kind: 'transient'
      readonly status?: number
      readonly reason: string
      readonly retryAfterMs?: number
    }

/**
 * RFC 6749 §7.1: a client must not use a token whose type it does not understand; §5.1 makes
 * token_type required, and RFC 6750 §4 names it Bearer (compared without case, RFC 6749 §5.1).
 */
export function usableAsBearer(tokens: Pick<TokenSet, 'tokenType'>): boolean {
  return tokens.tokenType?.toLowerCase() === 'bearer'
}

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'
const MAX_TOKEN_LENGTH = 64 * 1024

/** One request to the token endpoint. Throws only for answers that are neither tokens nor errors. */
export async function requestToken(
  ctx: OAuthContext,
  endpoint: EndpointRef,
  client: ClientCredentials,
  grant: URLSearchParams,
  timeoutMs?: number
): Promise<TokenAttempt> {
  let read
  try {
    const auth = await authenticate(client, grant, endpoint.url, ctx.clock.now())
    // The caller may ask for less time (the poll, near its deadline), never for more than the
    // configured limit: a hung endpoint must not hold a poll for 30 s when the limit is 1.5 s.
    const limitMs = Math.min(timeoutMs ?? ctx.requestTimeoutMs, ctx.requestTimeoutMs)
    read = await postForm(ctx, endpoint, auth.params, auth.headers, limitMs)
  } catch (error) {
    if (error instanceof NetworkError) {
      return { kind: 'transient', reason: error.message }
    }
    throw error
  }
  const retry = read.retryAfterMs !== undefined ? { retryAfterMs: read.retryAfterMs } : {}
  const error = oauthErrorOf(read)
  if (error) {
    const interval = secondsOf(read.fields?.['interval'])
    const newInterval =
      interval.kind === 'number' && interval.seconds >= 1
        ? { intervalSeconds: interval.seconds }
        : {}
    return { kind: 'oauth-error', status: read.status, body: error, ...retry, ...newInterval }
  }
  if (read.status === 200 && read.fields)
    return { kind: 'tokens', tokens: parseTokenResponse(read.fields, endpoint) }
  if (isTransientStatus(read.status)) {
    return {
      kind: 'transient',
      status: read.status,
      reason: unusableResponse(endpoint, read, 'tokens').message,
      ...retry
    }
  }
  throw unusableResponse(endpoint, read, 'a JSON object with access_token')
}

/** Checks every field of a successful token response (RFC 6749 §5.1). */
export function parseTokenResponse(
  fields: Readonly<Record<string, unknown>>,
  endpoint: EndpointRef
): TokenSet {
  const fail: Fail = failing(
    (problem) =>
      new ProviderResponseError(
        endpoint,
        200,
        `${capitalize(describeEndpoint(endpoint))} answered without usable tokens: ${problem}.`
      )
  )
  const token = (name: string, required: boolean): string | undefined => {
    const value = fields[name]
    if (value === undefined || value === null || (value === '' && !required)) {
      return required ? fail(`${name} is missing`) : undefined
    }
    if (value === '') return fail(`${name} is empty`)
    if (typeof value !== 'string') return fail(`${name} is a ${typeof value}, not a string`)
    if (value.length > MAX_TOKEN_LENGTH || !/^[\x20-\x7E]+$/.test(value)) {
      return fail(
        `${name} is longer than ${MAX_TOKEN_LENGTH} characters or has characters a token cannot have`
      )
    }
    const shape = secretShapeProblem(value)
    if (shape) fail(`${name} ${shape} (RFC 6749 §10.10 asks for tokens that cannot be guessed)`)
    return value
  }
  const text = (name: string): string | undefined => {
    const value = fields[name]
    return typeof value === 'string' && /^[\x20-\x7E]{1,2000}$/.test(value) ? value : undefined
  }
  const seconds = (name: string): number | undefined => {
    const value = secondsOf(fields[name])
    // Above a century it is a "never" sentinel (Long.MAX_VALUE) or garbage, not a lifetime; as a
    // date it would be nonsense (+033715-…) or not a date at all (RangeError in expires-at).
    return value.kind === 'number' && value.seconds > 0 && value.seconds <= MAX_LIFETIME_SECONDS
      ? value.seconds
      : undefined
  }
  const accessToken = token('access_token', true) ?? fail('access_token is missing')
  const refreshToken = token('refresh_token', false)
  const idToken = token('id_token', false)
  const tokenType = text('token_type')
  const scope = text('scope')
  const expiresInSeconds = seconds('expires_in')
  const refreshTokenExpiresInSeconds = seconds('refresh_token_expires_in')
  return {
    accessToken,
    ...(tokenType !== undefined && { tokenType }),
    ...(refreshToken !== undefined && { refreshToken }),
    ...(idToken !== undefined && { idToken }),
    ...(expiresInSeconds !== undefined && { expiresInSeconds }),
    ...(scope !== undefined && { scope }),
    ...(refreshTokenExpiresInSeconds !== undefined && { refreshTokenExpiresInSeconds })
  }
}

/**
 * RFC 6749 §6: trades a refresh token for new tokens. A 5xx or a request that surely never left
 * is retried; a connection lost mid-request is not, because the provider may already have
 * rotated the refresh token, and a retry with the old one could revoke the whole family.
 */
export async function refreshTokens(
  ctx: OAuthContext,
  endpoint: EndpointRef,
  client: ClientCredentials,
  refreshToken: string,
  scope: string | undefined
): Promise<TokenSet> {
  const grant = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken })
  if (scope) grant.set('scope', scope)
  let fields
  try {
    fields = await postAuthenticated(ctx, endpoint, client, grant, {
      kind: 'refresh',
      // Not retried once it may have arrived: the provider may already have rotated the token.
      retryMaybeDelivered: false,
      expected: 'a JSON object with access_token'
    })
  } catch (error) {
    // Deviation (Glewlwyd and others): a refusal without RFC 6749 §5.2's error body.
    if (error instanceof ProviderResponseError && isBareRefreshRefusal(error.status)) {
      throw new RefreshRefusedError(
        endpoint,
        error.status as number,
        `${capitalize(describeEndpoint(endpoint))} refused the stored refresh token: it answered HTTP ${error.status} without an OAuth error (RFC 6749 §5.2 would say invalid_grant), which means the refresh token is expired, revoked or already used.`
      )
    }
    throw error
  }
  return parseTokenResponse(fields, endpoint)
}

/**
 * A refresh answered 400 or 401 without a readable OAuth error: the refresh token was refused
 * (see isBareRefreshRefusal in deviations.ts).
 */
export class RefreshRefusedError extends ProviderResponseError {
  override name = 'RefreshRefusedError'
}
