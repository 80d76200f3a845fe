import type { OAuthErrorBody } from '../errors.js'
import type { ClientCredentials } from './client-auth.js'

/**
 * Known departures from the RFCs that the action tolerates, each named for the providers that
 * make it and each with a test in __tests__/oauth/deviations.test.ts. Everything else in
 * src/oauth follows RFC 8628, RFC 6749, RFC 8414 and OpenID Connect Discovery to the letter.
 *
 * Deviations handled elsewhere, because they are properties of a request rather than of a field:
 * - Errors with HTTP 200 (GitHub), 403 (Auth0 pending, Google slow_down and access_denied,
 *   PingAM), 428 (Google pending), 429 (Auth0 slow_down): response.ts reads `error` whatever the
 *   status.
 * - Form-encoded answers (GitHub): response.ts, and exchange.ts asks for JSON.
 * - GitHub's endpoints, error codes and comma-separated scopes: providers/github.ts.
 * - Advice for the consoles of Entra ID, Google, Auth0, Okta and Keycloak, and the providers' own
 *   names for a denial or a dead refresh token: providers/*.ts.
 */

/**
 * A private_key_jwt assertion is addressed to the token endpoint (RFC 7523 §3, OIDC Core §9), the
 * one audience Entra ID accepts, at every endpoint. Glewlwyd 2.7 accepts at its device
 * authorization endpoint only an assertion addressed to that endpoint's own URL, and answers
 * 401 unauthorized_client otherwise. So when an endpoint other than the token endpoint refuses
 * the client's authentication (invalid_client or unauthorized_client), the request is sent once
 * more with the assertion addressed to the URL being called; if that is accepted, the choice is
 * kept for the rest of the run (ClientCredentials.audienceFallback). Returns whether to retry.
 */
export function shouldRetryAssertionAudience(
  client: ClientCredentials,
  calledUrl: string,
  error: OAuthErrorBody
): boolean {
  return (
    client.method === 'private_key_jwt' &&
    client.audienceFallback !== undefined &&
    !client.audienceFallback.addressToCalledUrl &&
    client.assertionAudience !== undefined &&
    client.assertionAudience !== calledUrl &&
    (error.error === 'invalid_client' || error.error === 'unauthorized_client')
  )
}

/**
 * RFC 8628 §3.1 asks for client_id in the device authorization request from a client that does
 * not authenticate; RFC 6749 §3.2.1 lets one that does send it as well, to identify itself.
 * Authlib 1.2 files the device code under the client_id of the request body, not under the
 * client it authenticated, so a client that authenticates with client_secret_basic alone gets a
 * device code filed under no client, and is refused at its own poll with unauthorized_client
 * (authlib issue 798). oauth4webapi, under openid-client, sends client_id in the body of every
 * device authorization request whatever the authentication method; so does the action. Every
 * other method puts it there anyway (client-auth.ts). The poll stays as RFC 6749 §2.3.1 has it:
 * a device code filed under the right client is all Authlib needs.
 */
export function identifyInDeviceRequest(
  client: Pick<ClientCredentials, 'clientId'>,
  params: URLSearchParams
): URLSearchParams {
  const identified = new URLSearchParams(params)
  identified.set('client_id', client.clientId)
  return identified
}

/**
 * RFC 6749 §5.2 answers a refused refresh token with 400 and `invalid_grant`. Glewlwyd 2.7 sends
 * HTTP 400 with an empty body instead, and others send a bare 401. During a refresh (and only
 * then: the grant is the only thing sent besides the client), a 400 or 401 that carries no
 * readable OAuth error is read as "the refresh token was refused".
 */
export function isBareRefreshRefusal(status: number | undefined): boolean {
  return status === 400 || status === 401
}

/** RFC 8628 §3.2 names it verification_uri; Google and Entra ID v1 send verification_url. */
export function verificationUriOf(fields: Readonly<Record<string, unknown>>): unknown {
  return fields['verification_uri'] ?? fields['verification_url']
}

/** Same for the complete URI (verification_url_complete is rare, but seen alongside _url). */
export function verificationUriCompleteOf(fields: Readonly<Record<string, unknown>>): unknown {
  return fields['verification_uri_complete'] ?? fields['verification_url_complete']
}

export type Seconds =
  | { readonly kind: 'absent' }
  | { readonly kind: 'number'; readonly seconds: number }
  | { readonly kind: 'invalid'; readonly shown: string }

/**
 * A number of seconds. JSON numbers per the RFC; numeric strings too, because Entra ID (v1
 * endpoints) sends `"expires_in": "3599"` (MicrosoftDocs/azure-docs#54997). Anything else is
 * reported as invalid, never guessed; what counts as usable is decided by the caller (device.ts:
 * interval and expires_in, token.ts: expires_in and slow_down's interval).
 */
export function secondsOf(value: unknown): Seconds {
  if (value === undefined || value === null) return { kind: 'absent' }
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? { kind: 'number', seconds: value }
      : { kind: 'invalid', shown: String(value) }
  }
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
    return { kind: 'number', seconds: Number(value) }
  }
  return {
    kind: 'invalid',
    shown: typeof value === 'string' ? JSON.stringify(value.slice(0, 20)) : typeof value
  }
}

/**
 * OpenID Connect Discovery §4.3 requires the document's issuer to equal the issuer asked for.
 * Entra ID's multi-tenant documents (common, organizations, consumers) publish a template,
 * https://login.microsoftonline.com/{tenantid}/v2.0, which stands for any tenant.
 */
export function issuerMatches(expected: string, published: string): boolean {
  if (expected === published) return true
  const template = /^https:\/\/login\.microsoftonline\.com\/\{tenantid\}(\/v2\.0)?$/
  const match = template.exec(published)
  if (!match) return false
  return new RegExp(
    `^https://login\\.microsoftonline\\.com/[^/{}]+${match[1] ? '/v2\\.0' : ''}$`
  ).test(expected)
}

const ENTRA_MULTI_TENANT =
  /^https:\/\/login\.microsoftonline\.com\/(common|organizations|consumers|\{tenantid\})\/v2\.0$/
const ENTRA_TENANT_ISSUER =
  /^https:\/\/login\.microsoftonline\.com\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/v2\.0$/
/** The tenant of personal Microsoft accounts, the only one behind the consumers endpoint. */
export const ENTRA_CONSUMERS_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad'

/**
 * The issuer an id_token must name (OpenID Connect Core §3.1.3.7 step 2). Always the configured
 * issuer, except for Entra ID's multi-tenant endpoints (common, organizations, consumers, or the
 * {tenantid} template their documents publish): the token names the approver's own tenant,
 * https://login.microsoftonline.com/<tenant-id>/v2.0, which is then the issuer to check against
 * (limited to the personal-account tenant for consumers, and excluding it for organizations).
 * Source: https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference (iss).
 */
export function idTokenIssuerFor(configured: string, claimed: unknown): string {
  const alias = ENTRA_MULTI_TENANT.exec(configured)?.[1]
  const tenant = typeof claimed === 'string' ? ENTRA_TENANT_ISSUER.exec(claimed)?.[1] : undefined
  if (!alias || !tenant) return configured
  const personal = tenant === ENTRA_CONSUMERS_TENANT
  const allowed = alias === 'consumers' ? personal : alias === 'organizations' ? !personal : true
  return allowed ? (claimed as string) : configured
}

/** Above this, an interval is honoured but reported: Keycloak 17 sent 600 s (keycloak#12327). */
export const SUSPICIOUS_INTERVAL_SECONDS = 60
