import type { Config } from '../inputs.js'
import type { ClientCredentials } from '../oauth/client-auth.js'
import type { ProviderMetadata } from '../oauth/endpoints.js'
import type { OAuthContext } from '../oauth/exchange.js'
import { prepareIdTokenVerification } from '../oauth/id-token.js'
import { pollForTokens } from '../oauth/poll.js'
import { DEVICE_CODE_GRANT, requestToken, type TokenSet } from '../oauth/token.js'
import type { ProviderQuirks } from '../providers/quirks.js'
import { ReminderSchedule } from '../present/prompt.js'
import type { ShownCode } from './device-code.js'
import type { FlowEvents } from './events.js'

export interface DeviceLogin {
  /** Masked already; not yet output. */
  readonly tokens: TokenSet
  readonly shownAtMs: number
  readonly approvedAtMs: number
}

/**
 * RFC 8628 from the code on screen (showDeviceCode) to the tokens: a reminder a minute, and the
 * poll until a person approves (§3.4–3.5). Ends in tokens or a thrown WaitEndedError (denied,
 * expired, timed out), CancelledError or OAuthError.
 */
export async function pollForApproval(
  ctx: OAuthContext,
  events: FlowEvents,
  config: Config,
  metadata: ProviderMetadata,
  client: ClientCredentials,
  quirks: ProviderQuirks,
  code: ShownCode
): Promise<DeviceLogin> {
  const { clock } = ctx
  const { device, prompt, deadlines, shownAtMs } = code
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
