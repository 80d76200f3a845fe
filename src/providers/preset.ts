import type { ClientAuthMethod } from '../oauth/client-auth.js'
import type { ErrorAdvisor } from '../oauth/explain.js'
import type { UserApi } from '../oauth/identity.js'
import type { TokenSet } from '../oauth/token.js'

/** Endpoints a provider has at fixed places, so no discovery is needed. */
export interface FixedEndpoints {
  readonly deviceAuthorizationEndpoint: string
  readonly tokenEndpoint: string
}

/**
 * How one provider departs from the RFCs, kept out of the protocol code: the poll loop and the
 * parsers never ask which provider they talk to.
 */
export interface ProviderPreset {
  readonly name: string
  /** Endpoints without discovery, from the server's base URL. */
  readonly fixedEndpoints?: (serverUrl: string) => FixedEndpoints
  /** The client-auth-method `auto` stands for when a client secret is given. */
  readonly secretAuthMethod?: ClientAuthMethod
  /** Rewrites what the provider returns into the RFC's form. */
  readonly normalizeTokens?: (tokens: TokenSet) => TokenSet
  readonly advisors: readonly ErrorAdvisor[]
  /** Where to ask who approved, for providers without id_token or userinfo. */
  readonly userApi?: (tokenEndpoint: string) => UserApi
}
