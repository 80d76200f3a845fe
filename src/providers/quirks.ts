import { auth0 } from './auth0.js'
import { ENTRA_DENIAL_ERRORS, entra, entraAdvisor } from './entra.js'
import { github } from './github.js'
import { google } from './google.js'
import { keycloak } from './keycloak.js'
import { okta } from './okta.js'
import type {
  ProviderEndpoints,
  ProviderPreset,
  ProviderQuirks,
  RecognizedProvider
} from './preset.js'

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
 * What the flow must know of the provider: the advice for errors (the preset's, then that of the
 * provider the endpoints belong to, then Entra's AADSTS codes, which are unmistakable wherever
 * they appear: an Entra tenant is configured as a plain OIDC provider, possibly behind a proxy or
 * custom domain), and the provider's own names for a denial and for a dead refresh token.
 */
export function quirksFor(preset: ProviderPreset, endpoints?: ProviderEndpoints): ProviderQuirks {
  const recognized = endpoints
    ? RECOGNIZED.filter((provider) => provider.recognizes(endpoints))
    : []
  return {
    advisors: [...preset.advisors, ...recognized.map((provider) => provider.advisor), entraAdvisor],
    denialErrors: new Set(ENTRA_DENIAL_ERRORS),
    // RFC 6749 §5.2: invalid_grant is the standard's name for a refresh token that is no good.
    deadRefreshTokenErrors: new Set(['invalid_grant', ...(preset.deadRefreshTokenErrors ?? [])])
  }
}

export type {
  ErrorAdvisor,
  ProviderEndpoints,
  ProviderPreset,
  ProviderQuirks,
  RecognizedProvider
} from './preset.js'
