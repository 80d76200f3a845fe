import type { IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http'
import { HttpClient } from '@actions/http-client'
import type { RequestHandler } from '@actions/http-client/lib/interfaces'

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
 * The real transport: @actions/http-client sends each request, so the runner's https_proxy /
 * http_proxy / no_proxy settings apply exactly as for other actions, with its User-Agent and
 * Content-Length. On top of it, what it lacks: a deadline for the whole exchange, the size cap,
 * abort on cancel. Each request is sent once: no redirect is followed (the caller decides, see
 * discovery) and nothing is retried, so a poll never reaches the provider twice.
 */
export function createHttpTransport(userAgent: string): HttpTransport {
  return (request) => exchange(userAgent, request)
}

function exchange(userAgent: string, request: HttpRequest): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    // The client gives no handle on node's ClientRequest: this signal, handed to node's request
    // options, is what closes the connection on the deadline, a cancel or an oversized answer,
    // before the answer or during it.
    const teardown = new AbortController()
    let settled = false
    const finish = (error: TransportFailure | undefined, response?: HttpResponse): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      request.signal?.removeEventListener('abort', onAbort)
      if (error) {
        // Settled first: the teardown makes the response emit 'aborted', which would read as a reset.
        teardown.abort()
        reject(error)
      } else resolve(response as HttpResponse)
    }
    const onAbort = (): void => finish(new TransportFailure('aborted', true, 'cancelled'))
    const timer = setTimeout(
      () =>
        finish(
          new TransportFailure('timeout', true, `no complete answer within ${request.timeoutMs} ms`)
        ),
      request.timeoutMs
    )
    if (request.signal?.aborted) return onAbort()
    request.signal?.addEventListener('abort', onAbort, { once: true })

    clientFor(userAgent, request.timeoutMs, teardown.signal)
      .request(request.method, request.url, request.body ?? null, { ...request.headers })
      .then(
        (response) => {
          // Once settled, the teardown has closed the connection under this answer already.
          if (!settled) read(response.message, finish)
        },
        (error: Error & { code?: string }) => finish(failureOf(error, false))
      )
  })
}

/**
 * One client per request, for two reasons. Its request handler is how node's `signal` option
 * reaches the request. And without a proxy a client keeps the first agent it makes, for http or
 * https, and would hand it to a request for the other protocol.
 */
function clientFor(userAgent: string, timeoutMs: number, signal: AbortSignal): HttpClient {
  const passSignal: RequestHandler = {
    prepareRequest(options: RequestOptions) {
      options.signal = signal
    },
    canHandleAuthentication: () => false,
    // Never called: a 401 goes back to the caller as it is.
    handleAuthentication: () => Promise.reject(new Error('no authentication handler'))
  }
  return new HttpClient(userAgent, [passSignal], {
    allowRedirects: false,
    allowRetries: false,
    // A connection per request, closed after it: a reused one can be closed by the provider as
    // a request goes out, and a poll must then never be sent again.
    keepAlive: false,
    // The client's own idle timeout ends a request with a bare error; the deadline here, which
    // bounds the whole exchange, must always come first.
    socketTimeout: timeoutMs + 1000
  })
}

/** Reads the body, up to MAX_RESPONSE_BYTES, and settles the exchange. */
function read(
  message: IncomingMessage,
  finish: (error: TransportFailure | undefined, response?: HttpResponse) => void
): void {
  const chunks: Buffer[] = []
  let size = 0
  message.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size > MAX_RESPONSE_BYTES) {
      finish(
        new TransportFailure(
          'too-large',
          true,
          `the response is larger than ${MAX_RESPONSE_BYTES} bytes`
        )
      )
    } else chunks.push(chunk)
  })
  message.on('end', () =>
    finish(undefined, {
      status: message.statusCode ?? 0,
      headers: lowerCaseHeaders(message.headers),
      body: Buffer.concat(chunks).toString('utf8')
    })
  )
  message.on('error', (error) => finish(failureOf(error, true)))
  message.on('aborted', () =>
    finish(new TransportFailure('reset', true, 'the connection closed mid-response'))
  )
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
  // Node names the host and the certificate's names in `reason`: the one detail that says what
  // is wrong with a certificate for another host.
  const reason = (error as { reason?: unknown }).reason
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' && typeof reason === 'string')
    return new TransportFailure('connection', true, `${code} (${reason})`)
  return new TransportFailure('connection', true, code || error.message)
}

function lowerCaseHeaders(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(headers)) {
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return result
}
