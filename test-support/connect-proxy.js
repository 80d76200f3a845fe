// @ts-check
/**
 * A forwarding proxy on 127.0.0.1, as self-hosted runners sit behind: `CONNECT host:443` for a
 * name it knows is tunnelled to a local server, any other is refused (403), and plain requests
 * get 405. Lets an HTTPS server on 127.0.0.1 be reached by a real host name through https_proxy.
 */
import * as http from 'node:http'
import * as net from 'node:net'

/**
 * @typedef {object} ConnectProxy
 * @property {number} port
 * @property {() => Promise<void>} close closes the proxy and every tunnel through it
 */

/**
 * @param {Record<string, number>} routes `host:443` → the local port it leads to
 * @param {(request: http.IncomingMessage) => void} [onConnect] told of every CONNECT, known or not
 * @returns {Promise<ConnectProxy>}
 */
export async function startConnectProxy(routes, onConnect) {
  /** @type {Set<net.Socket>} */
  const sockets = new Set()
  const track = (/** @type {net.Socket} */ socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
  }
  const server = http.createServer((_req, res) => res.writeHead(405).end())
  server.on('connection', track)
  server.on(
    'connect',
    (
      /** @type {http.IncomingMessage} */ req,
      /** @type {net.Socket} */ client,
      /** @type {Buffer} */ head
    ) => {
      onConnect?.(req)
      track(client)
      const port = routes[req.url ?? '']
      if (port === undefined) {
        client.end('HTTP/1.1 403 Forbidden\r\n\r\n')
        return
      }
      const upstream = net.connect(port, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.write(head)
        upstream.pipe(client)
        client.pipe(upstream)
      })
      track(upstream)
      upstream.on('close', () => client.destroy())
    }
  )
  const port = await new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(/** @type {net.AddressInfo} */ (server.address()).port)
    )
  )
  const close = () => {
    for (const socket of sockets) socket.destroy()
    return new Promise((resolve) => server.close(() => resolve(undefined)))
  }
  return { port: /** @type {number} */ (port), close }
}
