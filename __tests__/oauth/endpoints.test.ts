import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import nock from 'nock'
import { ProviderResponseError } from '../../src/errors.js'
import {
  discoveryCandidates,
  resolveEndpoints,
  type EndpointInputs
} from '../../src/oauth/endpoints.js'
import type { OAuthContext } from '../../src/oauth/exchange.js'
import { createHttpTransport } from '../../src/oauth/http.js'
import { FakeClock } from '../../test-support/fakes.js'

const ISSUER = 'https://id.example.com'

function context(): OAuthContext {
  return { http: createHttpTransport('test'), clock: new FakeClock(), requestTimeoutMs: 5000 }
}

function documentFor(
  issuer: string,
  overrides: Record<string, unknown> = {}
): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    device_authorization_endpoint: `${issuer}/device/code`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    userinfo_endpoint: `${issuer}/userinfo`,
    revocation_endpoint: `${issuer}/revoke`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 42],
    ...overrides
  }
}

async function failure(inputs: EndpointInputs): Promise<ProviderResponseError> {
  const error = await resolveEndpoints(context(), inputs).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ProviderResponseError)
  return error as ProviderResponseError
}

beforeAll(() => nock.disableNetConnect())
afterEach(() => nock.cleanAll())
afterAll(() => {
  nock.enableNetConnect()
  nock.restore()
})

describe('discoveryCandidates', () => {
  it('tries OIDC Discovery, then RFC 8414 with the path inserted, then the appended form', () => {
    expect(discoveryCandidates('https://id.example.com/tenant/a/')).toEqual([
      'https://id.example.com/tenant/a/.well-known/openid-configuration',
      'https://id.example.com/.well-known/oauth-authorization-server/tenant/a',
      'https://id.example.com/tenant/a/.well-known/oauth-authorization-server'
    ])
  })

  it('has no appended form for an issuer without a path', () => {
    expect(discoveryCandidates('https://id.example.com')).toEqual([
      'https://id.example.com/.well-known/openid-configuration',
      'https://id.example.com/.well-known/oauth-authorization-server'
    ])
  })
})

describe('resolveEndpoints', () => {
  it('reads the endpoints from the OpenID Connect discovery document', async () => {
    const scope = nock(ISSUER)
      .get('/.well-known/openid-configuration')
      .matchHeader('accept', 'application/json')
      .reply(200, documentFor(ISSUER))
    const metadata = await resolveEndpoints(context(), { issuer: ISSUER })
    expect(metadata).toEqual({
      issuer: ISSUER,
      deviceAuthorizationEndpoint: `${ISSUER}/device/code`,
      tokenEndpoint: `${ISSUER}/token`,
      jwksUri: `${ISSUER}/jwks`,
      userinfoEndpoint: `${ISSUER}/userinfo`,
      revocationEndpoint: `${ISSUER}/revoke`,
      tokenEndpointAuthMethods: ['client_secret_post', 'private_key_jwt'],
      source: `discovery at ${ISSUER}/.well-known/openid-configuration`
    })
    expect(scope.isDone()).toBe(true)
  })

  it('falls back to RFC 8414 §3.1, inserting the well-known path before the issuer path, after a 404', async () => {
    const issuer = `${ISSUER}/tenant/a`
    const scope = nock(ISSUER)
      .get('/tenant/a/.well-known/openid-configuration')
      .reply(404)
      .get('/.well-known/oauth-authorization-server/tenant/a')
      .reply(200, documentFor(issuer))
    const metadata = await resolveEndpoints(context(), { issuer })
    expect(metadata.tokenEndpoint).toBe(`${issuer}/token`)
    expect(metadata.source).toBe(
      `discovery at ${ISSUER}/.well-known/oauth-authorization-server/tenant/a`
    )
    expect(scope.isDone()).toBe(true)
  })

  it('then tries the RFC 8414 suffix appended to the issuer path', async () => {
    const issuer = `${ISSUER}/tenant/a`
    const scope = nock(ISSUER)
      .get('/tenant/a/.well-known/openid-configuration')
      .reply(404)
      .get('/.well-known/oauth-authorization-server/tenant/a')
      .reply(410)
      .get('/tenant/a/.well-known/oauth-authorization-server')
      .reply(200, documentFor(issuer))
    const metadata = await resolveEndpoints(context(), { issuer })
    expect(metadata.deviceAuthorizationEndpoint).toBe(`${issuer}/device/code`)
    expect(scope.isDone()).toBe(true)
  })

  it('lists every URL it tried when none has a document', async () => {
    const issuer = `${ISSUER}/tenant/a`
    const scope = nock(ISSUER)
      .get('/tenant/a/.well-known/openid-configuration')
      .reply(404)
      .get('/.well-known/oauth-authorization-server/tenant/a')
      .reply(404)
      .get('/tenant/a/.well-known/oauth-authorization-server')
      .reply(404)
    const error = await failure({ issuer })
    expect(error.status).toBe(404)
    expect(error.message).toContain(`No discovery document was found for the issuer ${issuer}`)
    expect(error.message).toContain(`${issuer}/.well-known/openid-configuration`)
    expect(error.message).toContain(`${ISSUER}/.well-known/oauth-authorization-server/tenant/a`)
    expect(error.message).toContain(`${issuer}/.well-known/oauth-authorization-server `)
    expect(error.message).toContain('set discovery-url')
    expect(scope.isDone()).toBe(true)
  })

  it('reports a failure other than 404 instead of trying the next URL', async () => {
    const scope = nock(ISSUER)
      .get('/.well-known/openid-configuration')
      .times(3)
      .reply(500, '<html><head><title>Internal Server Error</title></head></html>', {
        'Content-Type': 'text/html'
      })
    const error = await failure({ issuer: ISSUER })
    expect(error.status).toBe(500)
    expect(error.message).toContain(
      `(${ISSUER}/.well-known/openid-configuration) answered HTTP 500`
    )
    expect(error.message).toContain('HTML page titled "Internal Server Error"')
    expect(error.message).toContain('expected a JSON discovery document')
    // The three attempts were the retries of the first URL; RFC 8414's was never asked.
    expect(scope.isDone()).toBe(true)
  })

  it('retries a 503 from the discovery URL, then uses the document', async () => {
    const scope = nock(ISSUER)
      .get('/.well-known/openid-configuration')
      .reply(503)
      .get('/.well-known/openid-configuration')
      .reply(200, documentFor(ISSUER))
    const metadata = await resolveEndpoints(context(), { issuer: ISSUER })
    expect(metadata.tokenEndpoint).toBe(`${ISSUER}/token`)
    expect(scope.isDone()).toBe(true)
  })

  it('refuses a document whose issuer differs from the issuer input (OIDC Discovery §4.3)', async () => {
    const scope = nock(ISSUER)
      .get('/.well-known/openid-configuration')
      .reply(200, documentFor('https://other.example.com'))
    const error = await failure({ issuer: ISSUER })
    expect(error.message).toContain(
      `names the issuer https://other.example.com, but the issuer input is ${ISSUER}`
    )
    expect(error.message).toContain('OpenID Connect Discovery §4.3')
    expect(scope.isDone()).toBe(true)
  })

  it('refuses a document that differs from the issuer only by a trailing slash', async () => {
    nock(ISSUER)
      .get('/.well-known/openid-configuration')
      .reply(200, documentFor(`${ISSUER}/`))
    const error = await failure({ issuer: ISSUER })
    expect(error.message).toContain('§4.3')
  })

  it('refuses a document without an issuer', async () => {
    nock(ISSUER)
      .get('/.well-known/openid-configuration')
      .reply(200, documentFor(ISSUER, { issuer: undefined }))
    const error = await failure({ issuer: ISSUER })
    expect(error.message).toContain('has no issuer')
  })

  it('tells how to fix a document without device_authorization_endpoint', async () => {
    const scope = nock(ISSUER)
      .get('/.well-known/openid-configuration')
      .reply(200, documentFor(ISSUER, { device_authorization_endpoint: undefined }))
    const error = await failure({ issuer: ISSUER })
    expect(error.message).toBe(
      `The discovery document at ${ISSUER}/.well-known/openid-configuration has no device_authorization_endpoint. Enable the device flow (device authorization grant) for this provider or client, or set the device-authorization-endpoint input.`
    )
    expect(scope.isDone()).toBe(true)
  })

  it('tells how to fix a document without token_endpoint', async () => {
    nock(ISSUER)
      .get('/.well-known/openid-configuration')
      .reply(200, documentFor(ISSUER, { token_endpoint: '' }))
    const error = await failure({ issuer: ISSUER })
    expect(error.message).toContain('has no token_endpoint. Set the token-endpoint input.')
  })

  it('makes no request at all when both endpoints are given', async () => {
    // disableNetConnect and no interceptor: any request would fail.
    const metadata = await resolveEndpoints(context(), {
      issuer: ISSUER,
      deviceAuthorizationEndpoint: 'https://id.example.com/dev',
      tokenEndpoint: 'https://id.example.com/tok'
    })
    expect(metadata).toEqual({
      issuer: ISSUER,
      deviceAuthorizationEndpoint: 'https://id.example.com/dev',
      tokenEndpoint: 'https://id.example.com/tok',
      source: 'the device-authorization-endpoint and token-endpoint inputs'
    })
    expect(nock.pendingMocks()).toEqual([])
  })

  it('lets one endpoint given by hand override the discovered one', async () => {
    const scope = nock(ISSUER)
      .get('/.well-known/openid-configuration')
      .reply(200, documentFor(ISSUER))
    const metadata = await resolveEndpoints(context(), {
      issuer: ISSUER,
      tokenEndpoint: 'https://gateway.example.com/token'
    })
    expect(metadata.tokenEndpoint).toBe('https://gateway.example.com/token')
    expect(metadata.deviceAuthorizationEndpoint).toBe(`${ISSUER}/device/code`)
    expect(scope.isDone()).toBe(true)
  })

  it('lets revocation-endpoint override the discovered revocation_endpoint (RFC 7009)', async () => {
    nock(ISSUER)
      .get('/.well-known/openid-configuration')
      .reply(200, documentFor(ISSUER, { revocation_endpoint: 'http://id.example.com/revoke' }))
    const metadata = await resolveEndpoints(context(), {
      issuer: ISSUER,
      revocationEndpoint: 'https://gateway.example.com/revoke'
    })
    expect(metadata.revocationEndpoint).toBe('https://gateway.example.com/revoke')
  })

  it('keeps revocation-endpoint when both other endpoints are given and nothing is discovered', async () => {
    const metadata = await resolveEndpoints(context(), {
      deviceAuthorizationEndpoint: 'https://id.example.com/dev',
      tokenEndpoint: 'https://id.example.com/tok',
      revocationEndpoint: 'https://id.example.com/rev'
    })
    expect(metadata.revocationEndpoint).toBe('https://id.example.com/rev')
    expect(nock.pendingMocks()).toEqual([])
  })

  it('accepts a document without device_authorization_endpoint when it is given by hand', async () => {
    const scope = nock(ISSUER)
      .get('/.well-known/openid-configuration')
      .reply(200, documentFor(ISSUER, { device_authorization_endpoint: undefined }))
    const metadata = await resolveEndpoints(context(), {
      issuer: ISSUER,
      deviceAuthorizationEndpoint: 'https://id.example.com/oauth/device'
    })
    expect(metadata.deviceAuthorizationEndpoint).toBe('https://id.example.com/oauth/device')
    expect(scope.isDone()).toBe(true)
  })

  it('ignores an unusable listed endpoint that is given by hand, as the error advises', async () => {
    nock(ISSUER)
      .get('/.well-known/openid-configuration')
      .reply(
        200,
        documentFor(ISSUER, { device_authorization_endpoint: 'http://id.example.com/device' })
      )
    const metadata = await resolveEndpoints(context(), {
      issuer: ISSUER,
      deviceAuthorizationEndpoint: 'https://id.example.com/device'
    })
    expect(metadata.deviceAuthorizationEndpoint).toBe('https://id.example.com/device')
  })

  it('uses discovery-url as it is, and checks the issuer only when one is given', async () => {
    const scope = nock('https://config.example.com')
      .get('/custom/metadata.json')
      .reply(200, documentFor(ISSUER))
    const metadata = await resolveEndpoints(context(), {
      discoveryUrl: 'https://config.example.com/custom/metadata.json'
    })
    expect(metadata.issuer).toBe(ISSUER)
    expect(metadata.source).toBe('discovery at https://config.example.com/custom/metadata.json')
    expect(scope.isDone()).toBe(true)
  })

  it('reports a 404 at discovery-url instead of guessing other places', async () => {
    const scope = nock('https://config.example.com').get('/metadata.json').reply(404)
    const error = await failure({
      issuer: ISSUER,
      discoveryUrl: 'https://config.example.com/metadata.json'
    })
    expect(error.status).toBe(404)
    expect(error.message).toContain('(https://config.example.com/metadata.json) answered HTTP 404')
    expect(scope.isDone()).toBe(true)
  })

  it('follows an https redirect and reports the final URL as the source', async () => {
    const scope = nock(ISSUER)
      .get('/.well-known/openid-configuration')
      .reply(301, '', { Location: 'https://static.example.com/oidc.json' })
    const cdn = nock('https://static.example.com').get('/oidc.json').reply(200, documentFor(ISSUER))
    const metadata = await resolveEndpoints(context(), { issuer: ISSUER })
    expect(metadata.source).toBe('discovery at https://static.example.com/oidc.json')
    expect(scope.isDone() && cdn.isDone()).toBe(true)
  })

  it.each(['token_endpoint', 'device_authorization_endpoint', 'jwks_uri', 'userinfo_endpoint'])(
    'refuses a document whose %s uses http:// on a host that is not loopback',
    async (field) => {
      nock(ISSUER)
        .get('/.well-known/openid-configuration')
        .reply(200, documentFor(ISSUER, { [field]: 'http://id.example.com/x' }))
      const error = await failure({ issuer: ISSUER })
      expect(error.message).toContain(`lists a ${field} that uses http://`)
    }
  )

  it('refuses a listed endpoint that is not a string', async () => {
    nock(ISSUER)
      .get('/.well-known/openid-configuration')
      .reply(200, documentFor(ISSUER, { token_endpoint: ['https://id.example.com/token'] }))
    const error = await failure({ issuer: ISSUER })
    expect(error.message).toContain('lists a token_endpoint that is not a string')
  })

  it('accepts Entra ID’s {tenantid} issuer template for a multi-tenant authority', async () => {
    const authority = 'https://login.microsoftonline.com/common/v2.0'
    const scope = nock('https://login.microsoftonline.com')
      .get('/common/v2.0/.well-known/openid-configuration')
      .reply(200, {
        issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
        device_authorization_endpoint:
          'https://login.microsoftonline.com/common/oauth2/v2.0/devicecode',
        token_endpoint: 'https://login.microsoftonline.com/common/oauth2/v2.0/token'
      })
    const metadata = await resolveEndpoints(context(), { issuer: authority })
    expect(metadata.issuer).toBe(authority)
    expect(metadata.deviceAuthorizationEndpoint).toBe(
      'https://login.microsoftonline.com/common/oauth2/v2.0/devicecode'
    )
    expect(scope.isDone()).toBe(true)
  })

  it('does not let the {tenantid} template stand for another host', async () => {
    nock('https://login.example.com')
      .get('/common/v2.0/.well-known/openid-configuration')
      .reply(200, documentFor('https://login.microsoftonline.com/{tenantid}/v2.0'))
    const error = await failure({ issuer: 'https://login.example.com/common/v2.0' })
    expect(error.message).toContain('§4.3')
  })
})
