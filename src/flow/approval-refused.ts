import { ActionError } from '../errors.js'
import type { PolicyRule } from '../policy/rules.js'

/**
 * The approval policy refused an approval, or could not judge it (which it refuses too). Thrown by
 * src/flow/policy.ts; apart from it so that src/flow/failure.ts can recognize it without loading
 * the policy's judge, which runs only after the code is shown.
 */
export class ApprovalRefusedError extends ActionError {
  override name = 'ApprovalRefusedError'
  constructor(
    message: string,
    readonly approver: string,
    readonly rule: PolicyRule | undefined
  ) {
    super(message)
  }
}
