import { describeEndpoint, ProviderResponseError, type EndpointRef } from '../errors.js'
import { isTransientStatus, type ReadResponse } from './response.js'

/** The error for a response that is neither the expected answer nor an OAuth error. */
export function unusableResponse(
  endpoint: EndpointRef,
  read: ReadResponse,
  expected: string
): ProviderResponseError {
  const what = read.unreadable ?? 'the body is a JSON object without the expected fields'
  const hint =
    read.kind === 'html'
      ? ' A web page usually means a wrong URL, or a proxy, firewall or login page answering instead of the identity provider.'
      : isTransientStatus(read.status)
        ? ' The provider seems to be failing; try again later.'
        : ''
  return new ProviderResponseError(
    endpoint,
    read.status,
    `${capitalize(describeEndpoint(endpoint))} answered HTTP ${read.status}, but ${what}; expected ${expected}.${hint}`
  )
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
