import { ActionError, describeEndpoint, type EndpointRef } from '../errors.js'
import { getJson } from '../oauth/redirects.js'
import { sendJson, type OAuthContext } from '../oauth/exchange.js'
import { withRetries } from '../oauth/retry.js'
import { capitalize, unusableResponse } from '../oauth/provider-errors.js'
import { type ReadResponse } from '../oauth/response.js'
import { GITHUB_API_HEADERS } from '../oauth/github-api.js'
import { sealForGitHub } from './seal.js'
import { describeTarget, type SecretTarget } from './target.js'
import { safeText } from '../safe-text.js'

/** Where the secret goes and with what right: from the runner's variables and secrets-token. */
export interface SecretStore {
  /** GITHUB_API_URL: https://api.github.com, or a GitHub Enterprise Server's /api/v3. */
  readonly apiUrl: string
  /** owner/repo (GITHUB_REPOSITORY). */
  readonly repository: string
  /** GITHUB_REPOSITORY_OWNER: the organization for org/NAME. */
  readonly owner: string
  /** GITHUB_REPOSITORY_ID: the one repository a new organization secret is visible to. */
  readonly repositoryId?: number
  /** secrets-token: a token with Secrets write permission. */
  readonly token: string
}

/** Storing the secret failed; the message says why and what to change. */
export class SecretStoreError extends ActionError {
  override name = 'SecretStoreError'
  constructor(
    readonly status: number | undefined,
    message: string
  ) {
    super(message)
  }
}

export interface StoredSecret {
  /** What was written, for the log: "the repository secret NAME of owner/repo". */
  readonly description: string
  /** True when the secret did not exist before (HTTP 201). */
  readonly created: boolean
}

/**
 * Writes `value` into the secret: reads the store's public key, seals the value with it
 * (libsodium sealed box) and PUTs the result with the key's id. GitHub never sees the value
 * unsealed in transit to the API, and neither does anything that logs requests.
 * https://docs.github.com/en/rest/actions/secrets
 */
export async function storeSecret(
  ctx: OAuthContext,
  store: SecretStore,
  target: SecretTarget,
  value: string
): Promise<StoredSecret> {
  const description = describeTarget(target, store.repository, store.owner)
  const paths = pathsOf(store, target)
  const headers = { ...GITHUB_API_HEADERS, Authorization: `Bearer ${store.token}` }
  const keyEndpoint: EndpointRef = { name: 'GitHub secrets API', url: paths.publicKey }
  const keyRead = await withRetries(ctx, keyEndpoint, () => getJson(ctx, keyEndpoint, headers), {
    attempts: 3,
    retryMaybeDelivered: true
  })
  if (keyRead.status !== 200)
    throw apiError(keyRead, keyEndpoint, target, description, 'read the public key of')
  const key = keyRead.fields?.['key']
  const keyId = keyRead.fields?.['key_id']
  if (typeof key !== 'string' || typeof keyId !== 'string' || key === '' || keyId === '') {
    throw new SecretStoreError(
      200,
      unusableResponse(keyEndpoint, keyRead, 'a JSON object with key and key_id').message
    )
  }
  let encrypted: string
  try {
    encrypted = await sealForGitHub(value, key)
  } catch (error) {
    throw new SecretStoreError(
      200,
      `${capitalize(describeEndpoint(keyEndpoint))} sent a public key that cannot seal the secret: ${error instanceof Error ? safeText(error.message) : 'unknown error'}.`
    )
  }
  const secretEndpoint: EndpointRef = { name: 'GitHub secrets API', url: paths.secret }
  const body: Record<string, unknown> = { encrypted_value: encrypted, key_id: keyId }
  if (target.scope === 'organization')
    Object.assign(body, await organizationVisibility(ctx, store, secretEndpoint, headers))
  // The same sealed value PUT twice is the same secret: safe to retry.
  const put = await withRetries(
    ctx,
    secretEndpoint,
    () => sendJson(ctx, secretEndpoint, 'PUT', headers, body),
    { attempts: 3, retryMaybeDelivered: true }
  )
  if (put.status === 201 || put.status === 204) return { description, created: put.status === 201 }
  throw apiError(put, secretEndpoint, target, description, 'write')
}

function pathsOf(store: SecretStore, target: SecretTarget): { publicKey: string; secret: string } {
  const api = store.apiUrl.replace(/\/+$/, '')
  const repo = store.repository.split('/').map(encodeURIComponent).join('/')
  const base =
    target.scope === 'repository'
      ? `${api}/repos/${repo}/actions/secrets`
      : target.scope === 'environment'
        ? `${api}/repos/${repo}/environments/${encodeURIComponent(target.environment)}/secrets`
        : `${api}/orgs/${encodeURIComponent(store.owner)}/actions/secrets`
  return { publicKey: `${base}/public-key`, secret: `${base}/${target.name}` }
}

/**
 * An organization secret's PUT must say who may read it. An existing secret keeps its
 * visibility (and, for "selected", its repositories: the list is left out); a new one is visible
 * to this repository only, the least a stored refresh token should be.
 */
async function organizationVisibility(
  ctx: OAuthContext,
  store: SecretStore,
  endpoint: EndpointRef,
  headers: Record<string, string>
): Promise<Record<string, unknown>> {
  const read = await withRetries(ctx, endpoint, () => getJson(ctx, endpoint, headers), {
    attempts: 3,
    retryMaybeDelivered: true
  })
  const visibility = read.fields?.['visibility']
  if (read.status === 200 && typeof visibility === 'string') return { visibility }
  if (store.repositoryId === undefined) {
    throw new SecretStoreError(
      read.status,
      'Cannot create a new organization secret without GITHUB_REPOSITORY_ID, the repository it would be visible to. Create the secret once by hand (Organization settings → Secrets and variables → Actions), then the action keeps it up to date.'
    )
  }
  return { visibility: 'selected', selected_repository_ids: [store.repositoryId] }
}

/** The permission secrets-token needs, as GitHub names it, for the target's scope. */
function permissionFor(target: SecretTarget): string {
  switch (target.scope) {
    case 'repository':
      return 'the "Secrets" repository permission set to "Read and write" (a classic personal access token: the repo scope)'
    case 'environment':
      return 'the "Environments" and "Secrets" repository permissions set to "Read and write" (a classic personal access token: the repo scope)'
    case 'organization':
      return 'the "Secrets" organization permission set to "Read and write" (a classic personal access token: the admin:org scope)'
  }
}

function apiError(
  read: ReadResponse,
  endpoint: EndpointRef,
  target: SecretTarget,
  description: string,
  action: string
): SecretStoreError {
  const message = read.fields?.['message']
  const said =
    typeof message === 'string' && message !== ''
      ? ` ("${safeText(message, { maxLength: 300 })}")`
      : ''
  const failed = `Could not ${action} ${description}: GitHub answered HTTP ${read.status}${said}.`
  const advice = (() => {
    switch (read.status) {
      case 401:
        return 'GitHub did not accept secrets-token: it is expired, revoked or mistyped. Give a current token.'
      case 403:
        return `secrets-token may not write this secret. The workflow's GITHUB_TOKEN never can (no permissions: setting grants access to secrets): set secrets-token to a fine-grained personal access token or a GitHub App token with ${permissionFor(target)}.`
      case 404:
        return target.scope === 'environment'
          ? `Either the environment "${target.environment}" does not exist (create it under Settings → Environments), or secrets-token cannot see the repository (a fine-grained token must list it under Repository access) or lacks ${permissionFor(target)}.`
          : target.scope === 'organization'
            ? `secrets-token cannot see the organization's secrets: it needs ${permissionFor(target)}, and the repository must belong to an organization, not a personal account.`
            : `secrets-token cannot see the repository (a fine-grained token must list it under Repository access) or lacks ${permissionFor(target)}.`
      case 422:
        return `GitHub rejected the request: check the secret name in store-refresh-token (letters, digits and _), and run the job again if the store's key changed meanwhile.`
      default:
        return read.status >= 500 ? 'GitHub is failing; run the job again later.' : undefined
    }
  })()
  if (advice) {
    return new SecretStoreError(
      read.status,
      `${failed} ${advice} The new refresh token is still in the refresh-token output (masked).`
    )
  }
  return new SecretStoreError(
    read.status,
    `${unusableResponse(endpoint, read, 'HTTP 201 or 204').message} The new refresh token is still in the refresh-token output (masked).`
  )
}
