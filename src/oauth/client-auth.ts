import type { importJWK, JWK } from 'jose'
import { ActionError } from '../errors.js'

export type ClientAuthMethod =
  'none' | 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt'

export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = [
  'none',
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt'
]

export interface ClientCredentials {
  readonly clientId: string
  readonly method: ClientAuthMethod
  readonly clientSecret?: string
  /** PEM (PKCS#8) or a private JWK as JSON, for private_key_jwt. */
  readonly privateKey?: string
  /** JWS algorithm for the client assertion; derived from the key when absent. */
  readonly assertionAlg?: string
  /**
   * Whom private_key_jwt assertions are addressed to. The token endpoint URL is what RFC 7523 §3
   * and OpenID Connect Core §9 name, and what providers accept at every endpoint (Entra ID takes
   * nothing else); without it, the URL of the endpoint being called.
   */
  readonly assertionAudience?: string
  /**
   * Set once an endpoint accepted only an assertion addressed to itself (see
   * assertionAudienceRetry in deviations.ts): from then on, every assertion is addressed to the
   * URL being called. Shared by reference, so the rest of the run remembers what worked.
   */
  readonly audienceFallback?: { addressToCalledUrl: boolean }
}

/** The client's private key cannot sign an assertion. */
export class ClientKeyError extends ActionError {
  override name = 'ClientKeyError'
}

export interface AuthenticatedRequest {
  readonly params: URLSearchParams
  readonly headers: Record<string, string>
}

/**
 * Adds client authentication to a form request. `audience` is the URL of the endpoint being
 * called, which is what a private_key_jwt assertion is addressed to (RFC 7523 §3).
 */
export async function authenticate(
  client: ClientCredentials,
  params: URLSearchParams,
  audience: string,
  nowMs: number
): Promise<AuthenticatedRequest> {
  const body = new URLSearchParams(params)
  const headers: Record<string, string> = {}
  switch (client.method) {
    case 'none':
      // RFC 8628 §3.1 / RFC 6749 §3.2.1: a public client identifies itself with client_id.
      body.set('client_id', client.clientId)
      break
    case 'client_secret_basic':
      // RFC 6749 §2.3.1: both parts are form-encoded before they are joined and base64-encoded.
      headers['Authorization'] = `Basic ${Buffer.from(
        `${formEncode(client.clientId)}:${formEncode(requireSecret(client))}`
      ).toString('base64')}`
      break
    case 'client_secret_post':
      body.set('client_id', client.clientId)
      body.set('client_secret', requireSecret(client))
      break
    case 'private_key_jwt':
      body.set('client_id', client.clientId)
      body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
      body.set(
        'client_assertion',
        await clientAssertion(client, assertionAudienceOf(client, audience), nowMs)
      )
      break
  }
  return { params: body, headers }
}

/** Whom this request's assertion is addressed to: see ClientCredentials.assertionAudience. */
export function assertionAudienceOf(client: ClientCredentials, calledUrl: string): string {
  if (client.audienceFallback?.addressToCalledUrl) return calledUrl
  return client.assertionAudience ?? calledUrl
}

function requireSecret(client: ClientCredentials): string {
  if (client.clientSecret === undefined) throw new Error(`${client.method} needs a client secret`)
  return client.clientSecret
}

/** application/x-www-form-urlencoded, as URLSearchParams writes it (spaces as +). */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2)
}

/** RFC 7523 §3: a short-lived JWT signed with the client's key, usable once (jti). */
async function clientAssertion(
  client: ClientCredentials,
  audience: string,
  nowMs: number
): Promise<string> {
  const issuedAt = Math.floor(nowMs / 1000)
  try {
    // jose is loaded by the first assertion: a run without private_key_jwt never needs it.
    const { SignJWT } = await import('jose')
    const { key, alg, kid } = await loadSigningKey(client)
    return await new SignJWT({})
      // The kid tells a provider holding several registered keys which one verifies the assertion.
      .setProtectedHeader({ alg, typ: 'JWT', ...(kid && { kid }) })
      .setIssuer(client.clientId)
      .setSubject(client.clientId)
      .setAudience(audience)
      .setJti(crypto.randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + 60)
      .sign(key)
  } catch (error) {
    // A key that cannot sign is a wrong key, not a bug (the runner reports any other error as
    // "Unexpected error, please report this"); the flow names the input it came from.
    const why = error instanceof Error ? error.message : String(error)
    throw new ClientKeyError(`cannot sign the client assertion (RFC 7523): ${why}.`)
  }
}

export interface SigningKey {
  readonly key: Awaited<ReturnType<typeof importJWK>>
  readonly alg: string
  readonly kid?: string
}

/** Reads a PKCS#8 PEM or a private JWK and picks the algorithm the key implies. */
export async function loadSigningKey(
  client: Pick<ClientCredentials, 'privateKey' | 'assertionAlg'>
): Promise<SigningKey> {
  const { importJWK, importPKCS8 } = await import('jose')
  const text = (client.privateKey ?? '').trim()
  if (text.startsWith('{')) {
    let jwk: JWK
    try {
      jwk = JSON.parse(text) as JWK
    } catch {
      // Not the SyntaxError itself: its message quotes the text around the fault, key material.
      throw new Error('the private key looks like a JWK but is not valid JSON')
    }
    const alg = client.assertionAlg ?? jwk.alg ?? algorithmForJwk(jwk)
    const key = await importJWK(jwk, alg)
    return { key, alg, ...(jwk.kid && { kid: jwk.kid }) }
  }
  const alg = client.assertionAlg ?? algorithmForPem(text)
  return { key: await importPKCS8(text, alg), alg }
}

function algorithmForJwk(jwk: JWK): string {
  if (jwk.kty === 'RSA') return 'RS256'
  if (jwk.kty === 'EC')
    return jwk.crv === 'P-384' ? 'ES384' : jwk.crv === 'P-521' ? 'ES512' : 'ES256'
  if (jwk.kty === 'OKP') return 'EdDSA'
  throw new Error(`a JWK of type ${String(jwk.kty)} cannot sign a client assertion`)
}

/** The key type is inside the PKCS#8 structure; its algorithm OID tells RSA from EC from Ed25519. */
function algorithmForPem(pem: string): string {
  const der = Buffer.from(
    pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''),
    'base64'
  ).toString('hex')
  if (der.includes('2a864886f70d010101')) return 'RS256' // rsaEncryption
  if (der.includes('2a8648ce3d0201')) {
    if (der.includes('2b81040022')) return 'ES384' // secp384r1
    if (der.includes('2b81040023')) return 'ES512' // secp521r1
    return 'ES256'
  }
  if (der.includes('2b6570')) return 'EdDSA' // Ed25519
  throw new Error('the private key is not an RSA, EC or Ed25519 key in PKCS#8 PEM form')
}
