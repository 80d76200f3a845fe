import type { Approver } from '../oauth/approver.js'
import { safeText } from '../safe-text.js'
import { HandoffError } from './handoff-error.js'

/**
 * What a handoff holds (format v1): the token set with its expiry as instants, who approved, and
 * where the tokens came from. JSON inside the envelope (envelope.ts), never seen in clear.
 */
export interface Handoff {
  readonly tokens: HandedOffTokens
  /** Everyone who approved, in order (approvals: N); the tokens are the first one's. */
  readonly approvers: readonly Approver[]
  /** The client the tokens were issued to: a later job must name the same one. */
  readonly clientId: string
  /** Where they were issued: a refresh token goes back there and nowhere else. */
  readonly tokenEndpoint: string
  /** When the sealing job got the tokens (approved, or refreshed). */
  readonly obtainedAtMs: number
  /** Which job and attempt of the run sealed it, for the record. */
  readonly sealedBy: { readonly job?: string; readonly runAttempt?: string }
}

/** RFC 6749 §5.1, with the lifetimes turned into instants: a later job knows what is left. */
export interface HandedOffTokens {
  readonly accessToken: string
  readonly refreshToken?: string
  /** Verified in the job that got it (src/oauth/id-token.ts). */
  readonly idToken?: string
  readonly tokenType?: string
  readonly scope?: string
  readonly expiresAtMs?: number
  readonly refreshTokenExpiresAtMs?: number
}

export function encodeHandoff(handoff: Handoff): Uint8Array {
  const { tokens, sealedBy } = handoff
  const document = {
    ...tokens,
    approvers: handoff.approvers.map(({ name, subject }) => ({ name, subject })),
    clientId: handoff.clientId,
    tokenEndpoint: handoff.tokenEndpoint,
    obtainedAtMs: handoff.obtainedAtMs,
    ...sealedBy
  }
  return new TextEncoder().encode(JSON.stringify(document))
}

/**
 * The content of an opened handoff. It was authenticated by the key, so it comes from this action
 * in this run; every field is still checked, as any answer is, and a wrong one refused.
 */
export function decodeHandoff(bytes: Uint8Array): Handoff {
  let document: unknown
  try {
    document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    throw unreadable('it is not JSON')
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    throw unreadable('it is not a JSON object')
  const field = new Fields(document as Record<string, unknown>)
  const tokens: HandedOffTokens = {
    accessToken: field.token('accessToken', true) as string,
    ...optional('refreshToken', field.token('refreshToken')),
    ...optional('idToken', field.token('idToken')),
    ...optional('tokenType', field.text('tokenType', 100)),
    ...optional('scope', field.text('scope', 4096)),
    ...optional('expiresAtMs', field.instant('expiresAtMs')),
    ...optional('refreshTokenExpiresAtMs', field.instant('refreshTokenExpiresAtMs'))
  }
  const job = field.text('job', 100)
  const runAttempt = field.text('runAttempt', 10)
  return {
    tokens,
    approvers: field.approvers(),
    clientId: field.text('clientId', 512, true) as string,
    tokenEndpoint: field.text('tokenEndpoint', 2048, true) as string,
    obtainedAtMs: field.instant('obtainedAtMs', true) as number,
    sealedBy: { ...optional('job', job), ...optional('runAttempt', runAttempt) }
  }
}

class Fields {
  constructor(private readonly document: Record<string, unknown>) {}

  /** A token as the action takes them from a provider: one line of visible ASCII, 16 to 64 KiB. */
  token(name: string, required = false): string | undefined {
    const value = this.present(name, required)
    if (value === undefined) return undefined
    if (typeof value !== 'string' || !/^[\x21-\x7E]{16,65536}$/.test(value))
      throw unreadable(`${name} is not a token`)
    return value
  }

  text(name: string, maxLength: number, required = false): string | undefined {
    const value = this.present(name, required)
    if (value === undefined) return undefined
    if (typeof value !== 'string' || value === '' || value.length > maxLength)
      throw unreadable(`${name} is not text of at most ${maxLength} characters`)
    if (safeText(value, { maxLength }) !== value) throw unreadable(`${name} is not log-safe`)
    return value
  }

  instant(name: string, required = false): number | undefined {
    const value = this.present(name, required)
    if (value === undefined) return undefined
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
      throw unreadable(`${name} is not a time`)
    return value
  }

  approvers(): Approver[] {
    const list = this.present('approvers', true)
    if (!Array.isArray(list) || list.length > 10) throw unreadable('approvers is not a list')
    return list.map((entry: unknown) => {
      const approver = new Fields(
        typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {}
      )
      const name = approver.text('name', 200, true) as string
      const subject = approver.present('subject', true)
      // OpenID Connect Core §2: sub is at most 255 ASCII characters (see oauth/approver.ts).
      if (typeof subject !== 'string' || !/^[\x20-\x7E]{1,255}$/.test(subject))
        throw unreadable('an approver has no subject')
      return { name, subject, shownSubject: safeText(subject, { maxLength: 255 }) }
    })
  }

  present(name: string, required: boolean): unknown {
    const value = Object.hasOwn(this.document, name) ? this.document[name] : undefined
    if (value === undefined && required) throw unreadable(`${name} is missing`)
    return value
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}

function unreadable(why: string): HandoffError {
  return new HandoffError(
    'unreadable',
    `The handoff opened, but its content is not what format v1 holds (${why}). Use the same version of the action in the approving job and here.`
  )
}
