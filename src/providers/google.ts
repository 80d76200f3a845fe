import type { ErrorAdvisor } from './preset.js'
import { anyHost, type RecognizedProvider } from './preset.js'

/**
 * Google's "OAuth 2.0 for TV and Limited-Input Device Applications". Departures from RFC 8628 that
 * the protocol code already tolerates: the device response names the URL `verification_url`
 * (deviations.ts), the token endpoint wants the client secret (give client-secret), and errors
 * come with HTTP 428 (pending) and 403 (slow_down, access_denied) rather than 400 (response.ts
 * reads `error` from any status). What is left is advice about Google's console.
 *
 * Source: https://developers.google.com/identity/protocols/oauth2/limited-input-device
 */
const advise: ErrorAdvisor = (body, kind) => {
  const said = body.errorDescription ?? ''
  switch (body.error) {
    case 'invalid_client':
    case 'unauthorized_client':
      return 'Google runs the device flow only for an OAuth client of the type "TVs and Limited Input devices" (Google Cloud console → APIs & Services → Credentials → Create credentials → OAuth client ID). Use that client\'s ID as client-id and its secret as client-secret.'
    case 'invalid_scope':
      return 'Google allows only a short list of scopes in the device flow (openid, email, profile, drive.file, youtube and a few more): see https://developers.google.com/identity/protocols/oauth2/limited-input-device#allowedscopes'
    case 'invalid_request':
      return kind !== 'device-authorization' && /secret/i.test(said)
        ? 'Google\'s token endpoint wants the client secret, even for a "TVs and Limited Input devices" client: set client-secret (and client-auth-method: client_secret_post).'
        : undefined
    case 'admin_policy_enforced':
      return "The approver's Google Workspace administrator does not allow one or more of the requested scopes for this app; ask them to allow the app (Admin console → Security → API controls), or ask for fewer scopes."
    case 'org_internal':
      return 'The OAuth client belongs to a project whose consent screen is limited to one Google Cloud organization (user type Internal): approve with an account of that organization, or make the consent screen External.'
    default:
      return undefined
  }
}

export const google: RecognizedProvider = {
  name: 'Google',
  recognizes: (endpoints) =>
    anyHost(
      endpoints,
      (host) => host === 'accounts.google.com' || host.endsWith('.googleapis.com')
    ),
  advisor: advise
}
