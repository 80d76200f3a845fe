/**
 * Which URLs the action will talk to: https everywhere, plain http only on this machine's
 * loopback (where a local test identity provider lives). Tokens and secrets travel over these.
 */
export type UrlCheck = { ok: true; url: URL } | { ok: false; problem: string }

export const MAX_URL_LENGTH = 2048

export function checkSecureUrl(value: string): UrlCheck {
  if (value.length > MAX_URL_LENGTH)
    return { ok: false, problem: `is longer than ${MAX_URL_LENGTH} characters` }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return {
      ok: false,
      problem: 'is not an absolute URL (expected something like https://id.example.com)'
    }
  }
  if (url.username || url.password) {
    return {
      ok: false,
      problem:
        'contains a user name or password; pass credentials as client-id and client-secret instead'
    }
  }
  if (url.hash)
    return {
      ok: false,
      problem: 'has a #fragment, which OAuth endpoints and issuers must not have'
    }
  if (url.protocol === 'https:') return { ok: true, url }
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname)) return { ok: true, url }
    return {
      ok: false,
      problem:
        'uses http://, which would send tokens in clear text; use https:// (http is allowed only for 127.0.0.1, ::1 and localhost)'
    }
  }
  return {
    ok: false,
    problem: `uses ${url.protocol.replace(/:$/, '')}://; only https:// is accepted`
  }
}

/** 127.0.0.0/8, ::1 and localhost: addresses that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (host === 'localhost' || host === '::1') return true
  const octets = host.split('.')
  return (
    octets.length === 4 &&
    octets[0] === '127' &&
    octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255)
  )
}
