import { describe, expect, it } from '@jest/globals'
import { WaitEndedError } from '../../src/errors.js'
import { adviceFor, failureOf } from '../../src/flow/failure.js'

describe('adviceFor: what to do about an OAuth error', () => {
  it('names Authlib 1.2 filing the device code under another client for unauthorized_client at the poll', () => {
    const advice = adviceFor({ error: 'unauthorized_client' }, 'device-token', [])
    expect(advice).toContain('enable the OAuth 2.0 Device Authorization Grant')
    expect(advice).toContain('Authlib 1.2')
    expect(advice).toContain('authlib issue 798')
    expect(advice).toContain('client-auth-method: client_secret_post')
  })

  it('keeps unauthorized_client at the device endpoint and at a refresh to their own causes', () => {
    expect(adviceFor({ error: 'unauthorized_client' }, 'device-authorization', [])).not.toContain(
      'Authlib'
    )
    expect(adviceFor({ error: 'unauthorized_client' }, 'refresh', [])).toContain(
      'refresh token grant'
    )
  })
})

describe('failureOf: a denial', () => {
  const denied = new WaitEndedError(
    'denied',
    'The request was denied (access_denied). Ask the approver which it was.'
  )

  it('blames the empty scope input, not the approver, when no scope was asked (oidc-provider refuses those)', () => {
    const failure = failureOf(denied, undefined, { provider: 'oidc' })
    expect(failure.ending).toBe('denied')
    expect(failure.message).toContain('it asked for no scope: the scope input is empty')
    expect(failure.message).toContain('Set scope (scope: openid')
    expect(failure.message).not.toContain('Ask the approver')
  })

  it('keeps the denial as it was when a scope was asked, or at GitHub (which has default scopes)', () => {
    expect(failureOf(denied, undefined, { scope: 'openid', provider: 'oidc' }).message).toBe(
      denied.message
    )
    expect(failureOf(denied, undefined, { provider: 'github' }).message).toBe(denied.message)
  })
})
