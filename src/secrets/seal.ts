/**
 * libsodium's sealed box (crypto_box_seal), as GitHub's REST API requires for secret values:
 * https://docs.github.com/rest/guides/encrypting-secrets-for-the-rest-api
 * libsodium (half a megabyte of JavaScript) is loaded only when a secret is stored: most runs
 * never need it.
 */
export async function sealForGitHub(value: string, publicKeyBase64: string): Promise<string> {
  const { default: sodium } = await import('libsodium-wrappers')
  await sodium.ready
  const publicKey = sodium.from_base64(publicKeyBase64, sodium.base64_variants.ORIGINAL)
  if (publicKey.length !== sodium.crypto_box_PUBLICKEYBYTES) {
    throw new Error(
      `the public key is ${publicKey.length} bytes, not the ${sodium.crypto_box_PUBLICKEYBYTES} of a Curve25519 key`
    )
  }
  const sealed = sodium.crypto_box_seal(value, publicKey)
  return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL)
}
