import { ActionError, CancelledError, messageOf } from '../errors.js'
import { fetchUserInfo } from '../oauth/approver.js'
import { gitHubMembership, type MembershipLookup } from '../policy/github-membership.js'
import { type EarlierApproval, judgeApproval, type Verdict } from '../policy/judge.js'
import type { PolicyRule } from '../policy/rules.js'
import { type VerifiedIdentity, verifiedIdentityFrom } from '../policy/verified-identity.js'
import { discardTokens } from '../revocation/discard.js'
import type { RunContext } from './context.js'
import type { ApprovalTurn } from './events.js'
import { type Identified, userApiOf } from './identify.js'

/** This approval's place: which of how many, who came before, or a refresh (nobody approving). */
export interface PolicyTurn {
  readonly turn: ApprovalTurn
  readonly earlier: readonly EarlierApproval[]
  readonly refreshed?: boolean
}

/**
 * identity → policy: judges the approval on the verified identity. Accepted, it returns the
 * verdict. Refused or not judgeable, it revokes the approval's tokens where the provider allows,
 * tells the listeners who tried and which rule refused them, and throws ApprovalRefusedError:
 * the step fails and no token is output.
 */
export async function checkPolicy(
  gate: RunContext,
  identified: Identified,
  place: PolicyTurn
): Promise<Verdict> {
  const { policy } = gate
  let identity = identified.identity
  const judge = (who: VerifiedIdentity | undefined): Promise<Verdict> =>
    judgeApproval(policy, who, {
      approvalNumber: place.turn.number,
      earlier: place.earlier,
      ...(place.refreshed && { refreshed: true }),
      ...(identified.noIdentityHelp && { noIdentityHelp: identified.noIdentityHelp }),
      ...(who && membershipOf(gate, who, identified))
    })
  let verdict = await judge(identity)
  // OpenID Connect Core §5.4: claims may be at the userinfo endpoint rather than in the ID token.
  if (verdict.outcome === 'undecidable' && identity?.source === 'ID token') {
    const fuller = await withUserinfoClaims(gate, identity, identified.tokens.accessToken)
    if (fuller) {
      identity = fuller
      verdict = await judge(identity)
    }
  }
  if (verdict.outcome === 'allowed') return verdict

  const refusal =
    verdict.findings.find((finding) => finding.result === 'broken') ??
    verdict.findings.find((finding) => finding.result === 'unknown')
  const message =
    verdict.outcome === 'refused'
      ? `The approval by ${verdict.approver} was refused: ${verdict.reason}`
      : `The approval by ${verdict.approver} was refused because the approval policy cannot be judged: ${verdict.reason}`
  await gate.events.emit({
    type: 'refused',
    atMs: gate.oauth.clock.now(),
    ...(identified.approver && { approver: identified.approver }),
    reason: verdict.reason ?? message,
    ...(refusal && { rule: refusal.rule }),
    findings: verdict.findings,
    turn: place.turn
  })
  await discardTokens(gate, identified.tokens, `the refused approval's (${verdict.approver})`)
  throw new ApprovalRefusedError(message, verdict.approver, refusal?.rule)
}

/** @org and @org/team entries are asked of GitHub's API with the approver's own token. */
function membershipOf(
  gate: RunContext,
  identity: VerifiedIdentity,
  identified: Identified
): { membership?: MembershipLookup } {
  const needed = gate.policy.allowedApprovers.some((entry) => entry.kind !== 'pattern')
  const userApi = userApiOf(gate.config, gate.metadata)
  if (!needed || gate.policy.provider !== 'github' || !userApi || identity.username === undefined)
    return {}
  return {
    membership: gitHubMembership(gate.oauth, {
      apiBaseUrl: userApi.endpoint.url.replace(/\/user$/, ''),
      accessToken: identified.tokens.accessToken,
      login: identity.username
    })
  }
}

/**
 * The ID token's claims with what userinfo adds, for the same subject; the ID token's own
 * claims win. email and email_verified come as a pair from one source, never mixed.
 */
async function withUserinfoClaims(
  gate: RunContext,
  identity: VerifiedIdentity,
  accessToken: string
): Promise<VerifiedIdentity | undefined> {
  const userinfo = gate.metadata.userinfoEndpoint
  if (!userinfo) return undefined
  let fields: Readonly<Record<string, unknown>>
  try {
    const info = await fetchUserInfo(
      gate.oauth,
      {
        endpoint: { name: 'userinfo endpoint', url: userinfo },
        nameField: 'preferred_username',
        subjectField: 'sub'
      },
      accessToken,
      identity.subject
    )
    fields = info.fields
  } catch (error) {
    if (error instanceof CancelledError) throw error
    gate.runner.warning(
      `The userinfo endpoint did not add the claims the approval policy needs: ${messageOf(error)}`
    )
    return undefined
  }
  const claims: Record<string, unknown> = { ...fields, ...identity.claims }
  if (identity.claims['email_verified'] !== true && fields['email_verified'] === true) {
    claims['email'] = fields['email']
    claims['email_verified'] = true
  }
  return verifiedIdentityFrom(identity.subject, claims, 'ID token and userinfo endpoint')
}

/**
 * The approval policy refused an approval, or could not judge it (which it refuses too): the
 * step fails with it (src/flow/failure.ts).
 */
export class ApprovalRefusedError extends ActionError {
  override name = 'ApprovalRefusedError'
  constructor(
    message: string,
    readonly approver: string,
    readonly rule: PolicyRule | undefined
  ) {
    super(message)
  }
}
