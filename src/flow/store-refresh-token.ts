import { gitHubApiUrl } from '../oauth/github-api.js'
import { escapeHtml } from '../present/html.js'
import { isoSeconds } from '../present/time.js'
import { addToSummary } from '../present/summary.js'
import type { RunContext } from './context.js'
import type { StoredRefreshToken } from './outputs.js'
import { SecretStoreError, storeSecret, type SecretStore } from '../secrets/github-secrets.js'
import { describeTarget } from '../secrets/target.js'

/**
 * The stage after the outputs: writes the refresh token back into the secret
 * (store-refresh-token) when it differs from the one the job started from
 * (refreshTokenToStore in outputs.ts decides). Failing to store
 * fails the step, since the next job would start from a dead token; the token stays in the
 * refresh-token output (masked) either way.
 */
export async function storeRefreshToken(
  context: Pick<RunContext, 'oauth' | 'runner' | 'config'>,
  toStore: StoredRefreshToken
): Promise<void> {
  const { runner, config } = context
  const store = config.storeRefreshToken
  if (!store) return
  const where = secretStoreOf(runner.env, store.token)
  const description = describeTarget(store.target, where.repository, where.owner)
  if (!toStore.value) {
    runner.warning(
      `The provider returned no refresh token, so ${description} was not updated. Ask for a refresh token (often the offline_access scope), or remove store-refresh-token.`
    )
    return
  }
  if (!toStore.mustStore) {
    runner.info(
      config.handoff?.sealed !== undefined
        ? `The handed-off refresh token was not rotated here, so ${description} was not written.`
        : `The refresh token was not rotated: ${description} still holds the one in use.`
    )
    runner.setOutput('refresh-token-stored', 'false')
    return
  }
  const stored = await storeSecret(context.oauth, where, store.target, toStore.value)
  const at = isoSeconds(context.oauth.clock.now())
  runner.setOutput('refresh-token-stored', 'true')
  runner.info(
    `${stored.created ? 'Created' : 'Updated'} ${stored.description} with the new refresh token at ${at}.`
  )
  if (config.summary)
    await addToSummary(
      runner,
      `<p>Refresh token stored in ${escapeHtml(stored.description)} at ${at}.</p>\n`
    )
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
