import type { Clock } from './clock.js'
import { messageOf } from './errors.js'
import { clientCredentials } from './flow/client.js'
import type { RunContext } from './flow/context.js'
import { FlowEvents, type Ending, type FlowListener } from './flow/events.js'
import { failureOf } from './flow/failure.js'
import { approvedGrant, refreshedGrant } from './flow/grant.js'
import { publishTokens, refreshTokenToStore } from './flow/outputs.js'
import { refreshIfPossible } from './flow/refresh.js'
import { warnIfRefreshTokenExpires } from './flow/refresh-token-expiry.js'
import { storeRefreshToken } from './flow/store-refresh-token.js'
import { readConfig, type Config } from './inputs.js'
import { webhookListener } from './notify/listener.js'
import { resolveEndpoints } from './oauth/endpoints.js'
import type { OAuthContext } from './oauth/exchange.js'
import type { HttpTransport } from './oauth/http.js'
import { readPolicy } from './policy/read-policy.js'
import { logListener } from './present/log.js'
import { noticeListener } from './present/notice.js'
import { qrListener } from './present/qr.js'
import { summaryListener } from './present/summary.js'
import { quirksFor, type ProviderQuirks } from './providers/quirks.js'
import type { Runner } from './runner/runner.js'

export interface Deps {
  readonly runner: Runner
  readonly http: HttpTransport
  readonly clock: Clock
  /** Aborted on SIGINT/SIGTERM: every wait and request stops. */
  readonly signal: AbortSignal
  readonly requestTimeoutMs?: number
  /** For the notify-webhook POSTs: untraced, since a webhook URL's path is its secret. Default: http. */
  readonly webhookHttp?: HttpTransport
}

/**
 * inputs → endpoints → (refresh | device code → prompt → poll) → identity → policy → outputs →
 * record; with approvals: N, the device code to policy part once per person, in turn.
 * Every stage is a module of src/flow; what a person sees is a listener of src/present and
 * src/notify. Returns how it ended; failures are reported through the runner, never thrown.
 */
export async function run(deps: Deps): Promise<Ending> {
  const { runner, clock } = deps
  const startedMs = clock.now()
  let config: Config | undefined
  let quirks: ProviderQuirks | undefined
  const events = new FlowEvents((error) => runner.warning(`A listener failed: ${messageOf(error)}`))
  events.subscribe(...listenersFor(deps, () => config))
  try {
    config = readConfig(runner)
    // mode: device never refreshes, whatever refresh-token holds.
    const refreshes = config.refreshToken !== undefined && config.mode !== 'device'
    // Before any request: a bad policy input must not cost anyone an approval.
    const policy = readPolicy(runner, {
      provider: config.provider.name === 'github' ? 'github' : 'oidc',
      refreshToken: refreshes,
      ...(config.scope !== undefined && { scope: config.scope })
    })
    const oauth = oauthContext(deps, {
      // Every value masked is cut out of provider text before it is quoted.
      secrets: () => runner.knownSecrets(),
      // Waits before the prompt (Retry-After on discovery or the device endpoint) count against
      // the timeout input too: nobody sits silent past it.
      ...(config.timeoutSeconds !== undefined && {
        retriesEndAtMs: startedMs + config.timeoutSeconds * 1000
      })
    })
    const metadata = await resolveEndpoints(oauth, config.endpoints)
    runner.info(`Using the endpoints from ${metadata.source}.`)
    quirks = quirksFor(config.provider, metadata)
    const context: RunContext = {
      oauth,
      runner,
      events,
      config,
      metadata,
      client: clientCredentials(config, metadata),
      quirks,
      policy
    }

    const refreshed = await refreshIfPossible(context)
    const granted = refreshed
      ? await refreshedGrant(context, refreshed)
      : await approvedGrant(context)
    const ending: Ending = refreshed ? 'refreshed' : 'approved'
    const { tokens, approver, approvers } = granted

    const toStore = refreshTokenToStore(tokens, config.refreshToken, refreshed !== undefined)
    publishTokens(runner, tokens, {
      nowMs: granted.atMs,
      ...(approver && { approver }),
      ...(approvers && { approvers }),
      refreshToken: toStore
    })
    await warnIfRefreshTokenExpires(context, tokens)
    await storeRefreshToken(context, toStore)
    await events.emit({
      type: 'ended',
      outcome: {
        ending,
        atMs: granted.atMs,
        clientId: config.clientId,
        ...(tokens.scope && { scope: tokens.scope }),
        ...(approver && { approver }),
        ...(approvers && { approvers })
      }
    })
    return ending
  } catch (error) {
    const failure = failureOf(error, quirks)
    if (failure.stack) for (const line of failure.stack.split('\n')) runner.debug(line)
    runner.setFailed(failure.message)
    await events.emit({
      type: 'ended',
      outcome: {
        ending: failure.ending,
        atMs: clock.now(),
        detail: failure.message,
        ...(config && { clientId: config.clientId }),
        ...(failure.refusal && { refusal: failure.refusal })
      }
    })
    return failure.ending
  } finally {
    await events.close()
  }
}

function oauthContext(
  deps: Deps,
  extra: Pick<OAuthContext, 'secrets' | 'retriesEndAtMs'>
): OAuthContext {
  return {
    http: deps.http,
    clock: deps.clock,
    signal: deps.signal,
    requestTimeoutMs: deps.requestTimeoutMs ?? 30_000,
    ...extra,
    onRetry: (reason, delayMs) =>
      deps.runner.info(`${reason}; trying again in ${Math.ceil(delayMs / 1000)} s.`)
  }
}

/** Everything the person sees: one listener per way of reaching them. */
function listenersFor(deps: Deps, config: () => Config | undefined): FlowListener[] {
  const { runner } = deps
  return [
    logListener(runner),
    qrListener(runner, () => config()?.qrCode ?? true),
    noticeListener(runner),
    summaryListener(runner, () => config()?.summary ?? true),
    webhookListener({
      runner,
      http: deps.webhookHttp ?? deps.http,
      clock: deps.clock,
      config: () => config()?.notify
    })
  ]
}
