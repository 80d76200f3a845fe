import { InputError } from './errors.js'
import { MAX_HANDOFF_LENGTH, type RunBinding } from './handoff/envelope.js'
import { parseHandoffKey } from './handoff/key.js'
import { CLIENT_AUTH_METHODS, type ClientAuthMethod } from './oauth/client-auth.js'
import type { EndpointInputs } from './oauth/endpoints.js'
import { readWebhooks, type NotifyConfig } from './notify/targets.js'
import { checkSecureUrl } from './oauth/url-policy.js'
import { POLICY_INPUTS } from './policy/read-policy.js'
import { PROVIDERS, type ProviderPreset } from './providers/quirks.js'
import type { Runner } from './runner/runner.js'
import { parseSecretTarget, type SecretTarget } from './secrets/target.js'

/** Where inputs come from: the runner, which masks a secret input the moment it is read. */
export type InputSource = Pick<Runner, 'getInput' | 'setSecret' | 'env'>

export type OnRefreshFailure = 'fail' | 'device'
/** revoke: what the post step revokes when the job ends. */
export type RevokeChoice = 'access-token' | 'all' | 'none'

/**
 * Whether a person may be asked. `auto`: refresh when refresh-token is non-empty, else the device
 * flow; `refresh`: never ask a person; `device`: always ask one.
 */
export type Mode = 'auto' | 'refresh' | 'device'
export const MODES: readonly Mode[] = ['auto', 'refresh', 'device']

export interface Config {
  readonly provider: ProviderPreset
  readonly endpoints: EndpointInputs
  readonly clientId: string
  readonly clientSecret?: string
  readonly clientPrivateKey?: string
  readonly clientAuthMethod: ClientAuthMethod | 'auto'
  readonly scope?: string
  readonly audience?: string
  readonly resources: readonly string[]
  readonly extraParams: ReadonlyArray<readonly [string, string]>
  readonly mode: Mode
  readonly refreshToken?: string
  /** What a dead refresh token leads to; `fail` when the input is not set. */
  readonly onRefreshFailure: OnRefreshFailure
  /**
   * The workflow meant to refresh (on-refresh-failure: device is set) but refresh-token is empty:
   * the device flow runs, and says loudly that the secret was empty or missing.
   */
  readonly refreshTokenMissing: boolean
  readonly timeoutSeconds?: number
  readonly summary: boolean
  readonly revoke: RevokeChoice
  /** Where the new refresh token is written back (store-refresh-token), with secrets-token. */
  readonly storeRefreshToken?: { readonly target: SecretTarget; readonly token: string }
  /** Warn when the refresh token expires within this many days; 0: never. */
  readonly expiryWarningDays: number
  /** refresh-token-expires-at: when the stored refresh token expires, if the workflow knows. */
  readonly refreshTokenExpiresAtMs?: number
  /** Webhooks to tell the approver (code-ready, reminders when asked, the outcome). */
  readonly notify: NotifyConfig
  /** Draw a QR code of the verification link in the log. */
  readonly qrCode: boolean
  /** handoff-key is set: the tokens are sealed for later jobs of the run (and opened there). */
  readonly handoff?: HandoffConfig
}

/** The handoff between jobs of one run: handoff-key, and in a later job handoff. */
export interface HandoffConfig {
  /** handoff-key: 32 bytes (src/handoff/key.ts). */
  readonly key: Uint8Array
  /** The run the handoff is bound to, from the runner's variables. */
  readonly binding: RunBinding
  /** The handoff input: an earlier job's handoff output, to open. Unset in the job that asks. */
  readonly sealed?: string
}

/** Parameters that extra-params may not set: they belong to the protocol or to other inputs. */
const RESERVED_PARAMS: Readonly<Record<string, string>> = {
  client_id: 'use the client-id input',
  client_secret: 'use the client-secret input',
  client_assertion: 'use client-private-key with client-auth-method: private_key_jwt',
  client_assertion_type: 'use client-private-key with client-auth-method: private_key_jwt',
  grant_type: 'the action sets it',
  device_code: 'the action sets it',
  refresh_token: 'use the refresh-token input',
  scope: 'use the scope input',
  audience: 'use the audience input',
  resource: 'use the resource input'
}

/** Reads and checks every input; each problem is an InputError naming the input. */
export function readConfig(source: InputSource): Config {
  // Masked first, before anything could print them.
  const clientSecret = optional(source.getInput('client-secret'))
  const refreshToken = optional(source.getInput('refresh-token'))
  const clientPrivateKey = optional(source.getInput('client-private-key'))
  const secretsToken = optional(source.getInput('secrets-token'))
  const handoffKey = optional(source.getInput('handoff-key'))
  if (handoffKey) source.setSecret(handoffKey)
  if (secretsToken) source.setSecret(secretsToken)
  if (clientSecret) source.setSecret(clientSecret)
  if (refreshToken) source.setSecret(refreshToken)
  if (clientPrivateKey) maskKey(clientPrivateKey, source)
  const webhooks = readWebhooks(source.getInput('notify-webhook'), (url) => source.setSecret(url))

  const provider = readProvider(source.getInput('provider'))
  const clientId = source.getInput('client-id')
  if (!clientId) {
    throw new InputError(
      'client-id',
      'is required. Set it to the OAuth client ID registered at your identity provider.'
    )
  }
  if (!/^[\x21-\x7E]{1,512}$/.test(clientId)) {
    throw new InputError(
      'client-id',
      'must be printable ASCII without spaces, at most 512 characters.'
    )
  }
  const endpoints = readEndpoints(source, provider)
  const clientAuthMethod = readClientAuthMethod(
    source.getInput('client-auth-method'),
    clientSecret,
    clientPrivateKey
  )
  if (clientPrivateKey) checkPrivateKey(clientPrivateKey)
  const audience = optional(source.getInput('audience'))
  // Before mode and refresh-token are judged: a job that opens a handoff refuses them outright.
  const handoff = readHandoff(source, handoffKey, refreshToken)
  const timeoutSeconds = parseTimeout(source.getInput('timeout'))
  const storeRefreshToken = readSecretStore(source.getInput('store-refresh-token'), secretsToken)
  const refreshTokenExpiresAtMs = readInstant(
    'refresh-token-expires-at',
    source.getInput('refresh-token-expires-at')
  )
  return {
    provider,
    endpoints,
    clientId,
    ...(clientSecret && { clientSecret }),
    ...(clientPrivateKey && { clientPrivateKey }),
    clientAuthMethod,
    ...optionalField('scope', readScope(source.getInput('scope'), provider)),
    ...(audience && { audience: singleLine('audience', audience) }),
    resources: readResources(source.getInput('resource')),
    extraParams: parseExtraParams(source.getInput('extra-params')),
    ...readRefresh(source, refreshToken),
    ...(timeoutSeconds !== undefined && { timeoutSeconds }),
    summary: readBoolean('summary', source.getInput('summary'), true),
    revoke: readRevoke(source.getInput('revoke'), handoff),
    ...(storeRefreshToken && { storeRefreshToken }),
    expiryWarningDays: readDays(
      'refresh-token-expiry-warning-days',
      source.getInput('refresh-token-expiry-warning-days'),
      7
    ),
    ...(refreshTokenExpiresAtMs !== undefined && { refreshTokenExpiresAtMs }),
    notify: {
      webhooks,
      reminders: readBoolean('notify-reminders', source.getInput('notify-reminders'), false)
    },
    qrCode: readBoolean('qr-code', source.getInput('qr-code'), false),
    ...(handoff && { handoff })
  }
}

/**
 * handoff-key and handoff. A job that opens a handoff never asks a person and never uses a stored
 * refresh token, so the inputs that decide those are refused there. The job that seals one must
 * say that it asks a person: an empty handoff is what a later job gets when the approving job's
 * output did not reach it (a missing outputs: entry, a skipped job), and that job must not turn
 * into a second approval, judged by no policy.
 */
function readHandoff(
  source: InputSource,
  key: string | undefined,
  refreshToken: string | undefined
): HandoffConfig | undefined {
  const sealed = optional(source.getInput('handoff'))
  if (!key) {
    if (sealed === undefined) return undefined
    throw new InputError(
      'handoff-key',
      'is required to open the handoff: pass the same secret as in the approving job (handoff-key: ${{ secrets.HANDOFF_KEY }}). If it is set, the secret is empty here: check its name, and that this job may read it (an environment secret only reaches jobs in that environment; pull requests from forks get no secrets).'
    )
  }
  const parsedKey = parseHandoffKey(key)
  const binding = runBinding(source.env)
  if (sealed === undefined) {
    checkSealingJob(source, refreshToken)
    return { key: parsedKey, binding }
  }
  if (sealed.length > MAX_HANDOFF_LENGTH)
    throw new InputError(
      'handoff',
      `is ${sealed.length} characters, longer than any handoff this action writes (${MAX_HANDOFF_LENGTH}). Pass the approving job's handoff output as it is.`
    )
  const opening = 'but this job opens a handoff, and a job that opens a handoff never asks a person'
  if (refreshToken)
    throw new InputError(
      'refresh-token',
      `is set, ${opening}: it refreshes, when it must, with the refresh token inside the handoff. Remove refresh-token here (or remove handoff to refresh from the stored token).`
    )
  for (const input of ['mode', 'on-refresh-failure']) {
    if (source.getInput(input) !== '')
      throw new InputError(input, `is set, ${opening} or uses a stored refresh token. Remove it.`)
  }
  const policyInput = POLICY_INPUTS.find((name) => source.getInput(name) !== '')
  if (policyInput)
    throw new InputError(
      policyInput,
      `is set, ${opening}: the approval policy was applied in the approving job, where the person approved. Set it there, and remove it here.`
    )
  return { key: parsedKey, binding, sealed }
}

/** With handoff-key and no handoff, only a job that says it may ask a person seals a handoff. */
function checkSealingJob(source: InputSource, refreshToken: string | undefined): void {
  const mode = source.getInput('mode') || 'auto'
  const statesItAsks = mode !== 'auto' || refreshToken || source.getInput('on-refresh-failure')
  if (!statesItAsks)
    throw new InputError(
      'handoff',
      "is empty, and handoff-key is set: is this the job that asks for the approval, or a later job whose handoff did not arrive? In the job that asks, set mode: device. In a later job, handoff must carry the approving job's output: list it under that job's outputs: (handoff: ${{ steps.<step id>.outputs.handoff }}) and pass handoff: ${{ needs.<job id>.outputs.handoff }}; the approving job writes it only when its handoff-key is not empty."
    )
  const revoke = source.getInput('revoke')
  if (revoke !== '' && revoke !== 'none')
    throw new InputError(
      'revoke',
      `is ${revoke.slice(0, 40)}, but this job hands its tokens to later jobs (handoff-key): its post step leaves them to those jobs. Set revoke in the last job that opens the handoff, and remove it here.`
    )
}

/**
 * The ids a handoff is bound to. The runner sets both in every job; without them a handoff could
 * not tell this run from another, so none is sealed or opened.
 */
function runBinding(env: InputSource['env']): RunBinding {
  const repositoryId = env['GITHUB_REPOSITORY_ID'] ?? ''
  const runId = env['GITHUB_RUN_ID'] ?? ''
  for (const [name, value] of [
    ['GITHUB_REPOSITORY_ID', repositoryId],
    ['GITHUB_RUN_ID', runId]
  ] as const) {
    if (!/^\d{1,20}$/.test(value))
      throw new InputError(
        'handoff-key',
        `binds the handoff to this repository and run, but ${name} is ${value ? 'not a number' : 'not set'}. The runner sets it in every job; outside GitHub Actions, set it yourself.`
      )
  }
  return { repositoryId, runId }
}

/**
 * revoke: access-token unless said otherwise; none in a job that opens a handoff, whose tokens
 * other jobs may still be using: only the job that says so revokes them (the last one).
 */
function readRevoke(value: string, handoff: HandoffConfig | undefined): RevokeChoice {
  const fallback = handoff?.sealed !== undefined ? 'none' : 'access-token'
  return readChoice('revoke', value || fallback, ['access-token', 'all', 'none'])
}

function readSecretStore(
  value: string,
  token: string | undefined
): Config['storeRefreshToken'] | undefined {
  if (value === '') return undefined
  const target = parseSecretTarget(value)
  if (!token) {
    throw new InputError(
      'secrets-token',
      'is required with store-refresh-token: a token that may write the secret. The workflow\'s GITHUB_TOKEN cannot write secrets; use a fine-grained personal access token or a GitHub App token with the "Secrets" permission set to "Read and write", passed from a secret.'
    )
  }
  return { target, token }
}

/** A whole number of days from 0 to 3650. */
function readDays(input: string, value: string, fallback: number): number {
  if (value === '') return fallback
  if (!/^\d{1,4}$/.test(value) || Number(value) > 3650)
    throw new InputError(
      input,
      `"${value.slice(0, 40)}" is not a number of days (0 to 3650; 0 turns the warning off).`
    )
  return Number(value)
}

/** An ISO 8601 date and time with a zone, as the refresh-token-expires-at output writes it. */
function readInstant(input: string, value: string): number | undefined {
  if (value === '') return undefined
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
    ? Date.parse(value)
    : NaN
  if (Number.isNaN(ms))
    throw new InputError(
      input,
      `"${value.slice(0, 40)}" is not an ISO 8601 time with a zone, such as 2027-05-01T12:00:00Z (what the refresh-token-expires-at output holds).`
    )
  return ms
}

function optional(value: string): string | undefined {
  return value === '' ? undefined : value
}

function optionalField<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}

/**
 * mode, refresh-token and on-refresh-failure together. The runner passes a secret that does not
 * exist (a misspelt name, a fork, Dependabot) as an empty string, exactly like an input not set at
 * all; so an empty refresh-token is taken as "no refresh wanted" only when nothing else says the
 * workflow meant to refresh: mode: refresh, or on-refresh-failure set (action.yml gives it no
 * default, so that setting it is a statement).
 */
function readRefresh(
  source: InputSource,
  refreshToken: string | undefined
): Pick<Config, 'mode' | 'refreshToken' | 'onRefreshFailure' | 'refreshTokenMissing'> {
  const mode = readChoice('mode', source.getInput('mode') || 'auto', MODES)
  const onFailureInput = source.getInput('on-refresh-failure')
  const onRefreshFailure = readChoice<OnRefreshFailure>(
    'on-refresh-failure',
    onFailureInput || 'fail',
    ['fail', 'device']
  )
  const emptySecret =
    'the secret is empty or missing: check its name (a misspelt ${{ secrets.NAME }} is empty, not an error) and that this workflow may read it (pull requests from forks and Dependabot get no secrets)'
  if (mode === 'refresh') {
    if (onRefreshFailure === 'device') {
      throw new InputError(
        'on-refresh-failure',
        'is device, but mode: refresh never asks a person. Remove on-refresh-failure, or use mode: auto to fall back to the device flow.'
      )
    }
    if (!refreshToken) {
      throw new InputError(
        'refresh-token',
        `is empty, and mode: refresh never asks a person; ${emptySecret}. For a first run that asks a person, use mode: device once and store the refresh token it returns.`
      )
    }
  }
  if (mode === 'device' && onFailureInput !== '') {
    throw new InputError(
      'on-refresh-failure',
      'has no effect with mode: device, which always asks a person and never refreshes. Remove it.'
    )
  }
  if (mode === 'auto' && !refreshToken && onFailureInput === 'fail') {
    throw new InputError(
      'refresh-token',
      `is empty, but on-refresh-failure: fail says this step is meant to refresh, so ${emptySecret}. To ask a person when there is no refresh token yet, set on-refresh-failure: device.`
    )
  }
  return {
    mode,
    ...(refreshToken && { refreshToken }),
    onRefreshFailure,
    refreshTokenMissing: mode === 'auto' && !refreshToken && onFailureInput === 'device'
  }
}

function readProvider(value: string): ProviderPreset {
  const name = (value || 'oidc').toLowerCase()
  // hasOwn: "constructor" or "__proto__" would otherwise find Object's members and pass.
  const preset = Object.hasOwn(PROVIDERS, name) ? PROVIDERS[name] : undefined
  if (!preset) {
    throw new InputError(
      'provider',
      `"${value}" is not a known provider. Use one of: ${Object.keys(PROVIDERS).join(', ')}.`
    )
  }
  return preset
}

function readEndpoints(source: InputSource, provider: ProviderPreset): EndpointInputs {
  const url = (name: string): string | undefined => {
    const value = optional(source.getInput(name))
    if (value === undefined) return undefined
    const check = checkSecureUrl(value)
    if (!check.ok) throw new InputError(name, `"${shownUrl(value)}" ${check.problem}.`)
    return value
  }
  const issuer = url('issuer')
  // Any '?' starts a query, even an empty one that URL.search reports as ''.
  if (issuer?.includes('?')) {
    throw new InputError(
      'issuer',
      'must not have a ?query part (RFC 8414 §2); give the issuer exactly as the provider publishes it.'
    )
  }
  const discoveryUrl = url('discovery-url')
  let deviceAuthorizationEndpoint = url('device-authorization-endpoint')
  let tokenEndpoint = url('token-endpoint')
  const revocationEndpoint = url('revocation-endpoint')
  if (provider.fixedEndpoints) {
    const serverInput = optional(source.getInput('github-server-url'))
    // An empty GITHUB_SERVER_URL is as good as none.
    const server = serverInput ?? (source.env['GITHUB_SERVER_URL'] || 'https://github.com')
    const check = checkSecureUrl(server)
    if (!check.ok)
      throw new InputError('github-server-url', `"${shownUrl(server)}" ${check.problem}.`)
    if (issuer || discoveryUrl) {
      throw new InputError(
        issuer ? 'issuer' : 'discovery-url',
        `is not used with provider: ${provider.name}, which has no discovery; remove it (the server is set by github-server-url).`
      )
    }
    const fixed = provider.fixedEndpoints(check.url.origin + check.url.pathname)
    deviceAuthorizationEndpoint ??= fixed.deviceAuthorizationEndpoint
    tokenEndpoint ??= fixed.tokenEndpoint
  } else if (!issuer && !discoveryUrl && !(deviceAuthorizationEndpoint && tokenEndpoint)) {
    throw new InputError(
      'issuer',
      "is required: set it to your identity provider's issuer URL (for example https://login.example.com), or set discovery-url, or set both device-authorization-endpoint and token-endpoint."
    )
  }
  return {
    // Kept exactly as given: OIDC Discovery §4.3 compares issuers character for character.
    ...(issuer && { issuer }),
    ...(discoveryUrl && { discoveryUrl }),
    ...(deviceAuthorizationEndpoint && { deviceAuthorizationEndpoint }),
    ...(tokenEndpoint && { tokenEndpoint }),
    ...(revocationEndpoint && { revocationEndpoint })
  }
}

/** A URL as a message may quote it: a user:password@ part is never repeated. */
function shownUrl(value: string): string {
  return value.replace(/^([A-Za-z][A-Za-z0-9+.-]*:[/\\]*)[^/\\?#]*@/, '$1…@').slice(0, 200)
}

function readClientAuthMethod(
  value: string,
  secret: string | undefined,
  privateKey: string | undefined
): ClientAuthMethod | 'auto' {
  const method = readChoice('client-auth-method', value || 'auto', ['auto', ...CLIENT_AUTH_METHODS])
  if (secret && privateKey) {
    throw new InputError(
      'client-secret',
      'and client-private-key are both set; a client authenticates one way. Remove one.'
    )
  }
  const needsSecret = method === 'client_secret_basic' || method === 'client_secret_post'
  // The wrong credential is reported before the missing one: asking for a secret when a key is
  // given would only lead to the "both set" error next.
  if (privateKey && needsSecret) {
    throw new InputError(
      'client-auth-method',
      `is ${method}, but a client-private-key is given; use private_key_jwt or auto.`
    )
  }
  if (secret && method === 'private_key_jwt') {
    throw new InputError(
      'client-auth-method',
      'is private_key_jwt, but client-secret is given instead of client-private-key.'
    )
  }
  if (needsSecret && !secret) {
    throw new InputError(
      'client-secret',
      `is required with client-auth-method: ${method}. Set it from a secret, for example \${{ secrets.OAUTH_CLIENT_SECRET }}.`
    )
  }
  if (method === 'private_key_jwt' && !privateKey) {
    throw new InputError(
      'client-private-key',
      'is required with client-auth-method: private_key_jwt. Set it to a PKCS#8 PEM or a private JWK, from a secret.'
    )
  }
  if (method === 'none' && (secret || privateKey)) {
    throw new InputError(
      'client-auth-method',
      `is none, but ${secret ? 'client-secret' : 'client-private-key'} is set. Remove it, or choose a method that uses it (or auto).`
    )
  }
  return method as ClientAuthMethod | 'auto'
}

function checkPrivateKey(key: string): void {
  if (key.startsWith('{')) {
    try {
      const jwk = JSON.parse(key) as Record<string, unknown>
      if (typeof jwk['kty'] === 'string' && typeof jwk['d'] === 'string') return
    } catch {
      // reported below
    }
    throw new InputError(
      'client-private-key',
      'looks like JSON but is not a private JWK (it needs "kty" and "d").'
    )
  }
  if (/-----BEGIN (RSA|EC) PRIVATE KEY-----/.test(key)) {
    throw new InputError(
      'client-private-key',
      'is a PKCS#1 or SEC1 PEM; convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem'
    )
  }
  if (!/-----BEGIN PRIVATE KEY-----[\s\S]+-----END PRIVATE KEY-----/.test(key)) {
    throw new InputError(
      'client-private-key',
      'must be a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----) or a private JWK as JSON.'
    )
  }
}

/**
 * A multi-line secret is masked line by line by the runner, armour lines, braces and short lines
 * included; so mask the key material line by line ourselves, the whole key only when it is one
 * line, and a JWK's private members by value (they may be printed apart from their line).
 */
function maskKey(key: string, source: InputSource): void {
  if (!/[\r\n]/.test(key)) source.setSecret(key)
  for (const line of key.split(/\r?\n/)) {
    const trimmed = line.trim()
    if (trimmed.length >= 8 && !trimmed.startsWith('-----')) source.setSecret(trimmed)
  }
  let jwk: unknown
  try {
    jwk = JSON.parse(key)
  } catch {
    return
  }
  // RFC 7518 §6.2.2, §6.3.2, §6.4: the private parameters of EC, RSA and oct keys.
  for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) {
    const value = (jwk as Record<string, unknown> | null)?.[member]
    if (typeof value === 'string' && value.length >= 8) source.setSecret(value)
  }
}

function readScope(value: string, provider: ProviderPreset): string | undefined {
  const scope = value.split(/\s+/).filter(Boolean).join(' ')
  if (scope === '') return undefined
  // RFC 6749 §3.3 separates scopes with spaces; a comma is a character of one scope, so
  // "openid,profile" is a single scope nobody defined, which a provider may answer with a denial.
  if (scope.includes(',') && !provider.commaSeparatedScopes) {
    throw new InputError(
      'scope',
      `"${scope.slice(0, 200)}" has commas, but scopes are separated by spaces (RFC 6749 §3.3): write scope: ${scope
        .split(/\s*,\s*|\s+/)
        .filter(Boolean)
        .join(' ')
        .slice(0, 200)}`
    )
  }
  // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
  if (!/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/.test(scope)) {
    throw new InputError(
      'scope',
      'has characters a scope cannot contain (RFC 6749 §3.3: no quotes or backslashes). Separate scopes with spaces.'
    )
  }
  return scope
}

function readResources(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((resource) => {
      // RFC 8707 §2: an absolute URI without a fragment.
      let url: URL | undefined
      try {
        url = new URL(resource)
      } catch {
        url = undefined
      }
      if (!url || url.hash) {
        throw new InputError(
          'resource',
          `"${resource.slice(0, 200)}" is not an absolute URI without a #fragment (RFC 8707 §2). Give one per line.`
        )
      }
      return resource
    })
}

function singleLine(input: string, value: string): string {
  // C0 and C1 controls (U+0085 is a line break too), and the Unicode line and paragraph separators.
  if (/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/.test(value))
    throw new InputError(input, 'must be a single line without control characters.')
  return value
}

/** extra-params: one key=value a line, added to the device authorization request. */
export function parseExtraParams(value: string): Array<[string, string]> {
  const params: Array<[string, string]> = []
  value.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const where = `line ${index + 1}`
    const equals = line.indexOf('=')
    if (equals <= 0) {
      throw new InputError(
        'extra-params',
        `${where} is not key=value (for example prompt=login). Write one parameter a line.`
      )
    }
    const key = line.slice(0, equals).trim()
    const paramValue = line.slice(equals + 1).trim()
    if (!/^[A-Za-z0-9_.\-:[\]]{1,100}$/.test(key)) {
      throw new InputError(
        'extra-params',
        `${where}: "${key.slice(0, 100)}" is not a parameter name (letters, digits, _ . - : [ ] only).`
      )
    }
    // hasOwn: "constructor" is a fine parameter name, not Object's constructor.
    const reserved = Object.hasOwn(RESERVED_PARAMS, key.toLowerCase())
      ? RESERVED_PARAMS[key.toLowerCase()]
      : undefined
    if (reserved)
      throw new InputError(
        'extra-params',
        `${where} sets ${key}, which extra-params may not override: ${reserved}.`
      )
    if (/[\u0000-\u001F\u007F]/.test(paramValue))
      throw new InputError('extra-params', `${where} has control characters in its value.`)
    // Each line is one parameter whose value is sent encoded, & included: "a=1&b=2" would send
    // a single parameter a with the value "1&b=2", never a parameter b.
    const joined = /&([A-Za-z0-9_.\-:[\]]{1,100})=/.exec(paramValue)
    if (joined) {
      throw new InputError(
        'extra-params',
        `${where}: the value of ${key} contains "&${joined[1]}=", as if several parameters were joined with &; each line is one parameter, and & is sent as part of its value. Write one parameter a line (${key}=…, then ${joined[1]}=…).`
      )
    }
    params.push([key, paramValue])
  })
  return params
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600 }
/** GitHub-hosted jobs end after 6 hours; waiting longer is always a mistake. */
export const MAX_TIMEOUT_SECONDS = 6 * 3600

/**
 * timeout: seconds, a number with s, m or h ("900", "15m", "1.5h"), or whole hours, minutes and
 * seconds in that order ("1h30m", "2m30s", "1h 5m 10s").
 */
export function parseTimeout(value: string): number | undefined {
  const text = value.trim().toLowerCase()
  if (text === '') return undefined
  const single = /^(\d+(?:\.\d+)?)\s*([smh]?)$/.exec(text)
  const compound = /^(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?$/.exec(text)
  let seconds = NaN
  if (single) seconds = Number(single[1]) * (UNIT_SECONDS[single[2] as string] as number)
  else if (compound)
    seconds =
      Number(compound[1] ?? 0) * 3600 + Number(compound[2] ?? 0) * 60 + Number(compound[3] ?? 0)
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
    throw new InputError(
      'timeout',
      `"${value.slice(0, 40)}" is not a wait between 1 second and 6 hours. Give seconds (900), a number with s, m or h (15m), or both (1h30m).`
    )
  }
  return seconds
}

function readChoice<T extends string>(input: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T
  throw new InputError(input, `"${value.slice(0, 60)}" is not one of: ${choices.join(', ')}.`)
}

/** The YAML 1.2 core schema booleans, as @actions/core's getBooleanInput reads them. */
function readBoolean(input: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(input, `"${value.slice(0, 40)}" is not true or false.`)
}
