import { sealEnvelope, type RandomBytes } from '../handoff/envelope.js'
import { HandoffError } from '../handoff/handoff-error.js'
import { encodeHandoff, type Handoff, type HandedOffTokens } from '../handoff/payload.js'
import type { Approver } from '../oauth/approver.js'
import type { TokenSet } from '../oauth/token.js'
import { clearRevocationState } from '../revocation/state.js'
import type { RunContext } from './context.js'

/** What the job ends with, to hand on. */
export interface HandOffSubject {
  readonly tokens: TokenSet
  /** The refresh token that lives on (after a refresh without rotation, the one traded in). */
  readonly refreshToken?: string
  /** When the tokens arrived: their lifetimes count from then. */
  readonly atMs: number
  readonly approvers: readonly Approver[]
  readonly clientId: string
  readonly tokenEndpoint: string
}

/** How many times a value is sealed again when a masked value turns up in it by chance. */
const SEAL_ATTEMPTS = 3

/**
 * The last stage of a job with handoff-key: the tokens sealed into the handoff output for later
 * jobs of this run (src/handoff/). The output is ciphertext and is not masked, so that it passes
 * as a job output; the tokens inside were masked when they arrived. In the job that asked for the
 * approval, the post step then leaves the tokens to the later jobs. A job that opened a handoff
 * writes one too, with the tokens it ends with (refreshed ones after a refresh), so that a chain
 * of jobs can pass a rotated refresh token on; its post step does what its revoke input says.
 */
export async function handOff(
  context: Pick<RunContext, 'runner' | 'config' | 'events'>,
  subject: HandOffSubject,
  randomBytes?: RandomBytes
): Promise<void> {
  const { runner, config } = context
  const handoff = config.handoff
  if (!handoff) return
  const plaintext = encodeHandoff(contentOf(subject, runner.env))
  const value = await sealClearOfSecrets(
    () => sealEnvelope(plaintext, handoff.key, handoff.binding, randomBytes),
    runner.knownSecrets()
  )
  runner.setOutput('handoff', value)
  if (handoff.sealed !== undefined) {
    runner.debug(
      'The tokens are sealed again in the handoff output, for the jobs that need this one.'
    )
    return
  }
  clearRevocationState((name, state) => runner.saveState(name, state))
  runner.info(
    `Handed off: the tokens are sealed in the handoff output (${value.length} characters, not secret) for later jobs of run ${handoff.binding.runId}, which open it with the same handoff-key. This job's post step leaves them to those jobs; the one that sets revoke revokes them.`
  )
  // The summary notes it after the outcome (present/summary.ts).
  await context.events.emit({ type: 'handed-off', atMs: subject.atMs })
}

function contentOf(
  subject: HandOffSubject,
  env: Readonly<Record<string, string | undefined>>
): Handoff {
  const job = env['GITHUB_JOB'] ?? ''
  const runAttempt = env['GITHUB_RUN_ATTEMPT'] ?? ''
  return {
    tokens: handedOffTokens(subject),
    approvers: subject.approvers,
    clientId: subject.clientId,
    tokenEndpoint: subject.tokenEndpoint,
    obtainedAtMs: subject.atMs,
    sealedBy: {
      // A job id is letters, digits, - and _; anything else is left out of the record.
      ...(/^[A-Za-z0-9_-]{1,100}$/.test(job) && { job }),
      ...(/^\d{1,10}$/.test(runAttempt) && { runAttempt })
    }
  }
}

function handedOffTokens({ tokens, refreshToken, atMs }: HandOffSubject): HandedOffTokens {
  const at = (seconds: number | undefined) =>
    seconds === undefined ? undefined : Math.round(atMs + seconds * 1000)
  const expiresAtMs = at(tokens.expiresInSeconds)
  const refreshTokenExpiresAtMs = at(tokens.refreshTokenExpiresInSeconds)
  return {
    accessToken: tokens.accessToken,
    ...(refreshToken && { refreshToken }),
    ...(tokens.idToken && { idToken: tokens.idToken }),
    ...(tokens.tokenType && { tokenType: tokens.tokenType }),
    ...(tokens.scope && { scope: tokens.scope }),
    ...(expiresAtMs !== undefined && { expiresAtMs }),
    ...(refreshTokenExpiresAtMs !== undefined && { refreshTokenExpiresAtMs })
  }
}

/**
 * The runner drops a job output that contains any masked value ("Skip output … since it may
 * contain secret"). Random ciphertext holds a short masked value now and then by chance: a new
 * nonce makes a new value.
 */
async function sealClearOfSecrets(
  seal: () => Promise<string>,
  secrets: readonly string[]
): Promise<string> {
  for (let attempt = 1; attempt <= SEAL_ATTEMPTS; attempt++) {
    const value = await seal()
    if (!secrets.some((secret) => secret !== '' && value.includes(secret))) return value
  }
  throw new HandoffError(
    'short-secret',
    `Every value sealed for the handoff output contained a value masked in this job, so the runner would drop it as a job output ("Skip output … since it may contain secret"). A short secret turns up in random text by chance: use longer secrets in this job.`
  )
}
