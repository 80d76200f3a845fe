import type { ClientAuthMethod } from '../oauth/client-auth.js'
import type { OAuthErrorBody, RequestKind } from '../errors.js'
import type { UserApi } from '../oauth/approver.js'
import type { TokenSet } from '../oauth/token.js'

/** Extra advice for errors a particular provider defines, or for its console. */
export type ErrorAdvisor = (body: OAuthErrorBody, kind: RequestKind) => string | undefined

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
  /**
   * The scope input may be comma-separated: GitHub answers with `repo,gist` and takes commas in
   * requests as well. For every other provider a comma is refused: RFC 6749 §3.3 separates scopes
   * with spaces, so `openid,profile` would be one scope nobody defined.
   */
  readonly commaSeparatedScopes?: boolean
  /** Rewrites what the provider returns into the RFC's form. */
  readonly normalizeTokens?: (tokens: TokenSet) => TokenSet
  readonly advisors: readonly ErrorAdvisor[]
  /** Error codes of its own that mean a refresh token is dead (besides RFC 6749's invalid_grant). */
  readonly deadRefreshTokenErrors?: readonly string[]
  /** Where to ask who approved, for providers without id_token or userinfo. */
  readonly userApi?: (tokenEndpoint: string) => UserApi
}

/** Where the endpoints are, whatever found them: what a provider is recognized by. */
export interface ProviderEndpoints {
  readonly issuer?: string
  readonly deviceAuthorizationEndpoint: string
  readonly tokenEndpoint: string
}

/**
 * A provider used through `provider: oidc` (discovery), recognized by its endpoints, whose error
 * messages deserve advice about its own console: the protocol is standard, the fix is not.
 */
export interface RecognizedProvider {
  readonly name: string
  readonly recognizes: (endpoints: ProviderEndpoints) => boolean
  readonly advisor: ErrorAdvisor
}

/** What the flow needs to know of the provider it talks to; the protocol code needs none of it. */
export interface ProviderQuirks {
  readonly advisors: readonly ErrorAdvisor[]
  /** Error codes at the token endpoint that mean the request was refused (besides access_denied). */
  readonly denialErrors: ReadonlySet<string>
  /** Error codes that mean the stored refresh token is dead, so a person may be asked instead. */
  readonly deadRefreshTokenErrors: ReadonlySet<string>
}

/** True when any of the endpoints has a host the test accepts. */
export function anyHost(endpoints: ProviderEndpoints, test: (host: string) => boolean): boolean {
  return [endpoints.issuer, endpoints.deviceAuthorizationEndpoint, endpoints.tokenEndpoint].some(
    (url) => {
      if (!url || !URL.canParse(url)) return false
      return test(new URL(url).hostname.toLowerCase())
    }
  )
}
