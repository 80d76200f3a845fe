import type { Clock } from '../clock.js'
import { TransportFailure, type HttpResponse, type HttpTransport } from '../oauth/http.js'
import type { WebhookTarget } from './targets.js'

export interface SenderOptions {
  readonly http: HttpTransport
  readonly clock: Clock
  /** The first failure of a target: a warning annotation. */
  readonly warn: (message: string) => void
  /** Later failures of the same target: log lines (annotations are capped at 10 a step). */
  readonly info: (message: string) => void
  /** Each POST, connection to last byte. */
  readonly timeoutMs?: number
  /** Tries after the first, for timeouts, connection failures, 429 and 5xx. */
  readonly retries?: number
  /** Before the first retry; doubled for each next one. */
  readonly retryDelayMs?: number
}

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 5000
export const DEFAULT_WEBHOOK_RETRIES = 2
const DEFAULT_RETRY_DELAY_MS = 1000
/** A Retry-After longer than this is not waited for: the message would arrive too late to help. */
const MAX_RETRY_AFTER_MS = 5000

type Attempt = { ok: true } | { ok: false; retry: boolean; problem: string; retryAfterMs?: number }

/**
 * Posts notifications without ever holding up the flow: `send` queues and returns at once. The
 * messages to one target go in order (the outcome never overtakes the code); a failure is
 * reported and dropped, never thrown. `close` waits, bounded, for what is still on its way.
 */
export class WebhookSender {
  private readonly queues = new Map<WebhookTarget, Promise<void>>()
  private readonly queued = new Map<WebhookTarget, number>()
  private readonly warned = new Set<WebhookTarget>()
  private readonly stop = new AbortController()
  private readonly timeoutMs: number
  private readonly retries: number
  private readonly retryDelayMs: number

  constructor(private readonly options: SenderOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS
    this.retries = options.retries ?? DEFAULT_WEBHOOK_RETRIES
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS
  }

  send(target: WebhookTarget, body: object, what: string): void {
    if (this.stop.signal.aborted) return
    const json = JSON.stringify(body)
    this.queued.set(target, (this.queued.get(target) ?? 0) + 1)
    const previous = this.queues.get(target) ?? Promise.resolve()
    const next = previous.then(() => this.deliver(target, json, what))
    this.queues.set(target, next)
  }

  /** Waits for every queued message, at most `maxWaitMs`; then gives up on the rest. */
  async close(maxWaitMs: number): Promise<void> {
    const pending = [...this.queues.entries()]
    let timer: ReturnType<typeof setTimeout> | undefined
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), maxWaitMs)
    })
    const settled = new Set<WebhookTarget>()
    const all = Promise.all(pending.map(([target, queue]) => queue.then(() => settled.add(target))))
    const result = await Promise.race([all.then(() => 'done' as const), deadline])
    clearTimeout(timer)
    this.stop.abort()
    if (result === 'done') return
    for (const [target] of pending) {
      if (!settled.has(target))
        this.report(
          target,
          `Gave up on the notification to ${target.label}: it was still being sent ${Number((maxWaitMs / 1000).toFixed(1))} s after the run ended.`
        )
    }
  }

  private async deliver(target: WebhookTarget, json: string, what: string): Promise<void> {
    try {
      for (let attempt = 0; ; attempt++) {
        if (this.stop.signal.aborted) return
        const result = await this.attempt(target, json)
        if (result.ok) return
        const superseded = (this.queued.get(target) ?? 0) > 1
        if (!result.retry || attempt >= this.retries || superseded) {
          this.report(
            target,
            `Could not send the ${what} notification to ${target.label}: ${result.problem}${attempt > 0 ? ` (after ${attempt + 1} tries)` : ''}. The run goes on without it.`
          )
          return
        }
        await this.options.clock.sleep(
          result.retryAfterMs ?? this.retryDelayMs * 2 ** attempt,
          this.stop.signal
        )
      }
    } catch {
      // Stopped by close(): reported there.
    } finally {
      this.queued.set(target, (this.queued.get(target) ?? 1) - 1)
    }
  }

  private async attempt(target: WebhookTarget, json: string): Promise<Attempt> {
    let response: HttpResponse
    try {
      response = await this.options.http({
        method: 'POST',
        url: target.url,
        headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: '*/*' },
        body: json,
        timeoutMs: this.timeoutMs,
        signal: this.stop.signal
      })
    } catch (error) {
      const problem =
        error instanceof TransportFailure
          ? error.kind === 'timeout'
            ? `no answer within ${this.timeoutMs / 1000} s`
            : error.kind === 'connection' && /^E(NOTFOUND|AI_AGAIN)$/.test(error.detail)
              ? `the host name did not resolve (${error.detail})`
              : `${error.kind} (${error.detail})`
          : 'the request failed'
      return { ok: false, retry: true, problem }
    }
    if (response.status >= 200 && response.status < 300) return { ok: true }
    const retryAfterMs = retryAfterOf(response)
    return {
      ok: false,
      retry: response.status === 429 || response.status >= 500,
      problem: `HTTP ${response.status}${answerOf(response, target.url)}`,
      ...(retryAfterMs !== undefined && { retryAfterMs })
    }
  }

  private report(target: WebhookTarget, message: string): void {
    if (this.warned.has(target)) this.options.info(message)
    else {
      this.warned.add(target)
      this.options.warn(message)
    }
  }
}

function retryAfterOf(response: HttpResponse): number | undefined {
  const value = response.headers['retry-after']
  if (!value || !/^\d{1,4}$/.test(value.trim())) return undefined
  const ms = Number(value.trim()) * 1000
  return ms <= MAX_RETRY_AFTER_MS ? ms : undefined
}

/**
 * Slack and Discord answer errors with a short code ("invalid_blocks", "no_service"); quote only
 * that, and only when it repeats no part of the webhook's URL: a receiver that echoes the secret
 * in its path, its query or its host name must not get it into the log.
 */
function answerOf(response: HttpResponse, url: string): string {
  const body = response.body.trim()
  if (!/^[\w .,:-]{1,80}$/.test(body)) return ''
  const echoes = secretPartsOf(url).some((part) => body.toLowerCase().includes(part.toLowerCase()))
  return echoes ? '' : ` "${body}"`
}

/** Every piece of a webhook URL that could be its secret: host labels, path segments, query values. */
export function secretPartsOf(url: string): string[] {
  if (!URL.canParse(url)) return [url]
  const parsed = new URL(url)
  const pieces = [
    ...parsed.hostname.split('.'),
    ...parsed.pathname.split('/'),
    ...[...parsed.searchParams.values()]
  ]
  // Shorter pieces (api, v1, com) are words, not secrets, and would hide every answer.
  return [...new Set(pieces.flatMap((piece) => [piece, decodedOf(piece)]))].filter(
    (piece) => piece.length >= 4
  )
}

function decodedOf(piece: string): string {
  try {
    return decodeURIComponent(piece)
  } catch {
    return piece
  }
}
