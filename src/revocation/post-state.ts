import type { Config } from '../inputs.js'
import type { ClientCredentials } from '../oauth/client-auth.js'
import type { ProviderMetadata } from '../oauth/endpoints.js'
import type { TokenSet } from '../oauth/token.js'
import { planRevocation } from './plan.js'
import { saveRevocationState } from './state.js'
import type { Runner } from '../runner/runner.js'
import { MESSAGE_MAX_LENGTH, safeText } from '../safe-text.js'

/**
 * The stage that runs the moment tokens arrive, before anything that could fail or be cancelled:
 * it leaves the post step what to revoke (RFC 7009 or GitHub's API) in the step state. The
 * tokens are masked already (they are masked as they arrive); the client secret is not saved.
 */
export function saveForPostStep(
  runner: Pick<Runner, 'saveState' | 'info' | 'setSecret' | 'env'>,
  config: Config,
  metadata: Pick<ProviderMetadata, 'tokenEndpoint' | 'revocationEndpoint'>,
  client: ClientCredentials,
  tokens: TokenSet,
  refreshed: boolean,
  nowMs: number
): void {
  // After a refresh without rotation, the input is the refresh token that lives on.
  const refreshToken = tokens.refreshToken ?? (refreshed ? config.refreshToken : undefined)
  const plan = planRevocation(tokens, {
    revoke: config.revoke,
    github: config.provider.name === 'github',
    client,
    metadata,
    ...(refreshToken && { refreshToken }),
    refreshTokenKept:
      refreshToken !== undefined &&
      (config.storeRefreshToken !== undefined || refreshToken === config.refreshToken),
    env: runner.env,
    nowMs
  })
  if (plan.note) runner.info(safeText(plan.note, { maxLength: MESSAGE_MAX_LENGTH }))
  if (!plan.state) return
  // Masked again here: what goes into the state file must be masked whoever masked it first.
  for (const token of [plan.state.accessToken, plan.state.refreshToken])
    if (token) runner.setSecret(token)
  saveRevocationState((name, value) => runner.saveState(name, value), plan.state)
}
