import type { Clock } from '../clock.js'
import {
  CancelledError,
  describeEndpoint,
  NetworkError,
  ProviderResponseError,
  type EndpointRef
} from '../errors.js'
import {
  TransportFailure,
  type HttpMethod,
  type HttpTransport,
  MAX_RESPONSE_BYTES
} from './http.js'
import { printable, readResponse, type ReadResponse } from './response.js'
import { capitalize } from './wording.js'

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
