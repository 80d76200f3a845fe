import { describe, expect, it } from '@jest/globals'
import { expiryWarning, refreshTokenExpiresAtMs } from '../../src/flow/refresh-token-expiry.js'

const NOW = Date.UTC(2026, 11, 2, 12)
const DAY = 24 * 3600 * 1000

describe('refresh token expiry', () => {
  it('takes the lifetime the provider gave with the new refresh token', () => {
    expect(
      refreshTokenExpiresAtMs(
        { refreshToken: 'old', refreshTokenExpiresAtMs: NOW + 100 * DAY },
        { accessToken: 'a', refreshToken: 'new', refreshTokenExpiresInSeconds: 3600 },
        NOW
      )
    ).toBe(NOW + 3600_000)
  })

  it('takes refresh-token-expires-at while the stored token is still the one in use', () => {
    const config = { refreshToken: 'rt', refreshTokenExpiresAtMs: NOW + 2 * DAY }
    expect(refreshTokenExpiresAtMs(config, { accessToken: 'a' }, NOW)).toBe(NOW + 2 * DAY)
    expect(refreshTokenExpiresAtMs(config, { accessToken: 'a', refreshToken: 'rt' }, NOW)).toBe(
      NOW + 2 * DAY
    )
    // Rotated without a lifetime: the input was about the old token.
    expect(
      refreshTokenExpiresAtMs(config, { accessToken: 'a', refreshToken: 'rt-2' }, NOW)
    ).toBeUndefined()
  })

  it('warns within the window, and not before it', () => {
    expect(expiryWarning(NOW + 8 * DAY, 7, NOW)).toBeUndefined()
    expect(expiryWarning(NOW + 3 * DAY + 5000, 7, NOW)).toBe(
      'The refresh token expires at 2026-12-05T12:00:05Z, in 3 days. Run the workflow with the device flow before then (on-refresh-failure: device, or without refresh-token) so that a person approves again and the new refresh token is stored; jobs that start from the old one will fail.'
    )
    expect(expiryWarning(NOW + DAY + 1, 7, NOW)).toContain('in 1 day.')
    expect(expiryWarning(NOW + 3600_000, 7, NOW)).toContain('in less than a day')
    expect(expiryWarning(NOW - 1, 7, NOW)).toMatch(/^The refresh token has expired\./)
  })

  it('never warns with 0 days, or when nobody knows', () => {
    expect(expiryWarning(NOW + 1000, 0, NOW)).toBeUndefined()
    expect(expiryWarning(undefined, 7, NOW)).toBeUndefined()
  })
})
