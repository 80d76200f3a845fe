import { ProviderResponseError } from '../errors.js'

/**
 * A refresh answered 400 or 401 without a readable OAuth error: the refresh token was refused.
 * Apart from token.ts, which throws it, so that src/flow/failure.ts can recognize it without
 * loading the token requests, which run only after the code is shown (or for a refresh).
 */
export class RefreshRefusedError extends ProviderResponseError {
  override name = 'RefreshRefusedError'
}
