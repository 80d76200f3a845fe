import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import * as https from 'node:https'
import * as net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startAction } from '../../test-support/action-process.js'
import { startConnectProxy } from '../../test-support/connect-proxy.js'
import { makePki, type Pki } from '../../test-support/pki.js'

/**
 * The action behind a proxy, as self-hosted runners are set up: https_proxy, no_proxy and a
 * private certificate authority in NODE_EXTRA_CA_CERTS. dist/index.js runs as a process.
 *
 * @actions/http-client never proxies loopback names, and the action refuses http:// off
 * loopback, so the provider is an HTTPS server for a made-up name, idp.test, that only the proxy
 * can reach: it answers CONNECT idp.test:443 by connecting to the local server. (dist/ must be
 * built from the current src/: npm run build.)
 */
const HOST = 'idp.test'
/** Another name the proxy leads to the same server, whose certificate names only idp.test. */
const OTHER_HOST = 'login.idp.test'
const haveOpenssl = spawnSync('openssl', ['version']).status === 0

/** A throwaway CA and a server certificate for idp.test signed by it. */
function makePkiForIdp(): Pki {
  return makePki(mkdtempSync(join(tmpdir(), 'device-flow-proxy-')), HOST)
}

/** A scripted provider: a device code, then authorization_pending once, then tokens. */
function startProvider(pki: Pki) {
  const accessToken = `at-${randomBytes(16).toString('hex')}`
  const requests: string[] = []
  let polls = 0
  const server = https.createServer({ key: pki.key, cert: pki.cert }, (req, res) => {
    requests.push(`${req.method} ${req.headers.host}${req.url}`)
    req.resume()
    req.on('end', () => {
      const send = (status: number, body: unknown): void => {
        res
          .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
          .end(JSON.stringify(body))
      }
      if (req.method === 'POST' && req.url === '/device/code') {
        return send(200, {
          device_code: `dc-${randomBytes(8).toString('hex')}`,
          user_code: 'PRXY-TEST',
          verification_uri: `https://${HOST}/device`,
          expires_in: 60,
          interval: 1
        })
      }
      if (req.method === 'POST' && req.url === '/token') {
        polls++
        if (polls === 1) return send(400, { error: 'authorization_pending' })
        return send(200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3600 })
      }
      send(404, { error: 'not_found' })
    })
  })
  return { server, requests, accessToken }
}

interface ProxyLog {
  readonly connects: string[]
  readonly proxyAuthorization: Array<string | undefined>
}

/**
 * The proxy: CONNECT idp.test:443 (or login.idp.test:443) goes to the local provider, anything
 * else is refused; every CONNECT is logged with its Proxy-Authorization.
 */
async function startProxy(providerPort: number) {
  const log: ProxyLog = { connects: [], proxyAuthorization: [] }
  const proxy = await startConnectProxy(
    { [`${HOST}:443`]: providerPort, [`${OTHER_HOST}:443`]: providerPort },
    (req) => {
      log.connects.push(req.url ?? '')
      log.proxyAuthorization.push(req.headers['proxy-authorization'])
    }
  )
  return { ...proxy, log }
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port))
  )
}

const INPUTS = {
  'client-id': 'release-bot',
  'device-authorization-endpoint': `https://${HOST}/device/code`,
  'token-endpoint': `https://${HOST}/token`,
  timeout: '30'
}

;(haveOpenssl ? describe : describe.skip)(
  'the action behind an HTTPS proxy (https_proxy, no_proxy)',
  () => {
    let pki: Pki
    let provider: ReturnType<typeof startProvider>
    let proxy: Awaited<ReturnType<typeof startProxy>>
    let proxyPort: number

    beforeAll(async () => {
      pki = makePkiForIdp()
      provider = startProvider(pki)
      proxy = await startProxy(await listen(provider.server))
      proxyPort = proxy.port
    })

    afterAll(async () => {
      await proxy?.close()
      await new Promise<void>((resolve) =>
        provider ? provider.server.close(() => resolve()) : resolve()
      )
      provider?.server.closeAllConnections()
      if (pki) rmSync(pki.dir, { recursive: true, force: true })
    })

    it('reaches the provider only through the proxy, trusting the CA in NODE_EXTRA_CA_CERTS', async () => {
      const result = await startAction({
        inputs: INPUTS,
        env: { https_proxy: `http://127.0.0.1:${proxyPort}`, NODE_EXTRA_CA_CERTS: pki.caFile },
        timeoutMs: 30_000
      }).done
      expect(result.stdout).not.toMatch(/::error::/)
      expect(result.code).toBe(0)
      expect(result.outputs['access-token']).toBe(provider.accessToken)
      // One tunnel per request (no keep-alive): the device request and both polls.
      expect(proxy.log.connects).toEqual([`${HOST}:443`, `${HOST}:443`, `${HOST}:443`])
      expect(provider.requests).toEqual([
        `POST ${HOST}/device/code`,
        `POST ${HOST}/token`,
        `POST ${HOST}/token`
      ])
    })

    it('sends the proxy credentials from https_proxy to the proxy, and never prints them', async () => {
      const before = proxy.log.connects.length
      const password = `pw-${randomBytes(6).toString('hex')}`
      const result = await startAction({
        inputs: INPUTS,
        env: {
          https_proxy: `http://ci-bot:${password}@127.0.0.1:${proxyPort}`,
          NODE_EXTRA_CA_CERTS: pki.caFile
        },
        timeoutMs: 30_000
      }).done
      expect(result.code).toBe(0)
      const sent = proxy.log.proxyAuthorization.slice(before)
      expect(sent.length).toBeGreaterThanOrEqual(1)
      for (const header of sent)
        expect(header).toBe(`Basic ${Buffer.from(`ci-bot:${password}`).toString('base64')}`)
      expect(result.stdout + result.stderr + result.summary).not.toContain(password)
    })

    it('goes direct for a host in no_proxy, and says clearly that it could not reach it', async () => {
      const before = proxy.log.connects.length
      const result = await startAction({
        inputs: INPUTS,
        env: {
          https_proxy: `http://127.0.0.1:${proxyPort}`,
          no_proxy: `localhost,${HOST}`,
          NODE_EXTRA_CA_CERTS: pki.caFile
        },
        timeoutMs: 30_000
      }).done
      expect(proxy.log.connects.length).toBe(before)
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(
        /::error::Could not reach the device authorization endpoint \(https:\/\/idp\.test\/device\/code\): (ENOTFOUND|EAI_AGAIN)\./
      )
      expect(result.stdout).toMatch(/https_proxy, http_proxy and no_proxy/)
      expect(result.stdout + result.stderr).not.toMatch(/\n\s+at \S|Unexpected error/)
    })

    it('says a trusted certificate for another host name is for another host name, not to add a CA', async () => {
      const result = await startAction({
        inputs: {
          ...INPUTS,
          'device-authorization-endpoint': `https://${OTHER_HOST}/device/code`,
          'token-endpoint': `https://${OTHER_HOST}/token`
        },
        env: { https_proxy: `http://127.0.0.1:${proxyPort}`, NODE_EXTRA_CA_CERTS: pki.caFile },
        timeoutMs: 30_000
      }).done
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(
        /^::error::Could not reach the device authorization endpoint \(https:\/\/login\.idp\.test\/device\/code\): ERR_TLS_CERT_ALTNAME_INVALID \(Host: login\.idp\.test\. is not in the cert's altnames: DNS:idp\.test\)\. The server's TLS certificate is trusted but made out to another host name than login\.idp\.test/m
      )
      expect(result.stdout).not.toMatch(/point NODE_EXTRA_CA_CERTS/)
    })

    it('says the certificate is not trusted when the CA is not given, naming NODE_EXTRA_CA_CERTS', async () => {
      const result = await startAction({
        inputs: INPUTS,
        env: { https_proxy: `http://127.0.0.1:${proxyPort}` },
        timeoutMs: 30_000
      }).done
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(
        /::error::Could not reach the device authorization endpoint .*NODE_EXTRA_CA_CERTS/
      )
      expect(result.stdout + result.stderr).not.toMatch(/\n\s+at \S|Unexpected error/)
    })
  }
)
