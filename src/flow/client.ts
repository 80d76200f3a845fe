import type { Config } from '../inputs.js'
import type { ClientAuthMethod, ClientCredentials } from '../oauth/client-auth.js'
import type { ProviderMetadata } from '../oauth/endpoints.js'

/**
 * How the client authenticates. `auto`: a key means private_key_jwt, no secret a public client;
 * with a secret, the preset's choice, else what the provider supports, Basic first (RFC 6749 §2.3.1).
 */
export function clientCredentials(config: Config, metadata: ProviderMetadata): ClientCredentials {
  return {
    clientId: config.clientId,
    method: authMethodOf(config, metadata),
    ...(config.clientSecret && { clientSecret: config.clientSecret }),
    ...(config.clientPrivateKey && {
      privateKey: config.clientPrivateKey,
      // RFC 7523 §3 and OIDC Core §9 address assertions to the token endpoint (Entra takes nothing else).
      assertionAudience: metadata.tokenEndpoint,
      audienceFallback: { addressToCalledUrl: false }
    })
  }
}

function authMethodOf(config: Config, metadata: ProviderMetadata): ClientAuthMethod {
  if (config.clientAuthMethod !== 'auto') return config.clientAuthMethod
  if (config.clientPrivateKey) return 'private_key_jwt'
  if (!config.clientSecret) return 'none'
  if (config.provider.secretAuthMethod) return config.provider.secretAuthMethod
  // RFC 8414 §2: the default for token_endpoint_auth_methods_supported is client_secret_basic.
  const supported = metadata.tokenEndpointAuthMethods ?? ['client_secret_basic']
  return !supported.includes('client_secret_basic') && supported.includes('client_secret_post')
    ? 'client_secret_post'
    : 'client_secret_basic'
}
