import { describeEndpoint, ProviderResponseError, type EndpointRef } from '../errors.js'
import { postAuthenticated } from './authenticated-post.js'
import type { ClientCredentials } from './client-auth.js'
import {
  secondsOf,
  SUSPICIOUS_INTERVAL_SECONDS,
  verificationUriCompleteOf,
  verificationUriOf
} from './deviations.js'
import { type OAuthContext } from './exchange.js'
import { capitalize } from './wording.js'
import { printable } from './response.js'
import { MAX_LIFETIME_SECONDS } from './token.js'
import { checkSecureUrl } from './url-policy.js'

/** RFC 8628 §3.2, normalized. */
export interface DeviceAuthorization {
  readonly deviceCode: string
  readonly userCode: string
  readonly verificationUri: string
  readonly verificationUriComplete?: string
  /** Absent only when the provider left out the REQUIRED expires_in (reported in `notes`). */
  readonly expiresInSeconds?: number
  readonly intervalSeconds: number
  /** Entra ID's ready-made instruction text. */
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
const MAX_DEVICE_CODE_LENGTH = 4096

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
  const fields = await postAuthenticated(ctx, endpoint, client, params, {
    kind: 'device-authorization',
    retryMaybeDelivered: true,
    expected: 'a JSON object with device_code, user_code and verification_uri'
  })
  return parseDeviceAuthorization(fields, endpoint)
}

/** Checks every field of the device authorization response (RFC 8628 §3.2). */
export function parseDeviceAuthorization(
  fields: Readonly<Record<string, unknown>>,
  endpoint: EndpointRef
): DeviceAuthorization {
  const fail = (problem: string): never => {
    throw new ProviderResponseError(
      endpoint,
      200,
      `${capitalize(describeEndpoint(endpoint))} answered without a usable device code: ${problem}.`
    )
  }
  const notes: string[] = []
  const deviceCode = fields['device_code']
  if (typeof deviceCode !== 'string' || deviceCode === '')
    fail('device_code is missing or not a string')
  if (
    (deviceCode as string).length > MAX_DEVICE_CODE_LENGTH ||
    !/^[\x20-\x7E]+$/.test(deviceCode as string)
  ) {
    fail(
      `device_code is longer than ${MAX_DEVICE_CODE_LENGTH} characters or has characters outside printable ASCII`
    )
  }
  const userCode = fields['user_code']
  if (typeof userCode !== 'string' || userCode.trim() === '')
    fail('user_code is missing or not a string')
  if ((userCode as string).length > MAX_USER_CODE_LENGTH) {
    fail(
      `user_code is ${(userCode as string).length} characters long; a code a person types is at most ${MAX_USER_CODE_LENGTH}`
    )
  }
  if (/[\u0000-\u001F\u007F-\u009F<>`[\]]/.test(userCode as string)) {
    fail('user_code contains control characters or markup')
  }
  const verificationUri = verifiedUrl(verificationUriOf(fields), 'verification_uri', fail)
  let verificationUriComplete: string | undefined
  const complete = verificationUriCompleteOf(fields)
  if (complete !== undefined) {
    const check = typeof complete === 'string' ? checkSecureUrl(complete) : undefined
    if (check?.ok) verificationUriComplete = check.url.href
    else
      notes.push(
        `ignored verification_uri_complete: it ${check && !check.ok ? check.problem : 'is not a string'}`
      )
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
    // printable: JSON.stringify leaves C1 controls (\u0085, \u009B) as they are.
    fail(`expires_in is ${printable(expires.shown)}, not a number of seconds`)
  } else {
    notes.push(
      'the provider did not say when the code expires (expires_in is missing); the wait is bounded by the timeout input'
    )
  }
  const intervalSeconds = parseInterval(fields['interval'], notes)
  const message =
    typeof fields['message'] === 'string' ? printable(fields['message']).slice(0, 500) : undefined
  return {
    deviceCode: deviceCode as string,
    userCode: (userCode as string).trim(),
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
  return check.ok ? check.url.href : fail(`${name} ${check.problem}`)
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
      `the provider's polling interval (${interval.kind === 'invalid' ? printable(interval.shown) : interval.seconds}) is not usable; polling every ${DEFAULT_INTERVAL_SECONDS} s as RFC 8628 says`
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
