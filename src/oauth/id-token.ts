import { failing, type Fail } from './fields.js'
import type { JSONWebKeySet, JWTPayload } from 'jose'
import { ActionError, CancelledError, type EndpointRef } from '../errors.js'
import { idTokenIssuerFor } from './deviations.js'
import { type OAuthContext } from './exchange.js'
import { getJson } from './redirects.js'
import { unusableResponse } from './provider-errors.js'
import { safeText } from '../safe-text.js'

/** jose, loaded when an id_token is verified: after the approval, never before the code. */
type Jose = typeof import('jose')

/** An id_token that must not be trusted: the step fails and the token is never output. */
export class IdTokenError extends ActionError {
  override name = 'IdTokenError'
}

export interface IdTokenExpectations {
  readonly issuer: string
  readonly clientId: string
  readonly jwksUri: string
  /** For HS256-signed id_tokens, which are keyed with the client secret (OIDC Core §10.1). */
  readonly clientSecret?: string
}

/** Seconds of clock difference tolerated between the provider and the runner. */
export const CLOCK_SKEW_SECONDS = 60

/**
 * OpenID Connect Core §3.1.3.7: the signature against the provider's published keys, iss equal
 * to the issuer, the client among the audiences (and azp when there are several), exp in the
 * future and iat present, with a small allowance for clock skew.
 */
export async function verifyIdToken(
  ctx: OAuthContext,
  idToken: string,
  expected: IdTokenExpectations
): Promise<JWTPayload & { sub: string }> {
  const fail: Fail = failing(
    (problem) =>
      new IdTokenError(
        `The ID token from the provider failed verification: ${problem}. It was not output, and the step fails because who approved cannot be trusted.`
      )
  )
  const jose = await import('jose')
  let alg: string | undefined
  try {
    alg = jose.decodeProtectedHeader(idToken).alg
  } catch {
    fail('it is not a JWS compact token')
  }
  if (!alg || alg === 'none') fail('it is not signed (alg none)')
  const options = {
    // Deviation (Entra ID multi-tenant endpoints): the token names the approver's tenant.
    issuer: idTokenIssuerFor(expected.issuer, claimedIssuer(jose, idToken)),
    audience: expected.clientId,
    clockTolerance: CLOCK_SKEW_SECONDS,
    currentDate: new Date(ctx.clock.now()),
    requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat']
  }
  let payload: JWTPayload
  try {
    if (alg?.startsWith('HS')) {
      if (!expected.clientSecret)
        fail(`it is signed with ${alg}, which needs the client secret, and none is configured`)
      const secret = new TextEncoder().encode(expected.clientSecret)
      payload = (await jose.jwtVerify(idToken, secret, options)).payload
    } else {
      const keys = jose.createLocalJWKSet(await fetchJwks(ctx, expected.jwksUri))
      payload = (await jose.jwtVerify(idToken, keys, options)).payload
    }
  } catch (error) {
    if (error instanceof IdTokenError || error instanceof CancelledError) throw error
    // A key set that cannot be fetched or read (HTML, unreachable) is still a failed
    // verification: say so, so that the message tells the token was withheld.
    if (error instanceof ActionError)
      return fail(`the provider's keys could not be read (${error.message.replace(/\.$/, '')})`)
    return fail(describeJoseError(jose, error))
  }
  if (
    Array.isArray(payload.aud) &&
    payload.aud.length > 1 &&
    payload['azp'] !== expected.clientId
  ) {
    fail(`it has several audiences and its azp is not the client-id (OpenID Connect Core §3.1.3.7)`)
  }
  // OpenID Connect Core §3.1.3.7 step 5: an azp present must be this client. A token issued to
  // another client that lists this one as an audience was not issued to this request.
  if (payload['azp'] !== undefined && payload['azp'] !== expected.clientId) {
    fail(
      `its azp (authorized party) is ${safeText(JSON.stringify(payload['azp']), { maxLength: 100 })}, not the client-id (OpenID Connect Core §3.1.3.7)`
    )
  }
  if (typeof payload.sub !== 'string' || payload.sub === '') fail('it has no sub claim')
  return payload as JWTPayload & { sub: string }
}

/** The unverified iss claim, only to choose the issuer to verify against. */
function claimedIssuer(jose: Jose, idToken: string): unknown {
  try {
    return jose.decodeJwt(idToken).iss
  } catch {
    return undefined // jwtVerify reports the malformed token
  }
}

async function fetchJwks(ctx: OAuthContext, jwksUri: string): Promise<JSONWebKeySet> {
  const endpoint: EndpointRef = { name: 'key set (jwks_uri)', url: jwksUri }
  const read = await getJson(ctx, endpoint)
  const keys = read.fields?.['keys']
  if (read.status !== 200 || !Array.isArray(keys))
    throw unusableResponse(endpoint, read, 'a JSON Web Key Set with "keys"')
  return { keys } as JSONWebKeySet
}

function describeJoseError(jose: Jose, error: unknown): string {
  if (error instanceof jose.errors.JWTExpired)
    return "it has expired (exp is in the past; check the runner's clock)"
  if (error instanceof jose.errors.JWTClaimValidationFailed) {
    return `its ${error.claim} claim is wrong or missing (${error.reason === 'check_failed' ? 'does not match' : error.reason})`
  }
  if (error instanceof jose.errors.JWSSignatureVerificationFailed)
    return "its signature does not match the provider's keys"
  if (error instanceof jose.errors.JWKSNoMatchingKey)
    return "no key in the provider's key set matches its signature"
  if (error instanceof jose.errors.JWKSMultipleMatchingKeys)
    return "it names no key (no kid in its header), and the provider's key set has several keys it could be signed with; OpenID Connect Core §10.1 requires a kid then. Ask the provider to set kid, or publish one signing key"
  if (
    error instanceof jose.errors.JOSEAlgNotAllowed ||
    error instanceof jose.errors.JOSENotSupported
  ) {
    return 'it uses a signing algorithm that cannot be verified'
  }
  if (error instanceof jose.errors.JWTInvalid || error instanceof jose.errors.JWSInvalid)
    return 'it is malformed'
  return 'it could not be verified'
}
