import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { parseHandoffKey } from '../../src/handoff/key.js'

/** handoff-key: exactly 32 bytes in standard base64, refused otherwise without being quoted. */
const KEY = Buffer.from(new Uint8Array(32).map((_, i) => i * 13 + 5)).toString('base64')

function problemOf(value: string): string {
  try {
    parseHandoffKey(value)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('handoff-key')
    return (error as Error).message
  }
  throw new Error('the key was taken')
}

describe('parseHandoffKey', () => {
  it('takes what openssl rand -base64 32 prints, with or without the closing =', () => {
    expect(KEY).toHaveLength(44)
    expect(parseHandoffKey(KEY)).toEqual(new Uint8Array(Buffer.from(KEY, 'base64')))
    expect(parseHandoffKey(KEY.slice(0, 43))).toHaveLength(32)
  })

  it.each([
    ['16 bytes', Buffer.alloc(16, 7).toString('base64')],
    ['33 bytes', Buffer.alloc(33, 7).toString('base64')],
    ['a passphrase', 'correct horse battery staple'],
    ['hex', 'ab'.repeat(32)]
  ])('refuses %s, saying how long it is and how to make one, never quoting it', (_, value) => {
    const message = problemOf(value)
    expect(message).toContain(`it is ${value.length} characters`)
    expect(message).toContain('openssl rand -base64 32 | gh secret set HANDOFF_KEY')
    expect(message).not.toContain(value)
  })

  it('says when the key is base64url rather than base64', () => {
    const url = Buffer.from(new Uint8Array(32).fill(0xfb).map((b, i) => b ^ i)).toString(
      'base64url'
    )
    expect(url).toMatch(/[-_]/)
    expect(problemOf(url)).toContain('base64url')
  })

  it('refuses a key whose bytes are all the same (a placeholder, not random)', () => {
    expect(problemOf('A'.repeat(43) + '=')).toContain('is not random')
    expect(problemOf(Buffer.alloc(32, 0xff).toString('base64'))).toContain('is not random')
  })
})
