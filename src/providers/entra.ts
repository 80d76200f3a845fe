import type { ErrorAdvisor } from '../oauth/explain.js'

/**
 * Microsoft Entra ID puts an AADSTS code at the start of error_description
 * (learn.microsoft.com/entra/identity-platform/reference-error-codes). The description is shown
 * as it is; these add what to do for the codes people meet with the device flow.
 */
const ADVICE: Readonly<Record<string, string>> = {
  '53003': 'Conditional Access blocked the sign-in. Many tenants block the device code flow on purpose; ask your Entra administrator for an exception for this app, or use another flow.',
  '50097': 'Conditional Access requires a compliant or registered device; ask your Entra administrator.',
  '50076': 'Multi-factor authentication is required: the approver must complete it when signing in.',
  '65001': 'Nobody has consented to the requested scopes for this app: an administrator can grant consent in the app registration (API permissions).',
  '700016': 'The app (client-id) was not found in this tenant: check client-id and the tenant in the issuer URL.',
  '7000218': 'The app registration is confidential: turn on "Allow public client flows" in its Authentication settings, or give client-secret.',
  '70019': 'The code expired before it was approved; run the job again.',
  '90002': 'The tenant in the issuer URL does not exist: check it.',
  '50020': 'The approver\'s account is not in this tenant: use the organizations or common tenant, or invite the account.'
}

export const entraAdvisor: ErrorAdvisor = (body) => {
  const code = /AADSTS(\d+)/.exec(body.errorDescription ?? '')?.[1]
  return code ? ADVICE[code] : undefined
}
