import { describe, expect, it } from '@jest/globals'
import type { OAuthErrorBody } from '../../src/errors.js'
import type { RequestKind } from '../../src/oauth/provider-errors.js'
import { oidc, PROVIDERS, quirksFor, RECOGNIZED } from '../../src/providers/quirks.js'

/** The first advice the advisors give, as oauthError picks it. */
function advice(
  endpoints: Parameters<typeof quirksFor>[1],
  body: OAuthErrorBody,
  kind: RequestKind = 'device-token'
) {
  return quirksFor(oidc, endpoints)
    .advisors.map((advise) => advise(body, kind))
    .find(Boolean)
}

function at(base: string) {
  return { deviceAuthorizationEndpoint: `${base}/device`, tokenEndpoint: `${base}/token` }
}

describe('providers recognized by their endpoints (provider: oidc)', () => {
  it('offers presets only for providers that need one: oidc and github', () => {
    expect(Object.keys(PROVIDERS)).toEqual(['oidc', 'github'])
    expect(RECOGNIZED.map((provider) => provider.name)).toEqual([
      'Microsoft Entra ID',
      'Google',
      'Auth0',
      'Okta',
      'Keycloak'
    ])
  })

  it.each([
    [
      'Google',
      'https://oauth2.googleapis.com',
      { error: 'invalid_client' },
      /TVs and Limited Input devices/
    ],
    ['Auth0', 'https://example.eu.auth0.com/oauth', { error: 'unauthorized_client' }, /Native/],
    [
      'Okta',
      'https://example.oktapreview.com/oauth2/v1',
      { error: 'unauthorized_client' },
      /Native \(OIDC\) app/
    ],
    [
      'Keycloak',
      'https://sso.example.com/realms/ci/protocol/openid-connect',
      {
        error: 'unauthorized_client',
        errorDescription: 'Client is not allowed to initiate OAuth 2.0 Device Authorization Grant.'
      },
      /Capability config/
    ],
    [
      'Entra ID',
      'https://login.microsoftonline.com/common/oauth2/v2.0',
      { error: 'bad_verification_code' },
      /did not recognize the device code/
    ]
  ])('recognizes %s by its endpoints and explains its console', (_name, base, body, expected) => {
    expect(advice(at(base), body as OAuthErrorBody)).toMatch(expected)
  })

  it("gives no provider's advice to a provider it does not recognize (a custom domain, say)", () => {
    const custom = at('https://login.example.com/oauth')
    expect(advice(custom, { error: 'unauthorized_client' })).toBeUndefined()
    expect(advice(custom, { error: 'invalid_client' })).toBeUndefined()
    expect(advice(undefined, { error: 'invalid_client' })).toBeUndefined()
  })

  it('does not mistake look-alike hosts for the real ones', () => {
    expect(
      advice(at('https://auth0.com.evil.example'), { error: 'unauthorized_client' })
    ).toBeUndefined()
    expect(
      advice(at('https://googleapis.com.evil.example'), { error: 'invalid_client' })
    ).toBeUndefined()
    expect(advice(at('https://notokta.com'), { error: 'unauthorized_client' })).toBeUndefined()
  })

  it("explains Entra ID's AADSTS codes wherever they come from", () => {
    const body = {
      error: 'invalid_grant',
      errorDescription: 'AADSTS53003: Access has been blocked by Conditional Access policies.'
    }
    expect(advice(at('https://proxy.example.com'), body)).toMatch(/Conditional Access/)
    expect(advice(undefined, body)).toMatch(/Conditional Access/)
  })

  it("puts the preset's own advice first (GitHub)", () => {
    const github = PROVIDERS['github']!
    const first = quirksFor(github, at('https://github.com/login'))
      .advisors.map((advise) => advise({ error: 'unauthorized_client' }, 'refresh'))
      .find(Boolean)
    expect(first).toMatch(/device flow needs only the client-id/)
  })
})
