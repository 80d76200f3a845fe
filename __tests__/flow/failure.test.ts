import { describe, expect, it } from '@jest/globals'
import { adviceFor } from '../../src/flow/failure.js'

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
