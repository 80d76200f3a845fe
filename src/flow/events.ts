import type { Approver } from '../oauth/approver.js'
import type { PollEvent } from '../oauth/poll.js'
import type { Finding } from '../policy/judge.js'
import type { PolicyRule } from '../policy/rules.js'
import type { DeviceAuthorization } from '../oauth/device.js'

/**
 * What happens in a run, as data. The flow emits these; everything a person sees (the log, the
 * notice annotations, the job summary, and any other way to reach the approver) is a listener
 * that turns them into text. Foreign text (provider fields, claims, names from the environment)
 * travels here as data and is made safe where a listener writes it out.
 */
export type FlowEvent =
  /** The code exists: show it where the approver will see it, now. */
  | { readonly type: 'code-ready'; readonly prompt: PromptContext; readonly atMs: number }
  /** Still waiting; once a minute. */
  | { readonly type: 'reminder'; readonly prompt: PromptContext; readonly atMs: number }
  /** What one poll of the token endpoint (or a wait between polls) brought. */
  | { readonly type: 'poll'; readonly event: Exclude<PollEvent, { type: 'tick' }> }
  /** A person approved and the approval policy accepts them; tokens are masked but not yet output. */
  | {
      readonly type: 'approved'
      readonly atMs: number
      readonly shownAtMs: number
      readonly approver?: Approver
      readonly turn?: ApprovalTurn
      /** What the policy found, rule by rule. */
      readonly findings?: readonly Finding[]
    }
  /** A stored refresh token was traded for new tokens: nobody was asked. */
  | { readonly type: 'refreshed'; readonly atMs: number; readonly approver?: Approver }
  /**
   * An approval the approval policy does not accept (or cannot judge, which it refuses too). Its
   * tokens are revoked next; with `continues`, a fresh code follows and the wait goes on.
   */
  | {
      readonly type: 'refused'
      readonly atMs: number
      readonly approver?: Approver
      /** As the policy names them: the verified email, else the username, else the subject. */
      readonly who: string
      readonly reason: string
      /** The rule that refused them. */
      readonly rule?: PolicyRule
      readonly findings?: readonly Finding[]
      readonly turn?: ApprovalTurn
      /** True when the gate keeps waiting for someone the policy accepts, with a fresh code. */
      readonly continues: boolean
    }
  /** What became of the refresh token later runs start from, once the outputs are set. */
  | { readonly type: 'refresh-token'; readonly atMs: number; readonly fate: RefreshTokenFate }
  /** The refresh token later runs use expires within refresh-token-expiry-warning-days. */
  | { readonly type: 'refresh-token-expires'; readonly atMs: number; readonly expiresAtMs: number }
  /** The tokens are sealed into the handoff output for later jobs of this run (handoff-key). */
  | { readonly type: 'handed-off'; readonly atMs: number }
  /** The run is over, however it ended: the record. */
  | { readonly type: 'ended'; readonly outcome: Outcome }

/**
 * The refresh token's fate. A rotated one (or the first of a device flow the workflow means to
 * refresh from) that this step does not store leaves the secret holding a dead or no token: the
 * next run fails unless a later step stores the refresh-token output.
 */
export type RefreshTokenFate =
  /** store-refresh-token wrote it into the secret named by `where`. */
  | { readonly kind: 'stored'; readonly where: string; readonly created: boolean }
  /**
   * store-refresh-token, and it was not rotated: the secret still holds the one in use, or (in a
   * job that opened a handoff) the refresh token came from the handoff, not from the secret.
   */
  | { readonly kind: 'unchanged'; readonly where: string; readonly handedOff: boolean }
  /** store-refresh-token, but the provider returned none: the secret was left as it was. */
  | { readonly kind: 'none-returned'; readonly where: string }
  /**
   * It must be stored and this step did not (no store-refresh-token): `rotated` by a refresh, so
   * the secret's token is dead; or `new` from a device flow, so the secret holds an older one or
   * none.
   */
  | { readonly kind: 'not-stored'; readonly why: 'rotated' | 'new' }

/** One rule's finding, as listeners show it (the policy's own type, passed on). */
export type PolicyFinding = Finding

/** Which approval of how many (the approvals input): each is a person, one after the other. */
export interface ApprovalTurn {
  /** 1 for the first. */
  readonly number: number
  readonly of: number
}

/** Who tried and which rule refused them, for the record. */
export interface Refusal {
  /** As the policy names them: the verified email, else the username, else the subject. */
  readonly approver: string
  readonly rule?: PolicyRule
  readonly reason: string
}

/** How a run ended, with what the record needs. */
export interface Outcome {
  readonly ending: Ending
  readonly atMs: number
  /** Why it ended, when it did not end well: the message the step fails with. */
  readonly detail?: string
  readonly clientId?: string
  readonly scope?: string
  readonly approver?: Approver
  /** Everyone who approved, in order, when the policy asked for more than one person. */
  readonly approvers?: readonly Approver[]
  readonly refusal?: Refusal
  /** Set when the tokens came from an earlier job's handoff (ending handoff-opened). */
  readonly handoff?: HandoffRecord
  /**
   * Set when the run failed after the tokens were granted and output: how they were granted (the
   * approver fields say by whom) and which stage failed then. "Approval failed" would be untrue.
   */
  readonly failedAfter?: { readonly grant: GrantEnding; readonly stage: FlowStage }
}

/** Where an opened handoff came from, as it says (it was authenticated with handoff-key). */
export interface HandoffRecord {
  /** When the sealing job got the tokens (the approval, or its refresh). */
  readonly obtainedAtMs: number
  /** The job id (GITHUB_JOB) and attempt that sealed it. */
  readonly job?: string
  readonly runAttempt?: string
  /** The access token had expired, and this job refreshed it. */
  readonly refreshed: boolean
}

/** The stages after the tokens are output that can still fail the step. */
export type FlowStage = 'store-refresh-token' | 'hand-off'

/** The endings in which the step has tokens to output. */
export type GrantEnding = 'approved' | 'refreshed' | 'handoff-opened'

/**
 * A way the run reaches a person. `on` returns quickly: a listener that must talk to the network
 * starts its request and returns; `close` is awaited once at the end, for what is still in flight.
 */
export interface FlowListener {
  on(event: FlowEvent): void | Promise<void>
  close?(): Promise<void>
}

/**
 * Hands every event to every listener, in the order they subscribed. A listener that fails is
 * reported and the others still hear the event: a way of reaching the approver that breaks must
 * not stop the flow.
 */
export class FlowEvents {
  private readonly listeners: FlowListener[] = []
  constructor(private readonly onListenerError: (error: unknown) => void) {}
  subscribe(...listeners: FlowListener[]): void {
    this.listeners.push(...listeners)
  }
  async emit(event: FlowEvent): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener.on(event)
      } catch (error) {
        this.onListenerError(error)
      }
    }
  }
  async close(): Promise<void> {
    const closed = await Promise.allSettled(this.listeners.map((listener) => listener.close?.()))
    for (const result of closed)
      if (result.status === 'rejected') this.onListenerError(result.reason)
  }
}

/** How a run ends: the outcome every listener records. */
export type Ending =
  | 'approved'
  | 'refreshed'
  | 'handoff-opened'
  | 'denied'
  | 'refused'
  | 'expired'
  | 'timed-out'
  | 'cancelled'
  | 'failed'

export interface PromptContext {
  readonly device: DeviceAuthorization
  /** From the inputs: the workflow's author's text, shown as carefully as the provider's. */
  readonly clientId: string
  readonly scope?: string
  /** When the wait ends, whichever comes first: code expiry or the timeout input. */
  readonly deadlineMs: number
  /** When the code itself expires, set only when the timeout input ends the wait before that. */
  readonly codeExpiresAtMs?: number
  readonly origin: RunOrigin
  /** With approvals > 1: which approval this is, and that it needs a different person. */
  readonly approval?: ApprovalPrompt
  /** The approval policy in force, so the approver knows before signing in: "label: rule". */
  readonly policy?: ReadonlyArray<{ readonly label: string; readonly text: string }>
  /** A fresh code after the policy refused an approval: who was refused, by which rule. */
  readonly afterRefusal?: RefusedBefore
  /**
   * The verification page's host, set only when it is not the provider's own (the issuer's):
   * every button and link text names it.
   */
  readonly verificationHost?: string
}

export interface RefusedBefore {
  readonly approver: string
  readonly rule?: PolicyRule
}

export interface ApprovalPrompt {
  readonly number: number
  readonly of: number
  /** "Approval 2 of 2: a different person (not alice)". */
  readonly heading: string
  /** Who approved before, in order: they may not approve again. */
  readonly earlier: readonly string[]
}

/** Which run is asking, so the approver can tell a real request from a phishing lure. */
export interface RunOrigin {
  readonly repository?: string
  readonly workflow?: string
  readonly runId?: string
  /** GITHUB_RUN_NUMBER: the "#17" the Actions page shows, which the approver can match. */
  readonly runNumber?: string
  readonly runAttempt?: string
  readonly actor?: string
  readonly runUrl?: string
}
