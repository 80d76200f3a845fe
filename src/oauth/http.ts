import * as http from 'node:http'
import * as https from 'node:https'
import { HttpClient } from '@actions/http-client'

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
  const proxyAware = new HttpClient(userAgent, [], { keepAlive: false })
  return (request) =>
    new Promise<HttpResponse>((resolve, reject) => {
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
      const url = new URL(request.url)
      const send = url.protocol === 'https:' ? https.request : http.request
      const headers: Record<string, string> = { 'User-Agent': userAgent, ...request.headers }
      if (request.body !== undefined)
        headers['Content-Length'] = String(Buffer.byteLength(request.body))
      const req = send(
        url,
        { method: request.method, headers, agent: proxyAware.getAgent(request.url) },
        (res) => {
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
        }
      )
      const timer = setTimeout(
        () =>
          finish(
            new TransportFailure(
              'timeout',
              true,
              `no complete answer within ${request.timeoutMs} ms`
            )
          ),
        request.timeoutMs
      )
      req.on('error', (error) => finish(failureOf(error, false)))
      if (request.signal?.aborted) return onAbort()
      request.signal?.addEventListener('abort', onAbort, { once: true })
      req.end(request.body)
    })
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
