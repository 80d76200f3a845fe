import { HandoffError } from './handoff-error.js'
import { HANDOFF_KEY_BYTES } from './key.js'

/**
 * The handoff as it travels between jobs: a versioned header in clear, then the sealed bytes.
 *
 *   dfa-handoff-v1.<repository id>.<run id>.<base64url(nonce ‖ ciphertext ‖ tag)>
 *
 * Sealed with libsodium's XChaCha20-Poly1305 (crypto_aead_xchacha20poly1305_ietf_encrypt): a
 * random 24-byte nonce, a 16-byte tag, and the header as associated data. The header is in clear
 * so that a wrong version, repository or run gets its own message before anything is opened; it
 * is authenticated all the same, since changing a byte of it changes the associated data. The
 * ids in it are compared with the opening job's own (GITHUB_REPOSITORY_ID, GITHUB_RUN_ID), and
 * the associated data is built from those, never from what the value says. Nothing secret is in
 * clear, and the value is not masked: it must pass as a job output.
 */
export const HANDOFF_FORMAT_VERSION = 1
const PREFIX = 'dfa-handoff-v'
const NONCE_BYTES = 24 // crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
const TAG_BYTES = 16 // crypto_aead_xchacha20poly1305_ietf_ABYTES
/**
 * Longer than any handoff of real tokens, shorter than what one environment variable may hold on
 * Linux (128 KiB, MAX_ARG_STRLEN): a longer value could not reach the next job as an input.
 */
export const MAX_HANDOFF_LENGTH = 100_000

/** Where a handoff may be opened: the repository and the run that sealed it. */
export interface RunBinding {
  /** GITHUB_REPOSITORY_ID: stays the same when the repository is renamed or transferred. */
  readonly repositoryId: string
  /** GITHUB_RUN_ID: a re-run keeps it (only GITHUB_RUN_ATTEMPT changes), so it is the same run. */
  readonly runId: string
}

/** Where the sealing job takes its nonce; tests pass their own. */
export type RandomBytes = (length: number) => Uint8Array

/** Seals `plaintext` for the given run. */
export async function sealEnvelope(
  plaintext: Uint8Array,
  key: Uint8Array,
  binding: RunBinding,
  randomBytes?: RandomBytes
): Promise<string> {
  checkKey(key)
  const sodium = await libsodium()
  const header = headerOf(HANDOFF_FORMAT_VERSION, binding)
  const nonce = randomBytes ? randomBytes(NONCE_BYTES) : sodium.randombytes_buf(NONCE_BYTES)
  if (nonce.length !== NONCE_BYTES) throw new Error(`the nonce is ${nonce.length} bytes, not 24`)
  const sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    plaintext,
    new TextEncoder().encode(header),
    null,
    nonce,
    key
  )
  const body = Buffer.concat([nonce, sealed]).toString('base64url')
  const value = `${header}.${body}`
  if (value.length > MAX_HANDOFF_LENGTH) {
    throw new HandoffError(
      'too-large',
      `The tokens make a handoff of ${value.length} characters, more than the ${MAX_HANDOFF_LENGTH} a later job could take as an input. Ask for fewer scopes or claims, or remove handoff-key and refresh in each job from a stored refresh token.`
    )
  }
  return value
}

/**
 * Opens a handoff sealed for this run with this key, or throws HandoffError saying why not:
 * checked in the order a person would want to hear it (not a handoff at all, a version this
 * action does not read, another repository or run, a damaged value, then the key).
 */
export async function openEnvelope(
  value: string,
  key: Uint8Array,
  binding: RunBinding
): Promise<Uint8Array> {
  checkKey(key)
  const { version, repositoryId, runId, body } = splitHandoff(value)
  if (version > HANDOFF_FORMAT_VERSION) {
    throw new HandoffError(
      'newer-version',
      `The handoff was sealed by a newer version of this action (handoff format v${version}; this one reads v${HANDOFF_FORMAT_VERSION}). Upgrade the action in this job to the version the approving job uses.`
    )
  }
  if (version < HANDOFF_FORMAT_VERSION) {
    throw new HandoffError(
      'unknown-version',
      `The handoff says it is format v${version}, which no version of this action writes. Pass the approving job's handoff output as it is.`
    )
  }
  if (repositoryId !== binding.repositoryId) {
    throw new HandoffError(
      'other-repository',
      `The handoff was sealed in another repository (id ${repositoryId}; this is ${binding.repositoryId}). A handoff opens only in the repository and run that sealed it: approve in this repository.`
    )
  }
  if (runId !== binding.runId) {
    throw new HandoffError(
      'other-run',
      `The handoff was sealed in workflow run ${runId}, and this is run ${binding.runId}. A handoff opens only in the run that sealed it (a re-run is the same run), so that a value copied from one run's log cannot be replayed in another. Take it from the approving job of this run (needs.<job>.outputs.handoff).`
    )
  }
  const bytes = decodeBody(body)
  const sodium = await libsodium()
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      bytes.subarray(NONCE_BYTES),
      new TextEncoder().encode(headerOf(version, binding)),
      bytes.subarray(0, NONCE_BYTES),
      key
    )
  } catch {
    throw new HandoffError(
      'not-opened',
      "The handoff could not be opened: handoff-key is not the key that sealed it, or the value was altered or cut short on the way. Pass the same secret as handoff-key in both jobs, and the approving job's handoff output as it is."
    )
  }
}

/** The header: what the associated data is, and what the value starts with. */
function headerOf(version: number, binding: RunBinding): string {
  return `${PREFIX}${version}.${binding.repositoryId}.${binding.runId}`
}

function splitHandoff(value: string): {
  version: number
  repositoryId: string
  runId: string
  body: string
} {
  const version = /^dfa-handoff-v(0|[1-9]\d{0,5})\./.exec(value)
  if (!version) {
    throw new HandoffError(
      'not-a-handoff',
      `The handoff input is not a handoff (it should start with ${PREFIX}${HANDOFF_FORMAT_VERSION}.). Pass the approving job's handoff output as it is: handoff: \${{ needs.<job>.outputs.handoff }}.`
    )
  }
  // The version first: a later format may lay out the rest differently.
  const number = Number(version[1])
  if (number !== HANDOFF_FORMAT_VERSION)
    return { version: number, repositoryId: '', runId: '', body: '' }
  const parts = /^dfa-handoff-v\d+\.(\d{1,20})\.(\d{1,20})\.([A-Za-z0-9_-]+)$/.exec(value)
  if (!parts) throw damaged('it is not laid out as the approving job writes it')
  return {
    version: number,
    repositoryId: parts[1] as string,
    runId: parts[2] as string,
    body: parts[3] as string
  }
}

function decodeBody(body: string): Uint8Array {
  // base64url without padding: a length of 1 modulo 4 cannot come from any bytes.
  if (body.length % 4 === 1) throw damaged('it was cut short')
  const bytes = new Uint8Array(Buffer.from(body, 'base64url'))
  if (bytes.length <= NONCE_BYTES + TAG_BYTES) throw damaged('it was cut short')
  // Node decodes a last character whose unused bits are set as if they were not: one value,
  // one spelling, so that no character can change unnoticed.
  if (Buffer.from(bytes).toString('base64url') !== body) throw damaged('it was altered')
  return bytes
}

function damaged(why: string): HandoffError {
  return new HandoffError(
    'damaged',
    `The handoff is damaged: ${why}. Pass the approving job's handoff output as it is (needs.<job>.outputs.handoff), not retyped or edited.`
  )
}

function checkKey(key: Uint8Array): void {
  if (key.length !== HANDOFF_KEY_BYTES)
    throw new Error(`the handoff key is ${key.length} bytes, not ${HANDOFF_KEY_BYTES}`)
}

/** libsodium (half a megabyte of JavaScript) is loaded only by a job that hands off or opens. */
async function libsodium() {
  const { default: sodium } = await import('libsodium-wrappers')
  await sodium.ready
  return sodium
}
