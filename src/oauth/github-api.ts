/** GitHub's REST API, for the requests the action makes to it outside OAuth: revocation, secrets. */

/** Where the API is: the runner's GITHUB_API_URL (a GitHub Enterprise Server's /api/v3 too), else github.com's. */
export function gitHubApiUrl(env: Readonly<Record<string, string | undefined>>): string {
  return (env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/+$/, '')
}

/** https://docs.github.com/en/rest/about-the-rest-api/api-versions */
export const GITHUB_API_HEADERS: Readonly<Record<string, string>> = {
  Accept: 'application/vnd.github+json',
  'X-GitHub-Api-Version': '2022-11-28'
}
