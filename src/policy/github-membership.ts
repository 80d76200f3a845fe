import { CancelledError } from '../errors.js'
import { backoffDelayMs, DEFAULT_BACKOFF } from '../oauth/retry.js'
import type { OAuthContext } from '../oauth/exchange.js'
import { TransportFailure } from '../oauth/http.js'
import { readResponse } from '../oauth/response.js'
import { safeText } from '../safe-text.js'

/**
 * `@org` and `@org/team` in allowed-approvers: asked of GitHub's REST API with the approver's own
 * new token, so the answer is about them and needs no other credential.
 *
 * - `@org`: GET /user/memberships/orgs/{org}, the token owner's own membership. 200 with
 *   state "active" is a member; "pending" is an invitation not yet accepted; 404 is no
 *   membership GitHub will show.
 * - `@org/team`: GET /orgs/{org}/teams/{team_slug}/memberships/{login}, the same states.
 *
 * Both need, with an OAuth App, the read:org scope (write:org and admin:org include it); with a
 * GitHub App, the "Members" organization permission (read) and the app installed in the
 * organization. Without them GitHub answers 403, or 404 as if there were no membership.
 * Sources: docs.github.com/en/rest/orgs/members (Get an organization membership for the
 * authenticated user) and /en/rest/teams/members (Get team membership for a user).
 */
export type Membership =
  | { readonly status: 'member' }
  | { readonly status: 'not-member'; readonly detail: string }
  /** GitHub did not say: the policy cannot be judged. `problem` says why and what to do. */
  | { readonly status: 'unknown'; readonly problem: string }

export interface MembershipQuery {
  readonly org: string
  readonly team?: string
}

/** Answers whether the approver is an active member; the judge's only way out of the process. */
export interface MembershipLookup {
  check(query: MembershipQuery): Promise<Membership>
}

export interface GitHubMembershipOptions {
  /** https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server. */
  readonly apiBaseUrl: string
  /** The approver's new access token. */
  readonly accessToken: string
  /** The approver's login, from GET /user with the same token. */
  readonly login: string
}

const ORG_SCOPES = ['read:org', 'write:org', 'admin:org']
const ATTEMPTS = 3
const HOW_TO_GRANT =
  'With an OAuth App, add read:org to the scope input; with a GitHub App, give it the "Members" organization permission (read) and install it in the organization.'

export function gitHubMembership(
  ctx: OAuthContext,
  options: GitHubMembershipOptions
): MembershipLookup {
  const base = options.apiBaseUrl.replace(/\/+$/, '')
  return {
    async check(query) {
      const org = encodeURIComponent(query.org)
      const url =
        query.team === undefined
          ? `${base}/user/memberships/orgs/${org}`
          : `${base}/orgs/${org}/teams/${encodeURIComponent(query.team)}/memberships/${encodeURIComponent(options.login)}`
      const name = query.team === undefined ? `@${query.org}` : `@${query.org}/${query.team}`
      const answer = await getWithRetries(ctx, url, options.accessToken)
      if ('failure' in answer)
        return {
          status: 'unknown',
          problem: `Could not ask GitHub about ${name}: ${answer.failure}.`
        }
      return interpret(answer, name)
    }
  }
}

interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly fields?: Readonly<Record<string, unknown>>
}

function interpret(answer: Answer, name: string): Membership {
  const { status, headers, fields } = answer
  const message =
    typeof fields?.['message'] === 'string'
      ? ` GitHub says: "${safeText(String(fields['message']), { maxLength: 200 })}".`
      : ''
  // An OAuth App token names its scopes in every answer; without read:org a 404 means nothing.
  const scopes = headers['x-oauth-scopes']
  if (scopes) {
    const granted = scopes.split(',').map((scope) => scope.trim())
    if (!granted.some((scope) => ORG_SCOPES.includes(scope))) {
      return {
        status: 'unknown',
        problem: `The approver's token has the scopes ${granted.join(', ')} but not read:org, which GitHub needs to show membership of ${name}. Add read:org to the scope input.`
      }
    }
  }
  if (status === 200) {
    const state = fields?.['state']
    if (state === 'active') return { status: 'member' }
    if (state === 'pending')
      return { status: 'not-member', detail: `was invited to ${name} but has not accepted` }
    return {
      status: 'unknown',
      problem: `GitHub answered about ${name} without a membership state ("active" or "pending").`
    }
  }
  if (status === 404) {
    return {
      status: 'not-member',
      detail: `is not a member of ${name} as far as GitHub shows (it answers 404 also when the team does not exist, or when the token may not see memberships: ${HOW_TO_GRANT})`
    }
  }
  if (status === 403) {
    // SAML single sign-on: the token works only once the approver authorizes it for the org.
    if (headers['x-github-sso']) {
      return {
        status: 'unknown',
        problem: `The organization of ${name} uses SAML single sign-on, and the approver's token is not authorized for it. The approver must authorize the app for the organization (GitHub → Settings → Applications) and approve again.`
      }
    }
    return {
      status: 'unknown',
      problem: `GitHub refused to show membership of ${name} (HTTP 403).${message} ${HOW_TO_GRANT} An organization with OAuth App access restrictions must also approve the app.`
    }
  }
  if (status === 401) {
    return {
      status: 'unknown',
      problem: `GitHub rejected the approver's token when asked about ${name} (HTTP 401).${message}`
    }
  }
  if (status === 301 || status === 302 || status === 307 || status === 308) {
    return {
      status: 'unknown',
      problem: `GitHub redirected the question about ${name} (HTTP ${status}); the organization or team was probably renamed. Use its current name in allowed-approvers.`
    }
  }
  return {
    status: 'unknown',
    problem: `GitHub answered HTTP ${status} when asked about ${name}.${message}`
  }
}

/** One GET, tried again on network failures, 429 and 5xx: a blip must not undo an approval. */
async function getWithRetries(
  ctx: OAuthContext,
  url: string,
  accessToken: string
): Promise<Answer | { failure: string }> {
  for (let attempt = 1; ; attempt++) {
    if (ctx.signal?.aborted) throw new CancelledError()
    let retryAfterMs: number | undefined
    try {
      const response = await ctx.http({
        method: 'GET',
        url,
        headers: {
          Accept: 'application/vnd.github+json',
          'X-GitHub-Api-Version': '2022-11-28',
          Authorization: `Bearer ${accessToken}`
        },
        timeoutMs: ctx.requestTimeoutMs,
        ...(ctx.signal && { signal: ctx.signal })
      })
      const read = readResponse(response, ctx.clock.now())
      const transient = response.status === 429 || response.status >= 500
      if (!transient || attempt >= ATTEMPTS) {
        return {
          status: response.status,
          headers: response.headers,
          ...(read.fields && { fields: read.fields })
        }
      }
      retryAfterMs = read.retryAfterMs
    } catch (error) {
      if (ctx.signal?.aborted) throw new CancelledError()
      if (!(error instanceof TransportFailure)) throw error
      if (attempt >= ATTEMPTS) return { failure: safeText(error.detail, { maxLength: 300 }) }
    }
    // Bounded: GitHub's Retry-After on a secondary rate limit can be a minute; wait at most 10 s.
    const delayMs = Math.min(
      retryAfterMs ?? backoffDelayMs(attempt, DEFAULT_BACKOFF, ctx.clock.random()),
      10_000
    )
    await ctx.clock.sleep(delayMs, ctx.signal)
  }
}
