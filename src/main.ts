import type { Clock } from './clock.js'
import { clientCredentials } from './flow/client.js'
import { FlowEvents, type FlowListener } from './flow/events.js'
import { approvedGrant, refreshedGrant, type Stage } from './flow/grant.js'
import { failureOf } from './flow/failure.js'
import { laterStagesLoader, type LaterStages } from './flow/load-later-stages.js'
import { refreshIfPossible } from './flow/refresh.js'
import { readConfig, type Config } from './inputs.js'
import { readPolicy } from './policy/read-policy.js'
import { resolveEndpoints } from './oauth/endpoints.js'
import type { OAuthContext } from './oauth/exchange.js'
import type { HttpTransport } from './oauth/http.js'
import { quirksFor, type ProviderQuirks } from './providers/quirks.js'
import { logListener } from './present/log.js'
import { noticeListener } from './present/notice.js'
import { qrListener } from './present/qr.js'
import { summaryListener } from './present/summary.js'
import { webhookListener } from './notify/listener.js'
import { KnownSecrets } from './runner/known-secrets.js'
import type { Runner } from './runner/runner.js'
import { MESSAGE_MAX_LENGTH, safe, safeText } from './safe-text.js'
import type { Ending } from './present/summary-record.js'

export interface Deps {
  readonly runner: Runner
  readonly http: HttpTransport
  readonly clock: Clock
  /** Aborted on SIGINT/SIGTERM: every wait and request stops. */
  readonly signal: AbortSignal
  readonly requestTimeoutMs?: number
  /** For the notify-webhook POSTs: untraced, since a webhook URL's path is its secret. Default: http. */
  readonly webhookHttp?: HttpTransport
  /** Default: the import of src/flow/later-stages.ts (a test makes it fail). */
  readonly importLaterStages?: () => Promise<LaterStages>
}

/**
 * inputs → endpoints → (refresh | device code → prompt → poll) → identity → policy → outputs →
 * record; with approvals: N, the device code to policy part once per person, in turn.
 * Every stage is a module of src/flow; what a person sees is a listener of src/listeners.
 * Returns how it ended; failures are reported through the runner, never thrown.
 */
export async function run(deps: Deps): Promise<Ending> {
  const { clock } = deps
  // Every value masked is remembered, to be cut out of provider text before it is quoted.
  const known = new KnownSecrets(deps.runner)
  const runner = known.runner
  const startedMs = clock.now()
  let config: Config | undefined
  let quirks: ProviderQuirks | undefined
  const events = new FlowEvents((error) =>
    runner.warning(
      safe`A listener failed: ${safeText(error instanceof Error ? error.message : error, { maxLength: 500 })}`
    )
  )
  events.subscribe(...listenersFor(deps, () => config))
  try {
    config = readConfig(runner)
    // mode: device never refreshes, whatever refresh-token holds.
    const refreshes = config.refreshToken !== undefined && config.mode !== 'device'
    // Before any request: a bad policy input must not cost anyone an approval.
    const policy = readPolicy(runner, {
      provider: config.provider.name === 'github' ? 'github' : 'oidc',
      refreshToken: refreshes
    })
    // What follows the code is in a chunk of its own (src/flow/later-stages.ts), loaded while the
    // person reads the code (approvedGrant); a refresh shows none, so it starts loading here.
    const later = laterStagesLoader(deps.importLaterStages)
    if (refreshes) later.prefetch()
    const ctx = oauthContext(deps, runner, {
      secrets: () => known.all(),
      // Waits before the prompt (Retry-After on discovery or the device endpoint) count against
      // the timeout input too: nobody sits silent past it.
      ...(config.timeoutSeconds !== undefined && {
        retriesEndAtMs: startedMs + config.timeoutSeconds * 1000
      })
    })
    const metadata = await resolveEndpoints(ctx, config.endpoints)
    runner.info(safe`Using the endpoints from ${metadata.source}.`)
    quirks = quirksFor(config.provider, metadata)
    const client = clientCredentials(config, metadata)
    const tokenEndpoint = { name: 'token endpoint', url: metadata.tokenEndpoint }
    const stage: Stage = { ctx, runner, events, config, metadata, client, quirks, policy, later }

    const refreshed = await refreshIfPossible(
      ctx,
      runner,
      config,
      client,
      tokenEndpoint,
      quirks,
      later
    )
    const granted = refreshed ? await refreshedGrant(stage, refreshed) : await approvedGrant(stage)
    const ending: Ending = refreshed ? 'refreshed' : 'approved'
    const { tokens, approver, approvers } = granted

    // Loaded by now: the tokens came through them.
    const { publishTokens, refreshTokenToStore, warnIfRefreshTokenExpires, storeRefreshToken } =
      await later.load()
    const toStore = refreshTokenToStore(tokens, config.refreshToken, refreshed !== undefined)
    publishTokens(runner, tokens, {
      nowMs: granted.atMs,
      ...(approver && { approver }),
      ...(approvers && { approvers }),
      refreshToken: toStore
    })
    await warnIfRefreshTokenExpires(runner, config, tokens, clock.now())
    await storeRefreshToken(ctx, runner, config, toStore, () => clock.now())
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
    if (failure.stack)
      for (const line of failure.stack.split('\n'))
        runner.debug(safeText(line, { maxLength: MESSAGE_MAX_LENGTH }))
    runner.setFailed(safeText(failure.message, { maxLength: MESSAGE_MAX_LENGTH }))
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
  runner: Runner,
  extra: Pick<OAuthContext, 'secrets' | 'retriesEndAtMs'>
): OAuthContext {
  return {
    http: deps.http,
    clock: deps.clock,
    signal: deps.signal,
    requestTimeoutMs: deps.requestTimeoutMs ?? 30_000,
    ...extra,
    onRetry: (reason, delayMs) =>
      runner.info(
        safe`${safeText(reason, { maxLength: MESSAGE_MAX_LENGTH })}; trying again in ${Math.ceil(delayMs / 1000)} s.`
      )
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
