import { beforeAll, describe, expect, it } from '@jest/globals'
import { generateKeyPairSync } from 'node:crypto'
import {
  decodeProtectedHeader,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  jwtVerify,
  type CryptoKey,
  type JWK
} from 'jose'
import { explainError } from '../../src/flow/failure.js'
import {
  authenticate,
  ClientKeyError,
  type ClientCredentials
} from '../../src/oauth/client-auth.js'

const TOKEN_URL = 'https://id.example.com/oauth2/token'
const NOW = Date.UTC(2026, 10, 24, 10, 0, 0) + 789 // a fraction of a second, to check the rounding
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

function request(): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
    device_code: 'dc'
  })
}

/** RFC 6749 Appendix B: the inverse of application/x-www-form-urlencoded for one value. */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '))
}

describe('authenticate: none', () => {
  it('identifies a public client with client_id in the body and sends no Authorization (RFC 6749 §3.2.1)', async () => {
    const params = request()
    const auth = await authenticate(
      { clientId: 'public-app', method: 'none' },
      params,
      TOKEN_URL,
      NOW
    )
    expect(auth.params.get('client_id')).toBe('public-app')
    expect(auth.params.get('device_code')).toBe('dc')
    expect(auth.params.has('client_secret')).toBe(false)
    expect(auth.headers).toEqual({})
    // The caller's params are not changed: a retry authenticates afresh.
    expect(params.has('client_id')).toBe(false)
  })
})

describe('authenticate: client_secret_basic (RFC 6749 §2.3.1)', () => {
  const clientId = 'app:one 100%+é'
  const clientSecret = 's3:cr et%2B+ü/=?'

  it('form-encodes id and secret before joining and base64-encoding them', async () => {
    const client: ClientCredentials = { clientId, clientSecret, method: 'client_secret_basic' }
    const auth = await authenticate(client, request(), TOKEN_URL, NOW)
    const header = auth.headers['Authorization'] ?? ''
    expect(header).toMatch(/^Basic [A-Za-z0-9+/]+=*$/)
    const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8')
    expect(decoded).toBe('app%3Aone+100%25%2B%C3%A9:s3%3Acr+et%252B%2B%C3%BC%2F%3D%3F')
    // The only raw colon is the separator, and each side decodes back to the original.
    const [id, secret, ...rest] = decoded.split(':')
    expect(rest).toEqual([])
    expect(formDecode(id as string)).toBe(clientId)
    expect(formDecode(secret as string)).toBe(clientSecret)
  })

  it('keeps client_id and client_secret out of the body', async () => {
    const client: ClientCredentials = { clientId, clientSecret, method: 'client_secret_basic' }
    const auth = await authenticate(client, request(), TOKEN_URL, NOW)
    expect(auth.params.has('client_id')).toBe(false)
    expect(auth.params.has('client_secret')).toBe(false)
    expect(auth.params.get('device_code')).toBe('dc')
  })

  it('refuses to authenticate without a secret', async () => {
    const client: ClientCredentials = { clientId, method: 'client_secret_basic' }
    await expect(authenticate(client, request(), TOKEN_URL, NOW)).rejects.toThrow(
      'client_secret_basic needs a client secret'
    )
  })
})

describe('authenticate: client_secret_post (RFC 6749 §2.3.1)', () => {
  it('sends client_id and client_secret in the body, and no Authorization', async () => {
    const client: ClientCredentials = {
      clientId: 'app',
      clientSecret: 'a b&c=d',
      method: 'client_secret_post'
    }
    const auth = await authenticate(client, request(), TOKEN_URL, NOW)
    expect(auth.params.get('client_id')).toBe('app')
    expect(auth.params.get('client_secret')).toBe('a b&c=d')
    expect(auth.params.toString()).toContain('client_secret=a+b%26c%3Dd')
    expect(auth.headers).toEqual({})
  })
})

describe('authenticate: private_key_jwt (RFC 7523 §2.2 and §3)', () => {
  interface KeyCase {
    readonly name: string
    readonly alg: string
    readonly pkcs8: string
    readonly jwk: JWK
    readonly publicKey: CryptoKey
  }
  const keys: KeyCase[] = []

  beforeAll(async () => {
    const specs: Array<[string, string, Parameters<typeof generateKeyPair>[1]]> = [
      ['RSA', 'RS256', { modulusLength: 2048 }],
      ['EC P-256', 'ES256', {}],
      ['Ed25519', 'EdDSA', { crv: 'Ed25519' }]
    ]
    for (const [name, alg, options] of specs) {
      const { privateKey, publicKey } = await generateKeyPair(alg, {
        ...options,
        extractable: true
      })
      keys.push({
        name,
        alg,
        pkcs8: await exportPKCS8(privateKey),
        jwk: await exportJWK(privateKey),
        publicKey
      })
    }
  })

  async function assertionFor(privateKey: string, extra: Partial<ClientCredentials> = {}) {
    const client: ClientCredentials = {
      clientId: 'svc-client',
      method: 'private_key_jwt',
      privateKey,
      ...extra
    }
    const auth = await authenticate(client, request(), TOKEN_URL, NOW)
    return { auth, assertion: auth.params.get('client_assertion') ?? '' }
  }

  async function expectValidAssertion(assertion: string, key: KeyCase): Promise<void> {
    const { payload, protectedHeader } = await jwtVerify(assertion, key.publicKey, {
      issuer: 'svc-client',
      subject: 'svc-client',
      audience: TOKEN_URL,
      currentDate: new Date(NOW)
    })
    expect(protectedHeader.alg).toBe(key.alg)
    expect(protectedHeader.typ).toBe('JWT')
    expect(payload.aud).toBe(TOKEN_URL)
    expect(payload.iat).toBe(Math.floor(NOW / 1000))
    expect(payload.exp).toBe((payload.iat as number) + 60)
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/)
  }

  it.each(['RSA', 'EC P-256', 'Ed25519'])(
    'signs a verifiable assertion with the %s key in PKCS#8 PEM',
    async (name) => {
      const key = keys.find((k) => k.name === name) as KeyCase
      const { auth, assertion } = await assertionFor(key.pkcs8)
      await expectValidAssertion(assertion, key)
      expect(auth.params.get('client_id')).toBe('svc-client')
      expect(auth.params.get('client_assertion_type')).toBe(ASSERTION_TYPE)
      expect(auth.params.has('client_secret')).toBe(false)
      expect(auth.headers).toEqual({})
    }
  )

  it.each(['RSA', 'EC P-256', 'Ed25519'])(
    'signs a verifiable assertion with the %s key as a private JWK',
    async (name) => {
      const key = keys.find((k) => k.name === name) as KeyCase
      const { assertion } = await assertionFor(JSON.stringify(key.jwk))
      await expectValidAssertion(assertion, key)
    }
  )

  it('puts the JWK’s kid in the assertion header, so the provider can pick the key', async () => {
    const key = keys.find((k) => k.name === 'EC P-256') as KeyCase
    const { assertion } = await assertionFor(JSON.stringify({ ...key.jwk, kid: 'key-2026' }))
    expect(decodeProtectedHeader(assertion).kid).toBe('key-2026')
    const { assertion: withoutKid } = await assertionFor(key.pkcs8)
    expect(decodeProtectedHeader(withoutKid)).not.toHaveProperty('kid')
  })

  it('uses the algorithm given instead of the one the key implies', async () => {
    const key = keys.find((k) => k.name === 'RSA') as KeyCase
    const { assertion } = await assertionFor(key.pkcs8, { assertionAlg: 'PS256' })
    expect(decodeProtectedHeader(assertion).alg).toBe('PS256')
  })

  it('makes every assertion unique (a new jti each time)', async () => {
    const key = keys.find((k) => k.name === 'Ed25519') as KeyCase
    const first = await assertionFor(key.pkcs8)
    const second = await assertionFor(key.pkcs8)
    const jti = (jwt: string) =>
      JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString()).jti
    expect(jti(first.assertion)).not.toBe(jti(second.assertion))
  })

  /** The error a key that cannot sign ends in: the input named when reported, the key never quoted. */
  async function keyError(privateKey: string): Promise<{ message: string }> {
    const error = await assertionFor(privateKey).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ClientKeyError)
    const message = explainError(error as ClientKeyError)
    expect(message).toMatch(
      /^Input 'client-private-key': cannot sign the client assertion \(RFC 7523\): .+\.$/
    )
    return { message }
  }

  it('refuses a PKCS#1 PEM with an error that asks for PKCS#8', async () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' }
    })
    expect(privateKey).toContain('BEGIN RSA PRIVATE KEY')
    const error = await keyError(privateKey)
    expect(error.message).toContain('not an RSA, EC or Ed25519 key in PKCS#8 PEM form')
  })

  it('refuses garbage with an error that asks for PKCS#8', async () => {
    expect((await keyError('not a key at all')).message).toContain('PKCS#8 PEM')
  })

  it('refuses a JWK that cannot sign, naming its type', async () => {
    const error = await keyError('{"kty":"oct","k":"c2VjcmV0"}')
    expect(error.message).toContain('a JWK of type oct cannot sign a client assertion')
  })

  it('refuses a public JWK: it cannot sign', async () => {
    const key = keys.find((k) => k.name === 'EC P-256') as KeyCase
    const { d: _d, ...publicJwk } = key.jwk
    await keyError(JSON.stringify(publicJwk))
  })

  it('refuses malformed JWK JSON without quoting the key material', async () => {
    const error = await keyError('{"kty":"EC","d":SUPERSECRETKEYMATERIAL}')
    expect(error.message).toContain('the private key looks like a JWK but is not valid JSON')
    expect(error.message).not.toContain('SUPERSECRET')
  })
})
