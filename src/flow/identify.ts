import { CancelledError, messageOf } from '../errors.js'
import type { Config } from '../inputs.js'
import type { ProviderMetadata } from '../oauth/endpoints.js'
import { verifyIdToken } from '../oauth/id-token.js'
import {
  approverFromClaims,
  approverFromUserInfo,
  fetchUserInfo,
  type Approver,
  type UserApi
} from '../oauth/approver.js'
import { usableAsBearer, type TokenSet } from '../oauth/token.js'
import { claimsMissing } from '../policy/judge.js'
import {
  verifiedIdentityFrom,
  type ClaimSource,
  type VerifiedIdentity
} from '../policy/verified-identity.js'
import { safeText } from '../safe-text.js'
import { maskTokens } from './outputs.js'
import type { RunContext } from './context.js'

export interface Identified {
  /** The tokens to output: without an id_token that could not be verified. */
  readonly tokens: TokenSet
  readonly approver?: Approver
  /** What the approval policy judges: only what a verified source said, claims included. */
  readonly identity?: VerifiedIdentity
  /** Without an identity: why, and how to get one, for a policy that needs it. */
  readonly noIdentityHelp?: string
  /** Why the userinfo endpoint did not add the claims the ID token lacks, when it was asked. */
  readonly userinfoProblem?: string
}

/**
 * Who approved: from the verified id_token, else the userinfo endpoint, else the provider's user
 * API (GitHub). An id_token that fails verification fails the step; one that cannot be verified
 * (no keys known) is withheld from the outputs.
 */
export async function identify(context: RunContext, received: TokenSet): Promise<Identified> {
  const { oauth: ctx, runner, config, metadata } = context
  maskTokens(runner, received)
  let tokens = received
  let approver: Approver | undefined
  let identity: VerifiedIdentity | undefined
  let noIdentityHelp: string | undefined
  let userinfoProblem: string | undefined
  if (tokens.idToken) {
    if (metadata.issuer && metadata.jwksUri) {
      const claims = await verifyIdToken(ctx, tokens.idToken, {
        issuer: metadata.issuer,
        clientId: config.clientId,
        jwksUri: metadata.jwksUri,
        ...(config.clientSecret && { clientSecret: config.clientSecret })
      })
      approver = approverFromClaims(claims, 'ID token')
      const fromIdToken: ClaimSource = { name: 'ID token', claims, describesSignIn: true }
      identity = verifiedIdentityFrom(claims.sub, [fromIdToken])
      const added = await askUserinfoIfNeeded(context, identity, tokens.accessToken)
      if (added.identity) identity = added.identity
      if (added.approver && approver?.name === approver?.shownSubject) approver = added.approver
      if (added.problem) userinfoProblem = added.problem
    } else {
      const { idToken: _withheld, ...rest } = tokens
      tokens = rest
      runner.warning(
        `The provider returned an ID token, but the action cannot verify it without the provider's keys (jwks_uri, found by discovery). It is not output; set issuer so that discovery runs.`
      )
      noIdentityHelp =
        "The ID token could not be verified without the provider's keys (jwks_uri): set issuer so that discovery runs."
    }
  }
  const api = userApiOf(config, metadata)
  if (!approver && api && !usableAsBearer(tokens)) {
    // RFC 6749 §7.1: a token of a type the client does not understand is not presented.
    const type =
      tokens.tokenType === undefined
        ? `no token_type`
        : `token_type "${safeText(tokens.tokenType, { maxLength: 40 })}"`
    runner.warning(
      `The token endpoint answered with ${type}, not Bearer (RFC 6749 §5.1 and §7.1), so the action does not present the token itself to ask the ${api.endpoint.name} who approved. The token is output as it came.`
    )
    noIdentityHelp = `The token endpoint answered with ${type}, not Bearer, so the action did not ask the ${api.endpoint.name} who approved; add the openid scope for an ID token.`
  } else if (!approver && api) {
    try {
      const info = await fetchUserInfo(ctx, api, tokens.accessToken)
      approver = approverFromUserInfo(api, info)
      identity = verifiedIdentityFrom(
        info.subject,
        [{ name: api.endpoint.name, claims: info.fields, describesSignIn: false }],
        api.nameField
      )
    } catch (error) {
      if (error instanceof CancelledError) throw error
      const why = messageOf(error)
      runner.warning(`Could not find out who approved: ${why}`)
      noIdentityHelp = `The ${api.endpoint.name} did not say who approved: ${why}`
    }
  }
  if (approver?.note) runner.warning(approver.note)
  if (!approver && !api) {
    runner.notice(
      `The provider returned no ID token and has no userinfo endpoint, so who approved is not recorded. Add the openid scope to record it.`,
      `Approver unknown`
    )
  }
  return {
    tokens,
    ...(approver && { approver }),
    ...(identity && { identity }),
    ...(!identity && noIdentityHelp && { noIdentityHelp }),
    ...(userinfoProblem && { userinfoProblem })
  }
}

/**
 * OpenID Connect Core §5.4: claims may be at the userinfo endpoint rather than in the ID token.
 * Asked whenever the policy reads a claim the ID token lacks (a verified email, a username, a
 * group), with the ID token's subject: an answer about anyone else is refused (§5.3.2). Its
 * claims come after the ID token's, each whole from one source (see claimOf).
 */
async function askUserinfoIfNeeded(
  context: RunContext,
  identity: VerifiedIdentity,
  accessToken: string
): Promise<{ identity?: VerifiedIdentity; approver?: Approver; problem?: string }> {
  const missing = claimsMissing(context.policy, identity)
  const url = context.metadata.userinfoEndpoint
  if (missing.length === 0 || !url) return {}
  const api: UserApi = {
    endpoint: { name: 'userinfo endpoint', url },
    nameField: 'preferred_username',
    subjectField: 'sub'
  }
  try {
    const info = await fetchUserInfo(context.oauth, api, accessToken, identity.subject)
    const fromUserinfo: ClaimSource = {
      name: api.endpoint.name,
      claims: info.fields,
      describesSignIn: false
    }
    return {
      identity: verifiedIdentityFrom(identity.subject, [...identity.sources, fromUserinfo]),
      approver: approverFromUserInfo(api, info)
    }
  } catch (error) {
    if (error instanceof CancelledError) throw error
    const why = `The ID token has no ${missing.join(', ')}, and the userinfo endpoint did not add ${missing.length === 1 ? 'it' : 'them'}: ${messageOf(error)}`
    context.runner.warning(why)
    return { problem: why }
  }
}

/** OIDC userinfo when discovery found one, else the provider's own user API (GitHub's /user). */
export function userApiOf(config: Config, metadata: ProviderMetadata): UserApi | undefined {
  if (metadata.userinfoEndpoint) {
    return {
      endpoint: { name: 'userinfo endpoint', url: metadata.userinfoEndpoint },
      nameField: 'preferred_username',
      subjectField: 'sub'
    }
  }
  return config.provider.userApi?.(metadata.tokenEndpoint)
}
