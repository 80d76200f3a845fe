import { describe, expect, it } from '@jest/globals'
import { HandoffError } from '../../src/handoff/handoff-error.js'
import { decodeHandoff, encodeHandoff, type Handoff } from '../../src/handoff/payload.js'

/** What a handoff holds: written and read back field for field, and checked as any answer is. */
const HANDOFF: Handoff = {
  tokens: {
    accessToken: 'access-token-0123456789abcdef',
    refreshToken: 'refresh-token-0123456789abcdef',
    idToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl',
    tokenType: 'Bearer',
    scope: 'openid offline_access',
    expiresAtMs: Date.UTC(2026, 10, 24, 11, 0, 0),
    refreshTokenExpiresAtMs: Date.UTC(2027, 4, 24, 10, 0, 0)
  },
  approvers: [
    { name: 'alice', subject: 'sub-alice', shownSubject: 'sub-alice' },
    { name: 'carol', subject: 'sub-carol', shownSubject: 'sub-carol' }
  ],
  clientId: 'release-bot',
  tokenEndpoint: 'https://id.example.com/oauth/token',
  obtainedAtMs: Date.UTC(2026, 10, 24, 10, 0, 0),
  sealedBy: { job: 'approve', runAttempt: '2' }
}

const WRITTEN = JSON.parse(new TextDecoder().decode(encodeHandoff(HANDOFF))) as Record<
  string,
  unknown
>

describe('encodeHandoff and decodeHandoff', () => {
  it('read back what was written, the approvers in order', () => {
    expect(decodeHandoff(encodeHandoff(HANDOFF))).toEqual(HANDOFF)
  })

  it('keep what the provider did not send unset', () => {
    const bare: Handoff = {
      ...HANDOFF,
      tokens: { accessToken: 'access-token-0123456789abcdef' },
      approvers: [],
      sealedBy: {}
    }
    expect(decodeHandoff(encodeHandoff(bare))).toEqual(bare)
  })

  it.each([
    ['a missing access token', { ...WRITTEN, accessToken: undefined }, /accessToken is missing/],
    [
      'a token with a space',
      { ...WRITTEN, refreshToken: 'two words 0123456789' },
      /refreshToken is not a token/
    ],
    [
      'an expiry that is not a time',
      { ...WRITTEN, expiresAtMs: '2026-11-24' },
      /expiresAtMs is not a time/
    ],
    [
      'an approver without a subject',
      { ...WRITTEN, approvers: [{ name: 'alice' }] },
      /subject is missing/
    ],
    [
      'a name with a workflow command',
      { ...WRITTEN, approvers: [{ name: '::stop-commands::x', subject: 's' }] },
      /not log-safe/
    ],
    ['no token endpoint', { ...WRITTEN, tokenEndpoint: undefined }, /tokenEndpoint is missing/],
    ['a list, not an object', [WRITTEN], /not a JSON object/]
  ])('refuse %s, as content this format does not hold', (_, document, reason) => {
    const read = () => decodeHandoff(new TextEncoder().encode(JSON.stringify(document)))
    expect(read).toThrow(HandoffError)
    expect(read).toThrow(reason)
  })

  it('refuse bytes that are not UTF-8 JSON', () => {
    expect(() => decodeHandoff(new Uint8Array([0xff, 0xfe, 0x7b]))).toThrow(/not JSON/)
  })
})
