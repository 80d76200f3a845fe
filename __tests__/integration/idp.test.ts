// Proves the embedded test IdP (test-support/idp.js) behaves like a real RFC 8628
// authorization server, using nothing but raw fetch and jose. Imports nothing from src/.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { randomUUID } from 'node:crypto'
import { SignJWT, createRemoteJWKSet, importPKCS8, jwtVerify } from 'jose'
import { startIdp, type Idp } from '../../test-support/idp.js'

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'

type ClientKind = 'public' | 'basic' | 'post' | 'privateKeyJwt'
type Json = Record<string, unknown>
interface Metadata {
  issuer: string
  token_endpoint: string
  device_authorization_endpoint: string
  jwks_uri: string
  [key: string]: unknown
}

async function discover(idp: Idp): Promise<Metadata> {
  const response = await fetch(`${idp.issuer}/.well-known/openid-configuration`)
  expect(response.status).toBe(200)
  return (await response.json()) as Metadata
}

// private_key_jwt: oidc-provider accepts as `aud` (a string, or an array containing one of)
// the issuer identifier, the token endpoint URL, or the URL of the endpoint being called
// (clientJwtAuthExpectedAudience). So at the token endpoint: issuer or token endpoint; at the
// device authorization endpoint: issuer, token endpoint or device authorization endpoint.
async function clientAssertion(idp: Idp, aud: string | string[]): Promise<string> {
  const { clientId, privateKeyPem, publicJwk } = idp.clients.privateKeyJwt
  const key = await importPKCS8(privateKeyPem, 'RS256')
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: String(publicJwk['kid']) })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(aud)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(key)
}

/** Client authentication for one request to `endpoint`, as headers + form fields. */
async function authFor(
  idp: Idp,
  kind: ClientKind,
  endpoint: string
): Promise<{ headers: Record<string, string>; params: Record<string, string> }> {
  switch (kind) {
    case 'public':
      return { headers: {}, params: { client_id: idp.clients.public.clientId } }
    case 'basic': {
      const { clientId, clientSecret } = idp.clients.basic
      const token = Buffer.from(
        `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`
      ).toString('base64')
      return { headers: { authorization: `Basic ${token}` }, params: {} }
    }
    case 'post':
      return {
        headers: {},
        params: {
          client_id: idp.clients.post.clientId,
          client_secret: idp.clients.post.clientSecret
        }
      }
    case 'privateKeyJwt':
      return {
        headers: {},
        params: {
          client_id: idp.clients.privateKeyJwt.clientId,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: await clientAssertion(idp, endpoint)
        }
      }
  }
}

async function postForm(
  url: string,
  headers: Record<string, string>,
  params: Record<string, string>
): Promise<{ status: number; headers: Headers; json: Json }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { accept: 'application/json', ...headers },
    body: new URLSearchParams(params)
  })
  const text = await response.text()
  let json: Json
  try {
    json = JSON.parse(text) as Json
  } catch {
    json = { raw: text }
  }
  return { status: response.status, headers: response.headers, json }
}

async function deviceAuthorize(
  idp: Idp,
  meta: Metadata,
  kind: ClientKind,
  scope = 'openid profile email offline_access api:read'
) {
  const auth = await authFor(idp, kind, meta.device_authorization_endpoint)
  return postForm(meta.device_authorization_endpoint, auth.headers, { ...auth.params, scope })
}

async function poll(idp: Idp, meta: Metadata, kind: ClientKind, deviceCode: string) {
  const auth = await authFor(idp, kind, meta.token_endpoint)
  return postForm(meta.token_endpoint, auth.headers, {
    ...auth.params,
    grant_type: DEVICE_GRANT,
    device_code: deviceCode
  })
}

async function refresh(idp: Idp, meta: Metadata, kind: ClientKind, refreshToken: string) {
  const auth = await authFor(idp, kind, meta.token_endpoint)
  return postForm(meta.token_endpoint, auth.headers, {
    ...auth.params,
    grant_type: 'refresh_token',
    refresh_token: refreshToken
  })
}

async function startFlow(idp: Idp, meta: Metadata, kind: ClientKind = 'public') {
  const da = await deviceAuthorize(idp, meta, kind)
  if (da.status !== 200)
    throw new Error(`device authorization failed: HTTP ${da.status} ${JSON.stringify(da.json)}`)
  return da.json as {
    device_code: string
    user_code: string
    verification_uri: string
    verification_uri_complete: string
    expires_in: number
    interval?: unknown
  }
}

describe('test IdP: device flow for each client authentication method', () => {
  let idp: Idp
  let meta: Metadata

  beforeAll(async () => {
    idp = await startIdp()
    meta = await discover(idp)
  })
  afterAll(async () => {
    await idp.close()
  })

  test('discovery lists the device authorization endpoint and the RFC 8414 document matches it', async () => {
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(meta.issuer).toBe(idp.issuer)
    expect(meta.device_authorization_endpoint).toBe(`${idp.issuer}/device/auth`)
    expect(meta.token_endpoint).toBe(`${idp.issuer}/token`)
    expect(meta['grant_types_supported']).toEqual(
      expect.arrayContaining([DEVICE_GRANT, 'refresh_token'])
    )
    expect(meta['scopes_supported']).toEqual(
      expect.arrayContaining(['openid', 'profile', 'email', 'offline_access', 'api:read'])
    )
    expect(meta['token_endpoint_auth_methods_supported']).toEqual(
      expect.arrayContaining([
        'none',
        'client_secret_basic',
        'client_secret_post',
        'private_key_jwt'
      ])
    )
    const rfc8414 = await fetch(`${idp.issuer}/.well-known/oauth-authorization-server`)
    expect(rfc8414.status).toBe(200)
    expect(await rfc8414.json()).toEqual(meta)
    expect(idp.users.map((u) => u.sub)).toEqual(expect.arrayContaining(['alice', 'bob']))
  })

  test.each<ClientKind>(['public', 'basic', 'post', 'privateKeyJwt'])(
    '%s client: pending, approve, tokens, refresh rotation, no second redemption',
    async (kind) => {
      const da = await startFlow(idp, meta, kind)
      expect(da).toEqual(
        expect.objectContaining({
          device_code: expect.any(String),
          user_code: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/),
          verification_uri: `${idp.issuer}/device`,
          verification_uri_complete: `${idp.issuer}/device?user_code=${encodeURIComponent(da.user_code)}`,
          expires_in: expect.any(Number)
        })
      )
      expect(da.expires_in).toBeGreaterThan(590)
      expect(da.expires_in).toBeLessThanOrEqual(600)
      expect(da.interval).toBeUndefined() // oidc-provider sends none unless `interval` is set

      const pending = await poll(idp, meta, kind, da.device_code)
      expect(pending.status).toBe(400)
      expect(pending.json['error']).toBe('authorization_pending')

      const before = idp.tokenRequests.length
      await idp.approve(da.user_code)

      const ok = await poll(idp, meta, kind, da.device_code)
      expect(ok.status).toBe(200)
      expect(ok.headers.get('cache-control')).toContain('no-store')
      expect(ok.json).toEqual(
        expect.objectContaining({
          access_token: expect.any(String),
          refresh_token: expect.any(String),
          id_token: expect.any(String),
          token_type: 'Bearer',
          expires_in: 3600,
          scope: 'openid profile email offline_access api:read'
        })
      )
      expect(idp.tokenRequests.slice(before)).toEqual([
        {
          grantType: DEVICE_GRANT,
          status: 200,
          at: expect.any(Number),
          answeredAt: expect.any(Number)
        }
      ])

      const clientId = idp.clients[kind].clientId
      const { payload } = await jwtVerify(
        String(ok.json['id_token']),
        createRemoteJWKSet(new URL(meta.jwks_uri)),
        {
          issuer: idp.issuer,
          audience: clientId
        }
      )
      expect(payload).toEqual(
        expect.objectContaining({
          sub: 'alice',
          preferred_username: 'alice',
          email: 'alice@example.test',
          email_verified: true,
          name: 'Alice Example'
        })
      )

      const userinfo = await fetch(`${idp.issuer}/me`, {
        headers: { authorization: `Bearer ${String(ok.json['access_token'])}` }
      })
      expect(userinfo.status).toBe(200)
      expect(await userinfo.json()).toEqual(
        expect.objectContaining({ sub: 'alice', preferred_username: 'alice' })
      )

      // Refresh rotates: a new refresh token, and the old one is then rejected.
      const rt1 = String(ok.json['refresh_token'])
      const r1 = await refresh(idp, meta, kind, rt1)
      expect(r1.status).toBe(200)
      const rt2 = String(r1.json['refresh_token'])
      expect(rt2).toEqual(expect.any(String))
      expect(rt2).not.toBe(rt1)
      expect(r1.json['access_token']).not.toBe(ok.json['access_token'])
      expect(r1.json['id_token']).toEqual(expect.any(String))

      const reuse = await refresh(idp, meta, kind, rt1)
      expect(reuse.status).toBe(400)
      expect(reuse.json['error']).toBe('invalid_grant')
      // oidc-provider treats reuse of a rotated refresh token as theft and revokes the whole
      // grant, so the newest refresh token is dead too.
      const afterReuse = await refresh(idp, meta, kind, rt2)
      expect(afterReuse.json['error']).toBe('invalid_grant')

      // The device code was consumed on success: a second redemption is invalid_grant.
      const again = await poll(idp, meta, kind, da.device_code)
      expect(again.status).toBe(400)
      expect(again.json['error']).toBe('invalid_grant')
    }
  )

  test.each<ClientKind>(['public', 'basic', 'post', 'privateKeyJwt'])(
    '%s client: denying gives access_denied',
    async (kind) => {
      const da = await startFlow(idp, meta, kind)
      await idp.approve(da.user_code, { deny: true })
      const denied = await poll(idp, meta, kind, da.device_code)
      expect(denied.status).toBe(400)
      expect(denied.json).toEqual({
        error: 'access_denied',
        error_description: 'The user denied the request'
      })
    }
  )

  test('approve as bob; refresh token issued without offline_access; no openid means no id_token', async () => {
    const da = await deviceAuthorize(idp, meta, 'public', 'api:read')
    expect(da.status).toBe(200)
    const { device_code, user_code } = da.json as { device_code: string; user_code: string }
    await idp.approve(user_code, { user: 'bob' })
    const ok = await poll(idp, meta, 'public', device_code)
    expect(ok.status).toBe(200)
    expect(ok.json['scope']).toBe('api:read')
    expect(ok.json['refresh_token']).toEqual(expect.any(String))
    expect(ok.json['id_token']).toBeUndefined()

    const da2 = await startFlow(idp, meta, 'basic')
    await idp.approve(da2.user_code, { user: 'bob' })
    const ok2 = await poll(idp, meta, 'basic', da2.device_code)
    const { payload } = await jwtVerify(
      String(ok2.json['id_token']),
      createRemoteJWKSet(new URL(meta.jwks_uri))
    )
    expect(payload['preferred_username']).toBe('bob')
    expect(payload['email']).toBe('bob@example.test')
  })

  test('client authentication is enforced at the device authorization endpoint', async () => {
    const noSecret = await postForm(
      meta.device_authorization_endpoint,
      {},
      { client_id: idp.clients.basic.clientId, scope: 'openid' }
    )
    expect(noSecret.json['error']).toBe('invalid_client')
    const wrongSecret = await postForm(
      meta.device_authorization_endpoint,
      {},
      { client_id: idp.clients.post.clientId, client_secret: 'nope', scope: 'openid' }
    )
    expect(wrongSecret.json['error']).toBe('invalid_client')
    const unknown = await postForm(
      meta.device_authorization_endpoint,
      {},
      { client_id: 'no-such-client', scope: 'openid' }
    )
    expect(unknown.json['error']).toBe('invalid_client')
  })

  test('private_key_jwt: which client_assertion audiences are accepted', async () => {
    const { clientId } = idp.clients.privateKeyJwt
    const assertion = {
      client_id: clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
    }
    const atDevice = async (aud: string | string[]) =>
      postForm(
        meta.device_authorization_endpoint,
        {},
        { ...assertion, client_assertion: await clientAssertion(idp, aud), scope: 'openid' }
      )

    // Device authorization endpoint: its own URL, the issuer, or the token endpoint.
    for (const aud of [
      meta.device_authorization_endpoint,
      idp.issuer,
      meta.token_endpoint,
      ['https://elsewhere.test', idp.issuer]
    ]) {
      const r = await atDevice(aud)
      expect({ aud, status: r.status }).toEqual({ aud, status: 200 })
    }
    const rejected = await atDevice('https://elsewhere.test/token')
    expect(rejected.json['error']).toBe('invalid_client')

    // Token endpoint: the issuer or the token endpoint, not the device authorization endpoint.
    const da = (await atDevice(meta.device_authorization_endpoint)).json as { device_code: string }
    const atToken = async (aud: string) =>
      postForm(
        meta.token_endpoint,
        {},
        {
          ...assertion,
          client_assertion: await clientAssertion(idp, aud),
          grant_type: DEVICE_GRANT,
          device_code: da.device_code
        }
      )
    expect((await atToken(meta.token_endpoint)).json['error']).toBe('authorization_pending')
    expect((await atToken(idp.issuer)).json['error']).toBe('authorization_pending')
    expect((await atToken(meta.device_authorization_endpoint)).json['error']).toBe('invalid_client')
  })

  test('approve() fails clearly for an unknown code or user', async () => {
    await expect(idp.approve('BCDF-GHJK')).rejects.toThrow(/user code BCDF-GHJK was not accepted/)
    const da = await startFlow(idp, meta)
    await expect(idp.approve(da.user_code, { user: 'mallory' })).rejects.toThrow(
      'user "mallory" is not offered on the login page (offered: alice, bob, carol)'
    )
  })

  test('the verification page works without JavaScript', async () => {
    const page = await fetch(`${idp.issuer}/device`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toMatch(/<form id="op\.deviceInputForm"[^>]*method="post"/)
    expect(html).toMatch(/name="xsrf" value="[0-9a-f]+"/)
    expect(html).toContain(
      '<button class="primary" type="submit" form="op.deviceInputForm">Continue</button>'
    )
  })
})

describe('test IdP: options and faults', () => {
  const idps: Idp[] = []
  async function start(
    options?: Parameters<typeof startIdp>[0]
  ): Promise<{ idp: Idp; meta: Metadata }> {
    const idp = await startIdp(options)
    idps.push(idp)
    return { idp, meta: await discover(idp) }
  }
  afterAll(async () => {
    await Promise.all(idps.map((idp) => idp.close()))
  })

  test('a short device code TTL gives expired_token', async () => {
    const { idp, meta } = await start({ deviceCodeTtlSeconds: 2 })
    const da = await startFlow(idp, meta)
    expect(da.expires_in).toBeGreaterThan(0)
    expect(da.expires_in).toBeLessThanOrEqual(2)
    await new Promise((resolve) => setTimeout(resolve, 2050))
    const expired = await poll(idp, meta, 'public', da.device_code)
    expect(expired.status).toBe(400)
    expect(expired.json['error']).toBe('expired_token')
    await expect(idp.approve(da.user_code)).rejects.toThrow(/was not accepted/)
  })

  test('slowDownPolls: 1 answers the first device_code poll with slow_down', async () => {
    const { idp, meta } = await start({ slowDownPolls: 1 })
    const da = await startFlow(idp, meta)
    const first = await poll(idp, meta, 'public', da.device_code)
    expect(first.status).toBe(400)
    expect(first.json['error']).toBe('slow_down')
    expect(first.json['error_description']).toEqual(expect.any(String))
    const second = await poll(idp, meta, 'public', da.device_code)
    expect(second.json['error']).toBe('authorization_pending')
    await idp.approve(da.user_code)
    expect((await poll(idp, meta, 'public', da.device_code)).status).toBe(200)
    expect(idp.tokenRequests.map((r) => [r.grantType, r.status])).toEqual([
      [DEVICE_GRANT, 400],
      [DEVICE_GRANT, 400],
      [DEVICE_GRANT, 200]
    ])
  })

  test('strictInterval answers slow_down to a poll sooner than the interval, and then wants 5 s more', async () => {
    const { idp, meta } = await start({ interval: 1, strictInterval: true })
    const da = await startFlow(idp, meta)
    const tooSoon = await poll(idp, meta, 'public', da.device_code)
    expect(tooSoon.json['error']).toBe('slow_down')
    expect(String(tooSoon.json['error_description'])).toMatch(/less than the 1 s interval/)
    // The interval is now 6 s: 1.1 s later is still too soon.
    await new Promise((resolve) => setTimeout(resolve, 1100))
    expect((await poll(idp, meta, 'public', da.device_code)).json['error']).toBe('slow_down')
    const records = idp.tokenRequests.filter((r) => r.grantType === DEVICE_GRANT)
    expect(records.map((r) => r.slowDown)).toEqual([true, true])
    expect(records[1]?.sinceLastMs).toBeGreaterThanOrEqual(1100)
    expect(idp.requests.some((r) => r.path === '/.well-known/openid-configuration')).toBe(true)
  })

  test('strictInterval passes a poll that waited the interval on to the provider', async () => {
    const { idp, meta } = await start({ interval: 1, strictInterval: true })
    const da = await startFlow(idp, meta)
    await new Promise((resolve) => setTimeout(resolve, 1050))
    expect((await poll(idp, meta, 'public', da.device_code)).json['error']).toBe(
      'authorization_pending'
    )
    await idp.approve(da.user_code)
    await new Promise((resolve) => setTimeout(resolve, 1050))
    expect((await poll(idp, meta, 'public', da.device_code)).status).toBe(200)
    expect(idp.tokenRequests.map((r) => r.slowDown)).toEqual([undefined, undefined])
  })

  test('interval is injected into the device authorization response', async () => {
    const { idp, meta } = await start({ interval: 7, accessTokenTtlSeconds: 120 })
    const da = await startFlow(idp, meta)
    expect(da.interval).toBe(7)
    await idp.approve(da.user_code)
    expect((await poll(idp, meta, 'public', da.device_code)).json['expires_in']).toBe(120)

    const { idp: idp2, meta: meta2 } = await start({ interval: '5' })
    expect((await startFlow(idp2, meta2)).interval).toBe('5')
  })

  test('status, delay and reset faults at the token endpoint', async () => {
    const { idp, meta } = await start()
    const da = await startFlow(idp, meta)

    idp.setFault({ kind: 'status', status: 503, headers: { 'Retry-After': '1' }, count: 1 })
    const unavailable = await poll(idp, meta, 'public', da.device_code)
    expect(unavailable.status).toBe(503)
    expect(unavailable.headers.get('retry-after')).toBe('1')
    expect((await poll(idp, meta, 'public', da.device_code)).json['error']).toBe(
      'authorization_pending'
    )

    idp.setFault({ kind: 'status', status: 502, body: '<html><body>Bad Gateway</body></html>' })
    for (let i = 0; i < 2; i++) {
      const response = await fetch(meta.token_endpoint, {
        method: 'POST',
        body: new URLSearchParams({
          client_id: idp.clients.public.clientId,
          grant_type: DEVICE_GRANT,
          device_code: da.device_code
        })
      })
      expect(response.status).toBe(502)
      expect(response.headers.get('content-type')).toContain('text/html')
      expect(await response.text()).toContain('Bad Gateway')
    }
    idp.setFault(undefined)

    idp.setFault({ kind: 'delay', ms: 200, count: 1 })
    const started = Date.now()
    expect((await poll(idp, meta, 'public', da.device_code)).json['error']).toBe(
      'authorization_pending'
    )
    expect(Date.now() - started).toBeGreaterThanOrEqual(190)

    idp.setFault({ kind: 'reset', count: 1 })
    await expect(poll(idp, meta, 'public', da.device_code)).rejects.toThrow()
    expect((await poll(idp, meta, 'public', da.device_code)).json['error']).toBe(
      'authorization_pending'
    )

    expect(idp.tokenRequests.map((r) => r.status)).toEqual([503, 400, 502, 502, 400, 0, 400])
  })

  test('an issuer with a path: discovery under the issuer and RFC 8414 with path insertion', async () => {
    const { idp, meta } = await start({ issuerPath: '/realms/demo' })
    const origin = `http://127.0.0.1:${idp.port}`
    expect(idp.issuer).toBe(`${origin}/realms/demo`)
    expect(meta.issuer).toBe(idp.issuer)
    expect(meta.device_authorization_endpoint).toBe(`${idp.issuer}/device/auth`)
    expect(meta.token_endpoint).toBe(`${idp.issuer}/token`)

    const rfc8414 = await fetch(`${origin}/.well-known/oauth-authorization-server/realms/demo`)
    expect(rfc8414.status).toBe(200)
    expect(await rfc8414.json()).toEqual(meta)
    expect((await fetch(`${origin}/.well-known/openid-configuration`)).status).toBe(404)
    expect((await fetch(`${origin}/.well-known/oauth-authorization-server`)).status).toBe(404)

    const da = await startFlow(idp, meta, 'privateKeyJwt')
    expect(da.verification_uri).toBe(`${idp.issuer}/device`)
    await idp.approve(da.user_code)
    const ok = await poll(idp, meta, 'privateKeyJwt', da.device_code)
    expect(ok.status).toBe(200)
    const { payload } = await jwtVerify(
      String(ok.json['id_token']),
      createRemoteJWKSet(new URL(meta.jwks_uri)),
      { issuer: idp.issuer }
    )
    expect(payload['preferred_username']).toBe('alice')
  })

  test('close() is idempotent and frees the port', async () => {
    const { idp } = await start()
    await idp.close()
    await idp.close()
    await expect(fetch(`${idp.issuer}/.well-known/openid-configuration`)).rejects.toThrow()
  })
})
