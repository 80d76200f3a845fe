import type { ErrorAdvisor } from './preset.js'
import { anyHost, type RecognizedProvider } from './preset.js'

/**
 * Okta follows RFC 8628; what differs is where the switches are. The org authorization server
 * (issuer https://{org}.okta.com, endpoints under /oauth2/v1/) and custom authorization servers
 * (issuer https://{org}.okta.com/oauth2/{id}, endpoints under /oauth2/{id}/v1/) both run the
 * flow, for Native apps with the Device Authorization grant; a custom server's access policy rule
 * must allow the grant too. Discovery works for both: the issuer with
 * /.well-known/openid-configuration appended.
 *
 * Source: https://developer.okta.com/docs/guides/device-authorization-grant/main/
 */
const SWITCHES =
  'The app must be a Native (OIDC) app with Device Authorization ticked under Grant type (Admin Console → Applications → your app → General); for a custom authorization server, its access policy rule must include Device Authorization too (Security → API → your server → Access Policies).'

const advise: ErrorAdvisor = (body, kind) => {
  switch (body.error) {
    case 'unauthorized_client':
      return `Okta does not allow this client the device flow. ${SWITCHES}`
    case 'access_denied':
      // During polling a denial is the approver's; before, it is the authorization server's policy.
      return kind === 'device-authorization'
        ? `Okta's authorization server policy refused the request. ${SWITCHES}`
        : undefined
    case 'invalid_client':
      return 'Okta did not accept the client: check client-id, and give client-secret only when the app\'s Client authentication is "Client secret".'
    default:
      return undefined
  }
}

const OKTA_DOMAINS = ['.okta.com', '.oktapreview.com', '.okta-emea.com', '.okta-gov.com']

export const okta: RecognizedProvider = {
  name: 'Okta',
  // Orgs on a custom domain are not recognized; the protocol works the same, without this advice.
  recognizes: (endpoints) =>
    anyHost(endpoints, (host) => OKTA_DOMAINS.some((domain) => host.endsWith(domain))),
  advisor: advise
}
