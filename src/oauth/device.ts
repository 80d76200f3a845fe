import { failing, type Fail } from './fields.js'
import { describeEndpoint, ProviderResponseError, type EndpointRef } from '../errors.js'
import { postAuthenticated } from './authenticated-post.js'
import type { ClientCredentials } from './client-auth.js'
import {
  identifyInDeviceRequest,
  secondsOf,
  SUSPICIOUS_INTERVAL_SECONDS,
  verificationUriCompleteOf,
  verificationUriOf
} from './deviations.js'
import { type OAuthContext } from './exchange.js'
import { capitalize } from './provider-errors.js'
import { namedUrlsOf, sameSite } from './named-urls.js'
import { secretShapeProblem } from './fields.js'
import { MAX_LIFETIME_SECONDS } from './fields.js'
import { checkSecureUrl } from './url-policy.js'
import { safeText } from '../safe-text.js'

/**
 * RFC 8628 §3.2, normalized. What the person is shown is string: the user code and the URLs
 * are refused unless they are already log-safe as they are, and the message is made so.
 */
export interface DeviceAuthorization {
  readonly deviceCode: string
  readonly userCode: string
  readonly verificationUri: string
  readonly verificationUriComplete?: string
  /** Absent only when the provider left out the REQUIRED expires_in (reported in `notes`). */
  readonly expiresInSeconds?: number
  readonly intervalSeconds: number
  /** Entra ID's ready-made instruction text, only when it names no other site (see below). */
  readonly message?: string
  /** Departures from the RFC worth a warning in the log. */
  readonly notes: readonly string[]
}

export interface DeviceAuthorizationRequest {
  readonly scope?: string
  readonly audience?: string
  readonly resources: readonly string[]
  readonly extraParams: ReadonlyArray<readonly [string, string]>
}

/** RFC 8628 §3.5: without an interval from the provider, poll every 5 seconds. */
export const DEFAULT_INTERVAL_SECONDS = 5
export const MAX_USER_CODE_LENGTH = 64
/** A code a person types still needs a few characters to be guessed at all (RFC 8628 §6.1). */
export const MIN_USER_CODE_CHARACTERS = 4
const MAX_DEVICE_CODE_LENGTH = 4096
const MAX_MESSAGE_LENGTH = 500

/** RFC 8628 §3.1: asks for a device code and user code. */
export async function requestDeviceAuthorization(
  ctx: OAuthContext,
  endpoint: EndpointRef,
  client: ClientCredentials,
  request: DeviceAuthorizationRequest
): Promise<DeviceAuthorization> {
  const params = new URLSearchParams()
  if (request.scope) params.set('scope', request.scope)
  if (request.audience) params.set('audience', request.audience)
  for (const resource of request.resources) params.append('resource', resource)
  for (const [key, value] of request.extraParams) params.append(key, value)
  // Asking for a new code twice is harmless (the first is never shown), so failures are retried.
  // Deviation (Authlib 1.2): client_id in the body whatever the method; see deviations.ts.
  const fields = await postAuthenticated(
    ctx,
    endpoint,
    client,
    identifyInDeviceRequest(client, params),
    {
      kind: 'device-authorization',
      retryMaybeDelivered: true,
      expected: 'a JSON object with device_code, user_code and verification_uri'
    }
  )
  return parseDeviceAuthorization(fields, endpoint)
}

/** Checks every field of the device authorization response (RFC 8628 §3.2). */
export function parseDeviceAuthorization(
  fields: Readonly<Record<string, unknown>>,
  endpoint: EndpointRef
): DeviceAuthorization {
  const fail: Fail = failing(
    (problem) =>
      new ProviderResponseError(
        endpoint,
        200,
        `${capitalize(describeEndpoint(endpoint))} answered without a usable device code: ${problem}.`
      )
  )
  const notes: string[] = []
  const deviceCode = fields['device_code']
  if (typeof deviceCode !== 'string' || deviceCode === '')
    fail('device_code is missing or not a string')
  if (deviceCode.length > MAX_DEVICE_CODE_LENGTH || !/^[\x20-\x7E]+$/.test(deviceCode)) {
    fail(
      `device_code is longer than ${MAX_DEVICE_CODE_LENGTH} characters or has characters outside printable ASCII`
    )
  }
  const shape = secretShapeProblem(deviceCode)
  if (shape) fail(`device_code ${shape} (RFC 8628 §5.2 asks for a high-entropy device code)`)
  const userCode = fields['user_code']
  if (typeof userCode !== 'string' || userCode.trim() === '')
    fail('user_code is missing or not a string')
  if (userCode.length > MAX_USER_CODE_LENGTH) {
    fail(
      `user_code is ${userCode.length} characters long; a code a person types is at most ${MAX_USER_CODE_LENGTH}`
    )
  }
  if (/[\u0000-\u001F\u007F-\u009F<>`[\]]/.test(userCode)) {
    fail('user_code contains control characters or markup')
  }
  const shownUserCode = safeText(userCode.trim(), { maxLength: MAX_USER_CODE_LENGTH })
  if (shownUserCode !== userCode.trim()) {
    fail(
      'user_code contains characters that cannot be shown as they are (line breaks, invisible or bidirectional-text characters, or workflow command syntax)'
    )
  }
  if ((shownUserCode.match(/[\p{L}\p{N}]/gu)?.length ?? 0) < MIN_USER_CODE_CHARACTERS) {
    fail(
      `user_code ${JSON.stringify(shownUserCode)} has fewer than ${MIN_USER_CODE_CHARACTERS} letters or digits, too few to be a code`
    )
  }
  const verificationUri = verifiedUrl(verificationUriOf(fields), 'verification_uri', fail)
  let verificationUriComplete: string | undefined
  const complete = verificationUriCompleteOf(fields)
  if (complete !== undefined) {
    const check = typeof complete === 'string' ? checkSecureUrl(complete) : undefined
    if (check && !check.ok) notes.push(`ignored verification_uri_complete: it ${check.problem}`)
    else if (!check) notes.push('ignored verification_uri_complete: it is not a string')
    else if (!sameSite(check.url, new URL(verificationUri))) {
      // A link "which fills in the code" on another site is a phishing page until proven
      // otherwise: the person is told to open verification_uri and type the code instead.
      notes.push(
        `ignored verification_uri_complete: it is on another site (${safeText(check.url.origin)}) than verification_uri (${safeText(new URL(verificationUri).origin)}), so it is not shown as a link to follow`
      )
    } else verificationUriComplete = safeText(check.url.href, { maxLength: 2048 })
  }
  const expires = secondsOf(fields['expires_in'])
  let expiresInSeconds: number | undefined
  if (expires.kind === 'number' && expires.seconds > MAX_LIFETIME_SECONDS) {
    // Not a lifetime: as a deadline it is past the last date JavaScript can show (RangeError).
    notes.push(
      `the provider's expires_in (${expires.seconds} s) is not a code lifetime; the wait is bounded by the timeout input`
    )
  } else if (expires.kind === 'number') {
    if (expires.seconds <= 0)
      fail(`expires_in is ${expires.seconds}: the code would be expired already`)
    expiresInSeconds = expires.seconds
  } else if (expires.kind === 'invalid') {
    // safeText: JSON.stringify leaves C1 controls (\u0085, \u009B) and U+2028 as they are.
    fail(`expires_in is ${safeText(expires.shown)}, not a number of seconds`)
  } else {
    notes.push(
      'the provider did not say when the code expires (expires_in is missing); the wait is bounded by the timeout input'
    )
  }
  const intervalSeconds = parseInterval(fields['interval'], notes)
  const message = shownMessage(
    fields['message'],
    [verificationUri, ...(verificationUriComplete ? [verificationUriComplete] : [])],
    notes,
    deviceCode
  )
  for (const [name, value] of [
    ['user_code', shownUserCode],
    ['verification_uri', verificationUri]
  ] as const)
    if (value.includes(deviceCode))
      fail(`device_code appears in ${name}; masking it would hide what the person must see`)
  return {
    deviceCode,
    userCode: shownUserCode,
    verificationUri,
    ...(verificationUriComplete !== undefined && { verificationUriComplete }),
    ...(expiresInSeconds !== undefined && { expiresInSeconds }),
    intervalSeconds,
    ...(message && { message }),
    notes
  }
}

function verifiedUrl(value: unknown, name: string, fail: (problem: string) => never): string {
  if (typeof value !== 'string' || value === '') return fail(`${name} is missing or not a string`)
  const check = checkSecureUrl(value)
  if (!check.ok) return fail(`${name} ${check.problem}`)
  // A parsed https URL has no line break, space, fragment or bidi character left (WHATWG URL
  // percent-encodes them), so this is the URL unchanged; the type says it was checked.
  const shown = safeText(check.url.href, { maxLength: 2048 })
  return shown === check.url.href ? shown : fail(`${name} cannot be shown as it is`)
}

/**
 * Entra ID's `message` repeats the URL and the code in words. It is shown only when every URL or
 * host it names is the verification URI: a message pointing elsewhere ("or sign in at
 * evil.example") would be the provider's text contradicting the prompt, so it is left out and
 * the log says why.
 */
function shownMessage(
  value: unknown,
  allowed: readonly string[],
  notes: string[],
  deviceCode: string
): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined
  const allowedUrls = allowed.map((url) => new URL(url))
  const other = namedUrlsOf(value).find(
    (named) => !allowedUrls.some((url) => sameDestination(named, url))
  )
  if (other) {
    notes.push(
      `left out the provider's message: it names ${safeText(other.display, { maxLength: 100 })}, which is not the verification_uri`
    )
    return undefined
  }
  // The device code is masked, but escaping could change it so that the mask misses: cut it out.
  return safeText(value, { maxLength: MAX_MESSAGE_LENGTH, redact: [deviceCode] })
}

function sameDestination(named: { url: URL }, allowed: URL): boolean {
  const path = (url: URL): string => url.pathname.replace(/\/+$/, '')
  return (
    named.url.hostname === allowed.hostname &&
    (named.url.port === '' || named.url.port === allowed.port) &&
    path(named.url) === path(allowed)
  )
}

/**
 * RFC 8628 §3.2: interval is OPTIONAL, default 5. A value that cannot be a polling interval
 * (zero, negative, below one second, not a number) is replaced by the default and reported; a
 * very long one is honoured (the provider may mean it) and reported.
 */
function parseInterval(value: unknown, notes: string[]): number {
  const interval = secondsOf(value)
  if (interval.kind === 'absent') return DEFAULT_INTERVAL_SECONDS
  if (interval.kind === 'invalid' || interval.seconds < 1) {
    notes.push(
      `the provider's polling interval (${interval.kind === 'invalid' ? safeText(interval.shown) : interval.seconds}) is not usable; polling every ${DEFAULT_INTERVAL_SECONDS} s as RFC 8628 says`
    )
    return DEFAULT_INTERVAL_SECONDS
  }
  if (interval.seconds > SUSPICIOUS_INTERVAL_SECONDS) {
    notes.push(
      `the provider asks to poll only every ${interval.seconds} s, so approval may take that long to be noticed; check the provider's device flow polling interval setting`
    )
  }
  return interval.seconds
}
