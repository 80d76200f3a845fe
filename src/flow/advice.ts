import type { OAuthErrorBody, RequestKind } from '../errors.js'
import type { ErrorAdvisor } from '../providers/preset.js'

/** What to do about the errors RFC 6749 §5.2, RFC 8628 §3.5, RFC 8707 and RFC 7009 define. */
function standardAdvice(body: OAuthErrorBody, kind: RequestKind): string | undefined {
  switch (body.error) {
    case 'invalid_client':
      return kind === 'device-authorization' || kind === 'device-token'
        ? 'The provider did not accept the client credentials: check client-id, client-secret (or client-private-key) and client-auth-method. With private_key_jwt, the assertion is addressed to the token endpoint; a provider that wants the URL being called instead refuses it.'
        : 'The provider did not accept the client credentials: check client-id, client-secret (or client-private-key) and client-auth-method.'
    case 'unauthorized_client':
      return kind === 'refresh'
        ? 'The client may not use refresh tokens: enable the refresh token grant for it at the provider.'
        : 'The client may not use the device flow: enable the OAuth 2.0 Device Authorization Grant for it at the provider. With private_key_jwt, the provider may also be refusing the assertion (its audience).'
    case 'invalid_scope':
      return 'The client may not ask for these scopes: check the scope input against what the client is allowed.'
    case 'invalid_target':
      return 'The provider does not know the requested resource: check the resource and audience inputs.'
    case 'unsupported_grant_type':
      return kind === 'refresh'
        ? 'The provider does not support refresh tokens for this client.'
        : 'The provider does not support the device flow for this client.'
    case 'unsupported_token_type':
      return 'The provider cannot revoke this kind of token (RFC 7009 §2.2.1).'
    case 'invalid_grant':
      return kind === 'refresh'
        ? 'The stored refresh token is expired, revoked, or was already used (rotated). Run the device flow again (on-refresh-failure: device asks a person when this happens) and store the new refresh token.'
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

/** The provider's own advice first (its console, its codes), then the standard's. */
export function adviceFor(
  body: OAuthErrorBody,
  kind: RequestKind,
  advisors: readonly ErrorAdvisor[]
): string | undefined {
  return advisors.map((advise) => advise(body, kind)).find(Boolean) ?? standardAdvice(body, kind)
}
