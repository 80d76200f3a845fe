import type { Config } from '../inputs.js'
import { gitHubApiUrl } from '../oauth/github-api.js'
import type { RunContext } from './context.js'
import type { GrantEnding, RefreshTokenFate } from './events.js'
import type { StoredRefreshToken } from './outputs.js'
import { SecretStoreError, storeSecret, type SecretStore } from '../secrets/github-secrets.js'
import { describeTarget } from '../secrets/target.js'

/**
 * The stage after the outputs: writes the refresh token back into the secret
 * (store-refresh-token) when it differs from the one the job started from
 * (refreshTokenToStore in outputs.ts decides), and tells the listeners what became of it. Failing
 * to store fails the step, since the next job would start from a dead token; the token stays in
 * the refresh-token output (masked) either way. Without store-refresh-token, a refresh token
 * that must be stored is told about loudly: the next run fails unless a later step stores it.
 */
export async function storeRefreshToken(
  context: Pick<RunContext, 'oauth' | 'runner' | 'config' | 'events'>,
  toStore: StoredRefreshToken,
  grant: GrantEnding
): Promise<void> {
  const fate = await keepRefreshToken(context, toStore, grant)
  if (fate)
    await context.events.emit({ type: 'refresh-token', atMs: context.oauth.clock.now(), fate })
}

async function keepRefreshToken(
  context: Pick<RunContext, 'oauth' | 'runner' | 'config'>,
  toStore: StoredRefreshToken,
  grant: GrantEnding
): Promise<RefreshTokenFate | undefined> {
  const { runner, config } = context
  const store = config.storeRefreshToken
  if (!store) {
    const why = unstoredRefreshToken(config, toStore, grant)
    return why && { kind: 'not-stored', why }
  }
  const where = secretStoreOf(runner.env, store.token)
  const description = describeTarget(store.target, where.repository, where.owner)
  if (!toStore.value) return { kind: 'none-returned', where: description }
  if (!toStore.mustStore) {
    runner.setOutput('refresh-token-stored', 'false')
    return {
      kind: 'unchanged',
      where: description,
      handedOff: config.handoff?.sealed !== undefined
    }
  }
  const stored = await storeSecret(context.oauth, where, store.target, toStore.value)
  runner.setOutput('refresh-token-stored', 'true')
  return { kind: 'stored', where: stored.description, created: stored.created }
}

/**
 * Why a refresh token that this step does not store must be stored all the same, if it must:
 * a refresh rotated it (the secret's token is dead now), or a device flow issued one that the
 * workflow means later runs to refresh from (it has a refresh-token input, given or empty, or
 * asked for offline_access). A gate that only wanted an access token is told nothing.
 */
export function unstoredRefreshToken(
  config: Pick<Config, 'refreshToken' | 'refreshTokenMissing' | 'scope' | 'handoff'>,
  toStore: StoredRefreshToken,
  grant: GrantEnding
): 'rotated' | 'new' | undefined {
  if (!toStore.value || !toStore.mustStore) return undefined
  // A handed-off refresh token never came from a secret; the handoff output carries it on.
  if (grant === 'handoff-opened') return undefined
  if (grant === 'refreshed') return 'rotated'
  // offline_access in a job that hands its tokens on may be for the later jobs of this run only.
  const meantForLater =
    config.refreshToken !== undefined ||
    config.refreshTokenMissing === true ||
    ((config.scope ?? '').split(' ').includes('offline_access') && !config.handoff)
  return meantForLater ? 'new' : undefined
}

/** The repository and API from the runner's variables; GitHub Enterprise Server included. */
function secretStoreOf(
  env: Readonly<Record<string, string | undefined>>,
  token: string
): SecretStore {
  const repository = env['GITHUB_REPOSITORY'] ?? ''
  if (!/^[^/\s]+\/[^/\s]+$/.test(repository)) {
    throw new SecretStoreError(
      undefined,
      'store-refresh-token needs GITHUB_REPOSITORY (owner/repo), which the runner sets in every job; it is missing or malformed here.'
    )
  }
  const id = Number(env['GITHUB_REPOSITORY_ID'])
  return {
    apiUrl: gitHubApiUrl(env),
    repository,
    owner: env['GITHUB_REPOSITORY_OWNER'] || (repository.split('/')[0] as string),
    ...(Number.isSafeInteger(id) && id > 0 && { repositoryId: id }),
    token
  }
}
