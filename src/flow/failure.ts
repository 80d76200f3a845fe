import { ActionError, CancelledError, InputError, OAuthError, WaitEndedError } from '../errors.js'
import { ClientKeyError } from '../oauth/client-auth.js'
import { errorPageOf } from '../oauth/explain.js'
import { RefreshRefusedError } from '../oauth/refresh-refused.js'
import type { ProviderQuirks } from '../providers/quirks.js'
import type { Ending } from '../present/summary-record.js'
import { safeText } from '../safe-text.js'
import { adviceFor } from './advice.js'
import { ApprovalRefusedError } from './approval-refused.js'
import type { Refusal } from './events.js'

export interface Failure {
  readonly ending: Ending
  /** The message the step fails with: what happened, where, and what to do. */
  readonly message: string
  /** Set for a bug: the stack, for the debug log only. */
  readonly stack?: string
  /** Set when the approval policy refused the approval: who tried, and which rule. */
  readonly refusal?: Refusal
}

/** Turns whatever ended the run into how it ended and what the person reading the log is told. */
export function failureOf(error: unknown, quirks?: ProviderQuirks): Failure {
  if (error instanceof CancelledError) return { ending: 'cancelled', message: error.message }
  if (error instanceof WaitEndedError) return { ending: error.ending, message: error.message }
  if (error instanceof ApprovalRefusedError) {
    return {
      ending: 'refused',
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
    message: `Unexpected error: ${safeText(error instanceof Error ? error.message : error, { maxLength: 500 })}. Please report this with the debug log (re-run with debug logging).`,
    ...(error instanceof Error && error.stack && { stack: error.stack })
  }
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
