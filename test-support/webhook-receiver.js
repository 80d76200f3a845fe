// @ts-check
/**
 * A webhook receiver on 127.0.0.1 for the notification tests: every POST is recorded with its
 * path, headers, body and arrival time. Paths pick the behaviour: /ok/... answers 200 "ok",
 * /fail/... answers 500, /hang/... never answers (the socket stays open until close()),
 * /echo/... answers 400 with the path's last segment, as a receiver quoting its secret would.
 */
import * as http from 'node:http'

/**
 * @typedef {{ path: string, contentType: string | undefined, body: string, json: any, at: number }} ReceivedWebhook
 */

export async function startWebhookReceiver() {
  /** @type {ReceivedWebhook[]} */
  const received = []
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set()
  const server = http.createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      let json
      try {
        json = JSON.parse(body)
      } catch {
        json = undefined
      }
      const path = req.url ?? ''
      received.push({ path, contentType: req.headers['content-type'], body, json, at: Date.now() })
      if (path.startsWith('/hang/')) return
      if (path.startsWith('/echo/')) {
        res.writeHead(400, { 'content-type': 'text/plain' })
        return res.end(path.split('/').at(-1))
      }
      res.writeHead(path.startsWith('/fail/') ? 500 : 200, { 'content-type': 'text/plain' })
      res.end(path.startsWith('/fail/') ? 'internal_error' : 'ok')
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('webhook receiver: no port')
  const origin = `http://127.0.0.1:${address.port}`
  return {
    origin,
    received,
    /** @param {string} path */
    url: (path) => `${origin}${path}`,
    /** @param {string} prefix */
    to: (prefix) => received.filter((hook) => hook.path.startsWith(prefix)),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve(undefined))
      })
  }
}
