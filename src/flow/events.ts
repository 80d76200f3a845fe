import type { Approver } from '../oauth/approver.js'
import type { PollEvent } from '../oauth/poll.js'
import type { Finding } from '../policy/judge.js'
import type { PolicyRule } from '../policy/rules.js'
import type { PromptContext } from '../present/prompt.js'
import type { Ending } from '../present/summary-record.js'

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
  /** An approval the approval policy does not accept (or cannot judge, which it refuses too). */
  | {
      readonly type: 'refused'
      readonly atMs: number
      readonly approver?: Approver
      readonly reason: string
      /** The rule that refused them. */
      readonly rule?: PolicyRule
      readonly findings?: readonly Finding[]
      readonly turn?: ApprovalTurn
    }
  /** The run is over, however it ended: the record. */
  | { readonly type: 'ended'; readonly outcome: Outcome }

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
}

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
