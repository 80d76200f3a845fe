import { describeEndpoint, OAuthError, type EndpointRef, type OAuthErrorBody } from '../errors.js'
import { capitalize } from './exchange.js'
import { safeText } from '../text/safe-text.js'

/** Which request an OAuth error came back from: the advice differs. */
export type RequestKind = 'device-authorization' | 'device-token' | 'refresh'

/** Extra advice for errors a particular provider defines (see src/providers). */
export type ErrorAdvisor = (body: OAuthErrorBody, kind: RequestKind) => string | undefined

/** Advice for the errors RFC 6749 §5.2, RFC 8628 §3.5 and RFC 8707 define. */
function standardAdvice(body: OAuthErrorBody, kind: RequestKind): string | undefined {
  switch (body.error) {
    case 'invalid_client':
      return 'The provider did not accept the client credentials: check client-id, client-secret (or client-private-key) and client-auth-method.'
    case 'unauthorized_client':
      return kind === 'refresh'
        ? 'The client may not use refresh tokens: enable the refresh token grant for it at the provider.'
        : 'The client may not use the device flow: enable the OAuth 2.0 Device Authorization Grant for it at the provider.'
    case 'invalid_scope':
      return 'The client may not ask for these scopes: check the scope input against what the client is allowed.'
    case 'invalid_target':
      return 'The provider does not know the requested resource: check the resource and audience inputs.'
    case 'unsupported_grant_type':
      return kind === 'refresh'
        ? 'The provider does not support refresh tokens for this client.'
        : 'The provider does not support the device flow for this client.'
    case 'invalid_grant':
      return kind === 'refresh'
        ? 'The refresh token is expired, revoked, or was already used (rotated). Run the device flow again (on-refresh-failure: device) and store the new refresh token.'
        : 'The device code is no longer valid: it expired, or was already used.'
    case 'invalid_request':
      return 'The provider rejected the request as malformed: check extra-params, audience and resource.'
    case 'server_error':
    case 'temporarily_unavailable':
      return 'The provider is failing; try again later.'
    default:
      return undefined
  }
}

/** Builds the OAuthError a person can act on: what the provider said, where, and what to do. */
export function oauthError(
  endpoint: EndpointRef,
  status: number,
  body: OAuthErrorBody,
  kind: RequestKind,
  advisors: readonly ErrorAdvisor[] = []
): OAuthError {
  // Quoted provider text: secrets were cut out as the answer was read (exchange.ts), and safeText
  // keeps it to one line that no runner command can be read from.
  const said = body.errorDescription
    ? `: ${safeText(body.errorDescription, { maxLength: 500 })}`
    : ''
  const advice =
    advisors.map((advise) => advise(body, kind)).find(Boolean) ?? standardAdvice(body, kind)
  const more =
    body.errorUri && /^https:\/\//.test(body.errorUri)
      ? ` More: ${safeText(body.errorUri, { maxLength: 300 })}`
      : ''
  const message = `${capitalize(describeEndpoint(endpoint))} answered "${safeText(body.error)}" (HTTP ${status})${said}.${advice ? ` ${advice}` : ''}${more}`
  return new OAuthError(endpoint, status, body, message)
}
