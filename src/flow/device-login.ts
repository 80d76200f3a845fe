import type { Config } from '../inputs.js'
import type { ClientCredentials } from '../oauth/client-auth.js'
import { requestDeviceAuthorization } from '../oauth/device.js'
import type { ProviderMetadata } from '../oauth/endpoints.js'
import type { OAuthContext } from '../oauth/exchange.js'
import { prepareIdTokenVerification } from '../oauth/id-token.js'
import { pollForTokens } from '../oauth/poll.js'
import { DEVICE_CODE_GRANT, requestToken, type TokenSet } from '../oauth/token.js'
import type { ProviderQuirks } from '../providers/index.js'
import { ReminderSchedule, runOrigin, type PromptContext } from '../runner/prompt.js'
import type { Runner } from '../runner/runner.js'
import { MESSAGE_MAX_LENGTH, safeText } from '../text/safe-text.js'
import { checkTimeout, deadlinesOf } from './deadlines.js'
import type { FlowEvents } from './events.js'

const LONG = { maxLength: MESSAGE_MAX_LENGTH }

export interface DeviceLogin {
  /** Masked already; not yet output. */
  readonly tokens: TokenSet
  readonly shownAtMs: number
  readonly approvedAtMs: number
}

/**
 * RFC 8628 from the device code to the tokens: ask for a code (§3.1), show it (code-ready, then a
 * reminder a minute), poll until a person approves (§3.4–3.5). Ends in tokens or a thrown
 * WaitEndedError (denied, expired, timed out), CancelledError or OAuthError.
 */
export async function deviceLogin(
  ctx: OAuthContext,
  runner: Runner,
  events: FlowEvents,
  config: Config,
  metadata: ProviderMetadata,
  client: ClientCredentials,
  quirks: ProviderQuirks,
  /** Which approval this is, and the policy in force, for the prompt. */
  shown: Pick<PromptContext, 'approval' | 'policy'> = {}
): Promise<DeviceLogin> {
  const { clock } = ctx
  const device = await requestDeviceAuthorization(
    ctx,
    { name: 'device authorization endpoint', url: metadata.deviceAuthorizationEndpoint },
    client,
    {
      ...(config.scope && { scope: config.scope }),
      ...(config.audience && { audience: config.audience }),
      resources: config.resources,
      extraParams: config.extraParams
    }
  )
  runner.setSecret(device.deviceCode)
  for (const note of device.notes)
    runner.warning(safeText(`The provider's device authorization response: ${note}.`, LONG))

  const shownAtMs = clock.now()
  const deadlines = deadlinesOf(device, config, shownAtMs)
  if (deadlines.note) runner.warning(safeText(deadlines.note, LONG))
  const timeoutWarning = checkTimeout(config, device, deadlines)
  if (timeoutWarning) runner.warning(safeText(timeoutWarning, LONG))
  const prompt: PromptContext = {
    device,
    clientId: safeText(config.clientId),
    ...(config.scope && { scope: safeText(config.scope, { maxLength: 500 }) }),
    deadlineMs: deadlines.deadlineMs,
    ...(deadlines.expiresAtMs !== undefined &&
      deadlines.expiresAtMs > deadlines.deadlineMs && { codeExpiresAtMs: deadlines.expiresAtMs }),
    origin: runOrigin(runner.env),
    ...shown
  }
  await events.emit({ type: 'code-ready', prompt, atMs: shownAtMs })
  // The id_token is verified after the approval; load its library while the person reads the code.
  if (config.scope?.split(' ').includes('openid')) prepareIdTokenVerification()

  const reminders = new ReminderSchedule(shownAtMs)
  const tokenEndpoint = { name: 'token endpoint', url: metadata.tokenEndpoint }
  const grant = new URLSearchParams({
    grant_type: DEVICE_CODE_GRANT,
    device_code: device.deviceCode
  })
  const tokens = await pollForTokens({
    clock,
    ...(ctx.signal && { signal: ctx.signal }),
    endpoint: tokenEndpoint,
    intervalSeconds: device.intervalSeconds,
    ...(deadlines.expiresAtMs !== undefined && { expiresAtMs: deadlines.expiresAtMs }),
    ...(deadlines.timeoutAtMs !== undefined && { timeoutAtMs: deadlines.timeoutAtMs }),
    attempt: (timeoutMs) => requestToken(ctx, tokenEndpoint, client, grant, timeoutMs),
    denialErrors: quirks.denialErrors,
    onEvent: (event) => {
      // Listeners return at once for poll events; nothing here waits on them.
      if (event.type !== 'tick') void events.emit({ type: 'poll', event })
      if (reminders.due(clock.now()))
        void events.emit({ type: 'reminder', prompt, atMs: clock.now() })
    }
  })
  return { tokens, shownAtMs, approvedAtMs: clock.now() }
}
