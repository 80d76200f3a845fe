import type { HttpTransport } from '../oauth/http.js'
import { readResponse } from '../oauth/response.js'
import { safeText } from '../safe-text.js'

/**
 * Wraps the transport to trace each exchange in the debug log: method, URL, status, timing and
 * the NAMES of the fields sent and received. Never a value: bodies carry device codes, tokens and
 * secrets, and a debug log is often shared when asking for help.
 */
export function traceHttp(
  transport: HttpTransport,
  debug: (message: string) => void,
  now: () => number
): HttpTransport {
  return async (request) => {
    const sent =
      request.body === undefined ? '' : ` sending [${fieldNames(request.body).join(', ')}]`
    const auth = Object.keys(request.headers).some((h) => h.toLowerCase() === 'authorization')
      ? ' with Authorization'
      : ''
    const started = now()
    try {
      const response = await transport(request)
      const read = readResponse(response, now())
      // The names are the provider's text too: a member named "##[stop-commands]x" is possible.
      const fields = read.fields
        ? `[${safeText(Object.keys(read.fields).join(', '), { maxLength: 500 })}]`
        : `(${read.kind})`
      debug(
        `${request.method} ${urlForLog(request.url)}${sent}${auth} → HTTP ${response.status} ${fields} in ${now() - started} ms`
      )
      return response
    } catch (error) {
      debug(
        `${request.method} ${urlForLog(request.url)}${sent}${auth} → failed after ${now() - started} ms: ${error instanceof Error ? error.name : 'error'}`
      )
      throw error
    }
  }
}

/**
 * The names in a form or JSON body. A JSON body read as a form would make its whole text one
 * "name", token included (GitHub's DELETE …/token and the secrets API send JSON).
 */
function fieldNames(body: string): string[] {
  if (body.trimStart().startsWith('{')) {
    try {
      return Object.keys(JSON.parse(body) as Record<string, unknown>)
    } catch {
      return ['(unreadable JSON)']
    }
  }
  return [...new URLSearchParams(body).keys()]
}

/** Query strings can carry codes; the trace shows the path only. */
function urlForLog(url: string): string {
  const parsed = new URL(url)
  return safeText(`${parsed.origin}${parsed.pathname}${parsed.search ? '?…' : ''}`, {
    maxLength: 2048
  })
}
