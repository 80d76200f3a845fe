// @ts-check
/**
 * Small node:http helpers of the embedded IdP: reading a bounded body, replaying it to
 * oidc-provider, and sending answers.
 */
import { Readable } from 'node:stream'

const MAX_BODY = 64 * 1024

/**
 * Reads a request body, at most MAX_BODY bytes.
 * @param {http.IncomingMessage} req
 * @returns {Promise<Buffer>}
 */
export async function readBody(req) {
  /** @type {Buffer[]} */
  const chunks = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > MAX_BODY) throw new Error('request body too large')
    chunks.push(chunk)
  }
  return Buffer.concat(chunks, size)
}

/**
 * A stand-in for an IncomingMessage whose body was already read: same headers,
 * method, url and socket, and a fresh stream that yields the body again, so that
 * oidc-provider can parse it itself.
 * @param {http.IncomingMessage} req
 * @param {Buffer} body
 * @returns {http.IncomingMessage}
 */
export function replayRequest(req, body) {
  const replay = new Readable({ read() {} })
  replay.push(body)
  replay.push(null)
  const copy = /** @type {any} */ (replay)
  for (const key of [
    'headers',
    'rawHeaders',
    'trailers',
    'rawTrailers',
    'method',
    'url',
    'httpVersion',
    'httpVersionMajor',
    'httpVersionMinor',
    'socket'
  ]) {
    copy[key] = /** @type {any} */ (req)[key]
  }
  copy.connection = req.socket
  copy.complete = true
  copy.aborted = false
  return copy
}

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {string} body
 * @param {Record<string, string>} [headers]
 */
export function send(res, status, body, headers = {}) {
  if (res.headersSent || res.destroyed) return
  res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers })
  res.end(body)
}

/** @param {http.ServerResponse} res @param {number} status @param {unknown} json */
export function sendJson(res, status, json) {
  send(res, status, JSON.stringify(json), {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store'
  })
}

/** @param {http.ServerResponse} res @param {number} status @param {string} html */
export function sendHtml(res, status, html) {
  send(res, status, html, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store'
  })
}

/** @param {string} body */
export function guessContentType(body) {
  const trimmed = body.trimStart()
  if (trimmed.startsWith('<')) return 'text/html; charset=utf-8'
  try {
    JSON.parse(body)
    return 'application/json'
  } catch {
    return 'text/plain; charset=utf-8'
  }
}
