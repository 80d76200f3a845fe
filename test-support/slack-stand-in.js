// @ts-check
/**
 * A stand-in for Slack on 127.0.0.1, for the demo: the action is given a real-looking incoming
 * webhook URL (https://hooks.slack.com/services/…), so it sends exactly the Block Kit message
 * Slack would get, and an https_proxy that leads hooks.slack.com, and nothing else, to a local
 * HTTPS server whose certificate a throwaway authority signed (trusted through
 * NODE_EXTRA_CA_CERTS). Nothing leaves the machine: the proxy refuses every other host, and the
 * runner's loopback traffic (the identity provider) is never proxied. Needs openssl.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import * as https from 'node:https'
/** @typedef {import('node:net').Server} NetServer */
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startConnectProxy } from './connect-proxy.js'
import { makePki } from './pki.js'

const HOST = 'hooks.slack.com'

/**
 * @typedef {object} SlackStandIn
 * @property {string} webhookUrl what to give notify-webhook
 * @property {Record<string, string>} env https_proxy and NODE_EXTRA_CA_CERTS for the action
 * @property {Array<{ at: number, body: any }>} received every message, parsed
 * @property {() => Promise<void>} close
 */

/**
 * @param {{ onMessage?: (body: any) => void }} [options]
 * @returns {Promise<SlackStandIn>}
 */
export async function startSlackStandIn(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'device-flow-slack-'))
  try {
    const pki = makePki(dir, HOST)
    /** @type {SlackStandIn['received']} */
    const received = []
    /** @type {Set<import('node:net').Socket>} */
    const sockets = new Set()
    const track = (/** @type {import('node:net').Socket} */ socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => undefined)
    }
    const slack = https.createServer({ key: pki.key, cert: pki.cert }, (req, res) => {
      /** @type {Buffer[]} */
      const chunks = []
      req.on('data', (chunk) => chunks.push(chunk))
      req.on('end', () => {
        let body
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        } catch {
          body = undefined
        }
        received.push({ at: Date.now(), body })
        if (body) options.onMessage?.(body)
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
      })
    })
    slack.on('connection', track)
    const slackPort = await listen(slack)
    const proxy = await startConnectProxy({ [`${HOST}:443`]: slackPort })
    const close = async () => {
      for (const socket of sockets) socket.destroy()
      await Promise.all([proxy.close(), new Promise((r) => slack.close(r))])
      rmSync(dir, { recursive: true, force: true })
    }
    return {
      webhookUrl: `https://${HOST}/services/T0DEMO/B0DEMO/${randomBytes(12).toString('hex')}`,
      env: { https_proxy: `http://127.0.0.1:${proxy.port}`, NODE_EXTRA_CA_CERTS: pki.caFile },
      received,
      close
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
}

/** @param {NetServer} server @returns {Promise<number>} */
function listen(server) {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(/** @type {import("node:net").AddressInfo} */ (server.address()).port)
    )
  )
}

/**
 * A Slack message as text for a terminal: the header, the text, the buttons with their links, the
 * context line, roughly as Slack lays them out.
 * @param {any} message
 * @returns {string[]}
 */
export function slackMessageLines(message) {
  /** @type {string[]} */
  const lines = []
  for (const block of message?.blocks ?? []) {
    if (block.type === 'header') lines.push(String(block.text?.text ?? ''))
    else if (block.type === 'rich_text')
      for (const section of block.elements ?? [])
        lines.push(
          ...(section.elements ?? [])
            .map((/** @type {any} */ element) =>
              element.style?.code ? `\`${element.text}\`` : String(element.text ?? '')
            )
            .join('')
            .split('\n')
        )
    else if (block.type === 'actions')
      lines.push(
        (block.elements ?? [])
          .map((/** @type {any} */ button) => `[${button.text?.text}](${button.url})`)
          .join('  ')
      )
    else if (block.type === 'context')
      lines.push((block.elements ?? []).map((/** @type {any} */ element) => element.text).join(' '))
  }
  return lines
}
