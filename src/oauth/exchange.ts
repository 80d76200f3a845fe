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
  TransportFailure,
  type HttpMethod,
  type HttpTransport,
  MAX_RESPONSE_BYTES
} from './http.js'
import { oauthErrorOf, printable, readResponse, type ReadResponse } from './response.js'
import { checkSecureUrl } from './url-policy.js'

/** What every protocol request needs: the way out, the time, and the cancel switch. */
export interface OAuthContext {
  readonly http: HttpTransport
  readonly clock: Clock
  readonly signal?: AbortSignal
  /** Limit for a single request. */
  readonly requestTimeoutMs: number
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
  return send(
    ctx,
    endpoint,
    { method: 'POST', headers: { ...FORM_HEADERS, ...headers }, body: params.toString() },
    timeoutMs
  )
}

const MAX_REDIRECTS = 5

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
    if (![301, 302, 303, 307, 308].includes(read.status)) return { ...read, finalUrl: url }
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
        `${capitalize(describeEndpoint(endpoint))} redirected to another site (${next.host}); the access token is not sent there.`
      )
    }
    if (next.protocol !== 'https:' || !checkSecureUrl(next.href).ok) {
      throw new ProviderResponseError(
        endpoint,
        read.status,
        `${capitalize(describeEndpoint(endpoint))} redirected to ${next.protocol}//${next.host}, which is not https. Redirects are followed only to https:// URLs; give the final URL instead.`
      )
    }
    url = next.href
  }
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

interface SendRequest {
  readonly method: HttpMethod
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
    const read = readResponse(response, ctx.clock.now())
    const location = response.headers['location']
    return location ? { ...read, location } : read
  } catch (error) {
    if (ctx.signal?.aborted) throw new CancelledError()
    if (error instanceof TransportFailure) throw networkError(endpoint, error, timeoutMs)
    throw error
  }
}

function networkError(endpoint: EndpointRef, failure: TransportFailure, timeoutMs: number): Error {
  const where = describeEndpoint(endpoint)
  switch (failure.kind) {
    case 'too-large':
      return new ProviderResponseError(
        endpoint,
        undefined,
        `${capitalize(where)} sent a response larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB; an OAuth response is a few kilobytes. Check that the URL points at the identity provider.`
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
      const detail = printable(failure.detail)
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

export interface RetryOptions {
  readonly attempts: number
  /** Retry a request that may have reached the server before the connection failed. */
  readonly retryMaybeDelivered: boolean
  /**
   * The longest wait before another try. A Retry-After beyond it ends the retries with the answer
   * as it is, for a caller that cannot wait long (the post step at the end of a job).
   */
  readonly maxDelayMs?: number
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
      reason = error.message
    }
    const delayMs = retryAfterMs ?? backoffDelayMs(n, DEFAULT_BACKOFF, ctx.clock.random())
    // Only an answer carries Retry-After; backoff delays stay far below any sensible limit.
    if (lastRead && options.maxDelayMs !== undefined && delayMs > options.maxDelayMs)
      return lastRead
    const onRetry = options.onRetry ?? ctx.onRetry
    onRetry?.(`${capitalize(describeEndpoint(endpoint))}: ${reason}`, delayMs)
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
