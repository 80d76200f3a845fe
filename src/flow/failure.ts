import {
  ActionError,
  CancelledError,
  InputError,
  messageOf,
  OAuthError,
  type OAuthErrorBody,
  type RequestKind,
  WaitEndedError
} from '../errors.js'
import { ClientKeyError } from '../oauth/client-auth.js'
import { errorPageOf } from '../oauth/provider-errors.js'
import { RefreshRefusedError } from '../oauth/token.js'
import type { Ending } from './events.js'
import type { ErrorAdvisor } from '../providers/preset.js'
import type { ProviderQuirks } from '../providers/quirks.js'
import type { Refusal } from './events.js'
import { ApprovalRefusedError } from './gate.js'

export interface Failure {
  readonly ending: Ending
  /** The message the step fails with: what happened, where, and what to do. */
  readonly message: string
  /** Set for a bug: the stack, for the debug log only. */
  readonly stack?: string
  /** Set when the approval policy refused the approval: who tried, and which rule. */
  readonly refusal?: Refusal
}

/** What the run asked for, as far as the advice depends on it. */
export interface Asked {
  /** The scope input; undefined when it was empty. */
  readonly scope?: string
  readonly provider?: string
}

/** Turns whatever ended the run into how it ended and what the person reading the log is told. */
export function failureOf(error: unknown, quirks?: ProviderQuirks, asked: Asked = {}): Failure {
  if (error instanceof CancelledError) return { ending: 'cancelled', message: error.message }
  if (error instanceof WaitEndedError) {
    const withoutScope = error.ending === 'denied' ? deniedWithoutScope(asked) : undefined
    return { ending: error.ending, message: withoutScope ?? error.message }
  }
  if (error instanceof ApprovalRefusedError) {
    return {
      ending: error.ending,
      message: error.message,
      refusal: {
        approver: error.approver,
        ...(error.rule && { rule: error.rule }),
        reason: error.message
      }
    }
  }
  if (error instanceof ActionError)
    return { ending: 'failed', message: explainError(error, quirks) }
  return {
    ending: 'failed',
    message: `Unexpected error: ${messageOf(error)}. Please report this with the debug log (re-run with debug logging).`,
    ...(error instanceof Error && error.stack && { stack: error.stack })
  }
}

/**
 * A request that asked for no scope is refused by many providers themselves, whoever signs in:
 * oidc-provider, for one, denies a device request without openid once the person has signed in,
 * before any consent page. Then nobody declined anything, and the fix is the scope input. GitHub
 * grants its default scopes to a request without one, so there a denial is a person's.
 */
function deniedWithoutScope(asked: Asked): string | undefined {
  if (asked.scope !== undefined || asked.provider === 'github') return undefined
  return 'The request was denied (access_denied), and it asked for no scope: the scope input is empty. Many providers refuse such a request themselves, whoever signs in; an OpenID Connect provider wants at least openid. Set scope (scope: openid, and whatever the token is for) and run the job again. Unless the approver says they declined it, nobody did.'
}

/**
 * An error's message with what to do about it. The protocol code says what happened; the advice
 * depends on the provider and the inputs, which only the flow knows.
 */
export function explainError(error: ActionError, quirks?: ProviderQuirks): string {
  if (error instanceof ClientKeyError)
    return new InputError('client-private-key', error.message).message
  if (error instanceof RefreshRefusedError) {
    return `${error.message} Set on-refresh-failure: device to ask a person instead when this happens, and store the new refresh token.`
  }
  if (error instanceof OAuthError) {
    const advice = adviceFor(error.body, error.request, quirks?.advisors ?? [])
    const page = errorPageOf(error.body)
    return [error.message, advice, page && `More: ${page}`].filter(Boolean).join(' ')
  }
  return error.message
}

/** What to do about the errors RFC 6749 §5.2, RFC 8628 §3.5, RFC 8707 and RFC 7009 define. */
function standardAdvice(body: OAuthErrorBody, kind: RequestKind): string | undefined {
  switch (body.error) {
    case 'invalid_client':
      return kind === 'device-authorization' || kind === 'device-token'
        ? 'The provider did not accept the client credentials: check client-id, client-secret (or client-private-key) and client-auth-method. With private_key_jwt, the assertion is addressed to the token endpoint; a provider that wants the URL being called instead refuses it.'
        : 'The provider did not accept the client credentials: check client-id, client-secret (or client-private-key) and client-auth-method.'
    case 'unauthorized_client':
      if (kind === 'refresh')
        return 'The client may not use refresh tokens: enable the refresh token grant for it at the provider.'
      if (kind === 'device-token')
        // Deviation (Authlib 1.2): see identifyInDeviceRequest in src/oauth/deviations.ts.
        return 'The client may not use the device flow: enable the OAuth 2.0 Device Authorization Grant for it at the provider. Refused at the poll, it can also mean the provider filed the device code under another client: Authlib 1.2 files it under the client_id in the body of the device request (authlib issue 798), which the action sends; a provider that looks for it in the body of the poll too needs client-auth-method: client_secret_post.'
      return 'The client may not use the device flow: enable the OAuth 2.0 Device Authorization Grant for it at the provider. With private_key_jwt, the provider may also be refusing the assertion (its audience).'
    case 'invalid_scope':
      return 'The client may not ask for these scopes: check the scope input against what the client is allowed.'
    case 'invalid_target':
      return 'The provider does not know the requested resource: check the resource and audience inputs.'
    case 'unsupported_grant_type':
      return kind === 'refresh'
        ? 'The provider does not support refresh tokens for this client.'
        : 'The provider does not support the device flow for this client.'
    case 'unsupported_token_type':
      return 'The provider cannot revoke this kind of token (RFC 7009 §2.2.1).'
    case 'invalid_grant':
      return kind === 'refresh'
        ? 'The stored refresh token is expired, revoked, or was already used (rotated). Run the device flow again (on-refresh-failure: device asks a person when this happens) and store the new refresh token.'
        : 'The device code is no longer valid: it expired, or was already used.'
    case 'invalid_request':
      return 'The provider rejected the request as malformed: check extra-params, audience and resource.'
    case 'server_error':
    case 'temporarily_unavailable':
      return 'The provider is failing; try again later.'
    default:
      return undefined
  }
}

/** The provider's own advice first (its console, its codes), then the standard's. */
export function adviceFor(
  body: OAuthErrorBody,
  kind: RequestKind,
  advisors: readonly ErrorAdvisor[]
): string | undefined {
  return advisors.map((advise) => advise(body, kind)).find(Boolean) ?? standardAdvice(body, kind)
}
