import type { Clock } from '../clock.js'
import {
  CancelledError,
  describeEndpoint,
  NetworkError,
  ProviderResponseError,
  type EndpointRef
} from '../errors.js'
import { backoffDelayMs, DEFAULT_BACKOFF } from './backoff.js'
import {
  HEADERS_TOO_LARGE,
  TransportFailure,
  type HttpTransport,
  MAX_RESPONSE_BYTES
} from './http.js'
import { oauthErrorOf, readResponse, type ReadResponse } from './response.js'
import { checkSecureUrl } from './url-policy.js'
import { redact, safeText } from '../text/safe-text.js'

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
  /** Told of every retry and its wait, for the log: a silent minute looks like a hang. */
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

const REDIRECT_STATUSES = [301, 302, 303, 307, 308]
const MAX_REDIRECTS = 5

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

/** GETs a JSON document, following up to five redirects, each only to an https:// URL. */
export async function getJson(
  ctx: OAuthContext,
  endpoint: EndpointRef,
  headers: Readonly<Record<string, string>> = {}
): Promise<ReadResponse & { finalUrl: string }> {
  let url = endpoint.url
  for (let hop = 0; ; hop++) {
    const read = await send(
      ctx,
      { ...endpoint, url },
      { method: 'GET', headers: { Accept: 'application/json', ...headers } }
    )
    if (!REDIRECT_STATUSES.includes(read.status)) return { ...read, finalUrl: url }
    const location = read.location
    if (!location || hop >= MAX_REDIRECTS) {
      throw new ProviderResponseError(
        endpoint,
        read.status,
        `${capitalize(describeEndpoint(endpoint))} redirected ${location ? `more than ${MAX_REDIRECTS} times` : 'without a Location header'}. Give the final URL instead.`
      )
    }
    // A malformed Location would otherwise escape as a bare TypeError ("Invalid URL").
    if (!URL.canParse(location, url)) {
      throw new ProviderResponseError(
        endpoint,
        read.status,
        `${capitalize(describeEndpoint(endpoint))} redirected to a Location header that is not a URL. Give the final URL instead.`
      )
    }
    const next = new URL(location, url)
    // A bearer token goes only where it was sent: never follow it to another origin.
    const carriesToken = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')
    if (carriesToken && next.origin !== new URL(url).origin) {
      throw new ProviderResponseError(
        endpoint,
        read.status,
        `${capitalize(describeEndpoint(endpoint))} redirected to another site (${safeText(next.host)}); the access token is not sent there.`
      )
    }
    if (next.protocol !== 'https:' || !checkSecureUrl(next.href).ok) {
      throw new ProviderResponseError(
        endpoint,
        read.status,
        `${capitalize(describeEndpoint(endpoint))} redirected to ${safeText(`${next.protocol}//${next.host}`)}, which is not https. Redirects are followed only to https:// URLs; give the final URL instead.`
      )
    }
    url = next.href
  }
}

interface SendRequest {
  readonly method: 'GET' | 'POST'
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
}

async function send(
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
    const params = new URLSearchParams(request.body)
    for (const name of SECRET_PARAMS) secrets.push(...params.getAll(name))
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
    case 'timeout':
      return new NetworkError(
        endpoint,
        'timeout',
        true,
        `${capitalize(where)} did not answer within ${Math.round(timeoutMs / 1000)} s.`
      )
    case 'reset':
      return new NetworkError(
        endpoint,
        'reset',
        true,
        `The connection to ${where} was reset before a complete answer arrived.`
      )
    default: {
      const detail = safeText(failure.detail, { maxLength: 300 })
      const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(detail)
        ? ' The TLS certificate is not trusted: for a private certificate authority, point NODE_EXTRA_CA_CERTS at its PEM file.'
        : ' Check the URL, and that the runner can reach it (proxies are read from https_proxy, http_proxy and no_proxy).'
      return new NetworkError(
        endpoint,
        'connection',
        failure.maybeDelivered,
        `Could not reach ${where}: ${detail}.${tls}`
      )
    }
  }
}

/** A status that says "try again later" rather than "no". */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500
}

/** The longest single wait between retries before the prompt, whatever Retry-After says. */
export const MAX_RETRY_WAIT_MS = 60_000

export interface RetryOptions {
  readonly attempts: number
  /** Retry a request that may have reached the server before the connection failed. */
  readonly retryMaybeDelivered: boolean
  /** Told before each retry; without it, the context's onRetry is. */
  readonly onRetry?: (reason: string, delayMs: number) => void
}

/**
 * Runs a request again after network failures and transient statuses (with backoff, or as long as
 * Retry-After says). Used for discovery and the device authorization request; the poll loop has
 * its own policy, bounded by the code's lifetime.
 */
export async function withRetries(
  ctx: OAuthContext,
  endpoint: EndpointRef,
  attempt: () => Promise<ReadResponse>,
  options: RetryOptions
): Promise<ReadResponse> {
  for (let n = 1; ; n++) {
    let reason: string
    let retryAfterMs: number | undefined
    let lastRead: ReadResponse | undefined
    let lastError: unknown
    try {
      const read = await attempt()
      lastRead = read
      // An OAuth error is the provider's answer; an API-style `error` object on a 503 is not.
      if (!isTransientStatus(read.status) || oauthErrorOf(read) || n >= options.attempts)
        return read
      reason = `HTTP ${read.status}`
      retryAfterMs = read.retryAfterMs
    } catch (error) {
      const retryable =
        error instanceof NetworkError &&
        (options.retryMaybeDelivered || !error.maybeDelivered) &&
        n < options.attempts
      if (!retryable) throw error
      lastError = error
      reason = error.message
    }
    // Retry-After is advice (RFC 9110 §10.2.3): before the prompt nobody sees a code yet, so a
    // provider's "come back in an hour" is cut to a minute, and never runs past the timeout.
    const wantedMs = retryAfterMs ?? backoffDelayMs(n, DEFAULT_BACKOFF, ctx.clock.random())
    const leftMs = (ctx.retriesEndAtMs ?? Infinity) - ctx.clock.now()
    if (leftMs <= 0) {
      if (lastRead) return lastRead
      throw lastError
    }
    const delayMs = Math.min(wantedMs, MAX_RETRY_WAIT_MS, leftMs)
    const said =
      retryAfterMs !== undefined && delayMs < retryAfterMs
        ? ` (the provider asked for ${Math.round(retryAfterMs / 1000)} s with Retry-After; waiting at most ${Math.round(delayMs / 1000)} s)`
        : ''
    const message = `${capitalize(describeEndpoint(endpoint))}: ${reason}${said}`
    ;(options.onRetry ?? ctx.onRetry)?.(message, delayMs)
    await ctx.clock.sleep(delayMs, ctx.signal)
  }
}

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
