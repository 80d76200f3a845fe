import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  createHttpTransport,
  HEADERS_TOO_LARGE,
  MAX_RESPONSE_BYTES,
  TransportFailure,
  type HttpRequest
} from '../../src/oauth/http.js'

/** Routes of the local server, by path. Each test adds the behaviour it needs. */
type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void

const handlers = new Map<string, Handler>()
const timers = new Set<NodeJS.Timeout>()
let server: http.Server
let base: string
// On a runner, @actions/http-client appends ACTIONS_ORCHESTRATION_ID to every User-Agent; these
// tests check the one the action gives, whether they run on a runner or not.
const orchestrationId = process.env['ACTIONS_ORCHESTRATION_ID']

beforeAll(async () => {
  delete process.env['ACTIONS_ORCHESTRATION_ID']
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const handler = handlers.get(new URL(req.url ?? '/', base).pathname)
      if (handler) handler(req, res, Buffer.concat(chunks).toString('utf8'))
      else res.writeHead(404).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  if (orchestrationId !== undefined) process.env['ACTIONS_ORCHESTRATION_ID'] = orchestrationId
  for (const timer of timers) clearInterval(timer)
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

const transport = createHttpTransport('device-flow-action-test/1.0')

function get(path: string, overrides: Partial<HttpRequest> = {}): ReturnType<typeof transport> {
  return transport({
    method: 'GET',
    url: `${base}${path}`,
    headers: {},
    timeoutMs: 2000,
    ...overrides
  })
}

/** The failure a request rejected with, with how long it took. */
async function failureOf(
  request: Promise<unknown>
): Promise<{ failure: TransportFailure; ms: number }> {
  const start = Date.now()
  try {
    await request
  } catch (error) {
    expect(error).toBeInstanceOf(TransportFailure)
    return { failure: error as TransportFailure, ms: Date.now() - start }
  }
  throw new Error('the request succeeded, but a failure was expected')
}

/** Writes one byte every `everyMs` until the connection closes. */
function drip(res: http.ServerResponse, everyMs: number): void {
  const timer = setInterval(() => res.write('x'), everyMs)
  timers.add(timer)
  res.on('close', () => {
    clearInterval(timer)
    timers.delete(timer)
  })
}

describe('createHttpTransport (the real transport)', () => {
  it('sends a GET with its headers and the User-Agent, and returns status, lower-case headers and body', async () => {
    handlers.set('/echo', (req, res, body) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Request-Id': 'r-1' })
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }))
    })
    const response = await get('/echo?a=1', { headers: { Accept: 'application/json' } })
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toBe('application/json')
    expect(response.headers['x-request-id']).toBe('r-1')
    const echoed = JSON.parse(response.body)
    expect(echoed.method).toBe('GET')
    expect(echoed.url).toBe('/echo?a=1')
    expect(echoed.headers['user-agent']).toBe('device-flow-action-test/1.0')
    expect(echoed.headers['accept']).toBe('application/json')
    expect(echoed.body).toBe('')
  })

  it('sends a POST body with its Content-Length, counted in bytes', async () => {
    handlers.set('/form', (req, res, body) => {
      res.writeHead(201, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ method: req.method, headers: req.headers, body }))
    })
    const body = 'client_id=app&scope=r%C3%A9sum%C3%A9+d%C3%A9j%C3%A0'
    const response = await transport({
      method: 'POST',
      url: `${base}/form`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
      timeoutMs: 2000
    })
    expect(response.status).toBe(201)
    const echoed = JSON.parse(response.body)
    expect(echoed.method).toBe('POST')
    expect(echoed.body).toBe(body)
    expect(echoed.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(echoed.headers['content-length']).toBe(String(Buffer.byteLength(body)))
  })

  it('decodes a UTF-8 body split across chunks', async () => {
    handlers.set('/utf8', (_req, res) => {
      const bytes = Buffer.from('{"message":"Ouvrez la page déjà"}')
      const cut = bytes.indexOf(0xc3) + 1 // in the middle of "é"
      res.writeHead(200, { 'Content-Length': bytes.length })
      res.write(bytes.subarray(0, cut))
      setTimeout(() => res.end(bytes.subarray(cut)), 20)
    })
    const response = await get('/utf8')
    expect(JSON.parse(response.body).message).toBe('Ouvrez la page déjà')
  })

  it('returns a redirect as it is, without following it', async () => {
    let followed = false
    handlers.set('/moved', (_req, res) => res.writeHead(302, { Location: '/target' }).end())
    handlers.set('/target', (_req, res) => {
      followed = true
      res.writeHead(200).end('{}')
    })
    const response = await get('/moved')
    expect(response.status).toBe(302)
    expect(response.headers['location']).toBe('/target')
    expect(followed).toBe(false)
  })

  it('accepts a response of exactly 1 MiB', async () => {
    handlers.set('/one-mib', (_req, res) =>
      res.writeHead(200).end(Buffer.alloc(MAX_RESPONSE_BYTES, 'a'))
    )
    const response = await get('/one-mib')
    expect(response.body).toHaveLength(MAX_RESPONSE_BYTES)
  })

  it('refuses a response larger than 1 MiB (too-large)', async () => {
    handlers.set('/huge', (_req, res) =>
      res.writeHead(200).end(Buffer.alloc(2 * MAX_RESPONSE_BYTES, 'a'))
    )
    const { failure } = await failureOf(get('/huge'))
    expect(failure.kind).toBe('too-large')
    expect(failure.detail).toContain(String(MAX_RESPONSE_BYTES))
  })

  it('refuses response headers beyond what node parses (80 KB: HPE_HEADER_OVERFLOW) as too-large headers', async () => {
    handlers.set('/huge-headers', (_req, res) =>
      res.writeHead(200, { 'x-padding': 'a'.repeat(80 * 1024) }).end('{}')
    )
    const { failure } = await failureOf(get('/huge-headers'))
    expect(failure.kind).toBe('too-large')
    expect(failure.detail).toBe(HEADERS_TOO_LARGE)
  })

  it('gives up when the server never answers (timeout), within about timeoutMs', async () => {
    handlers.set('/silent', () => undefined)
    const { failure, ms } = await failureOf(get('/silent', { timeoutMs: 200 }))
    expect(failure.kind).toBe('timeout')
    expect(failure.maybeDelivered).toBe(true)
    expect(ms).toBeGreaterThanOrEqual(190)
    expect(ms).toBeLessThan(600)
  })

  it('bounds the whole exchange: a body sent byte by byte times out too', async () => {
    handlers.set('/drip', (_req, res) => {
      res.writeHead(200, { 'Content-Length': '1000' })
      drip(res, 20)
    })
    const { failure, ms } = await failureOf(get('/drip', { timeoutMs: 250 }))
    expect(failure.kind).toBe('timeout')
    expect(ms).toBeGreaterThanOrEqual(240)
    expect(ms).toBeLessThan(700)
  })

  it('stops promptly when the signal aborts (aborted)', async () => {
    handlers.set('/slow', () => undefined)
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const { failure, ms } = await failureOf(
      get('/slow', { timeoutMs: 5000, signal: controller.signal })
    )
    expect(failure.kind).toBe('aborted')
    expect(ms).toBeLessThan(500)
  })

  it('does not start when the signal has already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    const { failure, ms } = await failureOf(get('/echo', { signal: controller.signal }))
    expect(failure.kind).toBe('aborted')
    expect(ms).toBeLessThan(200)
  })

  it('closes the connection when the signal aborts before any answer', async () => {
    const closed = new Promise<number>((resolve) =>
      handlers.set('/held', (req) => {
        const start = Date.now()
        req.socket.once('close', () => resolve(Date.now() - start))
      })
    )
    const controller = new AbortController()
    const request = get('/held', { timeoutMs: 5000, signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    expect((await failureOf(request)).failure.kind).toBe('aborted')
    expect(await closed).toBeLessThan(500)
  })

  it('closes the connection when the deadline passes before any answer', async () => {
    const closed = new Promise<number>((resolve) =>
      handlers.set('/held-past-deadline', (req) => {
        const start = Date.now()
        req.socket.once('close', () => resolve(Date.now() - start))
      })
    )
    const { failure } = await failureOf(get('/held-past-deadline', { timeoutMs: 100 }))
    expect(failure.kind).toBe('timeout')
    expect(await closed).toBeLessThan(500)
  })

  it('closes the connection when the deadline passes in the middle of the answer', async () => {
    const closed = new Promise<number>((resolve) =>
      handlers.set('/drip-past-deadline', (req, res) => {
        res.writeHead(200, { 'Content-Length': '1000' })
        drip(res, 20)
        const start = Date.now()
        req.socket.once('close', () => resolve(Date.now() - start))
      })
    )
    const { failure } = await failureOf(get('/drip-past-deadline', { timeoutMs: 100 }))
    expect(failure.kind).toBe('timeout')
    expect(await closed).toBeLessThan(500)
  })

  it('reports a refused connection as never delivered (connection, maybeDelivered false)', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const { failure } = await failureOf(
      transport({
        method: 'POST',
        url: `http://127.0.0.1:${port}/token`,
        headers: {},
        body: 'a=b',
        timeoutMs: 2000
      })
    )
    expect(failure.kind).toBe('connection')
    expect(failure.maybeDelivered).toBe(false)
    expect(failure.detail).toContain('ECONNREFUSED')
  })

  it('reports a connection closed mid-response as reset, maybe delivered', async () => {
    handlers.set('/cut', (_req, res) => {
      res.writeHead(200, { 'Content-Length': '100' })
      res.write('{"access_token":"')
      setTimeout(() => res.socket?.destroy(), 20)
    })
    const { failure } = await failureOf(get('/cut'))
    expect(failure.kind).toBe('reset')
    expect(failure.maybeDelivered).toBe(true)
  })

  it('reports a connection closed before any response as reset, maybe delivered', async () => {
    handlers.set('/hangup', (req) => req.socket.destroy())
    const { failure } = await failureOf(
      transport({
        method: 'POST',
        url: `${base}/hangup`,
        headers: {},
        body: 'a=b',
        timeoutMs: 2000
      })
    )
    expect(failure.kind).toBe('reset')
    expect(failure.maybeDelivered).toBe(true)
  })
})

describe('createHttpTransport: one request, one connection, sent once', () => {
  /** Each new connection's remote port, as the server saw it accepted. */
  const accepted: number[] = []
  const onConnection = (socket: import('node:net').Socket): void => {
    accepted.push(socket.remotePort ?? 0)
  }
  beforeAll(() => {
    server.on('connection', onConnection)
  })
  afterAll(() => {
    server.off('connection', onConnection)
  })

  it('sends two back-to-back requests, each on a connection of its own that closes after it', async () => {
    const connectionHeaders: (string | undefined)[] = []
    handlers.set('/conn', (req, res) => {
      connectionHeaders.push(req.headers.connection)
      res.writeHead(200).end(`{"n":${connectionHeaders.length}}`)
    })
    const fresh = createHttpTransport('device-flow-action-test/1.0')
    const request = (): ReturnType<typeof fresh> =>
      fresh({ method: 'GET', url: `${base}/conn`, headers: {}, timeoutMs: 2000 })
    accepted.length = 0
    const first = await request()
    const second = await request()
    expect([first.status, first.body]).toEqual([200, '{"n":1}'])
    expect([second.status, second.body]).toEqual([200, '{"n":2}'])
    expect(accepted).toHaveLength(2)
    expect(accepted[1]).not.toBe(accepted[0])
    // No connection is left open to be reused, and closed by the provider under a later request.
    expect(connectionHeaders).toEqual(['close', 'close'])
  })

  it('does not send a POST again when its connection is reset before any answer, even right after another request', async () => {
    let received = 0
    handlers.set('/reset-second', (req, res) => {
      received++
      if (received === 2) req.socket.destroy()
      else res.writeHead(200).end(`{"n":${received}}`)
    })
    const fresh = createHttpTransport('device-flow-action-test/1.0')
    const request = (): ReturnType<typeof fresh> =>
      fresh({
        method: 'POST',
        url: `${base}/reset-second`,
        headers: {},
        body: 'a=1',
        timeoutMs: 2000
      })
    expect((await request()).body).toBe('{"n":1}')
    const { failure } = await failureOf(request())
    expect(failure.kind).toBe('reset')
    expect(failure.maybeDelivered).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(received).toBe(2)
  })

  it('returns a 503 to a GET as it is, without sending it again', async () => {
    let received = 0
    handlers.set('/unavailable', (_req, res) => {
      received++
      res.writeHead(503, { 'Retry-After': '0' }).end('{}')
    })
    const response = await get('/unavailable')
    expect(response.status).toBe(503)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(received).toBe(1)
  })

  it('sends an https request right after an http one with https (a refused port says so)', async () => {
    handlers.set('/before-https', (_req, res) => res.writeHead(200).end('{}'))
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const fresh = createHttpTransport('device-flow-action-test/1.0')
    await fresh({ method: 'GET', url: `${base}/before-https`, headers: {}, timeoutMs: 2000 })
    const { failure } = await failureOf(
      fresh({ method: 'GET', url: `https://127.0.0.1:${port}/`, headers: {}, timeoutMs: 2000 })
    )
    expect(failure.kind).toBe('connection')
    expect(failure.maybeDelivered).toBe(false)
    expect(failure.detail).toContain('ECONNREFUSED')
  })

  it('waits for a slow answer within timeoutMs: no shorter timeout of the client cuts it', async () => {
    handlers.set('/slow-conn', (_req, res) => {
      const timer = setTimeout(() => res.writeHead(200).end('{"late":true}'), 900)
      timers.add(timer)
    })
    const response = await get('/slow-conn', { timeoutMs: 3000 })
    expect(response.status).toBe(200)
    expect(response.body).toBe('{"late":true}')
  })
})
