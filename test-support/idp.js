// @ts-check
/**
 * An embedded OAuth 2.0 / OpenID Connect identity provider for the demo and for the
 * integration and end-to-end tests. It runs the Device Authorization Grant (RFC 8628)
 * with oidc-provider, mounted in a plain node:http server on 127.0.0.1, with its own
 * minimal login and consent pages (no JavaScript needed) and knobs to inject faults at
 * the token endpoint.
 *
 * Layout of the URL space (P = issuerPath, '' by default):
 *   P/.well-known/openid-configuration           OIDC discovery (oidc-provider)
 *   /.well-known/oauth-authorization-server P    RFC 8414 metadata (same JSON)
 *   P/device/auth                                device authorization endpoint
 *   P/device                                     verification page (user code entry)
 *   P/token                                      token endpoint (fault / slow_down layer in front)
 *   P/interaction/:uid                           our login / consent pages
 *   everything else under P                      oidc-provider
 *
 * oidc-provider computes its endpoint URLs from the mount path, not from the issuer's
 * path: mounted at '/', an issuer of http://host/realms/demo would advertise
 * http://host/token and serve discovery at /.well-known/openid-configuration. So the
 * provider is mounted under P the way Express mounts it (req.originalUrl keeps the full
 * path, req.url is stripped), and everything lands under the issuer.
 */
import { randomBytes } from 'node:crypto'
import * as http from 'node:http'
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose'
import {
  errorPage,
  htmlEscape,
  layout,
  renderError,
  successSource,
  userCodeConfirmSource,
  userCodeInputSource
} from './idp/pages.js'
import { readBody, replayRequest, send, sendHtml, sendJson, guessContentType } from './idp/http.js'
import { createBrowser } from './idp/browser.js'
import { createAdapterFactory } from './idp/adapter.js'

/**
 * `groups` and `amr` (RFC 8176: how they signed in) are what approval policies ask of a company
 * identity provider: alice and carol manage releases and signed in with a second factor.
 * A test's own users (extraUsers) may leave claims out, mark the email unverified, and give the
 * ID token and the userinfo endpoint different claims (`null` removes one from that answer).
 * @typedef {{ sub: string, preferred_username?: string, email?: string, emailVerified?: boolean, name: string, groups?: string[], amr: string[], idToken?: Record<string, unknown>, userinfo?: Record<string, unknown> }} IdpUser
 */
/**
 * @typedef {{ kind: 'status', status: number, body?: string, contentType?: string, headers?: Record<string, string>, count?: number }
 *   | { kind: 'delay', ms: number, count?: number }
 *   | { kind: 'reset', count?: number }} TokenFault
 */
/**
 * @typedef {object} StartIdpOptions
 * @property {number} [port]
 * @property {number} [deviceCodeTtlSeconds]
 * @property {number | string} [interval]
 * @property {number} [slowDownPolls]
 * @property {boolean} [strictInterval]
 * @property {number} [accessTokenTtlSeconds]
 * @property {string} [issuerPath]
 * @property {(userCode: string) => void} [onDeviceAuthorization] called with each user code issued
 * @property {IdpUser[]} [extraUsers] users beyond alice, bob and carol, for a test's own cases
 * @property {'any' | 'endpoint'} [deviceAssertionAudience]
 * @property {'authenticated' | 'body'} [deviceCodeOwner]
 */

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'
/** Where a device authorization request carries its body's own client_id (deviceCodeOwner). */
const BODY_CLIENT_ID = Symbol('body client_id')
const GRANT_TYPES = [DEVICE_CODE_GRANT, 'refresh_token']
const SCOPES = ['openid', 'profile', 'email', 'offline_access', 'api:read']

/** @type {IdpUser[]} */
const USERS = [
  {
    sub: 'alice',
    preferred_username: 'alice',
    email: 'alice@example.test',
    name: 'Alice Example',
    groups: ['release-managers', 'developers'],
    amr: ['pwd', 'mfa']
  },
  {
    sub: 'bob',
    preferred_username: 'bob',
    email: 'bob@example.test',
    name: 'Bob Example',
    groups: ['developers'],
    amr: ['pwd']
  },
  {
    sub: 'carol',
    preferred_username: 'carol',
    email: 'carol@example.test',
    name: 'Carol Example',
    groups: ['release-managers'],
    amr: ['pwd', 'otp', 'mfa']
  }
]

/** @type {Promise<any> | undefined} */
let providerModule

/**
 * Imports oidc-provider once. On Node 20 it prints "Unsupported runtime" when it is
 * loaded (it asks for Node 22+, but works on 20); that one line is filtered out so the
 * demo's output stays tidy. Nothing else is filtered.
 */
function loadProvider() {
  if (!providerModule) {
    const original = console.warn
    console.warn = (...args) => {
      if (
        typeof args[0] === 'string' &&
        args[0].includes('oidc-provider WARNING: Unsupported runtime')
      )
        return
      original.apply(console, args)
    }
    // @ts-expect-error -- oidc-provider ships no type declarations
    providerModule = import('oidc-provider').finally(() => {
      console.warn = original
    })
  }
  return providerModule
}

/**
 * @param {StartIdpOptions} [options]
 */
export async function startIdp(options = {}) {
  const {
    port: requestedPort = 0,
    deviceCodeTtlSeconds = 600,
    interval,
    slowDownPolls = 0,
    strictInterval = false,
    accessTokenTtlSeconds = 3600,
    deviceAssertionAudience = 'any',
    deviceCodeOwner = 'authenticated',
    onDeviceAuthorization,
    extraUsers = []
  } = options
  /** @type {IdpUser[]} */
  const users = [...USERS, ...extraUsers]
  const issuerPath = normalizeIssuerPath(options.issuerPath ?? '')
  // RFC 8628 §3.2: without an interval in the response, clients poll every 5 s.
  const strictIntervalMs = Number(interval ?? 5) * 1000
  if (strictInterval && !(strictIntervalMs > 0))
    throw new Error(`test IdP: strictInterval needs a positive interval, not ${String(interval)}`)

  const { default: Provider } = await loadProvider()

  // Keys: the provider's signing key and the private_key_jwt client's key.
  const signing = await generateKeyPair('RS256', { extractable: true })
  const signingJwk = {
    ...(await exportJWK(signing.privateKey)),
    kid: `idp-${randomBytes(4).toString('hex')}`,
    alg: 'RS256',
    use: 'sig'
  }
  const clientKey = await generateKeyPair('RS256', { extractable: true })
  const clientPublicJwk = {
    ...(await exportJWK(clientKey.publicKey)),
    kid: `client-${randomBytes(4).toString('hex')}`,
    alg: 'RS256',
    use: 'sig'
  }
  const clientPrivateKeyPem = await exportPKCS8(clientKey.privateKey)

  const clients = {
    public: { clientId: 'device-public' },
    basic: { clientId: 'device-basic', clientSecret: `basic-${randomBytes(16).toString('hex')}` },
    post: { clientId: 'device-post', clientSecret: `post-${randomBytes(16).toString('hex')}` },
    noRefresh: {
      clientId: 'device-no-refresh',
      clientSecret: `norefresh-${randomBytes(16).toString('hex')}`
    },
    privateKeyJwt: {
      clientId: 'device-pkjwt',
      privateKeyPem: clientPrivateKeyPem,
      publicJwk: clientPublicJwk,
      alg: 'RS256'
    }
  }
  const clientCommon = { grant_types: GRANT_TYPES, response_types: [], redirect_uris: [] }

  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set()
  /** @type {Set<() => void>} */
  const pendingDelays = new Set()
  /** @type {Array<{ grantType: string, status: number, at: number, answeredAt?: number, sinceLastMs?: number, slowDown?: boolean }>} */
  const tokenRequests = []
  /** @type {Array<{ method: string, path: string, at: number }>} */
  const requests = []
  /**
   * Per device code, for strictInterval: when it was issued or last polled, and the interval the
   * client owes (raised by 5 s with each slow_down, as RFC 8628 §3.5 tells the client to do).
   * @type {Map<string, { lastAt: number, intervalMs: number }>}
   */
  const pollClocks = new Map()
  /** @type {(TokenFault & { remaining: number }) | undefined} */
  let fault
  let slowDownRemaining = slowDownPolls
  let deviceAssertionRefusals = 0
  /**
   * deviceCodeOwner 'body' (Authlib 1.2, authlib issue 798): each device code is filed under the
   * client_id of the device authorization request's body (null when it had none), and a poll by
   * any other client is refused with unauthorized_client.
   * @type {Map<string, string | null>}
   */
  const deviceCodeOwners = new Map()
  let deviceCodeOwnerRefusals = 0
  let closed = false
  /** @type {any} */
  let provider

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent && !res.destroyed) {
        sendJson(res, 500, {
          error: 'server_error',
          error_description: `test IdP: ${err instanceof Error ? err.message : String(err)}`
        })
      } else {
        res.destroy()
      }
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(requestedPort, '127.0.0.1', () => {
      server.off('error', reject)
      resolve(undefined)
    })
  })
  const address = server.address()
  if (!address || typeof address === 'string')
    throw new Error('test IdP: could not determine the listening port')
  const port = address.port
  const origin = `http://127.0.0.1:${port}`
  const issuer = `${origin}${issuerPath}`

  provider = new Provider(issuer, {
    // The clients come from the adapter rather than the `clients` option: oidc-provider
    // structuredClone()s static clients, and under jest (a vm context) the clone's
    // objects belong to another realm, so its `jwks.keys[i].constructor === Object`
    // check fails with "client JSON Web Key Set is invalid" for the private_key_jwt client.
    adapter: createAdapterFactory([
      { ...clientCommon, client_id: clients.public.clientId, token_endpoint_auth_method: 'none' },
      {
        ...clientCommon,
        client_id: clients.basic.clientId,
        client_secret: clients.basic.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic'
      },
      {
        ...clientCommon,
        client_id: clients.post.clientId,
        client_secret: clients.post.clientSecret,
        token_endpoint_auth_method: 'client_secret_post'
      },
      {
        // Without the refresh_token grant: issued an access token only.
        ...clientCommon,
        grant_types: [DEVICE_CODE_GRANT],
        client_id: clients.noRefresh.clientId,
        client_secret: clients.noRefresh.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic'
      },
      {
        ...clientCommon,
        client_id: clients.privateKeyJwt.clientId,
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [clientPublicJwk] }
      }
    ]),
    jwks: { keys: [signingJwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    scopes: SCOPES,
    claims: {
      // amr rides with openid: oidc-provider puts only the claims of a granted scope in ID tokens.
      openid: ['sub', 'amr'],
      profile: ['preferred_username', 'name', 'groups'],
      email: ['email', 'email_verified']
    },
    // With the default (true) and userinfo enabled, the id_token carries only sub and
    // the profile/email claims are left to the userinfo endpoint.
    conformIdTokenClaims: false,
    /** @param {any} _ctx @param {string} sub */
    async findAccount(_ctx, sub) {
      const user = users.find((u) => u.sub === sub)
      if (!user) return undefined
      return {
        accountId: user.sub,
        /** @param {string} use 'id_token' or 'userinfo' */
        async claims(use) {
          /** @type {Record<string, unknown>} */
          const claims = {
            sub: user.sub,
            preferred_username: user.preferred_username,
            email: user.email,
            email_verified: user.emailVerified ?? true,
            name: user.name,
            groups: user.groups
          }
          const overrides = (use === 'id_token' ? user.idToken : user.userinfo) ?? {}
          for (const [name, value] of Object.entries(overrides)) claims[name] = value
          for (const name of Object.keys(claims))
            if (claims[name] === null || claims[name] === undefined) delete claims[name]
          return claims
        }
      }
    },
    features: {
      devInteractions: { enabled: false },
      deviceFlow: {
        enabled: true,
        userCodeInputSource,
        userCodeConfirmSource,
        successSource
      },
      // RFC 7009 revocation, and RFC 7662 introspection so that tests can see a token is dead.
      revocation: {
        enabled: true,
        // RFC 7009 §2.1: a client revokes only the tokens issued to it.
        /** @param {any} _ctx @param {any} client @param {any} token */
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId
      },
      // The tests introspect other clients' tokens with the basic client, as a resource server
      // would; public clients may not introspect.
      introspection: {
        enabled: true,
        /** @param {any} _ctx @param {any} client */
        allowedPolicy: async (_ctx, client) => client.clientAuthMethod !== 'none'
      },
      userinfo: { enabled: true }
    },
    interactions: {
      /** @param {any} _ctx @param {any} interaction */
      url(_ctx, interaction) {
        return `${issuerPath}/interaction/${interaction.uid}`
      }
    },
    // The default only issues one when offline_access was granted.
    /** @param {any} _ctx @param {any} client */
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    // The default ties tokens without offline_access to the browser session; a device
    // has no part in that session, so its tokens live on their own.
    expiresWithSession: async () => false,
    clientBasedCORS: () => true,
    renderError,
    ttl: {
      AccessToken: accessTokenTtlSeconds,
      AuthorizationCode: 60,
      ClientCredentials: 600,
      DeviceCode: deviceCodeTtlSeconds,
      Grant: 14 * 24 * 60 * 60,
      IdToken: 3600,
      Interaction: 3600,
      RefreshToken: 14 * 24 * 60 * 60,
      Session: 14 * 24 * 60 * 60,
      BackchannelAuthenticationRequest: 600,
      PreAuthorizedCode: 600
    }
  })
  provider.proxy = false

  // RFC 8628 §3.2: interval is optional; oidc-provider sends none. Inject one if asked.
  provider.use(async (/** @type {any} */ ctx, /** @type {() => Promise<void>} */ next) => {
    await next()
    if (
      interval !== undefined &&
      ctx.oidc?.route === 'device_authorization' &&
      ctx.status === 200 &&
      ctx.body &&
      typeof ctx.body === 'object'
    ) {
      ctx.body = { ...ctx.body, interval }
    }
    if (strictInterval && ctx.oidc?.route === 'device_authorization' && ctx.status === 200) {
      const deviceCode = ctx.body?.device_code
      if (typeof deviceCode === 'string')
        pollClocks.set(deviceCode, { lastAt: Date.now(), intervalMs: strictIntervalMs })
    }
    if (
      deviceCodeOwner === 'body' &&
      ctx.oidc?.route === 'device_authorization' &&
      ctx.status === 200 &&
      typeof ctx.body?.device_code === 'string'
    ) {
      // oidc-provider fills the parsed body's client_id in from HTTP Basic: the raw body's, as
      // handle() kept it.
      const owner = ctx.req[BODY_CLIENT_ID]
      deviceCodeOwners.set(ctx.body.device_code, typeof owner === 'string' ? owner : null)
    }
    if (onDeviceAuthorization && ctx.oidc?.route === 'device_authorization' && ctx.status === 200) {
      const userCode = ctx.body?.user_code
      if (typeof userCode === 'string') setImmediate(() => onDeviceAuthorization(userCode))
    }
  })

  const callback = provider.callback()

  /**
   * Hands a request to oidc-provider as if it were mounted at issuerPath.
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   * @param {string} innerUrl  path + query below issuerPath
   */
  function forward(req, res, innerUrl) {
    const r = /** @type {any} */ (req)
    r.originalUrl = `${issuerPath}${innerUrl}`
    r.url = innerUrl
    return callback(req, res)
  }

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  async function handle(req, res) {
    const url = new URL(req.url ?? '/', origin)
    const path = url.pathname
    requests.push({ method: req.method ?? '', path, at: Date.now() })

    if (
      (req.method === 'GET' || req.method === 'HEAD') &&
      path === `/.well-known/oauth-authorization-server${issuerPath}`
    ) {
      return forward(req, res, '/.well-known/openid-configuration')
    }
    if (issuerPath && path !== issuerPath && !path.startsWith(`${issuerPath}/`)) {
      return sendJson(res, 404, { error: 'not_found', error_description: `nothing at ${path}` })
    }
    const inner = path.slice(issuerPath.length) || '/'
    if (inner.startsWith('/interaction/')) return handleInteraction(req, res, inner)
    if (inner === '/token' && req.method === 'POST')
      return handleToken(req, res, `${inner}${url.search}`)
    if (inner === '/device/auth' && req.method === 'POST' && deviceAssertionAudience === 'endpoint')
      return handleStrictDeviceAuth(req, res, `${origin}${path}`, `${inner}${url.search}`)
    if (inner === '/device/auth' && req.method === 'POST' && deviceCodeOwner === 'body') {
      const body = await readBody(req)
      const replay = replayRequest(req, body)
      replay[BODY_CLIENT_ID] = new URLSearchParams(body.toString('utf8')).get('client_id')
      return forward(replay, res, `${inner}${url.search}`)
    }
    return forward(req, res, `${inner}${url.search}`)
  }

  /**
   * Like Glewlwyd 2.7: the device endpoint accepts a private_key_jwt assertion only when its aud
   * is the URL being called, and answers 401 unauthorized_client otherwise. (oidc-provider itself
   * accepts the issuer, the token endpoint or the called URL.)
   * @param {http.IncomingMessage} req @param {http.ServerResponse} res
   * @param {string} calledUrl @param {string} innerUrl
   */
  async function handleStrictDeviceAuth(req, res, calledUrl, innerUrl) {
    const body = await readBody(req)
    const assertion = new URLSearchParams(body.toString('utf8')).get('client_assertion')
    if (assertion) {
      const payload = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString())
      if (payload.aud !== calledUrl) {
        deviceAssertionRefusals += 1
        return sendJson(res, 401, {
          error: 'unauthorized_client',
          error_description: 'client authentication failed (test IdP: aud must be this endpoint)'
        })
      }
    }
    return forward(replayRequest(req, body), res, innerUrl)
  }

  /**
   * The token endpoint: records the request, applies the injected fault or slow_down,
   * and otherwise hands it to oidc-provider.
   * @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {string} innerUrl
   */
  async function handleToken(req, res, innerUrl) {
    const body = await readBody(req)
    const form = new URLSearchParams(body.toString('utf8'))
    const grantType = form.get('grant_type') ?? ''
    /** @type {{ grantType: string, status: number, at: number, answeredAt?: number, sinceLastMs?: number, slowDown?: boolean }} */
    const record = { grantType, status: 0, at: Date.now() }
    tokenRequests.push(record)
    res.on('finish', () => {
      record.status = res.statusCode
      record.answeredAt = Date.now()
    })

    const active = fault
    if (active) {
      active.remaining -= 1
      if (active.remaining <= 0 && fault === active) fault = undefined
      if (active.kind === 'reset') {
        req.socket.destroy()
        return
      }
      if (active.kind === 'status') {
        const payload =
          active.body ??
          JSON.stringify({
            error: 'temporarily_unavailable',
            error_description: `injected HTTP ${active.status}`
          })
        const contentType =
          active.contentType ??
          (active.body === undefined ? 'application/json' : guessContentType(active.body))
        send(res, active.status, payload, {
          'content-type': contentType,
          'cache-control': 'no-store',
          ...(active.headers ?? {})
        })
        return
      }
      if (active.kind === 'delay') {
        await new Promise((resolve) => {
          const done = () => {
            clearTimeout(timer)
            pendingDelays.delete(done)
            resolve(undefined)
          }
          const timer = setTimeout(done, Math.max(0, active.ms))
          pendingDelays.add(done)
        })
        if (closed) {
          req.socket.destroy()
          return
        }
      }
    }

    const pollClock =
      grantType === DEVICE_CODE_GRANT ? pollClocks.get(form.get('device_code') ?? '') : undefined
    let early = false
    if (pollClock) {
      record.sinceLastMs = record.at - pollClock.lastAt
      early = record.sinceLastMs < pollClock.intervalMs
      pollClock.lastAt = record.at
    }
    if ((slowDownRemaining > 0 || early) && grantType === DEVICE_CODE_GRANT) {
      const why = early
        ? `${record.sinceLastMs} ms since the previous request, less than the ${(pollClock?.intervalMs ?? 0) / 1000} s interval (test IdP, strict)`
        : 'injected by the test IdP'
      if (!early) slowDownRemaining -= 1
      if (pollClock) pollClock.intervalMs += 5000
      record.slowDown = true
      sendJson(res, 400, {
        error: 'slow_down',
        error_description: `Polling too fast (${why}); increase the interval by 5 seconds`
      })
      return
    }

    if (grantType === DEVICE_CODE_GRANT && deviceCodeOwners.has(form.get('device_code') ?? '')) {
      const owner = deviceCodeOwners.get(form.get('device_code') ?? '')
      if (owner !== authenticatedClientId(req, form)) {
        deviceCodeOwnerRefusals += 1
        sendJson(res, 400, { error: 'unauthorized_client' })
        return
      }
    }

    return forward(replayRequest(req, body), res, innerUrl)
  }

  /**
   * Our own interaction pages: GET shows login or consent, POST .../login and
   * POST .../consent finish the step.
   * @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {string} inner
   */
  async function handleInteraction(req, res, inner) {
    const match = /^\/interaction\/([^/]+)(?:\/(login|consent))?\/?$/.exec(inner)
    if (!match) return sendHtml(res, 404, errorPage('Not found', 'No such interaction page.'))
    const [, uid, action] = match
    /** @type {any} */
    let details
    try {
      details = await provider.interactionDetails(req, res)
    } catch (err) {
      return sendHtml(
        res,
        400,
        errorPage(
          'Sign-in session not found',
          `${err instanceof Error ? err.message : String(err)}. Start again from the device.`
        )
      )
    }
    if (details.uid !== uid) {
      return sendHtml(
        res,
        400,
        errorPage(
          'Sign-in session mismatch',
          'This page does not belong to the current sign-in. Start again from the device.'
        )
      )
    }
    const promptName = details.prompt?.name
    const base = `${issuerPath}/interaction/${encodeURIComponent(uid ?? '')}`

    if (req.method === 'GET' && !action) {
      if (promptName === 'login') return sendHtml(res, 200, loginPage(base, details))
      if (promptName === 'consent') return sendHtml(res, 200, await consentPage(base, details))
      return sendHtml(
        res,
        400,
        errorPage('Unsupported step', `This test IdP has no page for the "${promptName}" prompt.`)
      )
    }
    if (req.method !== 'POST' || !action) {
      return sendHtml(res, 405, errorPage('Method not allowed', 'Use the buttons on the page.'))
    }

    const form = new URLSearchParams((await readBody(req)).toString('utf8'))
    if (action === 'login') {
      if (promptName !== 'login')
        return sendHtml(
          res,
          400,
          errorPage('Unexpected step', 'This sign-in is not waiting for a login.')
        )
      const user = users.find((u) => u.sub === form.get('user'))
      if (!user)
        return sendHtml(
          res,
          400,
          loginPage(base, details, `Unknown user "${form.get('user') ?? ''}".`)
        )
      return provider.interactionFinished(
        req,
        res,
        { login: { accountId: user.sub, amr: user.amr } },
        { mergeWithLastSubmission: false }
      )
    }

    // consent
    if (promptName !== 'consent')
      return sendHtml(
        res,
        400,
        errorPage('Unexpected step', 'This sign-in is not waiting for consent.')
      )
    const decision = form.get('decision')
    if (decision === 'deny') {
      return provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'The user denied the request' },
        { mergeWithLastSubmission: false }
      )
    }
    if (decision !== 'approve')
      return sendHtml(res, 400, errorPage('No decision', 'Choose Approve or Deny.'))

    const { prompt, params, session } = details
    const existingGrantId = details.grantId
    const grant = existingGrantId
      ? await provider.Grant.find(existingGrantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id })
    const missing = prompt.details ?? {}
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '))
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims)
    if (missing.missingResourceScopes) {
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes)) {
        grant.addResourceScope(indicator, /** @type {string[]} */ (scopes).join(' '))
      }
    }
    const grantId = await grant.save()
    return provider.interactionFinished(
      req,
      res,
      { consent: existingGrantId ? {} : { grantId } },
      { mergeWithLastSubmission: true }
    )
  }

  /** @param {string} base @param {any} details @param {string} [message] */
  function loginPage(base, details, message) {
    const clientId = htmlEscape(details.params?.client_id ?? '')
    const buttons = users
      .map(
        (u) =>
          `<button class="primary" type="submit" name="user" value="${htmlEscape(u.sub)}">${htmlEscape(u.name)} <small style="color:#dde">(${htmlEscape(u.email ?? u.sub)})</small></button>`
      )
      .join('\n      ')
    return layout(
      'login',
      'Sign in',
      `${message ? `<p class="error">${htmlEscape(message)}</p>` : ''}
    <p>Sign in to authorize <strong>${clientId}</strong>. This test IdP needs no password: choose a user.</p>
    <form method="post" action="${base}/login">
      ${buttons}
    </form>`
    )
  }

  /** @param {string} base @param {any} details */
  async function consentPage(base, details) {
    const clientId = htmlEscape(details.params?.client_id ?? '')
    const user = users.find((u) => u.sub === details.session?.accountId)
    const scopes = String(details.params?.scope ?? '')
      .split(' ')
      .filter(Boolean)
    const list = scopes.length
      ? `<ul>${scopes.map((s) => `<li><code style="font-size:1rem">${htmlEscape(s)}</code></li>`).join('')}</ul>`
      : '<p><small>(no scopes requested)</small></p>'
    return layout(
      'consent',
      'Authorize device',
      `<p>Signed in as <strong>${htmlEscape(user?.name ?? details.session?.accountId ?? '?')}</strong>.</p>
    <p><strong>${clientId}</strong> asks for:</p>
    ${list}
    <form method="post" action="${base}/consent">
      <button class="primary" type="submit" name="decision" value="approve">Approve</button>
      <button class="secondary" type="submit" name="decision" value="deny">Deny</button>
    </form>`
    )
  }

  /** @param {string} userCode @param {{ user?: string, deny?: boolean }} [opts] */
  async function approve(userCode, opts = {}) {
    const wanted = opts.user ?? 'alice'
    const deny = opts.deny === true
    const browser = createBrowser()
    const start = `${issuer}/device`

    let page = await browser.get(start)
    let form = page.forms.find((f) => 'user_code' in f.fields)
    if (!form)
      throw new Error(
        `approve: no user-code form at ${page.url} (HTTP ${page.status}, page "${page.id}")`
      )
    page = await browser.submit(form, { user_code: userCode })

    form = page.forms.find((f) => f.fields.confirm === 'yes')
    if (!form) {
      throw new Error(
        `approve: the user code ${userCode} was not accepted (HTTP ${page.status}, page "${page.id}"${page.state ? `, state "${page.state}"` : ''}): ${page.text}`
      )
    }
    page = await browser.submit(form, {})

    if (page.id !== 'login')
      throw new Error(
        `approve: expected the login page after confirming the code, got HTTP ${page.status} page "${page.id}" at ${page.url}: ${page.text}`
      )
    form = page.forms.find((f) => f.buttons.some((b) => b.name === 'user'))
    const button = form?.buttons.find(
      (b) =>
        b.name === 'user' &&
        (b.value === wanted || b.text.toLowerCase().includes(wanted.toLowerCase()))
    )
    if (!form || !button) {
      const offered = form?.buttons.filter((b) => b.name === 'user').map((b) => b.value) ?? []
      throw new Error(
        `approve: user "${wanted}" is not offered on the login page (offered: ${offered.join(', ') || 'none'})`
      )
    }
    page = await browser.submit(form, { user: button.value })

    if (page.id !== 'consent')
      throw new Error(
        `approve: expected the consent page after logging in as ${wanted}, got HTTP ${page.status} page "${page.id}" at ${page.url}: ${page.text}`
      )
    form = page.forms.find((f) => f.buttons.some((b) => b.name === 'decision'))
    if (!form) throw new Error('approve: the consent page has no Approve / Deny form')
    page = await browser.submit(form, { decision: deny ? 'deny' : 'approve' })

    if (deny) {
      if (page.id !== 'device-input' || page.state !== 'aborted') {
        throw new Error(
          `approve: expected the "request aborted" page after denying, got HTTP ${page.status} page "${page.id}" state "${page.state}": ${page.text}`
        )
      }
    } else if (page.id !== 'device-success') {
      throw new Error(
        `approve: expected the success page after approving, got HTTP ${page.status} page "${page.id}" state "${page.state}": ${page.text}`
      )
    }
  }

  /** @type {Promise<void> | undefined} */
  let closing
  function close() {
    if (!closing) {
      closed = true
      for (const done of [...pendingDelays]) done()
      closing = new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections?.()
        for (const socket of sockets) socket.destroy()
      })
    }
    return closing
  }

  return {
    issuer,
    port,
    users: users.map((u) => ({ ...u })),
    clients,
    tokenRequests,
    requests,
    approve,
    get deviceAssertionRefusals() {
      return deviceAssertionRefusals
    },
    get deviceCodeOwnerRefusals() {
      return deviceCodeOwnerRefusals
    },
    /** @param {TokenFault | undefined} next */
    setFault(next) {
      if (next === undefined) {
        fault = undefined
        return
      }
      if (!next || !['status', 'delay', 'reset'].includes(next.kind))
        throw new TypeError(`setFault: unknown fault ${JSON.stringify(next)}`)
      fault = { ...next, remaining: next.count ?? Infinity }
    },
    close
  }
}

/**
 * Which client a token request comes from, as Authlib reads it: the user name of HTTP Basic, else
 * the body's client_id.
 * @param {http.IncomingMessage} req @param {URLSearchParams} form
 */
function authenticatedClientId(req, form) {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')
  if (basic) {
    const [user = ''] = Buffer.from(basic[1] ?? '', 'base64')
      .toString('utf8')
      .split(':')
    return decodeURIComponent(user.replace(/\+/g, ' '))
  }
  return form.get('client_id')
}

/** @param {string} raw */
function normalizeIssuerPath(raw) {
  if (!raw || raw === '/') return ''
  let p = raw.startsWith('/') ? raw : `/${raw}`
  while (p.endsWith('/')) p = p.slice(0, -1)
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(p))
    throw new TypeError(
      `startIdp: issuerPath must look like /realms/demo, got ${JSON.stringify(raw)}`
    )
  return p
}

// ---------------------------------------------------------------------------
// Pages rendered by oidc-provider through its hooks. All work without JavaScript:
// the buttons submit the forms oidc-provider generates (through the form= attribute,
// since those forms are closed before our buttons).
