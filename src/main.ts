import type { Clock } from './clock.js'
import { messageOf } from './errors.js'
import { clientCredentials } from './flow/client.js'
import type { RunContext } from './flow/context.js'
import {
  FlowEvents,
  type Ending,
  type FlowListener,
  type FlowStage,
  type GrantEnding
} from './flow/events.js'
import { failureOf } from './flow/failure.js'
import { obtainFromProvider, type Obtained } from './flow/grant.js'
import { handOff } from './flow/hand-off.js'
import { needsProvider, openHandoff, receiveHandoff } from './flow/open-handoff.js'
import { publishTokens } from './flow/outputs.js'
import { warnIfRefreshTokenExpires } from './flow/refresh-token-expiry.js'
import { storeRefreshToken } from './flow/store-refresh-token.js'
import { readConfig, type Config } from './inputs.js'
import { webhookListener } from './notify/listener.js'
import { resolveEndpoints } from './oauth/endpoints.js'
import type { OAuthContext } from './oauth/exchange.js'
import type { Approver } from './oauth/approver.js'
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
 * inputs → (handoff opened | endpoints → (refresh | device code → prompt → poll) → identity →
 * policy) → outputs → handoff sealed → record; with approvals: N, the device code to policy part
 * once per person, in turn.
 * Every stage is a module of src/flow; what a person sees is a listener of src/present and
 * src/notify. Returns how it ended; failures are reported through the runner, never thrown.
 */
export async function run(deps: Deps): Promise<Ending> {
  const { runner, clock } = deps
  const startedMs = clock.now()
  let config: Config | undefined
  let quirks: ProviderQuirks | undefined
  /** Set once the tokens are output: a failure after that is not a failed approval. */
  let output: OutputGrant | undefined
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
    // A handoff opens with no request to anyone (src/flow/open-handoff.ts); the provider is
    // reached to refresh or ask a person, and for a handoff only to refresh its token or to
    // revoke it at the end of this job.
    const base = { oauth, runner, events, config, policy }
    const reachProvider = async (): Promise<RunContext> => {
      const context = await providerContext(base)
      quirks = context.quirks
      return context
    }
    let obtained: Obtained
    if (config.handoff?.sealed !== undefined) {
      const handoff = await openHandoff(runner, config, clock.now())
      const context = needsProvider(config, handoff, clock.now())
        ? await reachProvider()
        : undefined
      obtained = await receiveHandoff(base, handoff, context)
    } else {
      obtained = await obtainFromProvider(await reachProvider())
    }
    const { grant, toStore } = obtained
    const { tokens, approver, approvers } = grant

    publishTokens(runner, tokens, {
      nowMs: grant.atMs,
      ...(approver && { approver }),
      ...(approvers && { approvers }),
      refreshToken: toStore
    })
    output = {
      grant: obtained.ending,
      ...(approver && { approver }),
      ...(approvers && { approvers })
    }
    await warnIfRefreshTokenExpires(base, tokens)
    output.stage = 'store-refresh-token'
    await storeRefreshToken(base, toStore, obtained.ending)
    output.stage = 'hand-off'
    await handOff(base, {
      tokens,
      ...(toStore.value && { refreshToken: toStore.value }),
      atMs: grant.atMs,
      approvers: approvers ?? (approver ? [approver] : []),
      clientId: config.clientId,
      tokenEndpoint: obtained.tokenEndpoint
    })
    await events.emit({
      type: 'ended',
      outcome: {
        ending: obtained.ending,
        atMs: grant.atMs,
        clientId: config.clientId,
        ...(tokens.scope && { scope: tokens.scope }),
        ...(approver && { approver }),
        ...(approvers && { approvers }),
        ...(obtained.handoff && { handoff: obtained.handoff })
      }
    })
    return obtained.ending
  } catch (error) {
    const failure = failureOf(error, quirks, {
      ...(config?.scope && { scope: config.scope }),
      ...(config && { provider: config.provider.name })
    })
    if (failure.stack) for (const line of failure.stack.split('\n')) runner.debug(line)
    runner.setFailed(failure.message)
    await events.emit({
      type: 'ended',
      outcome: {
        ending: failure.ending,
        atMs: clock.now(),
        detail: failure.message,
        ...(config && { clientId: config.clientId }),
        ...(failure.refusal && { refusal: failure.refusal }),
        ...(output?.stage && {
          ...(output.approver && { approver: output.approver }),
          ...(output.approvers && { approvers: output.approvers }),
          failedAfter: { grant: output.grant, stage: output.stage }
        })
      }
    })
    return failure.ending
  } finally {
    await events.close()
  }
}

/** The provider's endpoints (discovery, or the inputs), and how the client authenticates there. */
async function providerContext(
  base: Pick<RunContext, 'oauth' | 'runner' | 'events' | 'config' | 'policy'>
): Promise<RunContext> {
  const metadata = await resolveEndpoints(base.oauth, base.config.endpoints)
  base.runner.info(`Using the endpoints from ${metadata.source}.`)
  return {
    ...base,
    metadata,
    client: clientCredentials(base.config, metadata),
    quirks: quirksFor(base.config.provider, metadata)
  }
}

/** The tokens are output: how they were granted, and the stage under way since. */
interface OutputGrant {
  readonly grant: GrantEnding
  readonly approver?: Approver
  readonly approvers?: readonly Approver[]
  stage?: FlowStage
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
    qrListener(runner, () => config()?.qrCode ?? false),
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
