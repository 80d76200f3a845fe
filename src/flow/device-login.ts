import { requestDeviceAuthorization, type DeviceAuthorization } from '../oauth/device.js'
import { POLL_MARGIN_MS, pollForTokens } from '../oauth/poll.js'
import type { ProviderMetadata } from '../oauth/endpoints.js'
import { WaitEndedError } from '../errors.js'
import { DEVICE_CODE_GRANT, requestToken, type TokenSet } from '../oauth/token.js'
import { safeText } from '../safe-text.js'
import type { RunContext } from './context.js'
import type { PromptContext, RunOrigin } from './events.js'
import { checkTimeout, deadlinesOf, type Deadlines } from './deadlines.js'

/** A device code on screen: what the wait for the approval goes on from. */
export interface ShownCode {
  readonly device: DeviceAuthorization
  readonly prompt: PromptContext
  readonly deadlines: Deadlines
  readonly shownAtMs: number
}

export interface DeviceLogin {
  /** Masked already; not yet output. */
  readonly tokens: TokenSet
  readonly shownAtMs: number
  readonly approvedAtMs: number
}

/**
 * RFC 8628 §3.1–3.3 up to the person: ask for a code, check it against the timeout input, and
 * show it (code-ready).
 */
export async function showDeviceCode(
  context: RunContext,
  /** Which approval this is, the policy in force, and a refusal it follows, for the prompt. */
  shown: Pick<PromptContext, 'approval' | 'policy' | 'afterRefusal'> = {},
  /** For a fresh code after a refusal: when the wait for this approval ends (see deadlinesOf). */
  turnEndsAtMs?: number
): Promise<ShownCode> {
  const { oauth, runner, config, metadata } = context
  const device = await requestDeviceAuthorization(
    oauth,
    { name: 'device authorization endpoint', url: metadata.deviceAuthorizationEndpoint },
    context.client,
    {
      ...(config.scope && { scope: config.scope }),
      ...(config.audience && { audience: config.audience }),
      resources: config.resources,
      extraParams: config.extraParams
    }
  )
  runner.setSecret(device.deviceCode)
  for (const note of device.notes)
    runner.warning(`The provider's device authorization response: ${note}.`)

  const shownAtMs = oauth.clock.now()
  const deadlines = deadlinesOf(device, config, shownAtMs, turnEndsAtMs)
  if (deadlines.note) runner.warning(deadlines.note)
  if (turnEndsAtMs === undefined) {
    const timeoutWarning = checkTimeout(config, device, deadlines)
    if (timeoutWarning) runner.warning(timeoutWarning)
  } else if (deadlines.deadlineMs - shownAtMs <= device.intervalSeconds * 1000 + POLL_MARGIN_MS) {
    // RFC 8628 §3.5: the first poll comes an interval after the code; nobody could approve it.
    throw new WaitEndedError(
      'timed-out',
      'Too little time was left to show a fresh code that someone could approve before the timeout.'
    )
  }
  const prompt: PromptContext = {
    device,
    // What the workflow's author wrote, shown as carefully as the provider's text, and bounded.
    clientId: safeText(config.clientId),
    ...(config.scope && { scope: safeText(config.scope, { maxLength: 500 }) }),
    deadlineMs: deadlines.deadlineMs,
    ...(deadlines.expiresAtMs !== undefined &&
      deadlines.expiresAtMs > deadlines.deadlineMs && { codeExpiresAtMs: deadlines.expiresAtMs }),
    origin: runOrigin(runner.env),
    ...shown,
    ...otherHost(device.verificationUri, metadata)
  }
  await context.events.emit({ type: 'code-ready', prompt, atMs: shownAtMs })
  return { device, prompt, deadlines, shownAtMs }
}

/**
 * RFC 8628 from the code on screen to the tokens: a reminder a minute, and the poll until a
 * person approves (§3.4–3.5). Ends in tokens or a thrown WaitEndedError (denied, expired, timed
 * out), CancelledError or OAuthError.
 */
export async function pollForApproval(context: RunContext, code: ShownCode): Promise<DeviceLogin> {
  const { oauth, events } = context
  const { clock } = oauth
  const { device, prompt, deadlines, shownAtMs } = code
  const reminders = new ReminderSchedule(shownAtMs)
  const tokenEndpoint = { name: 'token endpoint', url: context.metadata.tokenEndpoint }
  const grant = new URLSearchParams({
    grant_type: DEVICE_CODE_GRANT,
    device_code: device.deviceCode
  })
  const tokens = await pollForTokens({
    clock,
    ...(oauth.signal && { signal: oauth.signal }),
    endpoint: tokenEndpoint,
    intervalSeconds: device.intervalSeconds,
    ...(deadlines.expiresAtMs !== undefined && { expiresAtMs: deadlines.expiresAtMs }),
    ...(deadlines.timeoutAtMs !== undefined && { timeoutAtMs: deadlines.timeoutAtMs }),
    attempt: (timeoutMs) => requestToken(oauth, tokenEndpoint, context.client, grant, timeoutMs),
    denialErrors: context.quirks.denialErrors,
    onEvent: (event) => {
      // Listeners return at once for poll events; nothing here waits on them.
      if (event.type !== 'tick') void events.emit({ type: 'poll', event })
      if (reminders.due(clock.now()))
        void events.emit({ type: 'reminder', prompt, atMs: clock.now() })
    }
  })
  return { tokens, shownAtMs, approvedAtMs: clock.now() }
}

/**
 * The verification page's host, when it is not the provider's own (the issuer's, else the token
 * endpoint's): every link text then names it, so a person sees where the button leads before
 * they sign in there (RFC 8628 §5.4).
 */
function otherHost(
  verificationUri: string,
  metadata: Pick<ProviderMetadata, 'issuer' | 'tokenEndpoint'>
): Pick<PromptContext, 'verificationHost'> {
  const home = metadata.issuer ?? metadata.tokenEndpoint
  if (!URL.canParse(verificationUri) || !URL.canParse(home)) return {}
  const host = new URL(verificationUri).host
  return host === new URL(home).host ? {} : { verificationHost: safeText(host, { maxLength: 253 }) }
}

/** How much of a run detail is shown: a 20 kB workflow name must not make a 20 kB line. */
const MAX_ORIGIN_LENGTH = 100

export function runOrigin(env: Readonly<Record<string, string | undefined>>): RunOrigin {
  // The workflow name is free text from a YAML file, and actors and repositories are names
  // people choose: none of it may fake or hide a line of the prompt, or be read as a command.
  const read = (name: string): string | undefined => {
    const value = env[name]
    return value ? safeText(value, { maxLength: MAX_ORIGIN_LENGTH }) : undefined
  }
  // || and not ??: an empty GITHUB_SERVER_URL would make the run URL relative.
  const server = env['GITHUB_SERVER_URL'] || 'https://github.com'
  const repository = read('GITHUB_REPOSITORY')
  const runId = read('GITHUB_RUN_ID')
  const runNumber = read('GITHUB_RUN_NUMBER')
  const workflow = read('GITHUB_WORKFLOW')
  const runAttempt = read('GITHUB_RUN_ATTEMPT')
  const actor = read('GITHUB_ACTOR')
  const attempt = env['GITHUB_RUN_ATTEMPT']
  return {
    ...(repository && { repository }),
    ...(workflow && { workflow }),
    ...(runId && { runId }),
    ...(runNumber && { runNumber }),
    ...(runAttempt && { runAttempt }),
    ...(actor && { actor }),
    ...(repository &&
      runId && {
        // The attempt's own page when the run was re-run: the one the approver sees in the log.
        runUrl: safeText(
          `${server}/${env['GITHUB_REPOSITORY']}/actions/runs/${env['GITHUB_RUN_ID']}${attempt && attempt !== '1' ? `/attempts/${attempt}` : ''}`,
          { maxLength: 2048 }
        )
      })
  }
}

/** Says when a reminder is due: once a minute. */
export class ReminderSchedule {
  private lastMs: number
  constructor(
    shownAtMs: number,
    private readonly everyMs = 60_000
  ) {
    this.lastMs = shownAtMs
  }
  due(nowMs: number): boolean {
    if (nowMs - this.lastMs < this.everyMs) return false
    this.lastMs = nowMs
    return true
  }
}
