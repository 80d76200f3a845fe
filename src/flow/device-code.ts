import type { Config } from '../inputs.js'
import type { ClientCredentials } from '../oauth/client-auth.js'
import { requestDeviceAuthorization, type DeviceAuthorization } from '../oauth/device.js'
import type { ProviderMetadata } from '../oauth/endpoints.js'
import type { OAuthContext } from '../oauth/exchange.js'
import { runOrigin, type PromptContext } from '../present/prompt.js'
import type { Runner } from '../runner/runner.js'
import { MESSAGE_MAX_LENGTH, safeText } from '../safe-text.js'
import { checkTimeout, deadlinesOf, type Deadlines } from './deadlines.js'
import type { FlowEvents } from './events.js'

const LONG = { maxLength: MESSAGE_MAX_LENGTH }

/** A device code on screen: what the wait for the approval (device-login.ts) goes on from. */
export interface ShownCode {
  readonly device: DeviceAuthorization
  readonly prompt: PromptContext
  readonly deadlines: Deadlines
  readonly shownAtMs: number
}

/**
 * RFC 8628 §3.1–3.3 up to the person: ask for a code, check it against the timeout input, and
 * show it (code-ready). Everything up to here runs before anything else is loaded; the poll and
 * the stages after it are in a chunk of their own (see load-later-stages.ts).
 */
export async function showDeviceCode(
  ctx: OAuthContext,
  runner: Runner,
  events: FlowEvents,
  config: Config,
  metadata: ProviderMetadata,
  client: ClientCredentials,
  /** Which approval this is, and the policy in force, for the prompt. */
  shown: Pick<PromptContext, 'approval' | 'policy'> = {}
): Promise<ShownCode> {
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

  const shownAtMs = ctx.clock.now()
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
  return { device, prompt, deadlines, shownAtMs }
}
