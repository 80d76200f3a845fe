// @ts-check
/**
 * A hostile identity provider on 127.0.0.1 for the end-to-end tests of issue 12: it speaks just
 * enough of discovery, RFC 8628 and userinfo for the action to get through the flow, and every
 * field it returns is whatever the test puts there (workflow commands, line separators, bidi
 * characters, the secrets it was sent). Not a real provider: the real one is test-support/idp.js.
 */
import * as http from 'node:http'

/**
 * @typedef {object} HostileAnswers
 * @property {Record<string, unknown>} [device] members merged into the device authorization response
 * @property {(poll: number) => { status: number, body: string, headers?: Record<string, string> }} [token]
 *   the token endpoint's answer to poll n (from 1)
 * @property {Record<string, unknown>} [userinfo] the userinfo answer
 */

/**
 * @param {HostileAnswers} answers
 * @returns {Promise<{ issuer: string, close(): Promise<void>, requests: string[] }>}
 */
export async function startHostileIdp(answers) {
  /** @type {string[]} */
  const requests = []
  let polls = 0
  /** @param {http.ServerResponse} res @param {number} status @param {unknown} body */
  const json = (res, status, body) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const path = new URL(req.url ?? '/', issuer).pathname
      requests.push(`${req.method} ${path}`)
      if (path === '/.well-known/openid-configuration') {
        return json(res, 200, {
          issuer,
          device_authorization_endpoint: `${issuer}/device/code`,
          token_endpoint: `${issuer}/token`,
          userinfo_endpoint: `${issuer}/userinfo`
        })
      }
      if (path === '/device/code') {
        return json(res, 200, {
          device_code: 'dc-##[stop-commands]-hostile-device-code',
          user_code: 'WDJB-MJHT',
          verification_uri: `${issuer}/device`,
          expires_in: 30,
          interval: 1,
          ...answers.device
        })
      }
      if (path === '/token') {
        polls++
        if (polls === 1) return json(res, 400, { error: 'authorization_pending' })
        const answer = answers.token?.(polls) ?? {
          status: 200,
          body: JSON.stringify({
            access_token: 'at-#[hostile-access-token-0123456789',
            token_type: 'Bearer',
            expires_in: 3600
          })
        }
        return res
          .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
          .end(answer.body)
      }
      if (path === '/userinfo') return json(res, 200, { sub: 'user-1', ...answers.userinfo })
      res.writeHead(404).end()
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  const issuer = `http://127.0.0.1:${address.port}`
  return {
    issuer,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
