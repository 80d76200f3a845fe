import { ActionError } from '../errors.js'

/** Why a handoff was refused; each with its own message for the person reading the log. */
export type HandoffRefusal =
  | 'not-a-handoff'
  | 'newer-version'
  | 'unknown-version'
  | 'other-repository'
  | 'other-run'
  | 'damaged'
  | 'not-opened'
  | 'unreadable'
  | 'other-client'
  | 'other-provider'
  | 'expired'
  | 'refresh-refused'
  | 'too-large'
  | 'short-secret'

/** A handoff that cannot be used: nothing is output, and the message says what to do. */
export class HandoffError extends ActionError {
  override name = 'HandoffError'
  constructor(
    readonly refusal: HandoffRefusal,
    message: string
  ) {
    super(message)
  }
}
