import {
  describeEndpoint,
  type EndpointRef,
  OAuthError,
  type OAuthErrorBody,
  ProviderResponseError,
  type RequestKind
} from '../errors.js'
import { safeText } from '../safe-text.js'
import { isTransientStatus, type ReadResponse } from './response.js'

/** The error for a response that is neither the expected answer nor an OAuth error. */
export function unusableResponse(
  endpoint: EndpointRef,
  read: ReadResponse,
  expected: string
): ProviderResponseError {
  const what = read.unreadable ?? 'the body is a JSON object without the expected fields'
  const hint =
    read.kind === 'html'
      ? ' A web page usually means a wrong URL, or a proxy, firewall or login page answering instead of the identity provider.'
      : isTransientStatus(read.status)
        ? ' The provider seems to be failing; try again later.'
        : ''
  return new ProviderResponseError(
    endpoint,
    read.status,
    `${capitalize(describeEndpoint(endpoint))} answered HTTP ${read.status}, but ${what}; expected ${expected}.${hint}`
  )
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

export type { RequestKind } from '../errors.js'

/**
 * The OAuthError for an error response: what the provider said and where, as data and as a
 * sentence. What to do about it is added where errors are reported (src/flow/failure.ts), which
 * knows the provider and the inputs; the protocol code knows neither.
 */
export function oauthError(
  endpoint: EndpointRef,
  status: number,
  body: OAuthErrorBody,
  request: RequestKind
): OAuthError {
  // Quoted provider text: known secrets were cut out as the answer was read (exchange.ts), and
  // safeText keeps it to one line that no runner command can be read from. The description's own
  // closing full stop is dropped: the sentence ends with ours.
  const said = body.errorDescription
    ? `: ${safeText(body.errorDescription, { maxLength: 500 }).replace(/[.\s]+$/, '')}`
    : ''
  const message = `${capitalize(describeEndpoint(endpoint))} answered "${safeText(body.error)}" (HTTP ${status})${said}.`
  return new OAuthError(endpoint, status, body, request, message)
}

/** The provider's error_uri, when it is one a person can safely open (https). */
export function errorPageOf(body: OAuthErrorBody): string | undefined {
  return body.errorUri && /^https:\/\//.test(body.errorUri)
    ? safeText(body.errorUri, { maxLength: 300 })
    : undefined
}
