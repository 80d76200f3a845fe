import type { Clock } from '../clock.js'
import {
  CancelledError,
  describeEndpoint,
  NetworkError,
  ProviderResponseError,
  type EndpointRef
} from '../errors.js'
import {
  HEADERS_TOO_LARGE,
  TransportFailure,
  type HttpMethod,
  type HttpTransport,
  MAX_RESPONSE_BYTES
} from './http.js'
import { readResponse, type ReadResponse } from './response.js'
import { capitalize } from './provider-errors.js'
import { redact, safeText } from '../safe-text.js'

/** What every protocol request needs: the way out, the time, and the cancel switch. */
export interface OAuthContext {
  readonly http: HttpTransport
  readonly clock: Clock
  readonly signal?: AbortSignal
  /** Limit for a single request. */
  readonly requestTimeoutMs: number
  /**
   * Every secret known so far (client secret, refresh token, device code, tokens): cut out of
   * any provider text that is quoted, before it is made log-safe (see redactQuotable).
   */
  readonly secrets?: () => Iterable<string>
  /** No wait between retries goes past this moment (the timeout input, from the start). */
  readonly retriesEndAtMs?: number
  /** Told before a request is tried again, so the log can say why the action is waiting. */
  readonly onRetry?: (reason: string, delayMs: number) => void
}

const FORM_HEADERS = {
  'Content-Type': 'application/x-www-form-urlencoded',
  // Deviation (GitHub): without this it answers form-encoded.
  Accept: 'application/json'
}

/** POSTs a form. Never follows a redirect: one could carry the client secret elsewhere. */
export async function postForm(
  ctx: OAuthContext,
  endpoint: EndpointRef,
  params: URLSearchParams,
  headers: Readonly<Record<string, string>> = {},
  timeoutMs = ctx.requestTimeoutMs
): Promise<ReadResponse> {
  const read = await send(
    ctx,
    endpoint,
    { method: 'POST', headers: { ...FORM_HEADERS, ...headers }, body: params.toString() },
    timeoutMs
  )
  if (REDIRECT_STATUSES.includes(read.status)) throw postRedirected(endpoint, read)
  return read
}

export const REDIRECT_STATUSES = [301, 302, 303, 307, 308]

/**
 * A 307/308 would resend the body (client secret, device code, refresh token) to wherever the
 * provider points; a 301-303 would turn the POST into a GET. Neither is followed: the endpoint is
 * configured wrong, and the message says where it points.
 */
function postRedirected(endpoint: EndpointRef, read: ReadResponse & { location?: string }): Error {
  const target =
    read.location && URL.canParse(read.location, endpoint.url)
      ? `to ${safeText(new URL(read.location, endpoint.url).href, { maxLength: 300 })}`
      : read.location
        ? 'to a Location that is not a URL'
        : 'without a Location header'
  return new ProviderResponseError(
    endpoint,
    read.status,
    `${capitalize(describeEndpoint(endpoint))} redirected (HTTP ${read.status}) ${target}, and the action does not follow redirects for POSTs: set the endpoint to the final URL.`
  )
}

/**
 * A request to a JSON API (GitHub's REST API): the body, when there is one, is sent as JSON.
 * Never follows a redirect, for the same reason as postForm: the Authorization header would go
 * along.
 */
export async function sendJson(
  ctx: OAuthContext,
  endpoint: EndpointRef,
  method: HttpMethod,
  headers: Readonly<Record<string, string>>,
  body?: unknown
): Promise<ReadResponse> {
  return send(ctx, endpoint, {
    method,
    headers: {
      Accept: 'application/json',
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
      ...headers
    },
    ...(body !== undefined && { body: JSON.stringify(body) })
  })
}

export interface SendRequest {
  readonly method: HttpMethod
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
}

export async function send(
  ctx: OAuthContext,
  endpoint: EndpointRef,
  request: SendRequest,
  timeoutMs = ctx.requestTimeoutMs
): Promise<ReadResponse & { location?: string }> {
  if (ctx.signal?.aborted) throw new CancelledError()
  try {
    const response = await ctx.http({
      ...request,
      url: endpoint.url,
      timeoutMs,
      ...(ctx.signal && { signal: ctx.signal })
    })
    const secrets = [...secretsSent(request), ...(ctx.secrets?.() ?? [])]
    const read = redactQuotable(readResponse(response, ctx.clock.now(), secrets), secrets)
    // A Location is quoted in messages too (a redirected POST): no secret in it either.
    const location = response.headers['location']
    return location ? { ...read, location: redact(location, secrets) } : read
  } catch (error) {
    if (ctx.signal?.aborted) throw new CancelledError()
    if (error instanceof TransportFailure) throw networkError(endpoint, error, timeoutMs)
    throw error
  }
}

/** The members of an answer that messages quote (RFC 6749 §5.2, Entra's message, a mismatched issuer), and the HTML title. */
const QUOTED_FIELDS = ['error', 'error_description', 'error_uri', 'message', 'issuer']
/** Request parameters that carry a secret (RFC 6749, RFC 7523, RFC 8628). */
const SECRET_PARAMS = [
  // RFC 7009 §2.1: the token being revoked; GitHub's revocation API takes it as access_token.
  'token',
  'access_token',
  'client_secret',
  'client_assertion',
  'device_code',
  'refresh_token',
  'code',
  'code_verifier',
  'assertion'
]

/** What this request carries that must never come back in a message. */
function secretsSent(request: SendRequest): string[] {
  const secrets: string[] = []
  if (request.body !== undefined) {
    for (const name of SECRET_PARAMS) secrets.push(...paramsOf(request.body, name))
  }
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.toLowerCase() !== 'authorization') continue
    const [scheme, credentials = ''] = value.split(' ', 2)
    secrets.push(credentials)
    if (scheme?.toLowerCase() === 'basic') {
      // RFC 6749 §2.3.1: form-encoded id and secret, base64 of "id:secret".
      const decoded = Buffer.from(credentials, 'base64').toString('utf8')
      const secret = decoded.slice(decoded.indexOf(':') + 1)
      secrets.push(secret, decodeFormComponent(secret))
    }
  }
  return secrets.filter((secret) => secret.length > 0)
}

/** A parameter's values in a form body, or a JSON object's member (GitHub's APIs take JSON). */
function paramsOf(body: string, name: string): string[] {
  if (!body.startsWith('{')) return new URLSearchParams(body).getAll(name)
  try {
    const value: unknown = (JSON.parse(body) as Record<string, unknown>)[name]
    return typeof value === 'string' ? [value] : []
  } catch {
    return []
  }
}

function decodeFormComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}

/**
 * Cuts every known secret out of the fields of an answer that a message may quote (the HTML
 * title is done as it is read), before any of it is escaped for the log: a provider echoing the client secret or the device code in
 * error_description must not get it printed, even where the escaping changed it so that the
 * runner's mask no longer matches. The token fields are left alone (a refresh token may rightly
 * come back unchanged).
 */
function redactQuotable(read: ReadResponse, secrets: readonly string[]): ReadResponse {
  if (secrets.length === 0) return read
  const fields = read.fields
  let redactedFields = fields
  if (fields) {
    for (const name of QUOTED_FIELDS) {
      const value = fields[name]
      if (typeof value !== 'string') continue
      const cut = redact(value, secrets)
      if (cut !== value) redactedFields = { ...redactedFields, [name]: cut }
    }
  }
  return redactedFields === fields
    ? read
    : { ...read, ...(redactedFields && { fields: redactedFields }) }
}

function networkError(endpoint: EndpointRef, failure: TransportFailure, timeoutMs: number): Error {
  const where = describeEndpoint(endpoint)
  switch (failure.kind) {
    case 'too-large':
      return new ProviderResponseError(
        endpoint,
        undefined,
        failure.detail === HEADERS_TOO_LARGE
          ? `${capitalize(where)} sent response headers larger than Node.js accepts (16 KiB; HPE_HEADER_OVERFLOW); an identity provider's headers are far smaller. Check that the URL points at the identity provider, and not at a proxy or a page that sets huge cookies.`
          : `${capitalize(where)} sent a response larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB; an OAuth response is a few kilobytes. Check that the URL points at the identity provider.`
      )
    case 'timeout': {
      const happened = `did not answer within ${Math.round(timeoutMs / 1000)} s`
      return new NetworkError(
        endpoint,
        'timeout',
        true,
        `${capitalize(where)} ${happened}.`,
        happened
      )
    }
    case 'reset':
      return new NetworkError(
        endpoint,
        'reset',
        true,
        `The connection to ${where} was reset before a complete answer arrived.`,
        'reset the connection before a complete answer arrived'
      )
    default: {
      const detail = safeText(failure.detail, { maxLength: 300 })
      return new NetworkError(
        endpoint,
        'connection',
        failure.maybeDelivered,
        `Could not reach ${where}: ${detail}.${connectionAdvice(endpoint, detail)}`,
        `could not be reached: ${detail}`
      )
    }
  }
}

/**
 * What to do about a connection that failed. TLS failures are told apart by Node's codes: a
 * certificate for another host name is trusted but wrong, so NODE_EXTRA_CA_CERTS cannot help.
 */
function connectionAdvice(endpoint: EndpointRef, detail: string): string {
  if (/ERR_TLS_CERT_ALTNAME_INVALID/.test(detail)) {
    const host = new URL(endpoint.url).hostname
    return ` The server's TLS certificate is trusted but made out to another host name than ${host}: check the host in the URL (copy it from the provider's discovery document), or, behind a proxy that inspects TLS, that the proxy presents a certificate for ${host}. NODE_EXTRA_CA_CERTS does not change which names a certificate holds.`
  }
  if (/CERT_HAS_EXPIRED|CERT_NOT_YET_VALID/.test(detail))
    return " The TLS certificate is outside its validity dates: the provider must renew it, or, if it looks valid, this machine's clock is wrong."
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(detail))
    return ' The TLS certificate is not trusted: for a private certificate authority, point NODE_EXTRA_CA_CERTS at its PEM file.'
  return ' Check the URL, and that the runner can reach it (proxies are read from https_proxy, http_proxy and no_proxy).'
}
