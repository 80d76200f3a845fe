import type { Clock } from '../src/clock.js'
import { CancelledError } from '../src/errors.js'
import type { HttpRequest, HttpResponse, HttpTransport } from '../src/oauth/http.js'
import type { Runner } from '../src/runner/runner.js'

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

/** Records everything the action does to the runner, for assertions. */
export class RecordingRunner implements Runner {
  readonly logs: LogEntry[] = []
  readonly secrets: string[] = []
  readonly outputs: Record<string, string> = {}
  readonly state: Record<string, string> = {}
  /** Every event in order, to check that a value was masked before it was output. */
  readonly events: string[] = []
  summary = ''
  failed: string | undefined

  constructor(
    readonly inputs: Record<string, string> = {},
    readonly env: Record<string, string | undefined> = {}
  ) {}

  getInput(name: string): string {
    return (this.inputs[name] ?? '').trim()
  }
  setSecret(value: string): void {
    this.secrets.push(value)
    this.events.push(`mask:${value}`)
  }
  info(message: string): void {
    this.logs.push({ level: 'info', message })
  }
  debug(message: string): void {
    this.logs.push({ level: 'debug', message })
  }
  notice(message: string, title: string): void {
    this.logs.push({ level: 'notice', message, title })
  }
  warning(message: string): void {
    this.logs.push({ level: 'warning', message })
  }
  setOutput(name: string, value: string): void {
    this.outputs[name] = value
    this.events.push(`output:${name}=${value}`)
  }
  setFailed(message: string): void {
    this.failed = message
  }
  saveState(name: string, value: string): void {
    this.state[name] = value
  }
  async appendSummary(markdown: string): Promise<void> {
    this.summary += markdown
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
