import { emailForm, globMatches, looseForm } from './text-match.js'

/**
 * Email addresses as the policy reads them: a plain address with exactly one @, the local part a
 * dot-atom (RFC 5322 §3.4.1, with the non-ASCII letters of RFC 6531) and the domain host name
 * labels. Anything else (a quoted local part, a second @, a domain literal, a space) is not an
 * address here: it matches no entry, so "alice@evil.com#@example.com" is never *@example.com.
 */
export interface Address {
  readonly local: string
  readonly domain: string
}

/** RFC 5322 atext, plus any letter, digit or mark (RFC 6531), one dot between runs. */
const LOCAL = /^[\p{L}\p{N}\p{M}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}\p{M}!#$%&'*+/=?^_`{|}~-]+)*$/u
const LABEL = /^[\p{L}\p{N}\p{M}](?:[\p{L}\p{N}\p{M}-]*[\p{L}\p{N}\p{M}])?$/u
/** RFC 5321 §4.5.3.1: a local part is at most 64 octets, a path at most 256. */
const MAX_LOCAL_LENGTH = 64
const MAX_ADDRESS_LENGTH = 254

/** The address split at its one @, or undefined when the text is not a plain address. */
export function addressOf(text: string): Address | undefined {
  const parts = text.split('@')
  if (parts.length !== 2 || text.length > MAX_ADDRESS_LENGTH) return undefined
  const [local = '', domain = ''] = parts
  if (local.length > MAX_LOCAL_LENGTH || !LOCAL.test(local)) return undefined
  if (!domain.split('.').every((label) => LABEL.test(label))) return undefined
  return { local, domain }
}

/** A label of an email entry's domain: host name characters, or the wildcards * and ?. */
const PATTERN_LABEL = /^[\p{L}\p{N}\p{M}*?-]+$/u
/** The last label must be written out (com, example): a wildcard there matches any domain. */
const LITERAL_LAST_LABEL = /^[\p{L}\p{N}\p{M}-]*\p{L}[\p{L}\p{N}\p{M}-]*$/u

/**
 * An allowed-approvers email entry split at its one @, or why it is not one. `*` and `?` are
 * wildcards in either part; they never reach across the @.
 */
export function addressPatternOf(text: string): Address | { readonly problem: string } {
  const parts = text.split('@')
  if (parts.length !== 2)
    return { problem: 'has more than one @; an email entry is one address (local@domain).' }
  const [local = '', domain = ''] = parts
  if (local === '')
    return { problem: 'has nothing before the @ (write *@example.com for anyone there).' }
  if (!LOCAL.test(local))
    return {
      problem:
        'is not an email address: its local part (before the @) holds characters an address cannot.'
    }
  const labels = domain.split('.')
  if (domain === '' || !labels.every((label) => PATTERN_LABEL.test(label)))
    return { problem: 'is not an email address: its domain (after the @) is not a host name.' }
  if (!LITERAL_LAST_LABEL.test(labels.at(-1) ?? ''))
    return {
      problem:
        'ends its domain with a wildcard, which matches that name at any domain anyone can register. Write the domain out (*@example.com).'
    }
  return { local, domain }
}

/** Whether a verified address matches an email entry, each part ignoring case. */
export function addressMatches(pattern: Address, address: Address): boolean {
  return (
    globMatches(emailForm(pattern.local), emailForm(address.local)) &&
    globMatches(emailForm(pattern.domain), emailForm(address.domain))
  )
}

/**
 * For a rule that keeps someone out (self-approval): two texts name the same person when their
 * loose forms are equal, and for addresses also when they differ only in a subaddress
 * (RFC 5233: octo.cat+release@example.com reaches octo.cat@example.com's mailbox).
 */
export function samePerson(a: string, b: string): boolean {
  return mailboxForm(a) === mailboxForm(b)
}

function mailboxForm(text: string): string {
  const loose = looseForm(text)
  const address = addressOf(loose)
  if (!address) return loose
  const plus = address.local.indexOf('+')
  return plus > 0 ? `${address.local.slice(0, plus)}@${address.domain}` : loose
}
