import { describe, expect, it } from '@jest/globals'
import { unstoredRefreshToken } from '../../src/flow/store-refresh-token.js'

const rotated = { value: 'rt-new', mustStore: true }

describe('unstoredRefreshToken: a refresh token this step does not store, that must be stored', () => {
  it('is one a refresh rotated: the secret holds a dead one now', () => {
    expect(
      unstoredRefreshToken(
        { refreshToken: 'rt-old', refreshTokenMissing: false },
        rotated,
        'refreshed'
      )
    ).toBe('rotated')
  })

  it("is a device flow's when the workflow refreshes from a secret (given, empty) or asked for offline_access", () => {
    expect(
      unstoredRefreshToken(
        { refreshToken: 'rt-dead', refreshTokenMissing: false },
        rotated,
        'approved'
      )
    ).toBe('new')
    expect(unstoredRefreshToken({ refreshTokenMissing: true }, rotated, 'approved')).toBe('new')
    expect(
      unstoredRefreshToken(
        { refreshTokenMissing: false, scope: 'openid offline_access' },
        rotated,
        'approved'
      )
    ).toBe('new')
  })

  it('is nothing for a gate that asked for no refresh token, or when nothing changed or came', () => {
    expect(
      unstoredRefreshToken(
        { refreshTokenMissing: false, scope: 'openid profile' },
        rotated,
        'approved'
      )
    ).toBeUndefined()
    expect(
      unstoredRefreshToken(
        { refreshToken: 'rt', refreshTokenMissing: false },
        { value: 'rt', mustStore: false },
        'refreshed'
      )
    ).toBeUndefined()
    expect(
      unstoredRefreshToken({ refreshTokenMissing: true }, { mustStore: false }, 'approved')
    ).toBeUndefined()
  })

  it('is nothing for a handed-off refresh token, which the handoff output carries on', () => {
    expect(
      unstoredRefreshToken({ refreshTokenMissing: false }, rotated, 'handoff-opened')
    ).toBeUndefined()
  })

  it('does not take offline_access for later runs in a job that hands its tokens on', () => {
    const handoff = { key: 'k' } as never
    expect(
      unstoredRefreshToken(
        { refreshTokenMissing: false, scope: 'openid offline_access', handoff },
        rotated,
        'approved'
      )
    ).toBeUndefined()
  })
})
