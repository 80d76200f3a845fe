import type { Clock } from '../src/clock.js'
import { CancelledError } from '../src/errors.js'
import type { HttpRequest, HttpResponse, HttpTransport } from '../src/oauth/http.js'
import { ActionsRunner, type Core } from '../src/runner/runner.js'

/**
 * A clock that jumps instead of waiting: ten minutes of polling take milliseconds. `sleep`
 * advances time by exactly the requested amount, and rejects at once when the signal aborts.
 */
export class FakeClock implements Clock {
  readonly sleeps: number[] = []
  private randomValue = 0.5
  constructor(public nowMs = Date.UTC(2026, 10, 24, 10, 0, 0)) {}
  now(): number {
    return this.nowMs
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new CancelledError()
    this.sleeps.push(ms)
    this.nowMs += Math.max(0, ms)
    // Let other promise chains (an abort from a test, say) run between sleeps.
    await Promise.resolve()
    if (signal?.aborted) throw new CancelledError()
  }
  random(): number {
    return this.randomValue
  }
  setRandom(value: number): void {
    this.randomValue = value
  }
  advance(ms: number): void {
    this.nowMs += ms
  }
}

export interface LogEntry {
  readonly level: 'info' | 'debug' | 'notice' | 'warning'
  readonly message: string
  readonly title?: string
}

/**
 * A fake of @actions/core that records every call, as it arrives from the runner adapter: what
 * it records is what the real @actions/core would write, messages already made log-safe.
 */
class RecordingCore implements Core {
  readonly logs: LogEntry[] = []
  readonly secrets: string[] = []
  readonly outputs: Record<string, string> = {}
  readonly state: Record<string, string> = {}
  readonly events: string[] = []
  readonly timeline: string[] = []
  summaryText = ''
  failed: string | undefined

  constructor(
    readonly inputs: Record<string, string>,
    /** What an earlier step saved, as the post step reads it. */
    readonly savedState: Record<string, string>
  ) {}

  getInput(name: string): string {
    return this.inputs[name] ?? ''
  }
  setSecret(value: string): void {
    this.secrets.push(value)
    this.events.push(`mask:${value}`)
    this.timeline.push(`mask:${value}`)
  }
  info(message: string): void {
    this.log({ level: 'info', message })
  }
  debug(message: string): void {
    this.log({ level: 'debug', message })
  }
  notice(message: string, properties: { title?: string } = {}): void {
    this.log({ level: 'notice', message, ...(properties.title && { title: properties.title }) })
  }
  warning(message: string): void {
    this.log({ level: 'warning', message })
  }
  private log(entry: LogEntry): void {
    this.logs.push(entry)
    this.timeline.push(`${entry.level}:${entry.title ? `${entry.title}: ` : ''}${entry.message}`)
  }
  setOutput(name: string, value: string): void {
    this.outputs[name] = value
    this.events.push(`output:${name}=${value}`)
  }
  setFailed(message: string): void {
    this.failed = message
    this.timeline.push(`error:${message}`)
  }
  saveState(name: string, value: string): void {
    this.state[name] = value
  }
  getState(name: string): string {
    return this.savedState[name] ?? ''
  }
  readonly summary = {
    addRaw: (text: string, addEOL = false) => ({
      write: async () => {
        this.summaryText += addEOL ? `${text}\n` : text
      }
    })
  }
}

/**
 * The runner adapter the entries use (ActionsRunner) over a recording fake of @actions/core:
 * everything the action does to the runner, for assertions, after the adapter made it safe.
 */
export class RecordingRunner extends ActionsRunner {
  private readonly recorded: RecordingCore

  constructor(
    inputs: Record<string, string> = {},
    env: Record<string, string | undefined> = {},
    savedState: Record<string, string> = {}
  ) {
    const core = new RecordingCore(inputs, savedState)
    super(core, env)
    this.recorded = core
  }

  declare readonly env: Record<string, string | undefined>

  /** The recording has a summary whatever the environment says. */
  protected override hasSummaryFile(): boolean {
    return true
  }

  get inputs(): Record<string, string> {
    return this.recorded.inputs
  }
  get logs(): LogEntry[] {
    return this.recorded.logs
  }
  get secrets(): string[] {
    return this.recorded.secrets
  }
  get outputs(): Record<string, string> {
    return this.recorded.outputs
  }
  get state(): Record<string, string> {
    return this.recorded.state
  }
  /** Every event in order, to check that a value was masked before it was output. */
  get events(): string[] {
    return this.recorded.events
  }
  /** Masks and log lines in the order they happened: was a secret masked before a line? */
  get timeline(): string[] {
    return this.recorded.timeline
  }
  get summary(): string {
    return this.recorded.summaryText
  }
  get failed(): string | undefined {
    return this.recorded.failed
  }

  /** All log text, one entry a line. */
  text(level?: LogEntry['level']): string {
    return this.logs
      .filter((entry) => !level || entry.level === level)
      .map((entry) => (entry.title ? `${entry.title}: ${entry.message}` : entry.message))
      .join('\n')
  }
}

export type Route = (request: HttpRequest) => HttpResponse | Promise<HttpResponse>

/** An in-memory transport: each request goes to the handler for its URL, and is recorded. */
export function scriptedHttp(
  routes: Record<string, Route>
): HttpTransport & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = []
  const transport = async (request: HttpRequest): Promise<HttpResponse> => {
    requests.push(request)
    const route = routes[request.url]
    if (!route) throw new Error(`unexpected request to ${request.url}`)
    return route(request)
  }
  return Object.assign(transport, { requests })
}

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body)
  }
}
