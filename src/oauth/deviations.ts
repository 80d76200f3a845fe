/**
 * Known departures from the RFCs that the action tolerates, each named for the providers that
 * make it and each with a test in __tests__/oauth/deviations.test.ts. Everything else in
 * src/oauth follows RFC 8628, RFC 6749, RFC 8414 and OpenID Connect Discovery to the letter.
 *
 * Deviations handled elsewhere, because they are properties of a request rather than of a field:
 * - Errors with HTTP 200 (GitHub), 403 (Auth0, PingAM), 428 (Google), 429 (Auth0): response.ts
 *   reads `error` whatever the status.
 * - Form-encoded answers (GitHub): response.ts, and exchange.ts asks for JSON.
 * - GitHub's endpoints, error codes and comma-separated scopes: providers/github.ts.
 */

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
 * A number of seconds. JSON numbers per the RFC; numeric strings too, because Entra ID sends
 * `"expires_in": "3599"`. Anything else is reported as invalid, never guessed.
 */
export function secondsOf(value: unknown): Seconds {
  if (value === undefined || value === null) return { kind: 'absent' }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? { kind: 'number', seconds: value } : { kind: 'invalid', shown: String(value) }
  }
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
    return { kind: 'number', seconds: Number(value) }
  }
  return { kind: 'invalid', shown: typeof value === 'string' ? JSON.stringify(value.slice(0, 20)) : typeof value }
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
  return new RegExp(`^https://login\\.microsoftonline\\.com/[^/{}]+${match[1] ? '/v2\\.0' : ''}$`).test(expected)
}

/** Above this, an interval is honoured but reported: Keycloak 17 sent 600 s (keycloak#12327). */
export const SUSPICIOUS_INTERVAL_SECONDS = 60
