import { describe, expect, it } from '@jest/globals'
import type { OAuthContext } from '../../src/oauth/exchange.js'
import { SecretStoreError, storeSecret } from '../../src/secrets/github-secrets.js'
import { FakeClock, json, scriptedHttp } from '../../test-support/fakes.js'

const GHES = 'https://ghes.example.com/api/v3'
// A Curve25519 public key: 32 bytes.
const KEY = Buffer.alloc(32, 7).toString('base64')

function context(http: ReturnType<typeof scriptedHttp>): OAuthContext {
  return { http, clock: new FakeClock(), requestTimeoutMs: 1000 }
}

const store = {
  apiUrl: GHES,
  repository: 'octo/release',
  owner: 'octo',
  token: 'pat-1'
}

describe('storeSecret: requests', () => {
  it("uses the GitHub Enterprise Server API and GitHub's API version headers", async () => {
    const http = scriptedHttp({
      [`${GHES}/repos/octo/release/actions/secrets/public-key`]: () =>
        json(200, { key_id: 'k1', key: KEY }),
      [`${GHES}/repos/octo/release/actions/secrets/RT`]: () => ({
        status: 204,
        headers: {},
        body: ''
      })
    })
    const stored = await storeSecret(context(http), store, { scope: 'repository', name: 'RT' }, 'v')
    expect(stored.created).toBe(false)
    const [get, put] = http.requests
    expect(get?.headers).toMatchObject({
      Authorization: 'Bearer pat-1',
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28'
    })
    const body = JSON.parse(put?.body ?? '{}') as Record<string, unknown>
    expect(put?.method).toBe('PUT')
    expect(body['key_id']).toBe('k1')
    // A sealed box is the 48 bytes of overhead plus the message.
    expect(Buffer.from(String(body['encrypted_value']), 'base64')).toHaveLength(48 + 1)
  })

  it('refuses a public key that is not a Curve25519 key, naming the endpoint', async () => {
    const http = scriptedHttp({
      [`${GHES}/repos/octo/release/actions/secrets/public-key`]: () =>
        json(200, { key_id: 'k1', key: Buffer.alloc(16).toString('base64') })
    })
    await expect(
      storeSecret(context(http), store, { scope: 'repository', name: 'RT' }, 'v')
    ).rejects.toThrow(
      /GitHub secrets API .* sent a public key that cannot seal the secret: the public key is 16 bytes/
    )
  })

  it('refuses a public-key answer without key_id', async () => {
    const http = scriptedHttp({
      [`${GHES}/repos/octo/release/actions/secrets/public-key`]: () => json(200, { key: KEY })
    })
    const error = await storeSecret(
      context(http),
      store,
      { scope: 'repository', name: 'RT' },
      'v'
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SecretStoreError)
    expect((error as Error).message).toContain('expected a JSON object with key and key_id')
  })

  it('asks for a hand-made organization secret when the repository id is unknown', async () => {
    const http = scriptedHttp({
      [`${GHES}/orgs/octo/actions/secrets/public-key`]: () => json(200, { key_id: 'k', key: KEY }),
      [`${GHES}/orgs/octo/actions/secrets/RT`]: () => json(404, { message: 'Not Found' })
    })
    await expect(
      storeSecret(context(http), store, { scope: 'organization', name: 'RT' }, 'v')
    ).rejects.toThrow(/without GITHUB_REPOSITORY_ID/)
  })
})
