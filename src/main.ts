import type { Clock } from './clock.js'
import { clientCredentials } from './flow/client.js'
import { deviceLogin } from './flow/device-login.js'
import { FlowEvents, type FlowListener } from './flow/events.js'
import { failureOf } from './flow/failure.js'
import { identify } from './flow/identify.js'
import { normalizeTokens } from './flow/normalize.js'
import { refreshIfPossible } from './flow/refresh.js'
import { readConfig, type Config } from './inputs.js'
import { resolveEndpoints } from './oauth/endpoints.js'
import type { OAuthContext } from './oauth/exchange.js'
import type { HttpTransport } from './oauth/http.js'
import { quirksFor, type ProviderQuirks } from './providers/index.js'
import { logListener } from './listeners/log.js'
import { noticeListener } from './listeners/notice.js'
import { summaryListener } from './listeners/summary.js'
import { publishTokens, refreshTokenToStore } from './runner/outputs.js'
import type { Runner } from './runner/runner.js'
import type { Ending } from './runner/summary.js'

export interface Deps {
  readonly runner: Runner
  readonly http: HttpTransport
  readonly clock: Clock
  /** Aborted on SIGINT/SIGTERM: every wait and request stops. */
  readonly signal: AbortSignal
  readonly requestTimeoutMs?: number
}

/**
 * inputs → endpoints → (refresh | device code → prompt → poll) → identity → outputs → record.
 * Every stage is a module of src/flow; what a person sees is a listener of src/listeners.
 * Returns how it ended; failures are reported through the runner, never thrown.
 */
export async function run(deps: Deps): Promise<Ending> {
  const { runner, clock } = deps
  let config: Config | undefined
  let quirks: ProviderQuirks | undefined
  const events = new FlowEvents((error) =>
    runner.warning(`A listener failed: ${error instanceof Error ? error.message : String(error)}`)
  )
  events.subscribe(...listenersFor(runner, () => config?.summary ?? true))
  try {
    config = readConfig(runner)
    const ctx = oauthContext(deps)
    const metadata = await resolveEndpoints(ctx, config.endpoints)
    runner.info(`Using the endpoints from ${metadata.source}.`)
    quirks = quirksFor(config.provider, metadata)
    const client = clientCredentials(config, metadata)
    const tokenEndpoint = { name: 'token endpoint', url: metadata.tokenEndpoint }

    const refreshed = await refreshIfPossible(ctx, runner, config, client, tokenEndpoint, quirks)
    const granted = refreshed
      ? { tokens: refreshed, atMs: clock.now() }
      : await deviceLogin(ctx, runner, events, config, metadata, client, quirks).then((login) => ({
          tokens: login.tokens,
          atMs: login.approvedAtMs
        }))
    const { tokens, approver } = await identify(
      ctx,
      runner,
      config,
      metadata,
      normalizeTokens(config, granted.tokens)
    )
    const ending: Ending = refreshed ? 'refreshed' : 'approved'
    if (refreshed)
      await events.emit({ type: 'refreshed', atMs: granted.atMs, ...(approver && { approver }) })

    publishTokens(runner, tokens, {
      nowMs: granted.atMs,
      ...(approver && { approver }),
      refreshToken: refreshTokenToStore(tokens, config.refreshToken, refreshed !== undefined)
    })
    await events.emit({
      type: 'ended',
      outcome: {
        ending,
        atMs: granted.atMs,
        clientId: config.clientId,
        ...(tokens.scope && { scope: tokens.scope }),
        ...(approver && { approver })
      }
    })
    return ending
  } catch (error) {
    const failure = failureOf(error, quirks)
    if (failure.stack) runner.debug(failure.stack)
    runner.setFailed(failure.message)
    await events.emit({
      type: 'ended',
      outcome: {
        ending: failure.ending,
        atMs: clock.now(),
        detail: failure.message,
        ...(config && { clientId: config.clientId })
      }
    })
    return failure.ending
  } finally {
    await events.close()
  }
}

function oauthContext(deps: Deps): OAuthContext {
  return {
    http: deps.http,
    clock: deps.clock,
    signal: deps.signal,
    requestTimeoutMs: deps.requestTimeoutMs ?? 30_000,
    onRetry: (reason, delayMs) =>
      deps.runner.info(`${reason}; trying again in ${Math.ceil(delayMs / 1000)} s.`)
  }
}

/** Everything the person sees: one listener per way of reaching them. */
function listenersFor(runner: Runner, summaryEnabled: () => boolean): FlowListener[] {
  return [logListener(runner), noticeListener(runner), summaryListener(runner, summaryEnabled)]
}
