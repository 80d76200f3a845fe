import type { Config } from '../inputs.js'
import type { OAuthContext } from '../oauth/exchange.js'
import { gitHubApiUrl } from '../oauth/github-api.js'
import { escapeHtml } from '../present/html.js'
import { isoSeconds } from '../present/time.js'
import type { StoredRefreshToken } from './outputs.js'
import type { Runner } from '../runner/runner.js'
import { SecretStoreError, storeSecret, type SecretStore } from '../secrets/github-secrets.js'
import { describeTarget } from '../secrets/target.js'
import { MESSAGE_MAX_LENGTH, safe, safeText } from '../safe-text.js'

/**
 * The stage after the outputs: writes the refresh token back into the secret
 * (store-refresh-token) when it differs from the one the job started from
 * (refreshTokenToStore in src/runner/outputs.ts decides). Failing to store
 * fails the step, since the next job would start from a dead token; the token stays in the
 * refresh-token output (masked) either way.
 */
export async function storeRefreshToken(
  ctx: OAuthContext,
  runner: Pick<Runner, 'env' | 'info' | 'warning' | 'setOutput' | 'appendSummary'>,
  config: Pick<Config, 'storeRefreshToken' | 'summary'>,
  toStore: StoredRefreshToken,
  nowMs: () => number
): Promise<void> {
  const store = config.storeRefreshToken
  if (!store) return
  const where = secretStoreOf(runner.env, store.token)
  const description = describeTarget(store.target, where.repository, where.owner)
  if (!toStore.value) {
    runner.warning(
      safeText(
        `The provider returned no refresh token, so ${description} was not updated. Ask for a refresh token (often the offline_access scope), or remove store-refresh-token.`,
        { maxLength: MESSAGE_MAX_LENGTH }
      )
    )
    return
  }
  if (!toStore.mustStore) {
    runner.info(
      safeText(`The refresh token was not rotated: ${description} still holds the one in use.`, {
        maxLength: MESSAGE_MAX_LENGTH
      })
    )
    runner.setOutput('refresh-token-stored', 'false')
    return
  }
  const stored = await storeSecret(ctx, where, store.target, toStore.value)
  const at = isoSeconds(nowMs())
  runner.setOutput('refresh-token-stored', 'true')
  runner.info(
    safeText(
      `${stored.created ? 'Created' : 'Updated'} ${stored.description} with the new refresh token at ${at}.`,
      { maxLength: MESSAGE_MAX_LENGTH }
    )
  )
  if (config.summary) {
    try {
      await runner.appendSummary(
        `<p>Refresh token stored in ${escapeHtml(stored.description)} at ${at}.</p>\n`
      )
    } catch (error) {
      runner.warning(
        safe`Could not write the job summary: ${safeText(error instanceof Error ? error.message : error, { maxLength: 500 })}`
      )
    }
  }
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
