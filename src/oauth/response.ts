import type { OAuthErrorBody } from '../errors.js'
import { safeText } from '../safe-text.js'
import type { HttpResponse } from './http.js'

/** What a response body turned out to be. */
export type BodyKind = 'json' | 'form' | 'html' | 'empty' | 'other'

export interface ReadResponse {
  readonly status: number
  readonly kind: BodyKind
  /** The top-level members, when the body was a JSON object or a form-encoded body. */
  readonly fields?: Readonly<Record<string, unknown>>
  /** Why the body could not be read as fields, when it could not. */
  readonly unreadable?: string
  /** From a Retry-After header (seconds or an HTTP date), in milliseconds. */
  readonly retryAfterMs?: number
  /**
   * RFC 6750 §3: the error a resource server names in its WWW-Authenticate Bearer challenge
   * (invalid_token, insufficient_scope), when it names one.
   */
  readonly bearerError?: string
}

/**
 * Reads a response body as OAuth fields without trusting its Content-Type: providers send JSON as
 * text/plain, GitHub answers form-encoded unless asked for JSON, and proxies answer with HTML.
 */
export function readResponse(
  response: HttpResponse,
  nowMs: number,
  /** Cut out of any text quoted from the body (the HTML title) before it is escaped. */
  secrets: readonly string[] = []
): ReadResponse {
  const bearerError = bearerErrorOf(response.headers['www-authenticate'])
  const base = {
    status: response.status,
    retryAfterMs: parseRetryAfter(response.headers['retry-after'], nowMs),
    ...(bearerError && { bearerError })
  }
  const text = response.body.replace(/^\uFEFF/, '').trim()
  const contentType = (response.headers['content-type'] ?? '').toLowerCase()
  if (text === '') return { ...base, kind: 'empty', unreadable: 'the body is empty' }
  if (text.startsWith('{') || text.startsWith('[') || contentType.includes('json')) {
    return { ...base, ...readJson(text) }
  }
  // One key= and no whitespace or markup after it: the same bodies as key=value(&key=value)*,
  // since a value may hold & and =, but without the nested repetition that backtracked
  // exponentially on a hostile body ("a=&a=&a=…<": 27 parts took 1.4 s, 40 would take hours).
  if (
    contentType.includes('application/x-www-form-urlencoded') ||
    /^[\w.-]+=[^\s<>]*$/.test(text)
  ) {
    // Deviation (GitHub): form-encoded answers from the device flow endpoints.
    return { ...base, kind: 'form', fields: Object.fromEntries(new URLSearchParams(text)) }
  }
  if (/^<(!doctype|html|head|body|\?xml)/i.test(text) || contentType.includes('html')) {
    return {
      ...base,
      kind: 'html',
      unreadable: `the body is an HTML page${htmlTitle(text, secrets)}, not JSON`
    }
  }
  return {
    ...base,
    kind: 'other',
    unreadable: `the body is not JSON (${describeSize(text)} of ${contentType || 'untyped'} text)`
  }
}

function readJson(text: string): Pick<ReadResponse, 'kind' | 'fields' | 'unreadable'> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // Never quote the body: a truncated token response would put a token in the log.
    return {
      kind: 'other',
      unreadable: `the body is not valid JSON (${describeSize(text)}; it may be truncated)`
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { kind: 'json', unreadable: 'the body is JSON but not an object' }
  }
  return { kind: 'json', fields: value as Record<string, unknown> }
}

/**
 * The OAuth error in a response, whatever its status (RFC 6749 §5.2 says 400, but GitHub answers
 * errors with 200, Auth0 uses 403 and 429, Google 428). `error` must be a string of the RFC's
 * characters to count: a random `error` object in an API's JSON is not an OAuth error.
 */
export function oauthErrorOf(read: ReadResponse): OAuthErrorBody | undefined {
  const fields = read.fields
  if (!fields) return undefined
  const error = fields['error']
  if (typeof error !== 'string' || !/^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,200}$/.test(error))
    return undefined
  const description = stringField(fields, 'error_description')
  const uri = stringField(fields, 'error_uri')
  return {
    error,
    ...(description !== undefined && { errorDescription: description }),
    ...(uri !== undefined && { errorUri: uri })
  }
}

function stringField(fields: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = fields[name]
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP date; capped at one hour. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  let ms: number
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000
  else {
    // Only the HTTP-date forms (a day name, then a time): Date.parse alone reads "1.5" or "-5" as
    // dates in 2001, which would turn a garbage header into "retry at once".
    if (!/^[A-Za-z]{3,9},? .*\d{2}:\d{2}:\d{2}/.test(trimmed)) return undefined
    const date = Date.parse(trimmed)
    if (Number.isNaN(date)) return undefined
    ms = date - nowMs
  }
  return Math.min(Math.max(ms, 0), 3600_000)
}

function htmlTitle(text: string, secrets: readonly string[]): string {
  // Bounded attributes: with [^>]* every unclosed "<title" scanned to the end of the body,
  // quadratic in a 1 MiB page (minutes of a blocked event loop).
  const match = /<title[^<>]{0,200}>([^<]{1,120})<\/title>/i.exec(text)
  return match?.[1] ? ` titled "${safeText(match[1], { maxLength: 120, redact: secrets })}"` : ''
}

function describeSize(text: string): string {
  return `${Buffer.byteLength(text)} bytes`
}

/** A status that says "try again later" rather than "no". */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500
}

/** RFC 6750 §3: `Bearer realm="…", error="insufficient_scope", scope="openid"`; RFC 6749 §5.2 characters only. */
function bearerErrorOf(header: string | undefined): string | undefined {
  if (!header || !/^\s*Bearer\b/i.test(header)) return undefined
  return /\berror="([\x20-\x21\x23-\x5B\x5D-\x7E]{1,64})"/.exec(header)?.[1]
}
