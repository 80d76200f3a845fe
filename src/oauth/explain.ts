import {
  describeEndpoint,
  OAuthError,
  type EndpointRef,
  type OAuthErrorBody,
  type RequestKind
} from '../errors.js'
import { capitalize } from './wording.js'
import { printable } from './response.js'

export type { RequestKind } from '../errors.js'

/**
 * The OAuthError for an error response: what the provider said and where, as data and as a
 * sentence. What to do about it is added where errors are reported (src/flow/advice.ts), which
 * knows the provider and the inputs; the protocol code knows neither.
 */
export function oauthError(
  endpoint: EndpointRef,
  status: number,
  body: OAuthErrorBody,
  request: RequestKind
): OAuthError {
  // The description's own closing full stop is dropped: the sentence ends with ours.
  const said = body.errorDescription
    ? `: ${printable(body.errorDescription)
        .slice(0, 500)
        .replace(/[.\s]+$/, '')}`
    : ''
  const message = `${capitalize(describeEndpoint(endpoint))} answered "${printable(body.error)}" (HTTP ${status})${said}.`
  return new OAuthError(endpoint, status, body, request, message)
}

/** The provider's error_uri, when it is one a person can safely open (https). */
export function errorPageOf(body: OAuthErrorBody): string | undefined {
  return body.errorUri && /^https:\/\//.test(body.errorUri)
    ? printable(body.errorUri).slice(0, 300)
    : undefined
}
