import type { EndpointRef } from '../errors.js'
import { authenticate, type ClientCredentials } from './client-auth.js'
import { shouldRetryAssertionAudience } from './deviations.js'
import { postForm, type OAuthContext } from './exchange.js'
import { withRetries } from './retry.js'
import { unusableResponse } from './provider-errors.js'
import { oauthError, type RequestKind } from './provider-errors.js'
import { oauthErrorOf, type ReadResponse } from './response.js'

export interface AuthenticatedPostOptions {
  readonly kind: RequestKind
  /** Whether a request that may have reached the provider can be sent again safely. */
  readonly retryMaybeDelivered: boolean
  /** What a good answer holds, for the message when it is something else. */
  readonly expected: string
}

/**
 * A form POST with client authentication, retried on transient failures, whose answer is either
 * the fields of a 200 or a thrown error a person can act on (the provider's OAuth error with
 * advice, or a description of the unusable answer). The assertion is signed anew for every try:
 * a private_key_jwt assertion may be used once only.
 */
export async function postAuthenticated(
  ctx: OAuthContext,
  endpoint: EndpointRef,
  client: ClientCredentials,
  params: URLSearchParams,
  options: AuthenticatedPostOptions
): Promise<Readonly<Record<string, unknown>>> {
  const read = await sendAuthenticated(ctx, endpoint, client, params, {
    retryMaybeDelivered: options.retryMaybeDelivered
  })
  const error = oauthErrorOf(read)
  if (error) throw oauthError(endpoint, read.status, error, options.kind)
  if (read.status !== 200 || !read.fields) throw unusableResponse(endpoint, read, options.expected)
  return read.fields
}

export interface SendAuthenticatedOptions {
  readonly retryMaybeDelivered: boolean
  /** The longest Retry-After worth waiting for; a longer one ends the tries (see withRetries). */
  readonly maxDelayMs?: number
}

/**
 * The same request, with the answer as it came: for a caller that decides on statuses and OAuth
 * errors itself (token revocation, whose failures are results, not thrown errors).
 */
export async function sendAuthenticated(
  ctx: OAuthContext,
  endpoint: EndpointRef,
  client: ClientCredentials,
  params: URLSearchParams,
  options: SendAuthenticatedOptions
): Promise<ReadResponse> {
  const send = (): Promise<ReadResponse> =>
    withRetries(
      ctx,
      endpoint,
      async () => {
        const auth = await authenticate(client, params, endpoint.url, ctx.clock.now())
        return postForm(ctx, endpoint, auth.params, auth.headers)
      },
      {
        attempts: 3,
        retryMaybeDelivered: options.retryMaybeDelivered,
        ...(options.maxDelayMs !== undefined && { maxDelayMs: options.maxDelayMs })
      }
    )
  let read = await send()
  const refused = oauthErrorOf(read)
  if (
    refused &&
    client.audienceFallback &&
    shouldRetryAssertionAudience(client, endpoint.url, refused)
  ) {
    // Deviation (Glewlwyd): see deviations.ts. Kept only if the endpoint accepts it.
    client.audienceFallback.addressToCalledUrl = true
    read = await send()
    if (oauthErrorOf(read)) client.audienceFallback.addressToCalledUrl = false
  }
  return read
}
