import {
  ActionError,
  CancelledError,
  describeEndpoint,
  type EndpointRef,
  type OAuthErrorBody
} from '../errors.js'
import { sendJson, type OAuthContext } from './exchange.js'
import { withRetries } from './retry.js'
import { capitalize, unusableResponse } from './provider-errors.js'
import { sendAuthenticated } from './authenticated-post.js'
import { ClientKeyError, type ClientCredentials } from './client-auth.js'
import { GITHUB_API_HEADERS } from './github-api.js'
import { oauthErrorOf, type ReadResponse } from './response.js'
import { safeText } from '../safe-text.js'

/**
 * Token revocation: RFC 7009 at the provider's revocation_endpoint, and GitHub's own API, which
 * has no RFC 7009 endpoint. Both answer with a RevocationResult and never throw: revocation
 * happens when the job is ending (the post step) or after a refusal, where a failure is worth a
 * warning, not a crash. Every `message` is written for the log and never holds the token.
 */

/** RFC 7009 §2.1: which kind of token is being revoked. */
export type TokenTypeHint = 'access_token' | 'refresh_token'

export type RevocationResult =
  /** The provider confirmed; RFC 7009 §2.2 also answers 200 for a token it does not know. */
  | { readonly kind: 'revoked' }
  /** RFC 7009 §2.2.1: the provider does not revoke this type of token. */
  | { readonly kind: 'unsupported-token-type'; readonly message: string }
  /** 503 (RFC 7009 §2.2.1) or another "try later" that outlasted the tries. */
  | {
      readonly kind: 'unavailable'
      readonly message: string
      readonly status: number
      readonly retryAfterMs?: number
    }
  /** The provider said no: an OAuth error (invalid_client, …) or, for GitHub, a 4xx. */
  | {
      readonly kind: 'refused'
      readonly message: string
      readonly status: number
      readonly error?: OAuthErrorBody
    }
  /**
   * No usable answer: the network, an unusable response, a cancel, or a client key that cannot
   * sign (`clientKey`: the caller knows which input holds it).
   */
  | { readonly kind: 'failed'; readonly message: string; readonly clientKey?: true }

export interface RevocationOptions {
  /**
   * The longest Retry-After worth waiting for before another try; a longer one ends in
   * `unavailable` with the delay. The post step has seconds, not minutes.
   */
  readonly maxRetryDelayMs?: number
}

export const DEFAULT_MAX_RETRY_DELAY_MS = 5_000

/**
 * RFC 7009 §2.1: POSTs `token` and `token_type_hint` to the revocation endpoint, authenticated as
 * at the token endpoint (the same ClientCredentials). Retried on 5xx and network failures:
 * revoking twice is harmless.
 */
export async function revokeToken(
  ctx: OAuthContext,
  endpoint: EndpointRef,
  client: ClientCredentials,
  token: string,
  tokenTypeHint: TokenTypeHint,
  options: RevocationOptions = {}
): Promise<RevocationResult> {
  return settle(async () => {
    const read = await sendAuthenticated(
      ctx,
      endpoint,
      client,
      new URLSearchParams({ token, token_type_hint: tokenTypeHint }),
      {
        retryMaybeDelivered: true,
        maxDelayMs: options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS
      }
    )
    // RFC 7009 §2.2: "The content of the response body is ignored by the client".
    if (read.status === 200) return { kind: 'revoked' }
    const error = oauthErrorOf(read)
    // RFC 7009 §2.2.1: 503 is "try later" (with Retry-After, perhaps); so is any 5xx here.
    if (read.status >= 500 || error?.error === 'temporarily_unavailable')
      return unavailable(endpoint, read, error)
    if (error) {
      const message = providerSaid(endpoint, read.status, error)
      return error.error === 'unsupported_token_type'
        ? { kind: 'unsupported-token-type', message }
        : { kind: 'refused', message, status: read.status, error }
    }
    return { kind: 'failed', message: unusableResponse(endpoint, read, 'HTTP 200').message }
  })
}

/**
 * Deviation (GitHub): no RFC 7009 endpoint. `DELETE /applications/{client_id}/token` with the
 * app's client id and secret as Basic credentials and `{"access_token": …}` as the body; 204 when
 * done. It revokes access tokens only: a GitHub App's refresh token ends only with the whole
 * grant (DELETE /applications/{client_id}/grant), which would sign the user out of the app
 * everywhere, so the action never does that.
 * https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-token
 */
export async function revokeGitHubToken(
  ctx: OAuthContext,
  apiUrl: string,
  clientId: string,
  clientSecret: string,
  accessToken: string,
  options: RevocationOptions = {}
): Promise<RevocationResult> {
  const endpoint: EndpointRef = {
    name: 'GitHub token revocation API',
    url: `${apiUrl.replace(/\/+$/, '')}/applications/${encodeURIComponent(clientId)}/token`
  }
  const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64')
  return settle(async () => {
    const read = await withRetries(
      ctx,
      endpoint,
      () =>
        sendJson(
          ctx,
          endpoint,
          'DELETE',
          { ...GITHUB_API_HEADERS, Authorization: `Basic ${basic}` },
          { access_token: accessToken }
        ),
      {
        attempts: 3,
        retryMaybeDelivered: true,
        maxDelayMs: options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS
      }
    )
    if (read.status === 204 || read.status === 200) return { kind: 'revoked' }
    if (read.status >= 500) return unavailable(endpoint, read, undefined)
    const said = gitHubMessage(read)
    const where = capitalize(describeEndpoint(endpoint))
    if (read.status === 401 || read.status === 403 || read.status === 404) {
      return {
        kind: 'refused',
        status: read.status,
        // GitHub answers 404 for credentials it does not accept, as for an app it does not know.
        message: `${where} answered HTTP ${read.status}${said}: GitHub did not accept the app's client credentials (its Client ID and a current client secret), or does not know the app.`
      }
    }
    if (read.status === 422) {
      return {
        kind: 'refused',
        status: read.status,
        message: `${where} answered HTTP 422${said}: GitHub did not accept the token for revocation; it may already be revoked or expired.`
      }
    }
    return { kind: 'failed', message: unusableResponse(endpoint, read, 'HTTP 204').message }
  })
}

/**
 * What the provider said, as a sentence for the log. What to do about it depends on the inputs
 * and is the caller's to add (see src/post/advice.ts).
 */
function providerSaid(endpoint: EndpointRef, status: number, error: OAuthErrorBody): string {
  const said = error.errorDescription
    ? `: ${safeText(error.errorDescription, { maxLength: 500 }).replace(/[.\s]+$/, '')}`
    : ''
  return `${capitalize(describeEndpoint(endpoint))} answered "${safeText(error.error)}" (HTTP ${status})${said}.`
}

/** GitHub's error bodies are {"message": …, "documentation_url": …}. */
function gitHubMessage(read: ReadResponse): string {
  const message = read.fields?.['message']
  return typeof message === 'string' && message !== ''
    ? ` ("${safeText(message, { maxLength: 300 })}")`
    : ''
}

function unavailable(
  endpoint: EndpointRef,
  read: ReadResponse,
  error: OAuthErrorBody | undefined
): RevocationResult {
  const later =
    read.retryAfterMs !== undefined
      ? ` and asked to try again in ${Math.ceil(read.retryAfterMs / 1000)} s`
      : ''
  const said = error ? ` "${safeText(error.error)}"` : ''
  return {
    kind: 'unavailable',
    status: read.status,
    ...(read.retryAfterMs !== undefined && { retryAfterMs: read.retryAfterMs }),
    message: `${capitalize(describeEndpoint(endpoint))} answered${said} HTTP ${read.status}${later}; the token was not revoked and stays valid until it expires.`
  }
}

/** Turns every failure into a result; a bug is reported as one, not thrown at the job's end. */
async function settle(attempt: () => Promise<RevocationResult>): Promise<RevocationResult> {
  try {
    return await attempt()
  } catch (error) {
    if (error instanceof CancelledError)
      return { kind: 'failed', message: 'The revocation was cancelled.' }
    if (error instanceof ClientKeyError)
      return { kind: 'failed', message: error.message, clientKey: true }
    if (error instanceof ActionError) return { kind: 'failed', message: error.message }
    const why = error instanceof Error ? error.message : String(error)
    return {
      kind: 'failed',
      message: `Unexpected error during revocation: ${safeText(why, { maxLength: 300 })}. Please report this.`
    }
  }
}
