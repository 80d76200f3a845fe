import * as http from 'node:http'
import type { Agent as HttpsAgent } from 'node:https'
import { getProxyUrl } from '@actions/http-client/lib/proxy'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'

/** One HTTP exchange. Redirects are never followed here: the caller decides (see discovery). */
export interface HttpRequest {
  readonly method: HttpMethod
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
  /** The whole exchange, connection to last byte, must finish within this. */
  readonly timeoutMs: number
  readonly signal?: AbortSignal
}

export interface HttpResponse {
  readonly status: number
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: string
}

/** Sends a request; rejects with TransportFailure when no complete response arrives. */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>

/** Responses larger than this are refused: no legitimate OAuth response comes close. */
export const MAX_RESPONSE_BYTES = 1024 * 1024

/** The detail of a 'too-large' failure for headers beyond node's limit (HPE_HEADER_OVERFLOW). */
export const HEADERS_TOO_LARGE = 'the response headers are larger than 16 KiB'

export type TransportFailureKind = 'timeout' | 'connection' | 'reset' | 'too-large' | 'aborted'

export class TransportFailure extends Error {
  override name = 'TransportFailure'
  constructor(
    readonly kind: TransportFailureKind,
    /** False when the request surely never left this machine (refused, unknown host). */
    readonly maybeDelivered: boolean,
    readonly detail: string
  ) {
    super(detail)
  }
}

// Errors raised before any byte of the request reached the server.
const NOT_DELIVERED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH'
])

/**
 * The real transport: node's http/https with the agent @actions/http-client picks, so the
 * runner's https_proxy / http_proxy / no_proxy settings apply exactly as for other actions.
 */
export function createHttpTransport(userAgent: string): HttpTransport {
  const routeFor = routes(userAgent)
  return async (request) => {
    const url = new URL(request.url)
    const { send, agent } = await routeFor(url)
    try {
      return await sendOnce(userAgent, request, url, send, agent)
    } catch (error) {
      // A kept-alive connection reset before any byte of an answer: almost always the provider
      // closing it as the request went out, so unread. Sent once more, on a new connection, as
      // browsers do (and node's docs advise for request.reusedSocket). Only requests within half
      // a second of another reuse one (DIRECT_AGENT); every other failure is the caller's.
      if (!(error instanceof StaleConnection)) throw error
      return await sendOnce(userAgent, request, url, send, agent)
    }
  }
}

/** A reset on a reused connection before any byte of the answer. */
class StaleConnection extends TransportFailure {}

function sendOnce(
  userAgent: string,
  request: HttpRequest,
  url: URL,
  send: Send,
  agent: http.Agent
): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false
    const finish = (error: TransportFailure | undefined, response?: HttpResponse): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      request.signal?.removeEventListener('abort', onAbort)
      if (error) {
        req.destroy()
        reject(error)
      } else resolve(response as HttpResponse)
    }
    const onAbort = (): void => finish(new TransportFailure('aborted', true, 'cancelled'))
    const headers: Record<string, string> = { 'User-Agent': userAgent, ...request.headers }
    if (request.body !== undefined)
      headers['Content-Length'] = String(Buffer.byteLength(request.body))
    let answered = false
    const req = send(url, { method: request.method, headers, agent }, (res) => {
      answered = true
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > MAX_RESPONSE_BYTES) {
          // Settle first: destroying the response emits 'aborted' at once, which would report a reset.
          finish(
            new TransportFailure(
              'too-large',
              true,
              `the response is larger than ${MAX_RESPONSE_BYTES} bytes`
            )
          )
          res.destroy()
        } else chunks.push(chunk)
      })
      res.on('end', () =>
        finish(undefined, {
          status: res.statusCode ?? 0,
          headers: lowerCaseHeaders(res.headers),
          body: Buffer.concat(chunks).toString('utf8')
        })
      )
      res.on('error', (error) => finish(failureOf(error, true)))
      res.on('aborted', () =>
        finish(new TransportFailure('reset', true, 'the connection closed mid-response'))
      )
    })
    const timer = setTimeout(
      () =>
        finish(
          new TransportFailure('timeout', true, `no complete answer within ${request.timeoutMs} ms`)
        ),
      request.timeoutMs
    )
    req.on('error', (error: Error & { code?: string }) => {
      const failure = failureOf(error, false)
      const stale =
        req.reusedSocket && !answered && (error.code === 'ECONNRESET' || error.code === 'EPIPE')
      finish(stale ? new StaleConnection(failure.kind, true, failure.detail) : failure)
    })
    if (request.signal?.aborted) return onAbort()
    request.signal?.addEventListener('abort', onAbort, { once: true })
    req.end(request.body)
  })
}

/**
 * A connection is used again only by a request that follows within half a second: discovery →
 * device code, token → key set → userinfo. Against a real provider that spares a TCP and TLS
 * handshake before the code is shown, and again after the approval. An idle connection is closed
 * after 500 ms (sooner if the provider's Keep-Alive header says so), so polls, a second or more
 * apart, each open their own as before: no poll meets a connection the provider has just closed.
 * Idle connections never hold the process open (node unrefs them). `timeout` is, for a request in
 * flight, only an event nobody listens to; the transport's own timer bounds each request.
 */
const DIRECT_AGENT = { keepAlive: true, timeout: 500 } as const

type Send = (
  url: URL,
  options: http.RequestOptions,
  callback: (response: http.IncomingMessage) => void
) => http.ClientRequest

/**
 * How to send to a URL: node:http or node:https, and the agent. Without a proxy for the URL
 * (http-client's own no_proxy and *_proxy rules decide), node's agent keeping a connection open
 * for back-to-back requests only (see DIRECT_AGENT); with one, @actions/http-client's tunnelling
 * agent, one tunnel per request.
 * Each is loaded when a request first needs it, not before every first request: node:https brings
 * tls and crypto, and @actions/http-client imports undici, the largest part of the bundle.
 */
function routes(userAgent: string): (url: URL) => Promise<{ send: Send; agent: http.Agent }> {
  const direct = new http.Agent(DIRECT_AGENT)
  let secure: Promise<{ send: Send; direct: HttpsAgent }> | undefined
  let proxied: Promise<{ getAgent(url: string): http.Agent }> | undefined
  return async (url) => {
    const tls = url.protocol === 'https:' ? await (secure ??= loadHttps()) : undefined
    const send = tls?.send ?? http.request
    if (!getProxyUrl(url)?.hostname) return { send, agent: tls?.direct ?? direct }
    proxied ??= import('@actions/http-client').then(
      ({ HttpClient }) => new HttpClient(userAgent, [], { keepAlive: false })
    )
    return { send, agent: (await proxied).getAgent(url.href) }
  }
}

async function loadHttps(): Promise<{ send: Send; direct: HttpsAgent }> {
  const https = await import('node:https')
  return { send: https.request, direct: new https.Agent(DIRECT_AGENT) }
}

function failureOf(error: Error & { code?: string }, responseStarted: boolean): TransportFailure {
  const code = error.code ?? ''
  // The proxy agent (tunnel) reports every CONNECT failure as ECONNRESET; its message has the cause.
  const tunnel = /^tunneling socket could not be established, (.{1,200})/.exec(error.message)
  if (!responseStarted && tunnel) {
    return new TransportFailure(
      'connection',
      false,
      `the proxy refused or could not open the tunnel (${tunnel[1]}); check https_proxy and no_proxy`
    )
  }
  if (!responseStarted && NOT_DELIVERED_CODES.has(code)) {
    return new TransportFailure('connection', false, code ? `${code}` : error.message)
  }
  // llhttp refuses headers beyond --max-http-header-size (16 KiB): the answer is not an OAuth one.
  if (code === 'HPE_HEADER_OVERFLOW')
    return new TransportFailure('too-large', true, HEADERS_TOO_LARGE)
  if (code.startsWith('HPE_'))
    return new TransportFailure('connection', true, `the answer is not valid HTTP (${code})`)
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') {
    return new TransportFailure('reset', true, 'the connection was reset')
  }
  return new TransportFailure('connection', true, code || error.message)
}

function lowerCaseHeaders(headers: http.IncomingHttpHeaders): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(headers)) {
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return result
}
