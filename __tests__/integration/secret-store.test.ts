import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { systemClock } from '../../src/clock.js'
import type { OAuthContext } from '../../src/oauth/exchange.js'
import { createHttpTransport, type HttpRequest, type HttpTransport } from '../../src/oauth/http.js'
import {
  SecretStoreError,
  storeSecret,
  type SecretStore
} from '../../src/secrets/github-secrets.js'
import { parseSecretTarget, type SecretTarget } from '../../src/secrets/target.js'
import { startGitHubFake, type GitHubFake } from '../../test-support/github-fake.js'

/**
 * store-refresh-token against a local GitHub secrets API that holds real key pairs: the fake
 * opens each sealed box with its private key, so these tests read back what the action sealed.
 */
let github: GitHubFake
const sent: HttpRequest[] = []

beforeAll(async () => {
  github = await startGitHubFake({
    tokens: { 'pat-write': 'write', 'ghs-github-token': 'read' },
    environments: ['production']
  })
})
afterAll(() => github.close())

function context(): OAuthContext {
  const real = createHttpTransport('test')
  const recording: HttpTransport = (request) => {
    sent.push(request)
    return real(request)
  }
  return { http: recording, clock: systemClock, requestTimeoutMs: 5000 }
}

function store(overrides: Partial<SecretStore> = {}): SecretStore {
  return {
    apiUrl: github.apiUrl,
    repository: 'octo/release',
    owner: 'octo',
    repositoryId: 4242,
    token: 'pat-write',
    ...overrides
  }
}

async function failureOf(
  target: SecretTarget,
  overrides: Partial<SecretStore> = {}
): Promise<SecretStoreError> {
  try {
    await storeSecret(context(), store(overrides), target, 'rt-value')
  } catch (error) {
    expect(error).toBeInstanceOf(SecretStoreError)
    return error as SecretStoreError
  }
  throw new Error('the secret was stored')
}

describe('storeSecret against a GitHub secrets API that opens the sealed box', () => {
  it('creates a repository secret whose plaintext is the refresh token, then updates it', async () => {
    const target = parseSecretTarget('OAUTH_REFRESH_TOKEN')
    const first = await storeSecret(context(), store(), target, 'rt-first-0123456789')
    expect(first).toEqual({
      description: 'the repository secret OAUTH_REFRESH_TOKEN of octo/release',
      created: true
    })
    expect(github.secret('repo:octo/release/OAUTH_REFRESH_TOKEN')?.value).toBe(
      'rt-first-0123456789'
    )
    const second = await storeSecret(context(), store(), target, 'rt-second-0123456789')
    expect(second.created).toBe(false)
    expect(github.secret('repo:octo/release/OAUTH_REFRESH_TOKEN')?.value).toBe(
      'rt-second-0123456789'
    )
  })

  it('never sends the value unsealed', async () => {
    sent.length = 0
    await storeSecret(context(), store(), parseSecretTarget('RT_SEALED'), 'rt-plain-secret-42')
    expect(sent.map((request) => request.method)).toEqual(['GET', 'PUT'])
    for (const request of sent) expect(request.body ?? '').not.toContain('rt-plain-secret-42')
    expect(sent[1]?.headers['Authorization']).toBe('Bearer pat-write')
  })

  it('stores an environment secret with the environment store key', async () => {
    await storeSecret(
      context(),
      store(),
      parseSecretTarget('environment/production/RT'),
      'rt-env-1'
    )
    expect(github.secret('env:production/RT')?.value).toBe('rt-env-1')
    expect(github.secret('repo:octo/release/RT')).toBeUndefined()
  })

  it('makes a new organization secret visible to this repository only, and keeps an existing one as it is', async () => {
    await storeSecret(context(), store(), parseSecretTarget('org/SHARED_RT'), 'rt-org-1')
    expect(github.secret('org:octo/SHARED_RT')).toMatchObject({
      value: 'rt-org-1',
      visibility: 'selected',
      selectedRepositoryIds: [4242]
    })
    await storeSecret(context(), store(), parseSecretTarget('org/SHARED_RT'), 'rt-org-2')
    expect(github.secret('org:octo/SHARED_RT')).toMatchObject({
      value: 'rt-org-2',
      visibility: 'selected',
      selectedRepositoryIds: [4242]
    })
  })

  it('explains a 403: GITHUB_TOKEN cannot write secrets, and which permission the token needs', async () => {
    const error = await failureOf(parseSecretTarget('RT'), { token: 'ghs-github-token' })
    expect(error.status).toBe(403)
    expect(error.message).toContain(
      'Could not read the public key of the repository secret RT of octo/release: GitHub answered HTTP 403 ("Resource not accessible by integration").'
    )
    expect(error.message).toContain("The workflow's GITHUB_TOKEN never can")
    expect(error.message).toContain('"Secrets" repository permission set to "Read and write"')
    expect(error.message).toContain('still in the refresh-token output (masked)')
  })

  it('names the organization permission for an organization secret', async () => {
    const error = await failureOf(parseSecretTarget('org/RT'), { token: 'ghs-github-token' })
    expect(error.message).toContain('"Secrets" organization permission')
    expect(error.message).toContain('admin:org')
  })

  it('explains a 401 as a token GitHub does not accept', async () => {
    const error = await failureOf(parseSecretTarget('RT'), { token: 'expired' })
    expect(error.status).toBe(401)
    expect(error.message).toContain('("Bad credentials")')
    expect(error.message).toContain('expired, revoked or mistyped')
  })

  it('explains a 404 for an environment that does not exist', async () => {
    const error = await failureOf(parseSecretTarget('environment/staging/RT'))
    expect(error.status).toBe(404)
    expect(error.message).toContain('the environment "staging" does not exist')
    expect(error.message).toContain('Settings → Environments')
  })

  it('explains a 404 for a repository the token cannot see', async () => {
    const error = await failureOf(parseSecretTarget('RT'), { repository: 'octo/other' })
    expect(error.message).toContain('cannot see the repository')
    expect(error.message).toContain('Repository access')
  })

  it('explains a 422 by the secret name', async () => {
    const error = await failureOf({ scope: 'repository', name: 'GITHUB_RT' })
    expect(error.status).toBe(422)
    expect(error.message).toContain('Could not write the repository secret GITHUB_RT')
    expect(error.message).toContain('check the secret name in store-refresh-token')
  })
})
