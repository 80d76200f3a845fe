import { beforeAll, describe, expect, it } from '@jest/globals'
import {
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload
} from 'jose'
import { FakeClock, json, type Route } from '../test-support/fakes.js'
import { EXAMPLE, exampleDeviceCode, exampleDiscovery, flow } from '../test-support/replay.js'

/**
 * Who approved, as the whole action handles it: an ID token that fails verification fails the
 * step and is never output; a provider that offers no way to tell says so in a notice.
 */
const {
  issuer: ISSUER,
  discovery: DISCOVERY,
  device: DEVICE,
  token: TOKEN,
  jwks: JWKS,
  userinfo: USERINFO
} = EXAMPLE
const CLIENT_ID = 'release-bot'

let published: { privateKey: CryptoKey; jwk: JWK }
let unpublished: { privateKey: CryptoKey }

beforeAll(async () => {
  const pair = await generateKeyPair('RS256')
  published = {
    privateKey: pair.privateKey,
    jwk: { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' }
  }
  unpublished = { privateKey: (await generateKeyPair('RS256')).privateKey }
})

function idToken(
  clock: FakeClock,
  overrides: JWTPayload = {},
  key = published.privateKey
): Promise<string> {
  const now = Math.floor(clock.now() / 1000)
  return new SignJWT({
    iss: ISSUER,
    sub: 'alice-sub',
    aud: CLIENT_ID,
    iat: now,
    exp: now + 300,
    preferred_username: 'alice',
    ...overrides
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .sign(key)
}

const deviceCode = exampleDeviceCode()

function tokens(idTokenValue?: string): Route {
  return () =>
    json(200, {
      access_token: 'at-secret-456',
      token_type: 'Bearer',
      refresh_token: 'rt-secret-789',
      ...(idTokenValue && { id_token: idTokenValue })
    })
}

/** Runs the action against the routes (made knowing the run's clock), outside any workflow. */
async function approve(routes: (clock: FakeClock) => Promise<Record<string, Route>>) {
  const clock = new FakeClock()
  const t = flow(
    { 'client-id': CLIENT_ID, issuer: ISSUER, scope: 'openid' },
    await routes(clock),
    {},
    clock
  )
  return { ...t, ending: await t.run() }
}

describe('run: an ID token that fails verification', () => {
  it.each([
    [
      'signed with a key the provider does not publish',
      (clock: FakeClock) => idToken(clock, {}, unpublished.privateKey)
    ],
    ['issued to another client', (clock: FakeClock) => idToken(clock, { aud: 'another-client' })],
    [
      'from another issuer',
      (clock: FakeClock) => idToken(clock, { iss: 'https://evil.example.com' })
    ]
  ])('fails the step and sets no output when it is %s', async (_, makeToken) => {
    let forged = ''
    const { ending, runner, http } = await approve(async (clock) => {
      forged = await makeToken(clock)
      return {
        [DISCOVERY]: exampleDiscovery({ jwks_uri: JWKS, userinfo_endpoint: USERINFO }),
        [DEVICE]: deviceCode,
        [TOKEN]: tokens(forged),
        [JWKS]: () => json(200, { keys: [published.jwk] }),
        [USERINFO]: () => json(200, { sub: 'alice-sub' })
      }
    })
    expect(ending).toBe('failed')
    expect(runner.failed).toMatch(
      /^The ID token from the provider failed verification: .*It was not output/
    )
    // Not the ID token, and nothing else either: the approval cannot be trusted.
    expect(runner.outputs).toEqual({})
    expect(runner.secrets).toContain(forged)
    expect(runner.text()).not.toContain(forged)
    expect(runner.summary).not.toContain(forged)
    expect(runner.failed).not.toContain(forged)
    expect(runner.summary).toContain('❌ Failed')
    // The access token was not shown to the userinfo endpoint on the word of a forged ID token.
    expect(http.requests.map((r) => r.url)).not.toContain(USERINFO)
  })

  it('outputs a verified ID token and names the approver from it (the control case)', async () => {
    let valid = ''
    const { ending, runner } = await approve(async (clock) => {
      valid = await idToken(clock)
      return {
        [DISCOVERY]: exampleDiscovery({ jwks_uri: JWKS }),
        [DEVICE]: deviceCode,
        [TOKEN]: tokens(valid),
        [JWKS]: () => json(200, { keys: [published.jwk] })
      }
    })
    expect(ending).toBe('approved')
    expect(runner.outputs['id-token']).toBe(valid)
    expect(runner.outputs['approver']).toBe('alice')
    expect(runner.outputs['approver-subject']).toBe('alice-sub')
  })
})

describe('run: a provider with no way to tell who approved', () => {
  it('says "Approver unknown" in a notice when there is neither an ID token nor a userinfo endpoint', async () => {
    const { ending, runner } = await approve(async () => ({
      [DISCOVERY]: exampleDiscovery({ jwks_uri: JWKS }),
      [DEVICE]: deviceCode,
      [TOKEN]: tokens()
    }))
    expect(ending).toBe('approved')
    const notice = runner.logs.find(
      (entry) => entry.level === 'notice' && entry.title === 'Approver unknown'
    )
    expect(notice?.message).toMatch(/no ID token and has no userinfo endpoint/)
    expect(runner.outputs['approver']).toBeUndefined()
    expect(runner.outputs['access-token']).toBe('at-secret-456')
  })

  it('asks the userinfo endpoint instead when there is one, and gives no such notice', async () => {
    const { ending, runner } = await approve(async () => ({
      [DISCOVERY]: exampleDiscovery({ userinfo_endpoint: USERINFO }),
      [DEVICE]: deviceCode,
      [TOKEN]: tokens(),
      [USERINFO]: () => json(200, { sub: 'bob-sub', preferred_username: 'bob' })
    }))
    expect(ending).toBe('approved')
    expect(runner.outputs['approver']).toBe('bob')
    expect(runner.logs.some((entry) => entry.title === 'Approver unknown')).toBe(false)
  })
})
