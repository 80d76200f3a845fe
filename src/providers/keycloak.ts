import type { ErrorAdvisor } from './preset.js'
import type { ProviderEndpoints, RecognizedProvider } from './preset.js'

/**
 * Keycloak follows RFC 8628 (every error with HTTP 400). The realm is part of the issuer
 * (https://{host}/realms/{realm}), so discovery appends /.well-known/openid-configuration to it.
 * The grant is switched on per client; the code lifespan and polling interval are set per realm
 * and per client. Keycloak 17 initialized the default polling interval with the lifespan, 600 s
 * (keycloak#12327, fixed by PR #11893): such an interval is honoured and reported (device.ts).
 *
 * Sources:
 * - https://www.keycloak.org/docs/latest/server_admin/#con-oauth2-device-authorization-grant_server_administration_guide
 * - keycloak/keycloak services/.../DeviceGrantType.java and DeviceEndpoint.java (the error codes
 *   and descriptions), https://github.com/keycloak/keycloak/issues/12327
 */
const advise: ErrorAdvisor = (body) => {
  const said = body.errorDescription ?? ''
  if (body.error === 'unauthorized_client' && /device authorization grant/i.test(said)) {
    return 'Switch the grant on for this client in the Keycloak admin console: Clients → your client → Settings → Capability config → OAuth 2.0 Device Authorization Grant.'
  }
  if (
    (body.error === 'unauthorized_client' || body.error === 'invalid_client') &&
    /invalid client/i.test(said)
  ) {
    return 'Keycloak did not accept the client: check client-id and the realm in the issuer. A client with Client authentication on is confidential and needs client-secret; turn Client authentication off for a public client.'
  }
  return undefined
}

/** /realms/{realm}/protocol/openid-connect/ is Keycloak's own path layout. */
function isKeycloak(endpoints: ProviderEndpoints): boolean {
  return [endpoints.deviceAuthorizationEndpoint, endpoints.tokenEndpoint].some((url) =>
    /\/realms\/[^/]+\/protocol\/openid-connect\//.test(url)
  )
}

export const keycloak: RecognizedProvider = {
  name: 'Keycloak',
  recognizes: isKeycloak,
  advisor: advise
}
