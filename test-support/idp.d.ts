// Types for test-support/idp.js (an embedded oidc-provider based IdP for the demo and tests).

export interface IdpUser {
  sub: string
  preferred_username?: string
  email?: string
  /** email_verified; default true. */
  emailVerified?: boolean
  name: string
  /** In the ID token and userinfo with the profile scope. */
  groups?: string[]
  /** RFC 8176 authentication methods: the ID token's amr after this user signs in. */
  amr: string[]
  /** Claims of the ID token only, over the ones above; null leaves a claim out. */
  idToken?: Record<string, unknown>
  /** Claims of the userinfo answer only, over the ones above; null leaves a claim out. */
  userinfo?: Record<string, unknown>
}

export interface StartIdpOptions {
  /** Port on 127.0.0.1; default 0 (random). */
  port?: number
  /** Device code lifetime (ttl.DeviceCode); default 600. */
  deviceCodeTtlSeconds?: number
  /** If set, added as `interval` to the device authorization response (oidc-provider sends none). */
  interval?: number | string
  /** The first N device_code grant requests at the token endpoint get 400 slow_down without reaching oidc-provider. */
  slowDownPolls?: number
  /**
   * Answer slow_down to any device_code poll that comes less than the interval (the `interval`
   * option, else RFC 8628's 5 s) after the previous poll with the same code, or after the code
   * was issued; each slow_down raises the interval that code owes by 5 s (RFC 8628 §3.5), as a
   * strict provider (GitHub) does. Default false.
   */
  strictInterval?: boolean
  /** Access token lifetime (ttl.AccessToken); default 3600. */
  accessTokenTtlSeconds?: number
  /** Path suffix of the issuer, e.g. '/realms/demo'; default '' (issuer = http://127.0.0.1:PORT). */
  issuerPath?: string
  /**
   * 'endpoint': the device endpoint accepts a private_key_jwt assertion only when aud is its own
   * URL (as Glewlwyd 2.7 does), answering 401 unauthorized_client otherwise. Default 'any'.
   */
  deviceAssertionAudience?: 'any' | 'endpoint'
  /**
   * 'body': like Authlib 1.2 (authlib issue 798), each device code is filed under the client_id
   * of the device authorization request's body, and a poll by any other client (HTTP Basic's
   * user name, else the body's client_id) is refused with 400 unauthorized_client. Default
   * 'authenticated' (oidc-provider: the client that authenticated).
   */
  deviceCodeOwner?: 'authenticated' | 'body'
  /** Called with each user code the device authorization endpoint issues (for auto-approval). */
  onDeviceAuthorization?: (userCode: string) => void
  /** Users beyond alice, bob and carol, for a test's own cases (they sign in as the others do). */
  extraUsers?: IdpUser[]
}

export type TokenFault =
  | {
      kind: 'status'
      status: number
      /** Default: a JSON {"error":"temporarily_unavailable",...} body. */
      body?: string
      /** Default: application/json without a body; guessed (text/html, application/json, text/plain) from a given body. */
      contentType?: string
      headers?: Record<string, string>
      /** How many token requests get the fault; default: until cleared. */
      count?: number
    }
  | { kind: 'delay'; ms: number; count?: number }
  | { kind: 'reset'; count?: number }

export interface TokenRequestRecord {
  /** grant_type of the request ('' if none). */
  grantType: string
  /** HTTP status sent; 0 while unanswered or when the socket was reset. */
  status: number
  /** Date.now() when the request arrived. */
  at: number
  /** Date.now() when the answer was handed to the socket; unset while unanswered or after a reset. */
  answeredAt?: number
  /** With strictInterval, device_code polls: ms since the previous poll with that code (or since it was issued). */
  sinceLastMs?: number
  /** True when the test IdP itself answered slow_down (slowDownPolls or strictInterval). */
  slowDown?: boolean
}

export interface RequestRecord {
  method: string
  /** Path without the query. */
  path: string
  /** Date.now() when the request arrived. */
  at: number
}

export interface Idp {
  /** e.g. http://127.0.0.1:43123 or http://127.0.0.1:43123/realms/demo (no trailing slash). */
  issuer: string
  port: number
  /** alice (release-managers, mfa), bob (developers, pwd only), carol (release-managers, mfa). */
  users: IdpUser[]
  clients: {
    /** token_endpoint_auth_method none */
    public: { clientId: string }
    /** client_secret_basic */
    basic: { clientId: string; clientSecret: string }
    /** client_secret_post */
    post: { clientId: string; clientSecret: string }
    /** client_secret_basic, without the refresh_token grant: no refresh token is issued */
    noRefresh: { clientId: string; clientSecret: string }
    /** private_key_jwt; an RS256 key generated at start. privateKeyPem is PKCS#8. */
    privateKeyJwt: {
      clientId: string
      privateKeyPem: string
      publicJwk: Record<string, unknown>
      alg: 'RS256'
    }
  }
  /** Every request seen at the token endpoint, in order of arrival. */
  tokenRequests: TokenRequestRecord[]
  /** Every request seen, any endpoint, in order of arrival (the benchmark times discovery with it). */
  requests: RequestRecord[]
  /**
   * Approves (or denies) a user code over plain HTTP as a browser would: verification page,
   * user code form, confirmation, login as `user` (default 'alice'), consent.
   * Throws an Error naming the step that failed.
   */
  approve(userCode: string, opts?: { user?: string; deny?: boolean }): Promise<void>
  /** How many assertions the strict device endpoint refused (deviceAssertionAudience: 'endpoint'). */
  readonly deviceAssertionRefusals: number
  /** How many polls the deviceCodeOwner: 'body' check refused. */
  readonly deviceCodeOwnerRefusals: number
  setFault(fault: TokenFault | undefined): void
  /** Closes the server and destroys open sockets. Idempotent. */
  close(): Promise<void>
}

export function startIdp(options?: StartIdpOptions): Promise<Idp>
