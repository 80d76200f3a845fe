// @ts-check
/**
 * A local stand-in for the parts of GitHub's REST API the action calls outside OAuth, on
 * 127.0.0.1: the Actions secrets API (repository, environment and organization secrets) and the
 * OAuth app token API (check and delete a token). It behaves as the documentation describes:
 * each store has its own Curve25519 key pair, a PUT must carry a value sealed to that store's
 * public key with the key's id, and the fake really opens the sealed box with its private key,
 * so a test reads back the plaintext the action sealed. Tokens have permissions: an unknown one
 * gets 401, one without Secrets write 403 (as GITHUB_TOKEN does), a repository it cannot see 404.
 *
 * https://docs.github.com/en/rest/actions/secrets
 * https://docs.github.com/en/rest/apps/oauth-applications
 */
import { randomBytes } from 'node:crypto'
import * as http from 'node:http'
import { readBody } from './idp/http.js'

/**
 * @typedef {object} StartGitHubFakeOptions
 * @property {string} [repository] owner/repo; default octo/release
 * @property {number} [repositoryId] default 4242
 * @property {string[]} [environments] environments that exist; default ['production']
 * @property {Record<string, 'write' | 'read'>} [tokens] bearer tokens and their Secrets permission
 * @property {Record<string, string>} [apps] OAuth/GitHub app client ids and their client secrets
 */

/** @param {http.ServerResponse} res @param {number} status @param {unknown} [body] */
function reply(res, status, body) {
  const text = body === undefined ? '' : JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text)
  })
  res.end(text)
}

/** @param {StartGitHubFakeOptions} [options] */
export async function startGitHubFake(options = {}) {
  const { default: sodium } = await import('libsodium-wrappers')
  await sodium.ready
  const repository = options.repository ?? 'octo/release'
  const repositoryId = options.repositoryId ?? 4242
  const [owner] = repository.split('/')
  const environments = new Set(options.environments ?? ['production'])
  const tokens = options.tokens ?? {}
  const apps = options.apps ?? {}

  /** @type {Map<string, { keyId: string, publicKey: Uint8Array, privateKey: Uint8Array }>} */
  const stores = new Map()
  /** @param {string} store */
  function keysOf(store) {
    let keys = stores.get(store)
    if (!keys) {
      const pair = sodium.crypto_box_keypair()
      keys = {
        keyId: randomBytes(9).toString('hex'),
        publicKey: pair.publicKey,
        privateKey: pair.privateKey
      }
      stores.set(store, keys)
    }
    return keys
  }

  /** @type {Map<string, { value: string, visibility?: string, selectedRepositoryIds?: number[], updatedAt: number }>} */
  const secrets = new Map()
  /** @type {Set<string>} tokens the app API knows as valid, per `${clientId}:${token}` */
  const appTokens = new Set()
  /** @type {string[]} */
  const revoked = []
  /** @type {Array<{ method: string, path: string, status: number }>} */
  const requests = []

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) reply(res, 500, { message: `fake: ${error.message}` })
      else res.destroy()
    })
  })
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set()
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('github fake: no port')
  const apiUrl = `http://127.0.0.1:${address.port}`

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  async function handle(req, res) {
    const url = new URL(req.url ?? '/', apiUrl)
    const method = req.method ?? 'GET'
    const body = (await readBody(req)).toString('utf8')
    const send = (/** @type {number} */ status, /** @type {unknown} */ json) => {
      requests.push({ method, path: url.pathname, status })
      reply(res, status, json)
    }
    const app = /^\/applications\/([^/]+)\/token$/.exec(url.pathname)
    if (app) return appToken(decodeURIComponent(app[1] ?? ''), method, req, body, send)

    // Everything else is the secrets API, with a bearer token.
    const auth = /^(?:Bearer|token) (.+)$/.exec(req.headers.authorization ?? '')
    const permission = auth ? tokens[auth[1] ?? ''] : undefined
    if (!permission)
      return send(401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest'
      })
    const route = secretsRoute(url.pathname)
    if (!route) return send(404, { message: 'Not Found' })
    if (route.missing) return send(404, { message: 'Not Found' })
    // GITHUB_TOKEN and tokens without the Secrets permission: 403, as GitHub answers them.
    if (permission !== 'write')
      return send(403, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/actions/secrets'
      })
    const keys = keysOf(route.store)
    if (route.name === 'public-key' && method === 'GET')
      return send(200, {
        key_id: keys.keyId,
        key: sodium.to_base64(keys.publicKey, sodium.base64_variants.ORIGINAL)
      })
    if (route.name === 'public-key') return send(404, { message: 'Not Found' })
    const id = `${route.store}/${route.name}`
    if (method === 'GET') {
      const secret = secrets.get(id)
      if (!secret) return send(404, { message: 'Not Found' })
      return send(200, {
        name: route.name,
        ...(secret.visibility && { visibility: secret.visibility }),
        updated_at: new Date(secret.updatedAt).toISOString()
      })
    }
    if (method !== 'PUT') return send(404, { message: 'Not Found' })
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(route.name) || /^GITHUB_/i.test(route.name))
      return send(422, {
        message:
          'Secret names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_).'
      })
    /** @type {any} */
    let json
    try {
      json = JSON.parse(body)
    } catch {
      return send(400, { message: 'Problems parsing JSON' })
    }
    if (json.key_id !== keys.keyId)
      return send(422, { message: 'Bad request - key_id does not match the current key' })
    let value
    try {
      value = sodium.to_string(
        sodium.crypto_box_seal_open(
          sodium.from_base64(String(json.encrypted_value), sodium.base64_variants.ORIGINAL),
          keys.publicKey,
          keys.privateKey
        )
      )
    } catch {
      return send(422, { message: 'Bad request - could not decrypt encrypted_value' })
    }
    if (route.store.startsWith('org:')) {
      if (!['all', 'private', 'selected'].includes(json.visibility))
        return send(422, { message: 'Invalid request.\n\n"visibility" wasn\'t supplied.' })
    }
    const existed = secrets.has(id)
    const previous = secrets.get(id)
    secrets.set(id, {
      value,
      ...(json.visibility && { visibility: json.visibility }),
      ...((json.selected_repository_ids ?? previous?.selectedRepositoryIds) && {
        selectedRepositoryIds: json.selected_repository_ids ?? previous?.selectedRepositoryIds
      }),
      updatedAt: Date.now()
    })
    return send(existed ? 204 : 201, existed ? undefined : {})
  }

  /**
   * @param {string} path
   * @returns {{ store: string, name: string, missing?: boolean } | undefined}
   */
  function secretsRoute(path) {
    const repo = /^\/repos\/([^/]+)\/([^/]+)\/actions\/secrets\/([^/]+)$/.exec(path)
    if (repo) {
      const name = `${decodeURIComponent(repo[1] ?? '')}/${decodeURIComponent(repo[2] ?? '')}`
      return { store: `repo:${name}`, name: repo[3] ?? '', missing: name !== repository }
    }
    const env = /^\/repos\/([^/]+)\/([^/]+)\/environments\/([^/]+)\/secrets\/([^/]+)$/.exec(path)
    if (env) {
      const name = `${decodeURIComponent(env[1] ?? '')}/${decodeURIComponent(env[2] ?? '')}`
      const environment = decodeURIComponent(env[3] ?? '')
      return {
        store: `env:${environment}`,
        name: env[4] ?? '',
        missing: name !== repository || !environments.has(environment)
      }
    }
    const org = /^\/orgs\/([^/]+)\/actions\/secrets\/([^/]+)$/.exec(path)
    if (org) {
      const name = decodeURIComponent(org[1] ?? '')
      return { store: `org:${name}`, name: org[2] ?? '', missing: name !== owner }
    }
    return undefined
  }

  /**
   * POST checks a token, DELETE revokes it; both with the app's client id and secret as Basic
   * credentials, which GitHub answers with 404 when wrong.
   * @param {string} clientId @param {string} method @param {http.IncomingMessage} req @param {string} body
   * @param {(status: number, json: unknown) => void} send
   */
  function appToken(clientId, method, req, body, send) {
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')
    const [id, secret] = Buffer.from(basic?.[1] ?? '', 'base64')
      .toString('utf8')
      .split(':')
    if (!basic || id !== clientId || apps[clientId] === undefined || apps[clientId] !== secret)
      return send(404, { message: 'Not Found' })
    /** @type {any} */
    let json
    try {
      json = JSON.parse(body)
    } catch {
      return send(400, { message: 'Problems parsing JSON' })
    }
    const key = `${clientId}:${json.access_token}`
    if (typeof json.access_token !== 'string' || json.access_token === '')
      return send(422, { message: 'Validation Failed' })
    if (method === 'POST')
      return appTokens.has(key) ? send(200, { token: '…' }) : send(404, { message: 'Not Found' })
    if (method === 'DELETE') {
      if (appTokens.delete(key)) revoked.push(json.access_token)
      // GitHub answers 204 whether or not the token was still valid.
      return send(204, undefined)
    }
    return send(404, { message: 'Not Found' })
  }

  return {
    apiUrl,
    repository,
    repositoryId,
    /** The plaintext of a secret the action stored, by `repo:owner/name/NAME`, `env:ENV/NAME` or `org:OWNER/NAME`. */
    secret: (/** @type {string} */ id) => secrets.get(id),
    /** Makes a token the app API knows, for a revocation test. */
    issueAppToken(/** @type {string} */ clientId) {
      const token = `ghu_${randomBytes(18).toString('hex')}`
      appTokens.add(`${clientId}:${token}`)
      return token
    },
    isAppTokenValid: (/** @type {string} */ clientId, /** @type {string} */ token) =>
      appTokens.has(`${clientId}:${token}`),
    revoked,
    requests,
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(() => resolve(undefined)))
    }
  }
}
