/**
 * Errors written for the person reading the job log: each says what happened, where, and what to
 * do about it. The runner prints `message` as it is; nothing here ever holds a token or a secret,
 * and any provider text in it went through safeText where it was quoted.
 */
export class ActionError extends Error {
  override name = 'ActionError'
}

/** An input is missing, malformed or contradicts another input. */
export class InputError extends ActionError {
  override name = 'InputError'
  constructor(
    readonly input: string,
    message: string
  ) {
    super(`Input '${input}': ${message}`)
  }
}

/** Where a request went, for messages: "the token endpoint (https://…/token)". */
export interface EndpointRef {
  readonly name: string
  readonly url: string
}

export function describeEndpoint(endpoint: EndpointRef): string {
  // Log-safe as it is: every endpoint URL passed checkSecureUrl (inputs, discovery, redirects),
  // and a parsed https URL holds no line break, space, fragment or bidi character.
  return `the ${endpoint.name} (${endpoint.url})`
}

/** The provider answered, but with something the action cannot use (HTML, bad JSON, a missing field). */
export class ProviderResponseError extends ActionError {
  override name = 'ProviderResponseError'
  constructor(
    readonly endpoint: EndpointRef,
    readonly status: number | undefined,
    message: string
  ) {
    super(message)
  }
}

export type NetworkFailure = 'timeout' | 'connection' | 'reset'

/** The endpoint could not be reached, or did not answer in time. Usually worth retrying. */
export class NetworkError extends ActionError {
  override name = 'NetworkError'
  constructor(
    readonly endpoint: EndpointRef,
    readonly failure: NetworkFailure,
    /** False when the request surely never reached the server (refused, unknown host). */
    readonly maybeDelivered: boolean,
    message: string,
    /**
     * What happened, after the endpoint's name and without advice ("did not answer within 30 s"):
     * for a line that says it will try again, where the whole message would repeat itself.
     */
    readonly happened: string = message
  ) {
    super(message)
  }
}

/** The fields of an OAuth error response (RFC 6749 §5.2), kept as data. */
export interface OAuthErrorBody {
  readonly error: string
  readonly errorDescription?: string
  readonly errorUri?: string
}

/** Which request an error came back from (see src/oauth/provider-errors.ts). */
export type RequestKind = 'device-authorization' | 'device-token' | 'refresh' | 'revocation'

/**
 * The provider answered with an OAuth error that ends the request. `message` says what the
 * provider said; the advice for the person is added where the error is reported.
 */
export class OAuthError extends ActionError {
  override name = 'OAuthError'
  constructor(
    readonly endpoint: EndpointRef,
    readonly status: number,
    readonly body: OAuthErrorBody,
    readonly request: RequestKind,
    message: string
  ) {
    super(message)
  }
  get error(): string {
    return this.body.error
  }
}

/** The step was cancelled (SIGINT/SIGTERM from the runner). */
export class CancelledError extends ActionError {
  override name = 'CancelledError'
  constructor() {
    super('The step was cancelled before the request was approved.')
  }
}

/** How the wait for a person ended when it did not end in approval. */
export type WaitEnding = 'denied' | 'expired' | 'timed-out'

export class WaitEndedError extends ActionError {
  override name = 'WaitEndedError'
  constructor(
    readonly ending: WaitEnding,
    message: string,
    readonly oauthError?: OAuthErrorBody
  ) {
    super(message)
  }
}

/** What went wrong, as a message, whatever was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
