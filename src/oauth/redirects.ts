import { describeEndpoint, ProviderResponseError, type EndpointRef } from '../errors.js'
import { REDIRECT_STATUSES, send, type OAuthContext } from './exchange.js'
import type { ReadResponse } from './response.js'
import { checkSecureUrl } from './url-policy.js'
import { capitalize } from './provider-errors.js'
import { safeText } from '../safe-text.js'

const MAX_REDIRECTS = 5

/** GETs a JSON document, following up to five redirects, each only to an https:// URL. */
export async function getJson(
  ctx: OAuthContext,
  endpoint: EndpointRef,
  headers: Readonly<Record<string, string>> = {}
): Promise<ReadResponse & { finalUrl: string }> {
  let url = endpoint.url
  for (let hop = 0; ; hop++) {
    const read = await send(
      ctx,
      { ...endpoint, url },
      { method: 'GET', headers: { Accept: 'application/json', ...headers } }
    )
    if (!REDIRECT_STATUSES.includes(read.status)) return { ...read, finalUrl: url }
    const location = read.location
    if (!location || hop >= MAX_REDIRECTS) {
      throw new ProviderResponseError(
        endpoint,
        read.status,
        `${capitalize(describeEndpoint(endpoint))} redirected ${location ? `more than ${MAX_REDIRECTS} times` : 'without a Location header'}. Give the final URL instead.`
      )
    }
    // A malformed Location would otherwise escape as a bare TypeError ("Invalid URL").
    if (!URL.canParse(location, url)) {
      throw new ProviderResponseError(
        endpoint,
        read.status,
        `${capitalize(describeEndpoint(endpoint))} redirected to a Location header that is not a URL. Give the final URL instead.`
      )
    }
    const next = new URL(location, url)
    // A bearer token goes only where it was sent: never follow it to another origin.
    const carriesToken = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')
    if (carriesToken && next.origin !== new URL(url).origin) {
      throw new ProviderResponseError(
        endpoint,
        read.status,
        `${capitalize(describeEndpoint(endpoint))} redirected to another site (${safeText(next.host)}); the access token is not sent there.`
      )
    }
    if (next.protocol !== 'https:' || !checkSecureUrl(next.href).ok) {
      throw new ProviderResponseError(
        endpoint,
        read.status,
        `${capitalize(describeEndpoint(endpoint))} redirected to ${safeText(`${next.protocol}//${next.host}`)}, which is not https. Redirects are followed only to https:// URLs; give the final URL instead.`
      )
    }
    url = next.href
  }
}
