import type { Config } from '../inputs.js'
import type { ClientCredentials } from '../oauth/client-auth.js'
import type { ProviderMetadata } from '../oauth/endpoints.js'
import type { OAuthContext } from '../oauth/exchange.js'
import type { ApprovalPolicy } from '../policy/rules.js'
import type { ProviderQuirks } from '../providers/quirks.js'
import type { Runner } from '../runner/runner.js'
import type { FlowEvents } from './events.js'

/**
 * What every stage after the endpoints works with, in one object: run() builds it once the
 * provider is known and hands it to each stage in turn.
 */
export interface RunContext {
  /** For the protocol: the transport, the clock, the cancel switch and the known secrets. */
  readonly oauth: OAuthContext
  readonly runner: Runner
  readonly events: FlowEvents
  readonly config: Config
  readonly metadata: ProviderMetadata
  /** How the client authenticates, resolved against the provider's metadata. */
  readonly client: ClientCredentials
  readonly quirks: ProviderQuirks
  /** Who may approve, read from the inputs before any request. */
  readonly policy: ApprovalPolicy
}
