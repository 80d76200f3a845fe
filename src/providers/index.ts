import type { ErrorAdvisor } from '../oauth/explain.js'
import { auth0 } from './auth0.js'
import { entra, entraAdvisor } from './entra.js'
import { github } from './github.js'
import { google } from './google.js'
import { keycloak } from './keycloak.js'
import { okta } from './okta.js'
import type { ProviderEndpoints, ProviderPreset, RecognizedProvider } from './preset.js'

/** Any standards-following provider: endpoints from discovery or inputs. */
export const oidc: ProviderPreset = { name: 'oidc', advisors: [] }

export const PROVIDERS: Readonly<Record<string, ProviderPreset>> = { oidc, github }

/**
 * Providers that need no preset (discovery finds them, the protocol code tolerates their
 * departures) but whose errors deserve advice about their own consoles. Devolutions Server needs
 * nothing here: it follows RFC 8628 as its documentation describes it (see docs/providers.md).
 */
export const RECOGNIZED: readonly RecognizedProvider[] = [entra, google, auth0, okta, keycloak]

/**
 * The advice for errors: the preset's, then that of the provider the endpoints belong to, then
 * Entra's AADSTS codes, which are unmistakable wherever they appear (an Entra tenant is configured
 * as a plain OIDC provider, possibly behind a proxy or custom domain).
 */
export function advisorsFor(
  preset: ProviderPreset,
  endpoints?: ProviderEndpoints
): readonly ErrorAdvisor[] {
  const recognized = endpoints
    ? RECOGNIZED.filter((provider) => provider.recognizes(endpoints))
    : []
  return [...preset.advisors, ...recognized.map((provider) => provider.advisor), entraAdvisor]
}

export type { ProviderEndpoints, ProviderPreset, RecognizedProvider } from './preset.js'
