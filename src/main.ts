import type { Clock } from './clock.js'
import { approveInTurn, type Approval } from './flow/approvals.js'
import { clientCredentials } from './flow/client.js'
import { deviceLogin } from './flow/device-login.js'
import { discardTokens } from './flow/discard.js'
import { FlowEvents, type ApprovalTurn, type FlowListener } from './flow/events.js'
import { failureOf } from './flow/failure.js'
import { identify } from './flow/identify.js'
import { normalizeTokens } from './flow/normalize.js'
import { checkPolicy, type PolicyGate, type PolicyTurn } from './flow/policy.js'
import { saveForPostStep } from './flow/post-state.js'
import { refreshIfPossible } from './flow/refresh.js'
import { warnIfRefreshTokenExpires } from './flow/refresh-token-expiry.js'
import { storeRefreshToken } from './flow/store-refresh-token.js'
import { readConfig, type Config } from './inputs.js'
import type { Approver } from './oauth/identity.js'
import type { TokenSet } from './oauth/token.js'
import { approvalHeading, policyInForce } from './policy/describe.js'
import type { EarlierApproval, Verdict } from './policy/judge.js'
import type { ApprovalPolicy } from './policy/policy.js'
import { readPolicy } from './policy/read-policy.js'
import { resolveEndpoints } from './oauth/endpoints.js'
import type { OAuthContext } from './oauth/exchange.js'
import type { HttpTransport } from './oauth/http.js'
import { quirksFor, type ProviderQuirks } from './providers/index.js'
import { logListener } from './listeners/log.js'
import { noticeListener } from './listeners/notice.js'
import { qrListener } from './listeners/qr.js'
import { summaryListener } from './listeners/summary.js'
import { webhookListener } from './listeners/webhooks.js'
import { publishTokens, refreshTokenToStore } from './runner/outputs.js'
import { KnownSecrets } from './runner/known-secrets.js'
import type { PromptContext } from './runner/prompt.js'
import type { Runner } from './runner/runner.js'
import { MESSAGE_MAX_LENGTH, safe, safeText } from './text/safe-text.js'
import type { Ending } from './runner/summary.js'

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
    // Before any request: a bad policy input must not cost anyone an approval.
    const policy = readPolicy(runner, {
      provider: config.provider.name === 'github' ? 'github' : 'oidc',
      // mode: device never refreshes, whatever refresh-token holds.
      refreshToken: config.refreshToken !== undefined && config.mode !== 'device'
    })
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
    const stage: Stage = { ctx, runner, events, config, metadata, client, quirks, policy }

    const refreshed = await refreshIfPossible(ctx, runner, config, client, tokenEndpoint, quirks)
    const granted = refreshed ? await refreshedGrant(stage, refreshed) : await approvedGrant(stage)
    const ending: Ending = refreshed ? 'refreshed' : 'approved'
    const { tokens, approver, approvers } = granted

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

/** Everything the stages after the endpoints need. */
interface Stage extends PolicyGate {
  readonly runner: Runner
  readonly quirks: ProviderQuirks
}

interface Grant {
  readonly tokens: TokenSet
  readonly atMs: number
  readonly approver?: Approver
  /** With approvals > 1: everyone who approved, in order. */
  readonly approvers?: readonly Approver[]
}

/** refresh → identity → policy: the token's owner must still be someone the policy accepts. */
async function refreshedGrant(stage: Stage, refreshed: TokenSet): Promise<Grant> {
  const received = normalizeTokens(stage.config, refreshed)
  keepForPostStep(stage, received, true, stage.ctx.clock.now())
  const { approver, tokens } = await identifyAndCheck(stage, received, {
    turn: { number: 1, of: 1 },
    earlier: [],
    refreshed: true
  })
  const atMs = stage.ctx.clock.now()
  await stage.events.emit({ type: 'refreshed', atMs, ...(approver && { approver }) })
  return { tokens, atMs, ...(approver && { approver }) }
}

/**
 * (device code → prompt → poll → identity → policy) once per person the approvals input asks
 * for; the first approver's tokens are the ones output.
 */
async function approvedGrant(stage: Stage): Promise<Grant> {
  const { policy } = stage
  const approved = await approveInTurn(
    policy.approvals,
    async (turn, earlier): Promise<Approval> => {
      const login = await deviceLogin(
        stage.ctx,
        stage.runner,
        stage.events,
        stage.config,
        stage.metadata,
        stage.client,
        stage.quirks,
        promptPolicy(policy, turn, earlier)
      )
      const received = normalizeTokens(stage.config, login.tokens)
      // Only the first approver's tokens can be output; the later ones are revoked right here.
      if (turn.number === 1) keepForPostStep(stage, received, false, login.approvedAtMs)
      const { tokens, approver, identity, verdict } = await identifyAndCheck(stage, received, {
        turn,
        earlier
      })
      await stage.events.emit({
        type: 'approved',
        atMs: login.approvedAtMs,
        shownAtMs: login.shownAtMs,
        ...(approver && { approver }),
        turn,
        ...(worthSaying(policy, verdict) && { findings: verdict.findings })
      })
      return {
        tokens,
        ...(approver && { approver }),
        ...(identity && { subject: identity.subject }),
        shownAtMs: login.shownAtMs,
        approvedAtMs: login.approvedAtMs
      }
    },
    (tokens, whose) => discardTokens(stage, tokens, whose)
  )
  const { approver, tokens } = approved.first
  return {
    tokens,
    atMs: approved.all.at(-1)?.approvedAtMs ?? stage.ctx.clock.now(),
    ...(approver && { approver }),
    ...(policy.approvals > 1 && {
      approvers: approved.all.flatMap((approval) => approval.approver ?? [])
    })
  }
}

/**
 * At once, before anything can fail or be cancelled: the post step revokes from this (and a
 * refusal revokes at once, too).
 */
function keepForPostStep(stage: Stage, tokens: TokenSet, refreshed: boolean, atMs: number): void {
  const { runner, config, metadata, client } = stage
  saveForPostStep(runner, config, metadata, client, tokens, refreshed, atMs)
}

/** identity → policy; a refused approval throws ApprovalRefusedError (see src/flow/policy.ts). */
async function identifyAndCheck(stage: Stage, received: TokenSet, place: PolicyTurn) {
  const { ctx, runner, config, metadata } = stage
  const identified = await identify(ctx, runner, config, metadata, received)
  const verdict = await checkPolicy(stage, identified, place)
  return { ...identified, verdict }
}

/** What the prompt says about the policy: which approval this is, and the rules in force. */
function promptPolicy(
  policy: ApprovalPolicy,
  turn: ApprovalTurn,
  earlier: readonly EarlierApproval[]
): Pick<PromptContext, 'approval' | 'policy'> {
  const heading = approvalHeading(
    turn.number,
    turn.of,
    earlier.map((approval) => approval.name)
  )
  const lines = policyInForce(policy)
  return {
    ...(heading && { approval: { ...turn, heading } }),
    ...(lines.length > 0 && { policy: lines })
  }
}

/** Findings go to the log when a policy was asked for, or when a rule held or broke anyway. */
function worthSaying(policy: ApprovalPolicy, verdict: Verdict): boolean {
  return policy.configured || verdict.findings.some((finding) => finding.result !== 'unchecked')
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
