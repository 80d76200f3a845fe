import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import nock from 'nock'
import { OAuthError, ProviderResponseError } from '../../src/errors.js'
import {
  DEFAULT_INTERVAL_SECONDS,
  parseDeviceAuthorization,
  requestDeviceAuthorization,
  type DeviceAuthorizationRequest
} from '../../src/oauth/device.js'
import type { OAuthContext } from '../../src/oauth/exchange.js'
import { createHttpTransport } from '../../src/oauth/http.js'
import { explainError } from '../../src/flow/failure.js'
import { oidc, quirksFor } from '../../src/providers/quirks.js'
import { FakeClock } from '../../test-support/fakes.js'

const ORIGIN = 'https://id.example.com'
const endpoint = { name: 'device authorization endpoint', url: `${ORIGIN}/oauth/device/code` }

const valid = {
  device_code: 'GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS',
  user_code: 'WDJB-MJHT',
  verification_uri: 'https://id.example.com/device',
  verification_uri_complete: 'https://id.example.com/device?user_code=WDJB-MJHT',
  expires_in: 1800,
  interval: 5
}

function parse(overrides: Record<string, unknown>) {
  return parseDeviceAuthorization({ ...valid, ...overrides }, endpoint)
}

function problemOf(overrides: Record<string, unknown>): string {
  try {
    parse(overrides)
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderResponseError)
    expect((error as ProviderResponseError).endpoint).toBe(endpoint)
    const prefix = `The device authorization endpoint (${endpoint.url}) answered without a usable device code: `
    expect((error as Error).message.startsWith(prefix)).toBe(true)
    return (error as Error).message.slice(prefix.length)
  }
  throw new Error(`accepted ${JSON.stringify(overrides)}`)
}

describe('parseDeviceAuthorization (RFC 8628 §3.2)', () => {
  it('normalizes a complete response', () => {
    expect(parse({})).toEqual({
      deviceCode: valid.device_code,
      userCode: 'WDJB-MJHT',
      verificationUri: 'https://id.example.com/device',
      verificationUriComplete: 'https://id.example.com/device?user_code=WDJB-MJHT',
      expiresInSeconds: 1800,
      intervalSeconds: 5,
      notes: []
    })
  })

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['a number', 12345],
    ['an object', { code: 'x' }]
  ])('refuses a device_code that is %s', (_what, deviceCode) => {
    expect(problemOf({ device_code: deviceCode })).toBe('device_code is missing or not a string.')
  })

  it('refuses a device_code with characters outside printable ASCII, or longer than 4096', () => {
    expect(problemOf({ device_code: 'abc\ndef' })).toContain('outside printable ASCII')
    expect(problemOf({ device_code: 'x'.repeat(4097) })).toContain('longer than 4096')
    expect(parse({ device_code: 'x'.repeat(4096) }).deviceCode).toHaveLength(4096)
  })

  it.each([
    ['tiny', 'e', 'is 1 characters long, too short to be unguessable (at least 16 expected)'],
    ['a common word', 'https', 'is 5 characters long, too short'],
    ['spaced', 'device code 0123456789', 'contains a space']
  ])(
    'refuses a %s device_code, which masking would also censor the log with (RFC 8628 §5.2)',
    (_what, code, problem) => {
      expect(problemOf({ device_code: code })).toContain(`device_code ${problem}`)
    }
  )

  it('refuses a device_code that appears in what the person must see', () => {
    expect(
      problemOf({
        device_code: 'id.example.com/device',
        verification_uri: 'https://id.example.com/device'
      })
    ).toContain('device_code appears in verification_uri')
  })

  it.each([
    ['tiny', 'A1', 'user_code "A1" has fewer than 4 letters or digits'],
    [
      'a bidi trick',
      'WDJB\u202eTHJM',
      'user_code contains characters that cannot be shown as they are'
    ],
    [
      'invisible',
      'WDJB\u200b-MJHT',
      'user_code contains characters that cannot be shown as they are'
    ],
    [
      'split by a line separator',
      'WDJB\u2028MJHT',
      'user_code contains characters that cannot be shown as they are'
    ],
    [
      'a legacy workflow command',
      'AB##[stop-commands]',
      'user_code contains control characters or markup'
    ],
    [
      'a workflow command',
      '::stop-commands::ABCD',
      'user_code contains characters that cannot be shown as they are'
    ]
  ])('refuses a user_code that is %s', (_what, code, problem) => {
    expect(problemOf({ user_code: code })).toContain(problem)
  })

  it('does not show a verification_uri_complete on another site than verification_uri, and says why', () => {
    const result = parse({
      verification_uri: 'https://id.example.com/device',
      verification_uri_complete: 'https://id-example.com.evil.example/device?user_code=WDJB-MJHT'
    })
    expect(result).not.toHaveProperty('verificationUriComplete')
    expect(result.notes).toEqual([
      'ignored verification_uri_complete: it is on another site (https://id-example.com.evil.example) than verification_uri (https://id.example.com), so it is not shown as a link to follow'
    ])
    expect(
      parse({
        verification_uri: 'https://id.example.com/device',
        verification_uri_complete: 'https://id.example.com/device?user_code=WDJB-MJHT'
      }).verificationUriComplete
    ).toBe('https://id.example.com/device?user_code=WDJB-MJHT')
  })

  it.each([
    [
      'another URL',
      'Open https://evil.example/login and enter WDJB-MJHT.',
      'https://evil.example/login'
    ],
    ['a bare host', 'Or sign in at evil.example/device instead.', 'evil.example/device'],
    [
      'a look-alike host with ideographic dots',
      'Go to microsoft\u3002com\u3002evil\u3002example',
      'microsoft\u3002com\u3002evil\u3002example'
    ],
    [
      'another path on the same host',
      'Open https://microsoft.com/other-login now',
      'https://microsoft.com/other-login'
    ]
  ])('leaves out a provider message that names %s, and says why', (_what, message, named) => {
    const result = parse({
      verification_uri: 'https://microsoft.com/devicelogin',
      verification_uri_complete: undefined,
      message
    })
    expect(result).not.toHaveProperty('message')
    expect(result.notes).toEqual([
      `left out the provider's message: it names ${named}, which is not the verification_uri`
    ])
  })

  it('keeps a message that names only the verification URI, with or without its scheme', () => {
    for (const message of [
      'To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code WDJB-MJHT to authenticate.',
      'Open microsoft.com/devicelogin, then enter WDJB-MJHT.',
      'Enter the code WDJB-MJHT on the page you were given.'
    ])
      expect(
        parse({
          verification_uri: 'https://microsoft.com/devicelogin',
          verification_uri_complete: undefined,
          message
        }).message
      ).toBe(message)
  })

  it('cuts the device code out of the message: masked, but escaping could change it', () => {
    const deviceCode = 'dc-#[0123456789abcdef'
    const result = parse({ device_code: deviceCode, message: `debug: ${deviceCode}` })
    expect(result.message).toBe('debug: ***')
  })

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['blank', '   '],
    ['a number', 1234]
  ])('refuses a user_code that is %s', (_what, userCode) => {
    expect(problemOf({ user_code: userCode })).toBe('user_code is missing or not a string.')
  })

  it('refuses a user_code longer than a person can type (64)', () => {
    expect(problemOf({ user_code: 'A'.repeat(65) })).toBe(
      'user_code is 65 characters long; a code a person types is at most 64.'
    )
    expect(parse({ user_code: 'A'.repeat(64) }).userCode).toHaveLength(64)
  })

  it.each([
    'WDJB\nMJHT',
    'WDJB\u0000',
    'WDJB\u009B31m',
    '<b>WDJB</b>',
    '[WDJB](https://evil.example)',
    '`WDJB`'
  ])('refuses a user_code with control characters or markup: %j', (userCode) => {
    expect(problemOf({ user_code: userCode })).toBe(
      'user_code contains control characters or markup.'
    )
  })

  it('trims spaces around the user_code', () => {
    expect(parse({ user_code: ' WDJB-MJHT ' }).userCode).toBe('WDJB-MJHT')
  })

  it('reads verification_url when verification_uri is absent (Google, Entra ID v1)', () => {
    const result = parse({
      verification_uri: undefined,
      verification_url: 'https://www.google.com/device'
    })
    expect(result.verificationUri).toBe('https://www.google.com/device')
  })

  it.each([
    ['missing', undefined, 'verification_uri is missing or not a string.'],
    ['relative', '/device', 'verification_uri is not an absolute URL'],
    [
      'javascript:',
      'javascript:alert(1)',
      'verification_uri uses javascript://; only https:// is accepted'
    ],
    ['http on a public host', 'http://id.example.com/device', 'verification_uri uses http://'],
    [
      'with credentials',
      'https://user:pw@id.example.com/device',
      'verification_uri contains a user name or password'
    ]
  ])('refuses a verification_uri that is %s', (_what, uri, problem) => {
    expect(problemOf({ verification_uri: uri })).toContain(problem)
  })

  it('accepts an http verification_uri on loopback (a local test provider)', () => {
    expect(parse({ verification_uri: 'http://127.0.0.1:3000/device' }).verificationUri).toBe(
      'http://127.0.0.1:3000/device'
    )
  })

  it.each([
    ['http on a public host', 'http://id.example.com/device?c=1', 'uses http://'],
    ['javascript:', 'javascript:alert(1)', 'uses javascript://'],
    ['not a string', 42, 'is not a string']
  ])('drops a verification_uri_complete that is %s, with a note', (_what, uri, problem) => {
    const result = parse({ verification_uri_complete: uri })
    expect(result.verificationUriComplete).toBeUndefined()
    expect(result.verificationUri).toBe(valid.verification_uri)
    expect(result.notes).toHaveLength(1)
    expect(result.notes[0]).toContain(`ignored verification_uri_complete: it ${problem}`)
  })

  it('leaves verificationUriComplete out, without a note, when the provider sends none', () => {
    const result = parse({ verification_uri_complete: undefined })
    expect(result).not.toHaveProperty('verificationUriComplete')
    expect(result.notes).toEqual([])
  })

  it('notes a missing expires_in (REQUIRED by RFC 8628 §3.2) instead of failing', () => {
    const result = parse({ expires_in: undefined })
    expect(result).not.toHaveProperty('expiresInSeconds')
    expect(result.notes).toEqual([expect.stringContaining('expires_in is missing')])
  })

  it.each([0, -1, '0'])(
    'refuses an expires_in of %j: the code would be expired already',
    (expiresIn) => {
      expect(problemOf({ expires_in: expiresIn })).toMatch(
        /^expires_in is -?\d+: the code would be expired already\.$/
      )
    }
  )

  it('accepts expires_in as a numeric string (Entra ID)', () => {
    expect(parse({ expires_in: '900' }).expiresInSeconds).toBe(900)
  })

  it.each([['soon'], [true], [{ s: 1 }]])(
    'refuses an expires_in of %j that is not a number of seconds',
    (expiresIn) => {
      expect(problemOf({ expires_in: expiresIn })).toContain('not a number of seconds')
    }
  )

  it('polls every 5 s when interval is missing (RFC 8628 §3.2), without a note', () => {
    const result = parse({ interval: undefined })
    expect(result.intervalSeconds).toBe(DEFAULT_INTERVAL_SECONDS)
    expect(DEFAULT_INTERVAL_SECONDS).toBe(5)
    expect(result.notes).toEqual([])
  })

  it('accepts interval as a numeric string', () => {
    const result = parse({ interval: '7' })
    expect(result.intervalSeconds).toBe(7)
    expect(result.notes).toEqual([])
  })

  it.each([0, -1, 0.5, 'abc', true])(
    'replaces an unusable interval of %j with 5 s, with a note',
    (interval) => {
      const result = parse({ interval })
      expect(result.intervalSeconds).toBe(5)
      expect(result.notes).toHaveLength(1)
      expect(result.notes[0]).toContain('polling interval')
      expect(result.notes[0]).toContain('is not usable; polling every 5 s')
    }
  )

  it('honours a very long interval (Keycloak 17 sent 600), with a note', () => {
    const result = parse({ interval: 600 })
    expect(result.intervalSeconds).toBe(600)
    expect(result.notes).toEqual([expect.stringContaining('only every 600 s')])
    expect(parse({ interval: 60 }).notes).toEqual([])
  })

  it('keeps Entra ID’s message, on one line', () => {
    const message =
      'To sign in, use a web browser to open the page https://microsoft.com/devicelogin\r\nand enter the code WDJB-MJHT.'
    expect(
      parse({
        message,
        verification_uri: 'https://microsoft.com/devicelogin',
        verification_uri_complete: undefined
      }).message
    ).toBe(
      'To sign in, use a web browser to open the page https://microsoft.com/devicelogin\\r\\nand enter the code WDJB-MJHT.'
    )
    expect(parse({ message: 42 })).not.toHaveProperty('message')
  })
})

describe('requestDeviceAuthorization (RFC 8628 §3.1)', () => {
  const request: DeviceAuthorizationRequest = {
    scope: 'openid offline_access',
    audience: 'https://api.example.com',
    resources: ['https://api.example.com/', 'https://files.example.com/'],
    extraParams: [
      ['prompt', 'consent'],
      ['acr_values', 'mfa']
    ]
  }
  const publicClient = { clientId: 'cli-app', method: 'none' as const }

  function context(): OAuthContext {
    return { http: createHttpTransport('test'), clock: new FakeClock(), requestTimeoutMs: 5000 }
  }

  beforeAll(() => nock.disableNetConnect())
  afterEach(() => nock.cleanAll())
  afterAll(() => {
    nock.enableNetConnect()
    nock.restore()
  })

  it('sends scope, audience, every resource and the extra params, and reads the answer', async () => {
    let body = ''
    const scope = nock(ORIGIN)
      .post('/oauth/device/code')
      .matchHeader('content-type', 'application/x-www-form-urlencoded')
      .matchHeader('accept', 'application/json')
      .reply(200, (_uri, raw) => {
        body = String(raw)
        return valid
      })
    const result = await requestDeviceAuthorization(context(), endpoint, publicClient, request)
    expect(result.userCode).toBe('WDJB-MJHT')
    const params = new URLSearchParams(body)
    expect(params.get('scope')).toBe('openid offline_access')
    expect(params.get('audience')).toBe('https://api.example.com')
    expect(params.getAll('resource')).toEqual([
      'https://api.example.com/',
      'https://files.example.com/'
    ])
    expect(params.get('prompt')).toBe('consent')
    expect(params.get('acr_values')).toBe('mfa')
    expect(params.get('client_id')).toBe('cli-app')
    expect(scope.isDone()).toBe(true)
  })

  it('leaves out scope and audience when not asked for', async () => {
    let body = ''
    const scope = nock(ORIGIN)
      .post('/oauth/device/code')
      .reply(200, (_uri, raw) => {
        body = String(raw)
        return valid
      })
    await requestDeviceAuthorization(context(), endpoint, publicClient, {
      resources: [],
      extraParams: []
    })
    expect(body).toBe('client_id=cli-app')
    expect(scope.isDone()).toBe(true)
  })

  it('authenticates a confidential client (client_secret_basic) and names it in the body too (Authlib 1.2)', async () => {
    const expected = `Basic ${Buffer.from('conf-app:s3cret').toString('base64')}`
    const scope = nock(ORIGIN)
      .post('/oauth/device/code', (b) => b.client_id === 'conf-app' && !('client_secret' in b))
      .matchHeader('authorization', expected)
      .reply(200, valid)
    const client = {
      clientId: 'conf-app',
      clientSecret: 's3cret',
      method: 'client_secret_basic' as const
    }
    await requestDeviceAuthorization(context(), endpoint, client, request)
    expect(scope.isDone()).toBe(true)
  })

  it('retries a 503, then uses the answer', async () => {
    const scope = nock(ORIGIN)
      .post('/oauth/device/code')
      .reply(503, 'Service Unavailable')
      .post('/oauth/device/code')
      .reply(200, valid)
    const result = await requestDeviceAuthorization(context(), endpoint, publicClient, request)
    expect(result.deviceCode).toBe(valid.device_code)
    expect(scope.isDone()).toBe(true)
  })

  it('turns invalid_client (400) into an OAuthError with advice on the credentials', async () => {
    const scope = nock(ORIGIN)
      .post('/oauth/device/code')
      .reply(400, { error: 'invalid_client', error_description: 'Client authentication failed' })
    const error = (await requestDeviceAuthorization(
      context(),
      endpoint,
      publicClient,
      request
    ).catch((e: unknown) => e)) as OAuthError
    expect(error).toBeInstanceOf(OAuthError)
    expect(error.status).toBe(400)
    expect(error.error).toBe('invalid_client')
    expect(error.message).toContain(
      'answered "invalid_client" (HTTP 400): Client authentication failed.'
    )
    expect(explainError(error)).toContain('check client-id, client-secret')
    expect(scope.isDone()).toBe(true)
  })

  it('turns unauthorized_client (403) into an OAuthError telling to enable the device flow', async () => {
    const scope = nock(ORIGIN)
      .post('/oauth/device/code')
      .reply(403, { error: 'unauthorized_client' })
    const error = (await requestDeviceAuthorization(
      context(),
      endpoint,
      publicClient,
      request
    ).catch((e: unknown) => e)) as OAuthError
    expect(error).toBeInstanceOf(OAuthError)
    expect(error.status).toBe(403)
    expect(explainError(error)).toContain(
      'enable the OAuth 2.0 Device Authorization Grant for it at the provider'
    )
    expect(scope.isDone()).toBe(true)
  })

  it('lets a provider advisor explain its own codes (Entra AADSTS7000218)', async () => {
    nock(ORIGIN).post('/oauth/device/code').reply(400, {
      error: 'invalid_client',
      error_description: 'AADSTS7000218: The request body must contain client_assertion'
    })
    const error = await requestDeviceAuthorization(
      context(),
      endpoint,
      publicClient,
      request
    ).catch((e: unknown) => e as OAuthError)
    expect(explainError(error as OAuthError, quirksFor(oidc))).toContain(
      'Allow public client flows'
    )
  })

  it('reports a 200 HTML page as a ProviderResponseError, with the wrong-URL hint', async () => {
    const scope = nock(ORIGIN)
      .post('/oauth/device/code')
      .reply(200, '<!doctype html><html><head><title>Sign in</title></head></html>', {
        'Content-Type': 'text/html'
      })
    const error = (await requestDeviceAuthorization(
      context(),
      endpoint,
      publicClient,
      request
    ).catch((e: unknown) => e)) as ProviderResponseError
    expect(error).toBeInstanceOf(ProviderResponseError)
    expect(error.status).toBe(200)
    expect(error.message).toContain('an HTML page titled "Sign in"')
    expect(error.message).toContain(
      'expected a JSON object with device_code, user_code and verification_uri'
    )
    expect(error.message).toContain('wrong URL')
    expect(scope.isDone()).toBe(true)
  })

  it('reports a 200 JSON answer without a device code, naming the field', async () => {
    nock(ORIGIN)
      .post('/oauth/device/code')
      .reply(200, { ...valid, device_code: undefined })
    await expect(
      requestDeviceAuthorization(context(), endpoint, publicClient, request)
    ).rejects.toThrow('device_code is missing or not a string')
  })
})
