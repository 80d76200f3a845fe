import { ProviderResponseError, type EndpointRef } from '../errors.js'
import { issuerMatches } from './deviations.js'
import { type OAuthContext } from './exchange.js'
import { getJson } from './redirects.js'
import { withRetries } from './retry.js'
import { capitalize, unusableResponse } from './provider-errors.js'
import { checkSecureUrl } from './url-policy.js'
import { safeText } from '../safe-text.js'

/** What the action needs to know about the provider, wherever it came from. */
export interface ProviderMetadata {
  readonly issuer?: string
  readonly deviceAuthorizationEndpoint: string
  readonly tokenEndpoint: string
  readonly jwksUri?: string
  readonly userinfoEndpoint?: string
  readonly revocationEndpoint?: string
  readonly tokenEndpointAuthMethods?: readonly string[]
  /** For the log: where the endpoints were found (a discovery URL may come from a redirect). */
  readonly source: string
}

export interface EndpointInputs {
  readonly issuer?: string
  readonly discoveryUrl?: string
  readonly deviceAuthorizationEndpoint?: string
  readonly tokenEndpoint?: string
  /** RFC 7009 §2: for the post step; takes precedence over the discovered one. */
  readonly revocationEndpoint?: string
}

/**
 * The endpoints to use: both given by hand means no discovery at all; otherwise the discovery
 * document, with any endpoint given by hand taking precedence over the one it lists.
 */
export async function resolveEndpoints(
  ctx: OAuthContext,
  inputs: EndpointInputs
): Promise<ProviderMetadata> {
  const { deviceAuthorizationEndpoint, tokenEndpoint, revocationEndpoint } = inputs
  if (deviceAuthorizationEndpoint && tokenEndpoint) {
    return {
      ...(inputs.issuer && { issuer: inputs.issuer }),
      deviceAuthorizationEndpoint,
      tokenEndpoint,
      ...(revocationEndpoint && { revocationEndpoint }),
      source: `the device-authorization-endpoint and token-endpoint inputs`
    }
  }
  const { document, url } = await fetchDiscoveryDocument(ctx, inputs)
  const metadata = readDiscoveryDocument(document, url, inputs)
  return {
    ...metadata,
    ...(deviceAuthorizationEndpoint && { deviceAuthorizationEndpoint }),
    ...(tokenEndpoint && { tokenEndpoint }),
    ...(revocationEndpoint && { revocationEndpoint })
  }
}

/**
 * Where to look for the document, in order: OpenID Connect Discovery §4 appends
 * /.well-known/openid-configuration to the issuer; RFC 8414 §3.1 inserts
 * /.well-known/oauth-authorization-server between host and path; some servers instead append that
 * suffix to an issuer with a path, as OIDC does.
 */
export function discoveryCandidates(issuer: string): string[] {
  const url = new URL(issuer)
  const path = url.pathname.replace(/\/+$/, '')
  const base = `${url.origin}${path}`
  const candidates = [
    `${base}/.well-known/openid-configuration`,
    `${url.origin}/.well-known/oauth-authorization-server${path}`
  ]
  if (path) candidates.push(`${base}/.well-known/oauth-authorization-server`)
  return candidates
}

async function fetchDiscoveryDocument(
  ctx: OAuthContext,
  inputs: EndpointInputs
): Promise<{ document: Readonly<Record<string, unknown>>; url: string }> {
  const candidates = inputs.discoveryUrl
    ? [inputs.discoveryUrl]
    : discoveryCandidates(inputs.issuer as string)
  const missing: string[] = []
  for (const url of candidates) {
    const endpoint: EndpointRef = { name: 'discovery document', url }
    let finalUrl = url
    const read = await withRetries(
      ctx,
      endpoint,
      async () => {
        const answer = await getJson(ctx, endpoint)
        finalUrl = answer.finalUrl
        return answer
      },
      { attempts: 3, retryMaybeDelivered: true }
    )
    // Only "not here" moves on to the next place; any other failure is reported as it is.
    if ((read.status === 404 || read.status === 410) && !inputs.discoveryUrl) {
      missing.push(url)
      continue
    }
    if (read.status !== 200 || !read.fields) {
      throw unusableResponse({ ...endpoint, url: finalUrl }, read, 'a JSON discovery document')
    }
    return { document: read.fields, url: finalUrl }
  }
  throw new ProviderResponseError(
    { name: 'discovery document', url: candidates[0] as string },
    404,
    `No discovery document was found for the issuer ${inputs.issuer}: ${missing.join(' and ')} answered 404. Check the issuer input (it is the provider's base URL, without /.well-known/...), set discovery-url to the document's address, or give device-authorization-endpoint and token-endpoint.`
  )
}

/** Checks the discovery document (OIDC Discovery §3 and §4.3, RFC 8414 §2 and §3.3). */
export function readDiscoveryDocument(
  document: Readonly<Record<string, unknown>>,
  url: string,
  inputs: EndpointInputs
): ProviderMetadata {
  const endpoint: EndpointRef = { name: 'discovery document', url }
  const fail: (problem: string, fix: string) => never = (problem, fix) => {
    throw new ProviderResponseError(
      endpoint,
      200,
      `${capitalize(`the discovery document at ${url}`)} ${problem}. ${fix}`
    )
  }
  const published = document['issuer']
  if (typeof published !== 'string' || published === '') {
    return fail(
      'has no issuer',
      'It is not a valid OpenID Connect or RFC 8414 document; check discovery-url.'
    )
  }
  if (inputs.issuer && !issuerMatches(inputs.issuer, published)) {
    fail(
      // Provider text in a failure message: one line, bounded (the document may be 1 MiB).
      `names the issuer ${safeText(published, { maxLength: 300 })}, but the issuer input is ${safeText(inputs.issuer, { maxLength: 300 })}`,
      'They must be identical (OpenID Connect Discovery §4.3), or tokens from one provider could be taken for another. Set issuer to exactly the published value.'
    )
  }
  const endpointField = (name: string, required: boolean, fix: string): string | undefined => {
    const value = document[name]
    if (value === undefined || value === null || value === '')
      return required ? fail(`has no ${name}`, fix) : undefined
    const check = typeof value === 'string' ? checkSecureUrl(value) : undefined
    if (!check?.ok)
      return fail(`lists a ${name} that ${check ? check.problem : 'is not a string'}`, fix)
    return check.url.href
  }
  // An endpoint given by hand replaces the listed one, so a missing or unusable listed value does
  // not matter (setting the input is what the messages below advise).
  const required = (name: string, fix: string): string =>
    endpointField(name, true, fix) ?? fail(`has no ${name}`, fix)
  const deviceAuthorizationEndpoint =
    inputs.deviceAuthorizationEndpoint ||
    required(
      'device_authorization_endpoint',
      'Enable the device flow (device authorization grant) for this provider or client, or set the device-authorization-endpoint input.'
    )
  const tokenEndpoint =
    inputs.tokenEndpoint || required('token_endpoint', 'Set the token-endpoint input.')
  const jwksUri = endpointField('jwks_uri', false, 'Fix jwks_uri at the provider.')
  const userinfoEndpoint = endpointField(
    'userinfo_endpoint',
    false,
    'Fix userinfo_endpoint at the provider.'
  )
  // RFC 8414 §2 / RFC 7009: where the post step revokes tokens.
  const revocationEndpoint =
    inputs.revocationEndpoint ||
    endpointField(
      'revocation_endpoint',
      false,
      'Fix revocation_endpoint at the provider, or set the revocation-endpoint input.'
    )
  const methods = document['token_endpoint_auth_methods_supported']
  return {
    issuer: inputs.issuer ?? published,
    deviceAuthorizationEndpoint,
    tokenEndpoint,
    ...(jwksUri && { jwksUri }),
    ...(userinfoEndpoint && { userinfoEndpoint }),
    ...(revocationEndpoint && { revocationEndpoint }),
    ...(Array.isArray(methods) && {
      tokenEndpointAuthMethods: methods.filter((m): m is string => typeof m === 'string')
    }),
    source: `discovery at ${safeText(url, { maxLength: 2048 })}`
  }
}
