import { beforeAll, describe, expect, it } from '@jest/globals'
import {
  exportJWK,
  generateKeyPair,
  SignJWT,
  UnsecuredJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload
} from 'jose'
import { CancelledError } from '../../src/errors.js'
import type { OAuthContext } from '../../src/oauth/exchange.js'
import { TransportFailure, type HttpResponse } from '../../src/oauth/http.js'
import { IdTokenError, verifyIdToken, type IdTokenExpectations } from '../../src/oauth/id-token.js'
import { FakeClock, json, scriptedHttp, type Route } from '../../test-support/fakes.js'

/**
 * verifyIdToken (OpenID Connect Core §3.1.3.7) with keys made by jose and the key set served by
 * an in-memory transport. Every refusal must be an IdTokenError saying what is wrong, and must
 * never quote the token: the message ends up in the job log.
 */
const ISSUER = 'https://id.example.com'
const JWKS_URL = `${ISSUER}/jwks`
const CLIENT_ID = 'release-bot'
const CLIENT_SECRET = 'a-client-secret-long-enough-for-hs256'

interface SigningKey {
  readonly privateKey: CryptoKey
  readonly publicJwk: JWK
  readonly alg: string
  readonly kid: string
}

async function signingKey(alg: 'RS256' | 'ES256', kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg)
  return {
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
    alg,
    kid
  }
}

let rsa: SigningKey
let ec: SigningKey
let stranger: SigningKey

beforeAll(async () => {
  rsa = await signingKey('RS256', 'rsa-1')
  ec = await signingKey('ES256', 'ec-1')
  // Same kid as nothing in the key set: a token from some other provider.
  stranger = await signingKey('RS256', 'not-published')
})

const clock = new FakeClock()
const NOW_S = Math.floor(clock.now() / 1000)

function claims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: ISSUER,
    sub: 'alice-sub',
    aud: CLIENT_ID,
    iat: NOW_S,
    exp: NOW_S + 300,
    preferred_username: 'alice',
    ...overrides
  }
}

function sign(payload: JWTPayload, key: SigningKey = rsa): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .sign(key.privateKey)
}

function signHs256(payload: JWTPayload, secret = CLIENT_SECRET): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret))
}

function context(jwks: Route = () => json(200, { keys: [rsa.publicJwk, ec.publicJwk] })) {
  const http = scriptedHttp({ [JWKS_URL]: jwks })
  const ctx: OAuthContext = { http, clock, requestTimeoutMs: 5000 }
  return { ctx, http }
}

const expected: IdTokenExpectations = { issuer: ISSUER, clientId: CLIENT_ID, jwksUri: JWKS_URL }

/** The IdTokenError a verification rejects with, checked to be safe to print. */
async function refusal(idToken: string, ctx = context().ctx, expectations = expected) {
  const error = await verifyIdToken(ctx, idToken, expectations).then(
    () => undefined,
    (caught: unknown) => caught
  )
  expect(error).toBeInstanceOf(IdTokenError)
  const message = (error as IdTokenError).message
  expect(message).toMatch(/^The ID token from the provider failed verification: /)
  expect(message).toContain('It was not output')
  // Neither the token nor any of its parts: a header or payload is enough to replay or read it.
  for (const part of [idToken, ...idToken.split('.')].filter((p) => p.length >= 8)) {
    expect(message).not.toContain(part)
  }
  return message
}

const base64url = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url')

describe('verifyIdToken: tokens it accepts', () => {
  it('accepts an RS256 token signed with a published key and returns its claims', async () => {
    const { ctx, http } = context()
    const verified = await verifyIdToken(ctx, await sign(claims()), expected)
    expect(verified).toMatchObject({
      iss: ISSUER,
      sub: 'alice-sub',
      aud: CLIENT_ID,
      preferred_username: 'alice'
    })
    expect(http.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`GET ${JWKS_URL}`])
  })

  it('accepts an ES256 token signed with a published key', async () => {
    const verified = await verifyIdToken(
      context().ctx,
      await sign(claims({ sub: 'bob-sub' }), ec),
      expected
    )
    expect(verified.sub).toBe('bob-sub')
  })

  it('accepts a token that expired less than the 60 s clock skew ago', async () => {
    const token = await sign(claims({ iat: NOW_S - 600, exp: NOW_S - 59 }))
    await expect(verifyIdToken(context().ctx, token, expected)).resolves.toMatchObject({
      sub: 'alice-sub'
    })
  })

  it('accepts several audiences when azp is the client (OpenID Connect Core §3.1.3.7)', async () => {
    const token = await sign(
      claims({ aud: [CLIENT_ID, 'https://api.example.com'], azp: CLIENT_ID })
    )
    await expect(verifyIdToken(context().ctx, token, expected)).resolves.toMatchObject({
      azp: CLIENT_ID
    })
  })

  it('verifies an HS256 token with the client secret, without fetching the key set (OIDC Core §10.1)', async () => {
    const { ctx, http } = context()
    const verified = await verifyIdToken(ctx, await signHs256(claims()), {
      ...expected,
      clientSecret: CLIENT_SECRET
    })
    expect(verified.sub).toBe('alice-sub')
    expect(http.requests).toHaveLength(0)
  })
})

describe('verifyIdToken: tokens it refuses, saying why', () => {
  it('refuses a token whose payload was changed after signing', async () => {
    const [header, , signature] = (await sign(claims())).split('.')
    const forged = `${header}.${base64url(claims({ sub: 'mallory' }))}.${signature}`
    expect(await refusal(forged)).toMatch(/signature does not match/)
  })

  it('refuses a token whose signature was changed', async () => {
    const [header, payload, signature = ''] = (await sign(claims())).split('.')
    const flipped =
      signature.slice(0, 10) + (signature[10] === 'A' ? 'B' : 'A') + signature.slice(11)
    expect(await refusal(`${header}.${payload}.${flipped}`)).toMatch(/signature does not match/)
  })

  it('refuses a token from another issuer (mix-up)', async () => {
    const message = await refusal(await sign(claims({ iss: 'https://evil.example.com' })))
    expect(message).toMatch(/iss claim is wrong/)
  })

  it('refuses a token issued to another client', async () => {
    expect(await refusal(await sign(claims({ aud: 'some-other-client' })))).toMatch(
      /aud claim is wrong/
    )
  })

  it('refuses a token that expired more than the 60 s clock skew ago', async () => {
    const message = await refusal(await sign(claims({ iat: NOW_S - 600, exp: NOW_S - 61 })))
    expect(message).toMatch(/expired/)
    expect(message).toMatch(/clock/)
  })

  it('refuses a token without iat', async () => {
    const { iat: _iat, ...withoutIat } = claims()
    expect(await refusal(await sign(withoutIat))).toMatch(
      /iat claim is wrong or missing \(missing\)/
    )
  })

  it('refuses an unsigned token (alg none), without fetching the key set', async () => {
    const { ctx, http } = context()
    const unsigned = new UnsecuredJWT(claims()).encode()
    expect(await refusal(unsigned, ctx)).toMatch(/not signed \(alg none\)/)
    expect(http.requests).toHaveLength(0)
  })

  it('refuses a token signed with a key the provider does not publish', async () => {
    expect(await refusal(await sign(claims(), stranger))).toMatch(
      /no key in the provider's key set/
    )
  })

  it('refuses several audiences without azp, and with an azp that is not the client', async () => {
    const audiences = [CLIENT_ID, 'https://api.example.com']
    expect(await refusal(await sign(claims({ aud: audiences })))).toMatch(/several audiences.*azp/)
    expect(await refusal(await sign(claims({ aud: audiences, azp: 'other' })))).toMatch(
      /azp is not the client-id/
    )
  })

  it('refuses a single-audience token whose azp names another client (OpenID Connect Core §3.1.3.7)', async () => {
    expect(await refusal(await sign(claims({ azp: 'some-other-client' })))).toMatch(
      /its azp \(authorized party\) is "some-other-client", not the client-id/
    )
  })

  it('says what is wrong when the token names no key and the key set has several that fit (OIDC Core §10.1)', async () => {
    const second = await signingKey('RS256', 'rsa-2')
    const noKid = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .sign(rsa.privateKey)
    const twoKeys: Route = () => json(200, { keys: [rsa.publicJwk, second.publicJwk] })
    expect(await refusal(noKid, context(twoKeys).ctx)).toMatch(
      /it names no key \(no kid in its header\), and the provider's key set has several keys it could be signed with; OpenID Connect Core §10\.1 requires a kid then/
    )
  })

  it('refuses an HS256 token when no client secret is configured', async () => {
    const message = await refusal(await signHs256(claims()))
    expect(message).toMatch(/HS256, which needs the client secret, and none is configured/)
    expect(message).not.toContain(CLIENT_SECRET)
  })

  it('refuses an HS256 token made with another secret', async () => {
    const forged = await signHs256(claims(), 'a-guessed-secret-of-a-similar-length-xx')
    const message = await refusal(forged, context().ctx, {
      ...expected,
      clientSecret: CLIENT_SECRET
    })
    expect(message).toMatch(/signature does not match/)
    expect(message).not.toContain(CLIENT_SECRET)
  })

  it('refuses text that is not a JWS at all', async () => {
    expect(await refusal('not-a-jwt-at-all-but-long')).toMatch(/not a JWS compact token/)
  })

  it('refuses when the key set URL answers with an HTML page, naming the endpoint', async () => {
    const html: Route = () => ({
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<!doctype html><html><head><title>Sign in</title></head></html>'
    })
    const message = await refusal(await sign(claims()), context(html).ctx)
    expect(message).toContain(JWKS_URL)
    expect(message).toMatch(/HTML page titled "Sign in"/)
  })

  it('refuses when the key set cannot be reached', async () => {
    const unreachable: Route = () => {
      throw new TransportFailure('connection', false, 'ECONNREFUSED')
    }
    const message = await refusal(await sign(claims()), context(unreachable).ctx)
    expect(message).toMatch(/Could not reach the key set \(jwks_uri\)/)
  })

  it('refuses when the key set holds no usable key', async () => {
    const junk: Route = () => json(200, { keys: [{ kty: 'RSA', kid: 'rsa-1', n: 'x', e: 'AQAB' }] })
    await refusal(await sign(claims()), context(junk).ctx)
  })

  it('stays a cancellation when the step is cancelled while fetching the key set', async () => {
    const controller = new AbortController()
    const aborting: Route = (): HttpResponse => {
      controller.abort()
      throw new TransportFailure('aborted', true, 'cancelled')
    }
    const { ctx } = context(aborting)
    const token = await sign(claims())
    await expect(
      verifyIdToken({ ...ctx, signal: controller.signal }, token, expected)
    ).rejects.toBeInstanceOf(CancelledError)
  })
})
