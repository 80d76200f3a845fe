import type { Clock } from './clock.js'
import {
  ActionError,
  CancelledError,
  OAuthError,
  WaitEndedError,
  type EndpointRef
} from './errors.js'
import { readConfig, type Config } from './inputs.js'
import type { ClientAuthMethod, ClientCredentials } from './oauth/client-auth.js'
import { requestDeviceAuthorization, type DeviceAuthorization } from './oauth/device.js'
import { resolveEndpoints, type ProviderMetadata } from './oauth/endpoints.js'
import type { OAuthContext } from './oauth/exchange.js'
import type { HttpTransport } from './oauth/http.js'
import { verifyIdToken } from './oauth/id-token.js'
import { approverFromClaims, fetchApprover, type Approver, type UserApi } from './oauth/identity.js'
import { pollForTokens, type PollEvent } from './oauth/poll.js'
import { DEVICE_CODE_GRANT, refreshTokens, requestToken, type TokenSet } from './oauth/token.js'
import { saveForPostStep } from './flow/post-state.js'
import { expiryWarning, refreshTokenExpiresAtMs } from './flow/refresh-token-expiry.js'
import { storeRefreshToken } from './flow/store-refresh-token.js'
import { advisorsFor } from './providers/index.js'
import { escapeHtml } from './runner/escape.js'
import { formatDuration } from './runner/format.js'
import { maskTokens, publishTokens } from './runner/outputs.js'
import {
  noticeOf,
  promptLines,
  ReminderSchedule,
  reminderLine,
  runOrigin,
  type PromptContext
} from './runner/prompt.js'
import type { Runner } from './runner/runner.js'
import {
  outcomeSection,
  requestSection,
  type Ending,
  type OutcomeRecord
} from './runner/summary.js'

export interface Deps {
  readonly runner: Runner
  readonly http: HttpTransport
  readonly clock: Clock
  /** Aborted on SIGINT/SIGTERM: every wait and request stops. */
  readonly signal: AbortSignal
  readonly requestTimeoutMs?: number
}

/** Without expires_in from the provider and without the timeout input, wait this long. */
export const FALLBACK_WAIT_SECONDS = 15 * 60
/** Refresh-token errors that mean the token is dead, not that something else is wrong. */
const DEAD_REFRESH_TOKEN_ERRORS = new Set([
  'invalid_grant', // RFC 6749 §5.2
  'bad_refresh_token' // GitHub
])

/**
 * inputs → endpoints → (refresh) → device code → live prompt → poll → masked outputs → record.
 * Returns how it ended; failures are reported through the runner, never thrown.
 */
export async function run(deps: Deps): Promise<Ending> {
  const { runner, clock } = deps
  const summary = new SummaryWriter(runner)
  let shownAtMs: number | undefined
  try {
    const config = readConfig(runner)
    summary.enabled = config.summary
    summary.clientId = config.clientId
    const ctx: OAuthContext = {
      http: deps.http,
      clock,
      signal: deps.signal,
      requestTimeoutMs: deps.requestTimeoutMs ?? 30_000
    }
    const metadata = await resolveEndpoints(ctx, config.endpoints)
    runner.info(`Using the endpoints from ${metadata.source}.`)
    const client = clientCredentials(config, metadata)
    const advisors = advisorsFor(config.provider, metadata)
    const tokenEndpoint: EndpointRef = { name: 'token endpoint', url: metadata.tokenEndpoint }
    const normalize = (received: TokenSet): TokenSet => {
      const tokens = config.provider.normalizeTokens?.(received) ?? received
      // RFC 6749 §5.1: a response without scope granted exactly the scope requested.
      return tokens.scope === undefined && config.scope
        ? { ...tokens, scope: config.scope }
        : tokens
    }

    if (config.refreshToken) {
      const refreshed = await tryRefresh(ctx, runner, config, client, tokenEndpoint, advisors)
      if (refreshed) {
        saveForPostStep(runner, config, metadata, client, normalize(refreshed), true, clock.now())
        const { tokens, approver } = await identify(
          ctx,
          runner,
          config,
          metadata,
          normalize(refreshed)
        )
        publishTokens(runner, tokens, { nowMs: clock.now(), refreshTokenUsed: config.refreshToken })
        runner.info('Exchanged the refresh token for a new access token.')
        await keepRefreshToken(ctx, runner, summary, config, tokens, true)
        await summary.outcome({
          ending: 'refreshed',
          atMs: clock.now(),
          clientId: config.clientId,
          ...scopeOf(tokens),
          ...approverOf(approver)
        })
        return 'refreshed'
      }
    }

    const device = await requestDeviceAuthorization(
      ctx,
      { name: 'device authorization endpoint', url: metadata.deviceAuthorizationEndpoint },
      client,
      {
        ...(config.scope && { scope: config.scope }),
        ...(config.audience && { audience: config.audience }),
        resources: config.resources,
        extraParams: config.extraParams
      },
      advisors
    )
    runner.setSecret(device.deviceCode)
    for (const note of device.notes)
      runner.warning(`The provider's device authorization response: ${note}.`)

    shownAtMs = clock.now()
    const deadlines = deadlinesOf(device, config, shownAtMs)
    if (deadlines.note) runner.warning(deadlines.note)
    const prompt: PromptContext = {
      device,
      clientId: config.clientId,
      ...(config.scope && { scope: config.scope }),
      deadlineMs: deadlines.deadlineMs,
      origin: runOrigin(runner.env)
    }
    for (const line of promptLines(prompt, shownAtMs)) runner.info(line)
    const notice = noticeOf(prompt, shownAtMs)
    runner.notice(notice.message, notice.title)
    await summary.request(prompt, shownAtMs)

    const reminders = new ReminderSchedule(shownAtMs)
    const grant = new URLSearchParams({
      grant_type: DEVICE_CODE_GRANT,
      device_code: device.deviceCode
    })
    const granted = normalize(
      await pollForTokens({
        clock,
        signal: deps.signal,
        endpoint: tokenEndpoint,
        intervalSeconds: device.intervalSeconds,
        ...(deadlines.expiresAtMs !== undefined && { expiresAtMs: deadlines.expiresAtMs }),
        ...(deadlines.timeoutAtMs !== undefined && { timeoutAtMs: deadlines.timeoutAtMs }),
        attempt: (timeoutMs) => requestToken(ctx, tokenEndpoint, client, grant, timeoutMs),
        advisors,
        onEvent: (event) =>
          reportPollEvent(runner, event, () =>
            reminders.due(clock.now()) ? reminderLine(prompt, clock.now()) : undefined
          )
      })
    )
    const approvedAtMs = clock.now()
    saveForPostStep(runner, config, metadata, client, granted, false, approvedAtMs)
    const { tokens, approver } = await identify(ctx, runner, config, metadata, granted)
    publishTokens(runner, tokens, { nowMs: approvedAtMs })
    runner.info(
      `Approved${approver ? ` by ${approver.name}` : ''} after ${formatDuration(approvedAtMs - shownAtMs)}. The tokens are in this step's outputs (masked).`
    )
    await keepRefreshToken(ctx, runner, summary, config, tokens, false)
    await summary.outcome({
      ending: 'approved',
      atMs: approvedAtMs,
      shownAtMs,
      clientId: config.clientId,
      ...scopeOf(tokens),
      ...approverOf(approver)
    })
    return 'approved'
  } catch (error) {
    return fail(runner, summary, error, clock.now(), shownAtMs)
  }
}

/**
 * After the outputs: warn when the refresh token later jobs use expires soon, and write it back
 * into the secret (store-refresh-token) when it differs from the refresh-token input.
 */
async function keepRefreshToken(
  ctx: OAuthContext,
  runner: Runner,
  summary: SummaryWriter,
  config: Config,
  tokens: TokenSet,
  refreshed: boolean
): Promise<void> {
  const nowMs = ctx.clock.now()
  const warning = expiryWarning(
    refreshTokenExpiresAtMs(config, tokens, nowMs),
    config.expiryWarningDays,
    nowMs
  )
  if (warning) {
    runner.warning(warning)
    await summary.note(warning)
  }
  // Until the refactor's rule lands (src/flow/publish.ts): the token to keep, stored when it is
  // not what the refresh-token input already holds.
  const value = tokens.refreshToken ?? (refreshed ? config.refreshToken : undefined)
  await storeRefreshToken(
    ctx,
    runner,
    config,
    { ...(value && { value }), mustStore: value !== undefined && value !== config.refreshToken },
    () => ctx.clock.now()
  )
}

/** `auto`: no secret means a public client; with a secret, the preset's choice, else Basic (RFC 6749 §2.3.1). */
function clientCredentials(config: Config, metadata: ProviderMetadata): ClientCredentials {
  let method: ClientAuthMethod
  if (config.clientAuthMethod !== 'auto') method = config.clientAuthMethod
  else if (config.clientPrivateKey) method = 'private_key_jwt'
  else if (!config.clientSecret) method = 'none'
  else if (config.provider.secretAuthMethod) method = config.provider.secretAuthMethod
  else {
    // RFC 8414 §2: the default for token_endpoint_auth_methods_supported is client_secret_basic.
    const supported = metadata.tokenEndpointAuthMethods ?? ['client_secret_basic']
    method =
      !supported.includes('client_secret_basic') && supported.includes('client_secret_post')
        ? 'client_secret_post'
        : 'client_secret_basic'
  }
  return {
    clientId: config.clientId,
    method,
    ...(config.clientSecret && { clientSecret: config.clientSecret }),
    ...(config.clientPrivateKey && {
      privateKey: config.clientPrivateKey,
      assertionAudience: metadata.tokenEndpoint
    })
  }
}

/** Returns new tokens, or undefined to fall through to the device flow. */
async function tryRefresh(
  ctx: OAuthContext,
  runner: Runner,
  config: Config,
  client: ClientCredentials,
  tokenEndpoint: EndpointRef,
  advisors: Parameters<typeof refreshTokens>[5]
): Promise<TokenSet | undefined> {
  try {
    const tokens = await refreshTokens(
      ctx,
      tokenEndpoint,
      client,
      config.refreshToken as string,
      config.scope,
      advisors
    )
    maskTokens(runner, tokens)
    return tokens
  } catch (error) {
    const dead = error instanceof OAuthError && DEAD_REFRESH_TOKEN_ERRORS.has(error.error)
    if (!dead || config.onRefreshFailure !== 'device') throw error
    runner.warning(
      `${error.message} Starting the device flow instead (on-refresh-failure: device).`
    )
    return undefined
  }
}

interface Deadlines {
  readonly expiresAtMs?: number
  readonly timeoutAtMs?: number
  readonly deadlineMs: number
  readonly note?: string
}

/** The wait ends at whichever comes first: the code's expiry, or the timeout input. */
function deadlinesOf(device: DeviceAuthorization, config: Config, startMs: number): Deadlines {
  const expiresAtMs =
    device.expiresInSeconds !== undefined ? startMs + device.expiresInSeconds * 1000 : undefined
  let timeoutAtMs =
    config.timeoutSeconds !== undefined ? startMs + config.timeoutSeconds * 1000 : undefined
  let note: string | undefined
  if (expiresAtMs === undefined && timeoutAtMs === undefined) {
    timeoutAtMs = startMs + FALLBACK_WAIT_SECONDS * 1000
    note = `The provider did not say when the code expires; waiting at most ${FALLBACK_WAIT_SECONDS / 60} minutes (set the timeout input to change this).`
  }
  return {
    ...(expiresAtMs !== undefined && { expiresAtMs }),
    ...(timeoutAtMs !== undefined && { timeoutAtMs }),
    deadlineMs: Math.min(expiresAtMs ?? Infinity, timeoutAtMs ?? Infinity),
    ...(note && { note })
  }
}

function reportPollEvent(
  runner: Runner,
  event: PollEvent,
  reminder: () => string | undefined
): void {
  switch (event.type) {
    case 'pending':
      runner.debug(`Poll ${event.poll}: authorization_pending.`)
      break
    case 'slow-down':
      runner.info(
        `The provider asked to poll less often (slow_down); polling every ${event.intervalSeconds} s from now on.`
      )
      if (event.count === 3) {
        runner.warning(
          'The provider has asked to slow down three times. On a virtual machine this can mean the clock runs fast; the action keeps slowing down.'
        )
      }
      break
    case 'transient':
      runner.info(
        `${event.reason} Trying again in ${formatDuration(event.retryInMs)} (failure ${event.failuresInARow} in a row).`
      )
      break
  }
  const line = reminder()
  if (line) runner.info(line)
}

/**
 * Who approved: from the verified id_token, else the userinfo endpoint, else the provider's user
 * API (GitHub). An id_token that fails verification fails the step; one that cannot be verified
 * (no keys known) is withheld from the outputs.
 */
async function identify(
  ctx: OAuthContext,
  runner: Runner,
  config: Config,
  metadata: ProviderMetadata,
  received: TokenSet
): Promise<{ tokens: TokenSet; approver?: Approver }> {
  maskTokens(runner, received)
  let tokens = received
  let approver: Approver | undefined
  if (tokens.idToken) {
    if (metadata.issuer && metadata.jwksUri) {
      const claims = await verifyIdToken(ctx, tokens.idToken, {
        issuer: metadata.issuer,
        clientId: config.clientId,
        jwksUri: metadata.jwksUri,
        ...(config.clientSecret && { clientSecret: config.clientSecret })
      })
      approver = approverFromClaims(claims, 'ID token')
    } else {
      const { idToken: _withheld, ...rest } = tokens
      tokens = rest
      runner.warning(
        "The provider returned an ID token, but the action cannot verify it without the provider's keys (jwks_uri, found by discovery). It is not output; set issuer so that discovery runs."
      )
    }
  }
  const api: UserApi | undefined = metadata.userinfoEndpoint
    ? {
        endpoint: { name: 'userinfo endpoint', url: metadata.userinfoEndpoint },
        nameField: 'preferred_username',
        subjectField: 'sub'
      }
    : config.provider.userApi?.(metadata.tokenEndpoint)
  if (!approver && api) {
    try {
      approver = await fetchApprover(ctx, api, tokens.accessToken)
    } catch (error) {
      if (error instanceof CancelledError) throw error
      runner.warning(
        `Could not find out who approved: ${error instanceof Error ? error.message : String(error)}`
      )
    }
  }
  if (approver) {
    runner.setOutput('approver', approver.name)
    runner.setOutput('approver-subject', approver.subject)
  } else if (!api) {
    runner.notice(
      'The provider returned no ID token and has no userinfo endpoint, so who approved is not recorded. Add the openid scope to record it.',
      'Approver unknown'
    )
  }
  return { tokens, ...(approver && { approver }) }
}

function approverOf(approver: Approver | undefined): { approver?: string } {
  return approver
    ? {
        approver:
          approver.subject === approver.name
            ? approver.name
            : `${approver.name} (${approver.subject})`
      }
    : {}
}

function scopeOf(tokens: TokenSet): { scope?: string } {
  return tokens.scope ? { scope: tokens.scope } : {}
}

function fail(
  runner: Runner,
  summary: SummaryWriter,
  error: unknown,
  nowMs: number,
  shownAtMs: number | undefined
): Promise<Ending> {
  let ending: Ending = 'failed'
  let message: string
  if (error instanceof CancelledError) {
    ending = 'cancelled'
    message = error.message
  } else if (error instanceof WaitEndedError) {
    ending = error.ending
    message = error.message
  } else if (error instanceof ActionError) {
    message = error.message
  } else {
    // A bug: say so plainly; the stack only in debug mode.
    message = `Unexpected error: ${error instanceof Error ? error.message : String(error)}. Please report this with the debug log (re-run with debug logging).`
    if (error instanceof Error && error.stack) runner.debug(error.stack)
  }
  runner.setFailed(message)
  return summary
    .outcome({
      ending,
      atMs: nowMs,
      ...(shownAtMs !== undefined && { shownAtMs }),
      detail: message
    })
    .then(() => ending)
}

/** Writes the summary sections when the summary input allows; a failed write is only a warning. */
class SummaryWriter {
  enabled = true
  /** Once the inputs are read: every outcome names the client, failures included. */
  clientId: string | undefined
  constructor(private readonly runner: Runner) {}
  note(text: string): Promise<void> {
    return this.write(`<p>${escapeHtml(text)}</p>\n`)
  }
  request(prompt: PromptContext, nowMs: number): Promise<void> {
    return this.write(requestSection(prompt, nowMs))
  }
  outcome(record: OutcomeRecord): Promise<void> {
    const clientId = record.clientId ?? this.clientId
    return this.write(outcomeSection(clientId ? { ...record, clientId } : record))
  }
  private async write(html: string): Promise<void> {
    if (!this.enabled) return
    try {
      await this.runner.appendSummary(html)
    } catch (error) {
      this.runner.warning(
        `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`
      )
    }
  }
}
