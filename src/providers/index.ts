import type { ErrorAdvisor } from '../oauth/explain.js'
import { entraAdvisor } from './entra.js'
import { github } from './github.js'
import type { ProviderPreset } from './preset.js'

/** Any standards-following provider: endpoints from discovery or inputs. */
export const oidc: ProviderPreset = { name: 'oidc', advisors: [] }

export const PROVIDERS: Readonly<Record<string, ProviderPreset>> = { oidc, github }

/**
 * Advice that applies whatever the provider input says: Entra's AADSTS codes are unmistakable,
 * and an Entra tenant is configured as a plain OIDC provider.
 */
export function advisorsFor(preset: ProviderPreset): readonly ErrorAdvisor[] {
  return [...preset.advisors, entraAdvisor]
}

export type { ProviderPreset } from './preset.js'
