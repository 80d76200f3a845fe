import { InputError } from '../errors.js'

/** XChaCha20-Poly1305 takes a 256-bit key (crypto_aead_xchacha20poly1305_ietf_KEYBYTES). */
export const HANDOFF_KEY_BYTES = 32

const HOW_TO_MAKE_ONE =
  'Make one with: openssl rand -base64 32 | gh secret set HANDOFF_KEY, and pass it as handoff-key: ${{ secrets.HANDOFF_KEY }}.'

/**
 * handoff-key: 32 random bytes in standard base64, as `openssl rand -base64 32` prints them (44
 * characters with the closing `=`, which may be left out). Checked before any request; the
 * message never quotes the value, only its length.
 */
export function parseHandoffKey(value: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]{43}=?$/.test(value)) {
    throw new InputError(
      'handoff-key',
      `must be ${HANDOFF_KEY_BYTES} random bytes in base64 (44 characters ending in =); it is ${value.length} characters${shapeHint(value)}. ${HOW_TO_MAKE_ONE}`
    )
  }
  const key = new Uint8Array(Buffer.from(value, 'base64'))
  // A placeholder (all A's, all zeros) is not a key: every byte the same is never random.
  if (key.every((byte) => byte === key[0])) {
    throw new InputError(
      'handoff-key',
      `is not random: all its ${HANDOFF_KEY_BYTES} bytes are the same. ${HOW_TO_MAKE_ONE}`
    )
  }
  return key
}

function shapeHint(value: string): string {
  if (/\s/.test(value)) return ', with spaces or line breaks inside'
  if (/^[A-Za-z0-9_-]+=*$/.test(value) && /[_-]/.test(value))
    return ' of base64url (- and _); use standard base64 (+ and /)'
  return ''
}
