import { describe, expect, it } from '@jest/globals'
import type { TokenSet } from '../../src/oauth/token.js'
import { maskTokens, publishTokens, refreshTokenToStore } from '../../src/flow/outputs.js'
import { RecordingRunner } from '../../test-support/fakes.js'

const NOW = Date.UTC(2026, 10, 24, 10, 0, 0)

const FULL: TokenSet = {
  accessToken: 'access-token-value',
  tokenType: 'Bearer',
  refreshToken: 'refresh-token-value',
  idToken: 'eyJhbGciOiJSUzI1NiJ9.payload.signature',
  expiresInSeconds: 3600,
  scope: 'openid offline_access',
  refreshTokenExpiresInSeconds: 15_897_600
}

const SECRET_OUTPUTS = ['access-token', 'refresh-token', 'id-token']

/** Fails unless each secret output's value was masked before the event that set it. */
function expectMaskedBeforeOutput(runner: RecordingRunner): void {
  runner.events.forEach((event, index) => {
    const match = /^output:([^=]+)=(.*)$/s.exec(event)
    if (!match || !SECRET_OUTPUTS.includes(match[1] as string)) return
    const maskedAt = runner.events.indexOf(`mask:${match[2]}`)
    expect({ event, maskedBefore: maskedAt !== -1 && maskedAt < index }).toEqual({
      event,
      maskedBefore: true
    })
  })
}

describe('publishTokens', () => {
  it('masks every token before the first output that carries it', () => {
    const runner = new RecordingRunner()
    publishTokens(runner, FULL, { nowMs: NOW })
    expectMaskedBeforeOutput(runner)
    expect(runner.secrets).toEqual(
      expect.arrayContaining([FULL.accessToken, FULL.refreshToken, FULL.idToken])
    )
    expect(runner.outputs['access-token']).toBe(FULL.accessToken)
  })

  it('masks the refresh token it hands back after a refresh without rotation', () => {
    const runner = new RecordingRunner()
    publishTokens(
      runner,
      { accessToken: 'at-2-0123456789abcdef' },
      {
        nowMs: NOW,
        refreshToken: refreshTokenToStore(
          { accessToken: 'at-2-0123456789abcdef' },
          'rt-used-1',
          true
        )
      }
    )
    expect(runner.outputs['refresh-token']).toBe('rt-used-1')
    expectMaskedBeforeOutput(runner)
  })

  it('sets every output the provider returned', () => {
    const runner = new RecordingRunner()
    publishTokens(runner, FULL, { nowMs: NOW })
    expect(runner.outputs).toEqual({
      'access-token': 'access-token-value',
      'refresh-token': 'refresh-token-value',
      'id-token': 'eyJhbGciOiJSUzI1NiJ9.payload.signature',
      'token-type': 'Bearer',
      'expires-in': '3600',
      'expires-at': '2026-11-24T11:00:00Z',
      'refresh-token-expires-at': '2027-05-27T10:00:00Z',
      'refresh-token-rotated': 'true',
      scope: 'openid offline_access'
    })
  })

  it('does not set the outputs the provider did not return', () => {
    const runner = new RecordingRunner()
    publishTokens(runner, { accessToken: 'at-only-0123456789abcdef' }, { nowMs: NOW })
    expect(runner.outputs).toEqual({
      'access-token': 'at-only-0123456789abcdef',
      'refresh-token-rotated': 'false'
    })
    expect(runner.events).toEqual([
      'mask:at-only-0123456789abcdef',
      'output:access-token=at-only-0123456789abcdef',
      'output:refresh-token-rotated=false'
    ])
  })

  it('says a new refresh token must be stored after a device flow that returned one', () => {
    const runner = new RecordingRunner()
    publishTokens(runner, FULL, { nowMs: NOW })
    expect(runner.outputs['refresh-token-rotated']).toBe('true')
  })

  it('sets expires-at to now + expires_in, in ISO 8601 without milliseconds', () => {
    const runner = new RecordingRunner()
    publishTokens(
      runner,
      { accessToken: 'at-0123456789abcdef', expiresInSeconds: 299 },
      { nowMs: NOW + 750 }
    )
    expect(runner.outputs['expires-at']).toBe('2026-11-24T10:04:59Z')
    expect(runner.outputs['expires-in']).toBe('299')
  })

  it('gives expires-in as whole seconds', () => {
    const runner = new RecordingRunner()
    publishTokens(
      runner,
      { accessToken: 'at-0123456789abcdef', expiresInSeconds: 3599.9 },
      { nowMs: NOW }
    )
    expect(runner.outputs['expires-in']).toBe('3599')
  })

  it('sets refresh-token-expires-at from refresh_token_expires_in (GitHub Apps)', () => {
    const runner = new RecordingRunner()
    const tokens = {
      accessToken: 'at-0123456789abcdef',
      refreshToken: 'rt-0123456789abcdef',
      refreshTokenExpiresInSeconds: 86_400
    }
    publishTokens(runner, tokens, { nowMs: NOW })
    expect(runner.outputs['refresh-token-expires-at']).toBe('2026-11-25T10:00:00Z')
    expect(runner.outputs).not.toHaveProperty('expires-at')
  })

  it('hands back the refresh token used, not rotated, when the provider sent none', () => {
    const runner = new RecordingRunner()
    publishTokens(
      runner,
      { accessToken: 'at-2-0123456789abcdef' },
      {
        nowMs: NOW,
        refreshToken: refreshTokenToStore(
          { accessToken: 'at-2-0123456789abcdef' },
          'rt-1-0123456789abcdef',
          true
        )
      }
    )
    expect(runner.outputs['refresh-token']).toBe('rt-1-0123456789abcdef')
    expect(runner.outputs['refresh-token-rotated']).toBe('false')
  })

  it('says not rotated when the provider sent the same refresh token back', () => {
    const runner = new RecordingRunner()
    const tokens = { accessToken: 'at-2-0123456789abcdef', refreshToken: 'rt-1-0123456789abcdef' }
    publishTokens(runner, tokens, {
      nowMs: NOW,
      refreshToken: refreshTokenToStore(tokens, 'rt-1-0123456789abcdef', true)
    })
    expect(runner.outputs['refresh-token']).toBe('rt-1-0123456789abcdef')
    expect(runner.outputs['refresh-token-rotated']).toBe('false')
  })

  it('hands out the new refresh token, rotated, when the provider rotated it', () => {
    const runner = new RecordingRunner()
    const tokens = { accessToken: 'at-2-0123456789abcdef', refreshToken: 'rt-2-0123456789abcdef' }
    publishTokens(runner, tokens, {
      nowMs: NOW,
      refreshToken: refreshTokenToStore(tokens, 'rt-1-0123456789abcdef', true)
    })
    expect(runner.outputs['refresh-token']).toBe('rt-2-0123456789abcdef')
    expect(runner.outputs['refresh-token-rotated']).toBe('true')
    expectMaskedBeforeOutput(runner)
  })
})

describe('refreshTokenToStore: "a new refresh token must be stored", on every path', () => {
  it('refresh without rotation: keeps the input, nothing to store', () => {
    expect(
      refreshTokenToStore({ accessToken: 'at-0123456789abcdef' }, 'rt-1-0123456789abcdef', true)
    ).toEqual({
      value: 'rt-1-0123456789abcdef',
      mustStore: false
    })
  })

  it('refresh with rotation: the new one, to store', () => {
    expect(
      refreshTokenToStore(
        { accessToken: 'at-0123456789abcdef', refreshToken: 'rt-2-0123456789abcdef' },
        'rt-1-0123456789abcdef',
        true
      )
    ).toEqual({
      value: 'rt-2-0123456789abcdef',
      mustStore: true
    })
  })

  it('refresh that returns the same token: nothing to store', () => {
    expect(
      refreshTokenToStore(
        { accessToken: 'at-0123456789abcdef', refreshToken: 'rt-1-0123456789abcdef' },
        'rt-1-0123456789abcdef',
        true
      )
    ).toEqual({
      value: 'rt-1-0123456789abcdef',
      mustStore: false
    })
  })

  it('device flow after a dead refresh token (on-refresh-failure: device): the new one, to store', () => {
    expect(
      refreshTokenToStore(
        { accessToken: 'at-0123456789abcdef', refreshToken: 'rt-new-0123456789abcdef' },
        'rt-dead',
        false
      )
    ).toEqual({
      value: 'rt-new-0123456789abcdef',
      mustStore: true
    })
  })

  it('device flow after a dead refresh token, with no new one: never hands back the dead one', () => {
    expect(refreshTokenToStore({ accessToken: 'at-0123456789abcdef' }, 'rt-dead', false)).toEqual({
      mustStore: false
    })
  })

  it('first run from an empty secret: the new one, to store', () => {
    expect(
      refreshTokenToStore(
        { accessToken: 'at-0123456789abcdef', refreshToken: 'rt-new-0123456789abcdef' },
        undefined,
        false
      )
    ).toEqual({
      value: 'rt-new-0123456789abcdef',
      mustStore: true
    })
  })

  it('device flow without any refresh token: nothing to store', () => {
    expect(refreshTokenToStore({ accessToken: 'at-0123456789abcdef' }, undefined, false)).toEqual({
      mustStore: false
    })
  })
})

describe('maskTokens', () => {
  it('masks the access, refresh and ID tokens and nothing else', () => {
    const runner = new RecordingRunner()
    maskTokens(runner, FULL)
    expect(runner.secrets).toEqual([FULL.accessToken, FULL.refreshToken, FULL.idToken])
    expect(runner.outputs).toEqual({})
  })
})
