import type { ErrorAdvisor } from './preset.js'
import { anyHost, type RecognizedProvider } from './preset.js'

/**
 * Microsoft Entra ID puts an AADSTS code at the start of error_description. The description is
 * shown as it is; these add what to do for the codes people meet with the device flow.
 *
 * Sources:
 * - https://learn.microsoft.com/entra/identity-platform/reference-error-codes (the codes)
 * - https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code (the flow, its
 *   errors authorization_declined, bad_verification_code, expired_token)
 */
const ADVICE: Readonly<Record<string, string>> = {
  '53003':
    'Conditional Access blocked the sign-in. Many tenants block the device code flow on purpose (device code phishing); ask your Entra administrator for a Conditional Access exception for this app, or use another flow.',
  '530032':
    'A Conditional Access security policy of the tenant blocked the sign-in; tenants often block the device code flow on purpose. Ask your Entra administrator.',
  '50131':
    'Conditional Access refused the sign-in (device state, risk or policy); tenants often block the device code flow on purpose. Ask your Entra administrator.',
  '50097':
    'Conditional Access requires a compliant or registered device; ask your Entra administrator.',
  '50076':
    'Multi-factor authentication is required: the approver must complete it when signing in.',
  '65001':
    'Nobody has consented to the requested scopes for this app: an administrator can grant consent in the app registration (API permissions).',
  '700016':
    'The app (client-id) was not found in this tenant: check client-id and the tenant in the issuer URL.',
  '7000218':
    'The app registration is confidential: turn on "Allow public client flows" in its Authentication settings, or give client-secret.',
  '700025':
    'The app registration is a public client, so it must not send a secret or key: remove client-secret (or client-private-key).',
  '7000215': "The client-secret is wrong: use the secret's Value, not its Secret ID.",
  '7000222':
    'The client secret has expired: create a new one in the app registration (Certificates & secrets).',
  '50194':
    'The app registration is single-tenant, so the common endpoint cannot be used: put the tenant ID in the issuer (https://login.microsoftonline.com/<tenant-id>/v2.0).',
  '70019': 'The code expired before it was approved; run the job again.',
  '70018':
    'The approver typed a wrong code; run the job again and enter the code exactly as shown.',
  '50196':
    'Entra detected a request loop (too many identical requests): wait a few minutes before running the job again.',
  '700082':
    'The refresh token expired after a period without use. Run the device flow again (on-refresh-failure: device) and store the new refresh token.',
  '50173':
    'The refresh token was revoked (password change or an administrator). Run the device flow again (on-refresh-failure: device).',
  '90002': 'The tenant in the issuer URL does not exist: check it.',
  '50020':
    "The approver's account is not in this tenant: use the organizations or common tenant, or invite the account."
}

/** Applies to any provider: an AADSTS code in error_description is unmistakable. */
export const entraAdvisor: ErrorAdvisor = (body) => {
  const code = /AADSTS(\d+)/.exec(body.errorDescription ?? '')?.[1]
  return code ? ADVICE[code] : undefined
}

/**
 * Entra ID's name for access_denied (v2-oauth2-device-code, "Expected errors"). Unmistakable, so
 * read as a denial wherever it appears, like the AADSTS codes.
 */
export const ENTRA_DENIAL_ERRORS = ['authorization_declined']

/** The Microsoft clouds' sign-in hosts. */
const ENTRA_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn'
])

/** Entra ID's own error codes for the device flow (v2-oauth2-device-code, "Expected errors"). */
export const entra: RecognizedProvider = {
  name: 'Microsoft Entra ID',
  recognizes: (endpoints) => anyHost(endpoints, (host) => ENTRA_HOSTS.has(host)),
  advisor: (body, kind) => {
    if (body.error === 'bad_verification_code' && kind === 'device-token') {
      return 'Entra ID did not recognize the device code. This is not something to fix in the workflow: run the job again.'
    }
    return undefined
  }
}
