// @ts-check
/**
 * A TCP forwarder on 127.0.0.1 in front of another local server, for fault injection: pause()
 * closes the listener and drops every open connection, so new connections are refused
 * (ECONNREFUSED), as when a provider's load balancer restarts; resume() listens again on the
 * same port.
 */
import * as net from 'node:net'

/**
 * @param {{ targetPort: number, targetHost?: string }} options
 */
export async function startTcpForwarder({ targetPort, targetHost = '127.0.0.1' }) {
  /** @type {Set<net.Socket>} */
  const sockets = new Set()
  /** @type {net.Server | undefined} */
  let server
  let port = 0
  let connections = 0
  let closed = false

  /** @param {net.Socket} client */
  function forward(client) {
    connections++
    const upstream = net.connect(targetPort, targetHost)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => undefined)
      socket.on('close', () => {
        sockets.delete(socket)
        // Either side closing ends the pair: no half-open connection outlives a test.
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream)
    upstream.pipe(client)
  }

  /** @param {number} wanted */
  function listen(wanted) {
    return new Promise((resolve, reject) => {
      const next = net.createServer(forward)
      next.once('error', reject)
      next.listen(wanted, '127.0.0.1', () => {
        next.off('error', reject)
        server = next
        const address = next.address()
        if (address && typeof address === 'object') port = address.port
        resolve(undefined)
      })
    })
  }

  function stopListening() {
    const current = server
    server = undefined
    for (const socket of sockets) socket.destroy()
    sockets.clear()
    if (!current) return Promise.resolve()
    return new Promise((resolve) => current.close(() => resolve(undefined)))
  }

  await listen(0)

  return {
    get port() {
      return port
    },
    /** Connections accepted so far. */
    get connections() {
      return connections
    },
    get paused() {
      return server === undefined
    },
    /** Stops listening and drops open connections: connecting is refused until resume(). */
    pause() {
      return stopListening()
    },
    /** Listens again on the same port. */
    async resume() {
      if (closed) throw new Error('tcp forwarder: resume() after close()')
      if (!server) await listen(port)
    },
    /** Idempotent. */
    close() {
      closed = true
      return stopListening()
    }
  }
}
