import { describe, expect, it } from '@jest/globals'
import {
  HANDOFF_FORMAT_VERSION,
  MAX_HANDOFF_LENGTH,
  openEnvelope,
  sealEnvelope,
  type RunBinding
} from '../../src/handoff/envelope.js'
import { HandoffError, type HandoffRefusal } from '../../src/handoff/handoff-error.js'

/**
 * The envelope: XChaCha20-Poly1305 from libsodium with the header (format version, repository
 * id, run id) as associated data. Every way a value can be wrong is refused, each with its own
 * reason; none opens.
 */
const KEY = new Uint8Array(32).map((_, i) => i * 7 + 1)
const OTHER_KEY = new Uint8Array(32).map((_, i) => i * 11 + 3)
const RUN: RunBinding = { repositoryId: '123456789', runId: '4242' }
const SECRET = 'access-token-0123456789abcdef'
const PLAINTEXT = new TextEncoder().encode(JSON.stringify({ accessToken: SECRET }))
const fixedNonce = (length: number) => new Uint8Array(length).fill(9)

async function refusal(promise: Promise<unknown>): Promise<HandoffRefusal> {
  try {
    await promise
  } catch (error) {
    if (error instanceof HandoffError) return error.refusal
    throw error
  }
  throw new Error('the handoff opened')
}

describe('sealEnvelope and openEnvelope', () => {
  it('round-trips, with the version, repository and run in clear and nothing of the plaintext', async () => {
    const sealed = await sealEnvelope(PLAINTEXT, KEY, RUN)
    expect(sealed).toMatch(/^dfa-handoff-v1\.123456789\.4242\.[A-Za-z0-9_-]+$/)
    expect(sealed).not.toContain(SECRET)
    expect(
      Buffer.from(sealed.split('.')[3] as string, 'base64url').toString('latin1')
    ).not.toContain('access')
    expect(new TextDecoder().decode(await openEnvelope(sealed, KEY, RUN))).toBe(
      JSON.stringify({ accessToken: SECRET })
    )
  })

  it('costs 40 bytes over the plaintext (a 24-byte nonce and a 16-byte tag), in base64url', async () => {
    const sealed = await sealEnvelope(PLAINTEXT, KEY, RUN)
    const body = sealed.split('.')[3] as string
    expect(Buffer.from(body, 'base64url').length).toBe(PLAINTEXT.length + 40)
  })

  it('takes a fresh random nonce each time: the same tokens seal to different values', async () => {
    const [a, b] = await Promise.all([
      sealEnvelope(PLAINTEXT, KEY, RUN),
      sealEnvelope(PLAINTEXT, KEY, RUN)
    ])
    expect(a).not.toBe(b)
    // The nonce leads the body.
    expect(Buffer.from(a.split('.')[3] as string, 'base64url').subarray(0, 24)).not.toEqual(
      Buffer.from(b.split('.')[3] as string, 'base64url').subarray(0, 24)
    )
  })

  it('uses the randomness it is given, so a test can fix the nonce', async () => {
    const a = await sealEnvelope(PLAINTEXT, KEY, RUN, fixedNonce)
    const b = await sealEnvelope(PLAINTEXT, KEY, RUN, fixedNonce)
    expect(a).toBe(b)
    expect(Buffer.from(a.split('.')[3] as string, 'base64url').subarray(0, 24)).toEqual(
      Buffer.alloc(24, 9)
    )
  })
})

describe('openEnvelope refuses', () => {
  it('another key ("not-opened")', async () => {
    const sealed = await sealEnvelope(PLAINTEXT, KEY, RUN)
    await expect(refusal(openEnvelope(sealed, OTHER_KEY, RUN))).resolves.toBe('not-opened')
    await expect(openEnvelope(sealed, OTHER_KEY, RUN)).rejects.toThrow(
      /handoff-key is not the key that sealed it, or the value was altered/
    )
  })

  it('another run of the same repository, saying which run sealed it', async () => {
    const sealed = await sealEnvelope(PLAINTEXT, KEY, RUN)
    const elsewhere = { ...RUN, runId: '4243' }
    await expect(refusal(openEnvelope(sealed, KEY, elsewhere))).resolves.toBe('other-run')
    await expect(openEnvelope(sealed, KEY, elsewhere)).rejects.toThrow(
      /sealed in workflow run 4242, and this is run 4243/
    )
  })

  it('another repository', async () => {
    const sealed = await sealEnvelope(PLAINTEXT, KEY, RUN)
    const elsewhere = { ...RUN, repositoryId: '987654321' }
    await expect(refusal(openEnvelope(sealed, KEY, elsewhere))).resolves.toBe('other-repository')
  })

  it('a header rewritten to name this run: the associated data no longer matches', async () => {
    const sealed = await sealEnvelope(PLAINTEXT, KEY, { ...RUN, runId: '1111' })
    const relabelled = sealed.replace('.1111.', '.4242.')
    await expect(refusal(openEnvelope(relabelled, KEY, RUN))).resolves.toBe('not-opened')
  })

  it('a newer format version, asking to upgrade the action in this job', async () => {
    const sealed = await sealEnvelope(PLAINTEXT, KEY, RUN)
    const newer = sealed.replace(/^dfa-handoff-v1\./, `dfa-handoff-v${HANDOFF_FORMAT_VERSION + 1}.`)
    await expect(refusal(openEnvelope(newer, KEY, RUN))).resolves.toBe('newer-version')
    await expect(openEnvelope(newer, KEY, RUN)).rejects.toThrow(
      /newer version of this action \(handoff format v2; this one reads v1\)\. Upgrade the action in this job/
    )
    // Whatever follows the version: a later format may lay it out differently.
    await expect(refusal(openEnvelope('dfa-handoff-v7.anything at all', KEY, RUN))).resolves.toBe(
      'newer-version'
    )
  })

  it('a version no action writes (v0), and a version spelt with a leading zero', async () => {
    const sealed = await sealEnvelope(PLAINTEXT, KEY, RUN)
    await expect(refusal(openEnvelope(sealed.replace('-v1.', '-v0.'), KEY, RUN))).resolves.toBe(
      'unknown-version'
    )
    await expect(refusal(openEnvelope(sealed.replace('-v1.', '-v01.'), KEY, RUN))).resolves.toBe(
      'not-a-handoff'
    )
  })

  it('something that is not a handoff at all, without quoting it', async () => {
    const token = 'ghu_notahandoffbutatoken0123456789'
    await expect(refusal(openEnvelope(token, KEY, RUN))).resolves.toBe('not-a-handoff')
    const failure = openEnvelope(token, KEY, RUN)
    await expect(failure).rejects.toThrow('needs.<job>.outputs.handoff')
    await expect(failure).rejects.not.toThrow(token)
  })

  it('a value cut short, at every length', async () => {
    const sealed = await sealEnvelope(PLAINTEXT, KEY, RUN)
    for (let length = 0; length < sealed.length; length++) {
      const reason = await refusal(openEnvelope(sealed.slice(0, length), KEY, RUN))
      expect(['not-a-handoff', 'damaged', 'not-opened']).toContain(reason)
    }
  })

  it('a value too short to hold a nonce and a tag, as damaged', async () => {
    const short = `dfa-handoff-v1.123456789.4242.${Buffer.alloc(39, 1).toString('base64url')}`
    await expect(refusal(openEnvelope(short, KEY, RUN))).resolves.toBe('damaged')
  })

  it('a change to any character of the value, header included', async () => {
    const sealed = await sealEnvelope(PLAINTEXT, KEY, RUN)
    for (let index = 0; index < sealed.length; index++) {
      const original = sealed[index] as string
      // Another character of the same kind, so that the layout still parses where it can.
      const other = /\d/.test(original)
        ? String((Number(original) + 1) % 10)
        : original === 'A'
          ? 'B'
          : original === '.'
            ? '_'
            : 'A'
      const tampered = sealed.slice(0, index) + other + sealed.slice(index + 1)
      const reason = await refusal(openEnvelope(tampered, KEY, RUN))
      expect(reason).not.toBeUndefined()
    }
  })

  it('a change to any bit of the sealed bytes (nonce, ciphertext or tag)', async () => {
    const sealed = await sealEnvelope(PLAINTEXT, KEY, RUN)
    const cut = sealed.lastIndexOf('.') + 1
    const bytes = Buffer.from(sealed.slice(cut), 'base64url')
    for (let index = 0; index < bytes.length; index++) {
      for (const bit of [0x01, 0x80]) {
        const flipped = Buffer.from(bytes)
        flipped[index] = (flipped[index] as number) ^ bit
        const tampered = sealed.slice(0, cut) + flipped.toString('base64url')
        await expect(refusal(openEnvelope(tampered, KEY, RUN))).resolves.toBe('not-opened')
      }
    }
  })

  it('a last character whose unused bits were set (the same bytes, spelt another way)', async () => {
    // A body whose length is not a multiple of 4 ends in a character with unused bits.
    let sealed = ''
    for (let extra = 0; extra < 3; extra++) {
      sealed = await sealEnvelope(new Uint8Array(10 + extra), KEY, RUN)
      if ((sealed.length - sealed.lastIndexOf('.') - 1) % 4 !== 0) break
    }
    const last = sealed.at(-1) as string
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const sibling = alphabet[alphabet.indexOf(last) ^ 1] as string
    const respelt = sealed.slice(0, -1) + sibling
    expect(Buffer.from(respelt.split('.')[3] as string, 'base64url')).toEqual(
      Buffer.from(sealed.split('.')[3] as string, 'base64url')
    )
    await expect(refusal(openEnvelope(respelt, KEY, RUN))).resolves.toBe('damaged')
  })

  it('seals nothing longer than a later job could take as an input', async () => {
    const huge = new Uint8Array(MAX_HANDOFF_LENGTH)
    await expect(refusal(sealEnvelope(huge, KEY, RUN))).resolves.toBe('too-large')
  })
})
