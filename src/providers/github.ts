import type { ErrorAdvisor } from './preset.js'
import type { ProviderPreset } from './preset.js'

/**
 * GitHub's device flow: no discovery, fixed paths on the server (github.com or a GitHub
 * Enterprise Server), errors answered with HTTP 200, its own error codes, and the granted scopes
 * comma-separated. GitHub App user tokens expire and come with a refresh token that rotates.
 *
 * Sources:
 * - https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#device-flow
 *   (endpoints, parameters, error codes, `slow_down` with a new `interval`, scope `repo,gist`)
 * - https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
 *   (refresh: client_secret required unless the token came from the device flow; rotation)
 * - https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors
 *   (incorrect_client_credentials, unverified_user_email)
 */
const advise: ErrorAdvisor = (body, kind) => {
  switch (body.error) {
    case 'device_flow_disabled':
      return 'The device flow is not enabled for this app. In the app\'s settings on GitHub (Settings → Developer settings → OAuth Apps or GitHub Apps → your app), tick "Enable Device Flow" and save.'
    case 'incorrect_client_credentials':
      return "GitHub does not know this client-id (or the client-secret is wrong). Use the Client ID shown on the app's settings page (not the App ID), and a current client secret."
    case 'incorrect_device_code':
      return 'GitHub did not recognize the device code. This is not something to fix in the workflow: run the job again.'
    case 'unsupported_grant_type':
      return kind === 'refresh'
        ? "GitHub issues refresh tokens only to GitHub Apps with expiring user tokens; an OAuth App's token does not expire and cannot be refreshed."
        : 'GitHub rejected the grant type; this is a bug in the action, please report it.'
    case 'bad_refresh_token':
      return 'The refresh token is expired, revoked, or was already used (GitHub rotates it on every refresh). Run the device flow again (on-refresh-failure: device) and store the new refresh token.'
    case 'unverified_user_email':
      return "The approver's GitHub account has no verified primary email address; they must verify it (GitHub → Settings → Emails) and approve again."
    case 'unauthorized_client':
      return kind === 'refresh'
        ? 'GitHub refused the refresh. A refresh token from the web flow needs the client-secret as well as the client-id; one from the device flow needs only the client-id.'
        : "The app may not use this grant: check that the device flow is enabled in the app's settings."
    default:
      return undefined
  }
}

export const github: ProviderPreset = {
  name: 'github',
  fixedEndpoints: (serverUrl) => {
    const base = serverUrl.replace(/\/+$/, '')
    return {
      deviceAuthorizationEndpoint: `${base}/login/device/code`,
      tokenEndpoint: `${base}/login/oauth/access_token`
    }
  },
  commaSeparatedScopes: true,
  // GitHub documents client_id and client_secret as form parameters.
  secretAuthMethod: 'client_secret_post',
  normalizeTokens: (tokens) =>
    tokens.scope === undefined
      ? tokens
      : {
          ...tokens,
          scope: tokens.scope
            .split(/[,\s]+/)
            .filter(Boolean)
            .join(' ')
        },
  advisors: [advise],
  // GitHub's name for RFC 6749's invalid_grant on a refresh.
  deadRefreshTokenErrors: ['bad_refresh_token'],
  // GitHub issues no id_token; its REST API names the token's owner (GET /user).
  userApi: (tokenEndpoint) => {
    const server = new URL(tokenEndpoint)
    const api =
      server.hostname === 'github.com' ? 'https://api.github.com' : `${server.origin}/api/v3`
    return {
      endpoint: { name: 'GitHub user API', url: `${api}/user` },
      headers: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' },
      nameField: 'login',
      subjectField: 'id'
    }
  }
}
