import type { ErrorAdvisor } from './preset.js'
import { anyHost, type RecognizedProvider } from './preset.js'

/**
 * Auth0's Device Authorization Flow. Departures the protocol code already tolerates: pending comes
 * with HTTP 403 and slow_down with 429 (response.ts, poll.ts), and `audience` names the API (the
 * audience input). Auth0 answers `expired_token` exactly once and `invalid_grant` after that; the
 * action stops at the first. Refresh tokens come only with the `offline_access` scope and "Allow
 * Offline Access" on the API; the flow runs only for Native apps whose Token Endpoint
 * Authentication Method is None.
 *
 * Sources:
 * - https://auth0.com/docs/api/authentication/device-authorization-flow/authorize-device
 * - https://auth0.com/docs/get-started/authentication-and-authorization-flow/device-authorization-flow/call-your-api-using-the-device-authorization-flow
 *   (request tokens: the expired_token note; troubleshooting: limitations)
 */
const advise: ErrorAdvisor = (body, kind) => {
  switch (body.error) {
    case 'unauthorized_client':
      return 'Auth0 runs the device flow only for an application of type Native with Device Code ticked (Applications → your app → Advanced Settings → Grant Types), the OIDC Conformant toggle on, and Token Endpoint Authentication Method None (so give no client-secret).'
    case 'invalid_grant':
      return kind === 'refresh'
        ? 'Auth0 no longer accepts this refresh token: it expired, was revoked, or (with refresh token rotation) was already used, in which case Auth0 revokes the whole family. Run the device flow again (on-refresh-failure: device) and store the new refresh token.'
        : 'Auth0 answers expired_token once and invalid_grant after that: the device code has expired or was already used. Run the job again.'
    case 'access_denied':
      return kind === 'device-authorization' &&
        /service not found/i.test(body.errorDescription ?? '')
        ? 'Auth0 does not know the audience: set it to the Identifier of an API registered in the tenant (Applications → APIs).'
        : undefined
    default:
      return undefined
  }
}

export const auth0: RecognizedProvider = {
  name: 'Auth0',
  // Tenants on a custom domain are not recognized; the protocol works the same, without this advice.
  recognizes: (endpoints) => anyHost(endpoints, (host) => host.endsWith('.auth0.com')),
  advisor: advise
}
