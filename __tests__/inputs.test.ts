import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../src/errors.js'
import { parseExtraParams, parseTimeout, readConfig, type Config } from '../src/inputs.js'
import { RecordingRunner } from '../test-support/fakes.js'

const BASE = { 'client-id': 'my-client', issuer: 'https://id.example.com' }

const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
const PKCS8_PEM = ecKey.export({ type: 'pkcs8', format: 'pem' }) as string
const SEC1_PEM = ecKey.export({ type: 'sec1', format: 'pem' }) as string
const PRIVATE_JWK = ecKey.export({ format: 'jwk' }) as Record<string, string>
const rsaKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
const PKCS1_PEM = rsaKey.export({ type: 'pkcs1', format: 'pem' }) as string
const RSA_PKCS8_PEM = rsaKey.export({ type: 'pkcs8', format: 'pem' }) as string

/** Reads a config from BASE overridden by `inputs` ('' unsets an input). */
function configOf(
  inputs: Record<string, string> = {},
  env: Record<string, string | undefined> = {}
): Config {
  return readConfig(new RecordingRunner({ ...BASE, ...inputs }, env))
}

/** The InputError readConfig throws for these inputs; fails the test if it throws nothing. */
function errorOf(
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {},
  runner = new RecordingRunner({ ...BASE, ...inputs }, env)
): InputError {
  try {
    readConfig(runner)
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error(`expected an InputError for ${JSON.stringify(inputs)}`)
}

describe('readConfig: client-id', () => {
  it('requires client-id and says where to find it', () => {
    const error = errorOf({ 'client-id': '' })
    expect(error.input).toBe('client-id')
    expect(error.message).toMatch(/^Input 'client-id': is required/)
    expect(error.message).toContain('OAuth client ID registered at your identity provider')
  })

  it('refuses a client-id with spaces inside', () => {
    const error = errorOf({ 'client-id': 'my client' })
    expect(error.input).toBe('client-id')
    expect(error.message).toContain('without spaces')
  })

  it('refuses a client-id longer than 512 characters', () => {
    expect(errorOf({ 'client-id': 'a'.repeat(513) }).input).toBe('client-id')
    expect(configOf({ 'client-id': 'a'.repeat(512) }).clientId).toHaveLength(512)
  })

  it('keeps a valid client-id as given', () => {
    expect(configOf({ 'client-id': 'Iv1.0a1b2c3d-e_f' }).clientId).toBe('Iv1.0a1b2c3d-e_f')
  })
})

describe('readConfig: issuer and endpoints', () => {
  it('refuses an issuer that is not a URL', () => {
    const error = errorOf({ issuer: 'id.example.com' })
    expect(error.input).toBe('issuer')
    expect(error.message).toContain('is not an absolute URL')
  })

  it('refuses an http:// issuer that is not loopback', () => {
    const error = errorOf({ issuer: 'http://id.example.com' })
    expect(error.input).toBe('issuer')
    expect(error.message).toContain('use https://')
  })

  it.each(['http://127.0.0.1:8080', 'http://[::1]:8080', 'http://localhost:8080/realms/demo'])(
    'accepts an http:// issuer on loopback: %s',
    (issuer) => {
      expect(configOf({ issuer }).endpoints).toEqual({ issuer })
    }
  )

  it('refuses an issuer with a ?query part (RFC 8414 §2)', () => {
    const error = errorOf({ issuer: 'https://id.example.com/?tenant=a' })
    expect(error.input).toBe('issuer')
    expect(error.message).toContain('?query')
  })

  it('refuses an issuer with an empty ?query part (RFC 8414 §2)', () => {
    expect(errorOf({ issuer: 'https://id.example.com/?' }).input).toBe('issuer')
  })

  it('refuses an issuer with a #fragment', () => {
    expect(errorOf({ issuer: 'https://id.example.com/#x' }).message).toContain('#fragment')
  })

  it('keeps the issuer exactly as given (OIDC Discovery §4.3 compares it character for character)', () => {
    expect(configOf({ issuer: 'https://id.example.com/realms/demo/' }).endpoints.issuer).toBe(
      'https://id.example.com/realms/demo/'
    )
  })

  it('requires an issuer, a discovery-url or both endpoints, and names all three ways', () => {
    const error = errorOf({
      issuer: '',
      'device-authorization-endpoint': 'https://id.example.com/device'
    })
    expect(error.input).toBe('issuer')
    expect(error.message).toContain('discovery-url')
    expect(error.message).toContain('device-authorization-endpoint and token-endpoint')
  })

  it('accepts both endpoints without an issuer', () => {
    const endpoints = {
      'device-authorization-endpoint': 'https://id.example.com/device',
      'token-endpoint': 'https://id.example.com/token'
    }
    expect(configOf({ issuer: '', ...endpoints }).endpoints).toEqual({
      deviceAuthorizationEndpoint: 'https://id.example.com/device',
      tokenEndpoint: 'https://id.example.com/token'
    })
  })

  it('reads revocation-endpoint and checks it like the other endpoints', () => {
    expect(
      configOf({ 'revocation-endpoint': 'https://id.example.com/revoke' }).endpoints
        .revocationEndpoint
    ).toBe('https://id.example.com/revoke')
    expect(errorOf({ 'revocation-endpoint': 'http://id.example.com/revoke' }).input).toBe(
      'revocation-endpoint'
    )
  })

  it('accepts a discovery-url without an issuer', () => {
    const discoveryUrl = 'https://id.example.com/.well-known/openid-configuration'
    expect(configOf({ issuer: '', 'discovery-url': discoveryUrl }).endpoints).toEqual({
      discoveryUrl
    })
  })

  it('checks each endpoint input and names the one that is wrong', () => {
    const error = errorOf({ 'token-endpoint': 'http://id.example.com/token' })
    expect(error.input).toBe('token-endpoint')
  })

  it('never repeats a password written into a URL input', () => {
    const error = errorOf({ issuer: 'https://alice:hunter2-secret@id.example.com' })
    expect(error.input).toBe('issuer')
    expect(error.message).toContain('user name or password')
    expect(error.message).not.toContain('hunter2-secret')
    expect(error.message).not.toContain('alice')
  })
})

describe('readConfig: provider', () => {
  it('defaults to oidc', () => {
    expect(configOf().provider.name).toBe('oidc')
  })

  it('refuses an unknown provider and lists the known ones', () => {
    const error = errorOf({ provider: 'okta' })
    expect(error.input).toBe('provider')
    expect(error.message).toContain('"okta" is not a known provider')
    expect(error.message).toContain('oidc, github')
  })

  const github = { provider: 'github', issuer: '' }

  it('takes the GitHub endpoints from github-server-url first', () => {
    const config = configOf(
      { ...github, 'github-server-url': 'https://ghe.example.com' },
      { GITHUB_SERVER_URL: 'https://other.example.com' }
    )
    expect(config.provider.name).toBe('github')
    expect(config.endpoints).toEqual({
      deviceAuthorizationEndpoint: 'https://ghe.example.com/login/device/code',
      tokenEndpoint: 'https://ghe.example.com/login/oauth/access_token'
    })
  })

  it('takes the GitHub endpoints from GITHUB_SERVER_URL without github-server-url (GHES)', () => {
    const config = configOf(github, { GITHUB_SERVER_URL: 'https://ghe.example.com' })
    expect(config.endpoints).toEqual({
      deviceAuthorizationEndpoint: 'https://ghe.example.com/login/device/code',
      tokenEndpoint: 'https://ghe.example.com/login/oauth/access_token'
    })
  })

  it('uses https://github.com when neither github-server-url nor GITHUB_SERVER_URL is set', () => {
    expect(configOf(github).endpoints).toEqual({
      deviceAuthorizationEndpoint: 'https://github.com/login/device/code',
      tokenEndpoint: 'https://github.com/login/oauth/access_token'
    })
  })

  it('uses https://github.com when GITHUB_SERVER_URL is set but empty', () => {
    expect(configOf(github, { GITHUB_SERVER_URL: '' }).endpoints.tokenEndpoint).toBe(
      'https://github.com/login/oauth/access_token'
    )
  })

  it('does not double the slash after a github-server-url ending in /', () => {
    expect(
      configOf({ ...github, 'github-server-url': 'https://ghe.example.com/' }).endpoints
        .deviceAuthorizationEndpoint
    ).toBe('https://ghe.example.com/login/device/code')
  })

  it('accepts the provider name in any case', () => {
    expect(configOf({ ...github, provider: 'GitHub' }).provider.name).toBe('github')
  })

  it('refuses an http:// github-server-url that is not loopback', () => {
    const error = errorOf({ ...github, 'github-server-url': 'http://ghe.example.com' })
    expect(error.input).toBe('github-server-url')
  })

  it('refuses an issuer with provider github, which has no discovery', () => {
    const error = errorOf({ provider: 'github', issuer: 'https://github.com' })
    expect(error.input).toBe('issuer')
    expect(error.message).toContain('github-server-url')
  })

  it('refuses a discovery-url with provider github', () => {
    const error = errorOf({
      ...github,
      'discovery-url': 'https://github.com/.well-known/openid-configuration'
    })
    expect(error.input).toBe('discovery-url')
  })

  it('lets explicit endpoints override the GitHub preset', () => {
    const config = configOf({ ...github, 'token-endpoint': 'https://proxy.example.com/token' })
    expect(config.endpoints).toEqual({
      deviceAuthorizationEndpoint: 'https://github.com/login/device/code',
      tokenEndpoint: 'https://proxy.example.com/token'
    })
  })
})

describe('readConfig: client authentication', () => {
  it('defaults to auto', () => {
    expect(configOf().clientAuthMethod).toBe('auto')
  })

  it('refuses an unknown client-auth-method and lists the choices', () => {
    const error = errorOf({ 'client-auth-method': 'basic' })
    expect(error.input).toBe('client-auth-method')
    expect(error.message).toContain(
      'auto, none, client_secret_basic, client_secret_post, private_key_jwt'
    )
  })

  it('refuses none with a client-secret', () => {
    const error = errorOf({ 'client-auth-method': 'none', 'client-secret': 's3cret-value' })
    expect(error.input).toBe('client-auth-method')
    expect(error.message).toContain('client-secret is set')
  })

  it('refuses none with a client-private-key', () => {
    const error = errorOf({ 'client-auth-method': 'none', 'client-private-key': PKCS8_PEM })
    expect(error.input).toBe('client-auth-method')
    expect(error.message).toContain('client-private-key is set')
  })

  it.each(['client_secret_basic', 'client_secret_post'])(
    'requires client-secret with %s',
    (method) => {
      const error = errorOf({ 'client-auth-method': method })
      expect(error.input).toBe('client-secret')
      expect(error.message).toContain(`is required with client-auth-method: ${method}`)
    }
  )

  it.each(['client_secret_basic', 'client_secret_post'])(
    'says a client-private-key does not go with %s (rather than asking for a secret)',
    (method) => {
      const error = errorOf({ 'client-auth-method': method, 'client-private-key': PKCS8_PEM })
      expect(error.input).toBe('client-auth-method')
      expect(error.message).toContain('use private_key_jwt or auto')
    }
  )

  it('requires client-private-key with private_key_jwt', () => {
    const error = errorOf({ 'client-auth-method': 'private_key_jwt' })
    expect(error.input).toBe('client-private-key')
    expect(error.message).toContain('PKCS#8 PEM or a private JWK')
  })

  it('says a client-secret does not go with private_key_jwt (rather than asking for a key)', () => {
    const error = errorOf({
      'client-auth-method': 'private_key_jwt',
      'client-secret': 's3cret-value'
    })
    expect(error.input).toBe('client-auth-method')
    expect(error.message).toContain('client-secret is given instead of client-private-key')
  })

  it.each(['auto', 'private_key_jwt', 'client_secret_basic'])(
    'refuses a client-secret together with a client-private-key (method %s)',
    (method) => {
      const error = errorOf({
        'client-auth-method': method,
        'client-secret': 's3cret-value',
        'client-private-key': PKCS8_PEM
      })
      expect(error.input).toBe('client-secret')
      expect(error.message).toContain('are both set')
    }
  )

  it('accepts each consistent combination', () => {
    expect(configOf({ 'client-auth-method': 'none' }).clientAuthMethod).toBe('none')
    const basic = configOf({
      'client-auth-method': 'client_secret_basic',
      'client-secret': 's3cret'
    })
    expect(basic.clientAuthMethod).toBe('client_secret_basic')
    expect(basic.clientSecret).toBe('s3cret')
    const jwt = configOf({
      'client-auth-method': 'private_key_jwt',
      'client-private-key': PKCS8_PEM
    })
    expect(jwt.clientAuthMethod).toBe('private_key_jwt')
    expect(jwt.clientPrivateKey).toBe(PKCS8_PEM.trim())
  })

  it('accepts a PKCS#8 RSA key and a private JWK', () => {
    expect(configOf({ 'client-private-key': RSA_PKCS8_PEM }).clientPrivateKey).toBeDefined()
    const jwk = JSON.stringify(PRIVATE_JWK)
    expect(configOf({ 'client-private-key': jwk }).clientPrivateKey).toBe(jwk)
  })

  it('refuses a PKCS#1 key and gives the openssl command that converts it', () => {
    const error = errorOf({ 'client-private-key': PKCS1_PEM })
    expect(error.input).toBe('client-private-key')
    expect(error.message).toContain('openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem')
  })

  it('refuses a SEC1 EC key with the same openssl command', () => {
    expect(errorOf({ 'client-private-key': SEC1_PEM }).message).toContain('openssl pkcs8 -topk8')
  })

  it('refuses a JWK without the private member d', () => {
    const { d: _d, ...publicJwk } = PRIVATE_JWK
    const error = errorOf({ 'client-private-key': JSON.stringify(publicJwk) })
    expect(error.input).toBe('client-private-key')
    expect(error.message).toContain('not a private JWK')
  })

  it('refuses a key that is neither PEM nor JSON', () => {
    expect(errorOf({ 'client-private-key': 'not-a-key-at-all' }).message).toContain(
      'must be a PKCS#8 PEM'
    )
  })
})

describe('readConfig: scope, audience and resource', () => {
  it('normalises whitespace in scope to single spaces', () => {
    expect(configOf({ scope: 'openid  profile\n email' }).scope).toBe('openid profile email')
  })

  it('leaves scope unset when it is empty', () => {
    expect(configOf({ scope: '' })).not.toHaveProperty('scope')
  })

  it('refuses a scope with a quote (RFC 6749 §3.3)', () => {
    const error = errorOf({ scope: 'openid "profile"' })
    expect(error.input).toBe('scope')
    expect(error.message).toContain('RFC 6749 §3.3')
  })

  it('refuses comma-separated scopes for an OIDC provider and gives the spaced form', () => {
    const error = errorOf({ scope: 'openid,profile, email' })
    expect(error.input).toBe('scope')
    expect(error.message).toContain('separated by spaces (RFC 6749 §3.3)')
    expect(error.message).toContain('scope: openid profile email')
  })

  it("accepts GitHub's comma-separated scopes with provider: github", () => {
    expect(configOf({ provider: 'github', issuer: '', scope: 'repo,gist' }).scope).toBe('repo,gist')
  })

  it('refuses a scope with a backslash (RFC 6749 §3.3)', () => {
    expect(errorOf({ scope: 'read\\write' }).input).toBe('scope')
  })

  it('refuses an audience with a line break', () => {
    expect(errorOf({ audience: 'api://one\napi://two' }).input).toBe('audience')
    for (const lineBreak of ['\u0085', '\u2028', '\u2029', '\u009b'])
      expect(errorOf({ audience: `api://one${lineBreak}api://two` }).input).toBe('audience')
    expect(configOf({ audience: 'api://one' }).audience).toBe('api://one')
  })

  it('reads one absolute resource URI per line (RFC 8707 §2)', () => {
    const config = configOf({
      resource: 'https://api.example.com/\n\n  urn:example:resource  \r\nhttps://b.example.com'
    })
    expect(config.resources).toEqual([
      'https://api.example.com/',
      'urn:example:resource',
      'https://b.example.com'
    ])
  })

  it('has no resources when the input is empty', () => {
    expect(configOf().resources).toEqual([])
  })

  it('refuses a relative resource', () => {
    const error = errorOf({ resource: 'https://api.example.com\n/relative/path' })
    expect(error.input).toBe('resource')
    expect(error.message).toContain('"/relative/path"')
  })

  it('refuses a resource with a #fragment (RFC 8707 §2)', () => {
    expect(errorOf({ resource: 'https://api.example.com/#part' }).input).toBe('resource')
  })
})

describe('readConfig: extra-params', () => {
  it('reads key=value lines and ignores comments and blank lines', () => {
    const config = configOf({
      'extra-params': '# ask again\nprompt=login\n\n  # another comment\nacr_values = urn:mfa '
    })
    expect(config.extraParams).toEqual([
      ['prompt', 'login'],
      ['acr_values', 'urn:mfa']
    ])
  })

  it('keeps everything after the first = as the value', () => {
    expect(parseExtraParams('key=value=with=equals')).toEqual([['key', 'value=with=equals']])
  })

  it('allows an empty value', () => {
    expect(parseExtraParams('login_hint=')).toEqual([['login_hint', '']])
  })

  it('names the line number of a line that is not key=value', () => {
    const error = errorOf({ 'extra-params': 'prompt=login\n# comment\njust-a-word' })
    expect(error.input).toBe('extra-params')
    expect(error.message).toContain('line 3 is not key=value')
  })

  it('refuses a line with no key before =', () => {
    expect(errorOf({ 'extra-params': '=value' }).message).toContain('line 1 is not key=value')
  })

  it('refuses a key with characters a parameter name cannot have', () => {
    expect(errorOf({ 'extra-params': 'a b=c' }).message).toContain('is not a parameter name')
  })

  it('refuses a=1&b=2, which would send one parameter a with the value 1&b=2', () => {
    const error = errorOf({ 'extra-params': 'prompt=login\na=1&b=2' })
    expect(error.input).toBe('extra-params')
    expect(error.message).toContain('line 2')
    expect(error.message).toContain('"&b="')
    expect(error.message).toContain('one parameter a line')
  })

  it('keeps an & that does not start another key=value', () => {
    expect(parseExtraParams('note=salt & pepper')).toEqual([['note', 'salt & pepper']])
  })

  it('refuses a value with control characters', () => {
    expect(errorOf({ 'extra-params': 'a=b\tc' }).message).toContain('control characters')
  })

  it.each([
    ['client_id', 'use the client-id input'],
    ['client_secret', 'use the client-secret input'],
    ['client_assertion', 'private_key_jwt'],
    ['client_assertion_type', 'private_key_jwt'],
    ['grant_type', 'the action sets it'],
    ['device_code', 'the action sets it'],
    ['refresh_token', 'use the refresh-token input'],
    ['scope', 'use the scope input'],
    ['audience', 'use the audience input'],
    ['resource', 'use the resource input']
  ])('refuses the reserved parameter %s and says why', (key, reason) => {
    const error = errorOf({ 'extra-params': `prompt=login\n${key}=x` })
    expect(error.input).toBe('extra-params')
    expect(error.message).toContain(`line 2 sets ${key}, which extra-params may not override`)
    expect(error.message).toContain(reason)
  })

  it.each(['Client_ID', 'SCOPE', 'Grant_Type', 'RESOURCE'])(
    'refuses a reserved parameter in any case: %s',
    (key) => {
      expect(errorOf({ 'extra-params': `${key}=x` }).message).toContain(`sets ${key}`)
    }
  )
})

describe('readConfig: timeout', () => {
  it.each([
    ['900', 900],
    ['15m', 900],
    ['1h', 3600],
    ['2.5m', 150],
    [' 30s ', 30],
    ['6h', 21600],
    ['1s', 1],
    ['1h30m', 5400],
    ['2m30s', 150],
    ['1h 5m 10s', 3910],
    ['1H30M', 5400],
    ['5h60m', 21600]
  ])('reads %j as %d seconds', (text, seconds) => {
    expect(parseTimeout(text)).toBe(seconds)
    expect(configOf({ timeout: text }).timeoutSeconds).toBe(seconds)
  })

  it.each(['0', '-1', 'abc', '7h', '1d', '0.5s', '15 minutes', '30m1h', '1.5h30m', '6h1s', 'h'])(
    'refuses %j',
    (text) => {
      const error = errorOf({ timeout: text })
      expect(error.input).toBe('timeout')
      expect(error.message).toContain('between 1 second and 6 hours')
    }
  )

  it('leaves the timeout unset when the input is empty', () => {
    expect(parseTimeout('')).toBeUndefined()
    expect(configOf({ timeout: '' })).not.toHaveProperty('timeoutSeconds')
  })
})

describe('readConfig: mode, and an empty refresh-token (a missing or misspelt secret)', () => {
  it('defaults to auto: the device flow without a refresh token, nothing said to be missing', () => {
    const config = configOf()
    expect(config.mode).toBe('auto')
    expect(config).not.toHaveProperty('refreshToken')
    expect(config.refreshTokenMissing).toBe(false)
  })

  it('accepts refresh and device, and refuses another mode with the choices', () => {
    expect(configOf({ mode: 'refresh', 'refresh-token': 'rt-0123456789abcdef' }).mode).toBe(
      'refresh'
    )
    expect(configOf({ mode: 'device' }).mode).toBe('device')
    const error = errorOf({ mode: 'interactive' })
    expect(error.input).toBe('mode')
    expect(error.message).toContain('auto, refresh, device')
  })

  it('fails with mode: refresh and an empty refresh-token, naming the secret as the cause', () => {
    const error = errorOf({ mode: 'refresh', 'refresh-token': '' })
    expect(error.input).toBe('refresh-token')
    expect(error.message).toContain('mode: refresh never asks a person')
    expect(error.message).toContain('the secret is empty or missing')
    expect(error.message).toContain('check its name')
  })

  it('refuses on-refresh-failure: device with mode: refresh, which never asks a person', () => {
    const error = errorOf({
      mode: 'refresh',
      'refresh-token': 'rt-0123456789abcdef',
      'on-refresh-failure': 'device'
    })
    expect(error.input).toBe('on-refresh-failure')
    expect(error.message).toContain('never asks a person')
  })

  it('fails with on-refresh-failure: fail set and an empty refresh-token: the step meant to refresh', () => {
    const error = errorOf({ 'refresh-token': '', 'on-refresh-failure': 'fail' })
    expect(error.input).toBe('refresh-token')
    expect(error.message).toContain('is empty')
    expect(error.message).toContain('check its name')
    expect(error.message).toContain('on-refresh-failure: device')
  })

  it('marks the refresh token missing with on-refresh-failure: device and an empty refresh-token', () => {
    const config = configOf({ 'refresh-token': '', 'on-refresh-failure': 'device' })
    expect(config.refreshTokenMissing).toBe(true)
    expect(config).not.toHaveProperty('refreshToken')
  })

  it('does not mark it missing when the refresh token is there', () => {
    expect(
      configOf({ 'refresh-token': 'rt-0123456789abcdef', 'on-refresh-failure': 'device' })
        .refreshTokenMissing
    ).toBe(false)
  })

  it('refuses on-refresh-failure with mode: device, where it could never apply', () => {
    const error = errorOf({ mode: 'device', 'on-refresh-failure': 'device' })
    expect(error.input).toBe('on-refresh-failure')
    expect(error.message).toContain('mode: device')
  })

  it('keeps a refresh-token with mode: device, to compare the new refresh token with', () => {
    const config = configOf({ mode: 'device', 'refresh-token': 'old-rt' })
    expect(config.refreshToken).toBe('old-rt')
    expect(config.refreshTokenMissing).toBe(false)
  })
})

describe('readConfig: on-refresh-failure and summary', () => {
  it('defaults on-refresh-failure to fail and accepts device', () => {
    expect(configOf().onRefreshFailure).toBe('fail')
    expect(
      configOf({ 'refresh-token': 'rt-0123456789abcdef', 'on-refresh-failure': 'fail' })
        .onRefreshFailure
    ).toBe('fail')
    expect(configOf({ 'on-refresh-failure': 'device' }).onRefreshFailure).toBe('device')
  })

  it('refuses another on-refresh-failure and lists the choices', () => {
    const error = errorOf({ 'on-refresh-failure': 'retry' })
    expect(error.input).toBe('on-refresh-failure')
    expect(error.message).toContain('fail, device')
  })

  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
    ['', true]
  ])('reads summary %j as %s', (text, value) => {
    expect(configOf({ summary: text }).summary).toBe(value)
  })

  it.each(['yes', '1', 'tRUE'])('refuses summary %j', (text) => {
    const error = errorOf({ summary: text })
    expect(error.input).toBe('summary')
    expect(error.message).toContain('is not true or false')
  })
})

describe('readConfig: masking', () => {
  const SECRET = 'client-s3cret-value'
  const REFRESH = 'refresh-t0ken-value'

  it('masks client-secret and refresh-token even when another input is wrong', () => {
    const runner = new RecordingRunner({
      'client-secret': SECRET,
      'refresh-token': REFRESH,
      provider: 'nonsense'
    })
    expect(() => readConfig(runner)).toThrow(InputError)
    expect(runner.secrets).toEqual(expect.arrayContaining([SECRET, REFRESH]))
  })

  it('masks the secrets before it checks client-id', () => {
    const runner = new RecordingRunner({ 'client-secret': SECRET, 'refresh-token': REFRESH })
    expect(errorOf({}, {}, runner).input).toBe('client-id')
    expect(runner.secrets).toEqual(expect.arrayContaining([SECRET, REFRESH]))
  })

  it('masks every key-material line of a PEM client-private-key, even when client-id is missing', () => {
    const runner = new RecordingRunner({ 'client-private-key': RSA_PKCS8_PEM })
    expect(errorOf({}, {}, runner).input).toBe('client-id')
    const material = RSA_PKCS8_PEM.split('\n').filter((line) => line && !line.startsWith('-----'))
    expect(material.length).toBeGreaterThan(20)
    for (const line of material.filter((line) => line.length >= 8)) {
      expect(runner.secrets).toContain(line)
    }
  })

  it('masks a key even when it is the wrong format', () => {
    const runner = new RecordingRunner({ ...BASE, 'client-private-key': PKCS1_PEM })
    expect(errorOf({}, {}, runner).input).toBe('client-private-key')
    expect(runner.secrets).toContain(PKCS1_PEM.split('\n')[1])
  })

  it('does not mask the armour lines of a PEM key, nor the whole multi-line key at once', () => {
    // The runner masks a multi-line value line by line, armour lines included.
    const runner = new RecordingRunner({ ...BASE, 'client-private-key': PKCS8_PEM })
    readConfig(runner)
    expect(runner.secrets.some((secret) => secret.includes('-----'))).toBe(false)
  })

  it('masks the private members of a JWK, and the JWK when it is one line', () => {
    const jwk = JSON.stringify(PRIVATE_JWK)
    const runner = new RecordingRunner({ ...BASE, 'client-private-key': jwk })
    readConfig(runner)
    expect(runner.secrets).toContain(jwk)
    expect(runner.secrets).toContain(PRIVATE_JWK['d'])
  })

  it('masks the private member of a multi-line JWK without masking its braces', () => {
    const jwk = JSON.stringify(PRIVATE_JWK, null, 2)
    const runner = new RecordingRunner({ ...BASE, 'client-private-key': jwk })
    readConfig(runner)
    expect(runner.secrets).toContain(PRIVATE_JWK['d'])
    expect(runner.secrets).not.toContain('{')
    expect(runner.secrets).not.toContain(jwk)
  })

  it('registers no secrets when none are given', () => {
    const runner = new RecordingRunner(BASE)
    readConfig(runner)
    expect(runner.secrets).toEqual([])
  })

  it.each<[string, Record<string, string>]>([
    ['client-id missing', { 'client-id': '' }],
    ['unknown provider', { provider: 'nope' }],
    ['none with a secret', { 'client-auth-method': 'none' }],
    ['private_key_jwt with a secret', { 'client-auth-method': 'private_key_jwt' }],
    ['secret and key', { 'client-private-key': PKCS8_PEM }],
    ['bad scope', { scope: '"' }],
    ['bad timeout', { timeout: 'soon' }],
    ['reserved extra param', { 'extra-params': `client_secret=${SECRET}` }],
    ['malformed extra param', { 'extra-params': SECRET }],
    ['bad issuer', { issuer: 'not a url' }]
  ])('never puts a secret in the message (%s)', (_name, inputs) => {
    const runner = new RecordingRunner({
      ...BASE,
      'client-secret': SECRET,
      'refresh-token': REFRESH,
      ...inputs
    })
    const error = errorOf({}, {}, runner)
    expect(error.message).not.toContain(SECRET)
    expect(error.message).not.toContain(REFRESH)
  })
})

describe('readConfig: a complete configuration', () => {
  it('returns every input, read and checked', () => {
    const config = configOf({
      'client-secret': 's3cret',
      scope: 'openid offline_access',
      audience: 'https://api.example.com',
      resource: 'https://api.example.com/',
      'extra-params': 'prompt=consent',
      'refresh-token': 'rt-1-0123456789abcdef',
      'on-refresh-failure': 'device',
      timeout: '10m',
      summary: 'false',
      revoke: 'all',
      'store-refresh-token': 'environment/production/OAUTH_REFRESH_TOKEN',
      'secrets-token': 'github_pat_1',
      'refresh-token-expires-at': '2027-05-01T12:00:00Z',
      'refresh-token-expiry-warning-days': '14'
    })
    expect(config).toEqual({
      provider: expect.objectContaining({ name: 'oidc' }),
      endpoints: { issuer: 'https://id.example.com' },
      clientId: 'my-client',
      clientSecret: 's3cret',
      clientAuthMethod: 'auto',
      scope: 'openid offline_access',
      audience: 'https://api.example.com',
      resources: ['https://api.example.com/'],
      extraParams: [['prompt', 'consent']],
      mode: 'auto',
      refreshToken: 'rt-1-0123456789abcdef',
      onRefreshFailure: 'device',
      refreshTokenMissing: false,
      timeoutSeconds: 600,
      summary: false,
      revoke: 'all',
      storeRefreshToken: {
        target: { scope: 'environment', environment: 'production', name: 'OAUTH_REFRESH_TOKEN' },
        token: 'github_pat_1'
      },
      refreshTokenExpiresAtMs: Date.UTC(2027, 4, 1, 12),
      expiryWarningDays: 14,
      notify: { webhooks: [], reminders: false },
      qrCode: false
    })
  })
})

describe('readConfig: the token after the job (issue 9)', () => {
  it('revokes the access token by default, and reads all and none', () => {
    expect(configOf({}).revoke).toBe('access-token')
    expect(configOf({ revoke: 'all' }).revoke).toBe('all')
    expect(configOf({ revoke: 'none' }).revoke).toBe('none')
    const error = errorOf({ revoke: 'refresh-token' })
    expect(error.input).toBe('revoke')
    expect(error.message).toContain('access-token, all, none')
  })

  it('requires secrets-token with store-refresh-token, and says GITHUB_TOKEN cannot write secrets', () => {
    const error = errorOf({ 'store-refresh-token': 'OAUTH_REFRESH_TOKEN' })
    expect(error.input).toBe('secrets-token')
    expect(error.message).toContain('GITHUB_TOKEN cannot write secrets')
    expect(error.message).toContain('"Secrets" permission')
  })

  it('masks secrets-token before anything else can print it', () => {
    const runner = new RecordingRunner({ ...BASE, 'secrets-token': 'github_pat_xyz' })
    readConfig(runner)
    expect(runner.secrets).toContain('github_pat_xyz')
  })

  it('reads the warning window and refuses anything but whole days', () => {
    expect(configOf({}).expiryWarningDays).toBe(7)
    expect(configOf({ 'refresh-token-expiry-warning-days': '0' }).expiryWarningDays).toBe(0)
    for (const bad of ['-1', '1.5', 'week', '99999']) {
      expect(errorOf({ 'refresh-token-expiry-warning-days': bad }).input).toBe(
        'refresh-token-expiry-warning-days'
      )
    }
  })

  it('reads refresh-token-expires-at as the output writes it, and refuses a time without a zone', () => {
    expect(
      configOf({ 'refresh-token-expires-at': '2027-05-01T14:00:00+02:00' }).refreshTokenExpiresAtMs
    ).toBe(Date.UTC(2027, 4, 1, 12))
    const error = errorOf({ 'refresh-token-expires-at': '2027-05-01 12:00' })
    expect(error.input).toBe('refresh-token-expires-at')
    expect(error.message).toContain('2027-05-01T12:00:00Z')
  })
})
