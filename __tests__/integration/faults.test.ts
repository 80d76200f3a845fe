import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { systemClock } from '../../src/clock.js'
import { run } from '../../src/main.js'
import { createHttpTransport } from '../../src/oauth/http.js'
import { RecordingRunner } from '../../test-support/fakes.js'
import { startIdp, type Idp } from '../../test-support/idp.js'
import { startTcpForwarder } from '../../test-support/tcp-forwarder.js'

/**
 * Faults at the token endpoint while the action polls a real identity provider (oidc-provider on
 * 127.0.0.1, 1 s interval), with the real transport and clock, and a 1.5 s limit per request.
 * Each time the action either recovers and gets the tokens once the person approves, or stops
 * with a clear message before its deadline. Never a hang, never a stack trace.
 */
const REQUEST_TIMEOUT_MS = 1500

let idp: Idp
let whenCodeIssued: ((userCode: string) => Promise<void>) | undefined
const approvals: Array<Promise<void>> = []

beforeAll(async () => {
  idp = await startIdp({
    interval: 1,
    onDeviceAuthorization: (userCode) => {
      if (whenCodeIssued) approvals.push(whenCodeIssued(userCode))
    }
  })
})

afterEach(async () => {
  idp.setFault(undefined)
  whenCodeIssued = undefined
  await Promise.allSettled(approvals.splice(0))
})

afterAll(async () => {
  await idp.close()
})

const approve = (userCode: string): Promise<void> => idp.approve(userCode, { user: 'alice' })
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

async function runAction(
  inputs: Record<string, string>,
  onCode?: (userCode: string) => Promise<void>
) {
  whenCodeIssued = onCode
  const runner = new RecordingRunner(
    {
      issuer: idp.issuer,
      'client-id': idp.clients.public.clientId,
      scope: 'openid profile',
      timeout: '15',
      ...inputs
    },
    {}
  )
  const before = idp.tokenRequests.length
  const started = Date.now()
  const ending = await run({
    runner,
    http: createHttpTransport('device-flow-action-faults'),
    clock: systemClock,
    signal: new AbortController().signal,
    requestTimeoutMs: REQUEST_TIMEOUT_MS
  })
  // An approval that failed would explain a failed test better than the action's ending.
  await Promise.all(approvals.splice(0))
  return { ending, runner, elapsedMs: Date.now() - started, polls: idp.tokenRequests.slice(before) }
}

/** What every ending must look like: said in words, without a stack or a JavaScript error. */
function expectReadable(runner: RecordingRunner): void {
  for (const text of [runner.text(), runner.failed ?? '', runner.summary]) {
    expect(text).not.toMatch(/\n\s+at \S/)
    expect(text).not.toMatch(/Unexpected error|TypeError|RangeError/)
  }
}

function expectTokens(result: Awaited<ReturnType<typeof runAction>>): void {
  expect(result.ending).toBe('approved')
  expect(result.runner.failed).toBeUndefined()
  expect(result.runner.outputs['access-token']).toMatch(/^\S{20,}$/)
  expect(result.runner.secrets).toContain(result.runner.outputs['access-token'])
  expect(result.runner.outputs['approver']).toBe('alice')
  expectReadable(result.runner)
}

const retries = (runner: RecordingRunner): string[] =>
  runner.logs
    .filter((entry) => entry.level === 'info' && /Trying again in/.test(entry.message))
    .map((entry) => entry.message)

describe('faults at the token endpoint while polling', () => {
  it('keeps polling while the token endpoint refuses connections for 3 s, then gets the tokens', async () => {
    const forwarder = await startTcpForwarder({ targetPort: idp.port })
    try {
      let resumedAt = 0
      const result = await runAction(
        { 'token-endpoint': `http://127.0.0.1:${forwarder.port}/token` },
        async (code) => {
          await forwarder.pause()
          await approve(code)
          await sleep(3000)
          await forwarder.resume()
          resumedAt = Date.now()
        }
      )
      expectTokens(result)
      const failures = retries(result.runner)
      expect(failures.length).toBeGreaterThanOrEqual(2)
      expect(failures[0]).toMatch(
        /^Could not reach the token endpoint \(http:\/\/127\.0\.0\.1:\d+\/token\): ECONNREFUSED\./
      )
      // Told once in full; the same failure again is one short line, not the message and advice.
      expect(failures[1]).toMatch(
        /^The token endpoint failed the same way again\. Trying again in \d+ s \(failure 2 in a row\)\.$/
      )
      // Tokens came through the forwarder once it listened again, not around it.
      expect(resumedAt).toBeGreaterThan(0)
      expect(forwarder.connections).toBeGreaterThanOrEqual(1)
      expect(result.polls.every((poll) => poll.at >= resumedAt)).toBe(true)
      expect(result.elapsedMs).toBeLessThan(10_000)
    } finally {
      await forwarder.close()
    }
  })

  it('waits as long as Retry-After says after a 503, then gets the tokens', async () => {
    idp.setFault({
      kind: 'status',
      status: 503,
      body: 'Service Unavailable',
      headers: { 'retry-after': '2' },
      count: 1
    })
    const result = await runAction({}, approve)
    expectTokens(result)
    expect(result.polls.map((poll) => poll.status)).toEqual([503, 200])
    const [first, second] = result.polls
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1900)
    expect(retries(result.runner)[0]).toMatch(/answered HTTP 503.*Trying again in 2 s/)
    expect(result.elapsedMs).toBeLessThan(10_000)
  })

  it("stops at once with the provider's words when a 503 carries an OAuth error (RFC 8628 §3.5)", async () => {
    // Any error code other than authorization_pending and slow_down ends the polling.
    idp.setFault({ kind: 'status', status: 503, count: 1 })
    const result = await runAction({})
    expect(result.ending).toBe('failed')
    expect(result.runner.failed).toMatch(
      /^The token endpoint \(.*\/token\) answered "temporarily_unavailable" \(HTTP 503\): injected HTTP 503\. The provider is failing; try again later\./
    )
    expect(result.runner.outputs).toEqual({})
    expect(result.polls).toHaveLength(1)
    expect(result.elapsedMs).toBeLessThan(5000)
    expectReadable(result.runner)
  })

  it('treats an HTML 502 page from a proxy as a temporary failure, and gets the tokens', async () => {
    const page =
      '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>'
    idp.setFault({ kind: 'status', status: 502, body: page, count: 2 })
    const result = await runAction({}, approve)
    expectTokens(result)
    expect(result.polls.map((poll) => poll.status)).toEqual([502, 502, 200])
    expect(retries(result.runner)[0]).toMatch(
      /answered HTTP 502, but the body is an HTML page titled "502 Bad Gateway", not JSON/
    )
    expect(result.elapsedMs).toBeLessThan(10_000)
  })

  it('gives up on an answer slower than the request limit, polls again, and gets the tokens', async () => {
    // The first poll is held for a minute; the action must not wait for it.
    idp.setFault({ kind: 'delay', ms: 60_000, count: 1 })
    const result = await runAction({}, approve)
    expectTokens(result)
    expect(retries(result.runner)[0]).toMatch(
      /^The token endpoint \(.*\) did not answer within 2 s\./
    )
    expect(result.polls.length).toBeGreaterThanOrEqual(2)
    expect(result.elapsedMs).toBeLessThan(REQUEST_TIMEOUT_MS + 6000)
  })

  it('ends at the timeout, not later, when the token endpoint never answers', async () => {
    idp.setFault({ kind: 'delay', ms: 60_000 })
    const result = await runAction({ timeout: '4' })
    expect(result.ending).toBe('timed-out')
    expect(result.runner.failed).toMatch(
      /^Nobody approved the request within the time set by the timeout input/
    )
    expect(retries(result.runner).join('\n')).toMatch(/did not answer within/)
    // The last poll before the deadline still gets its 1 s minimum (poll.ts), so the end may
    // come up to a second after the 4 s; discovery and the device request add a little more.
    expect(result.elapsedMs).toBeLessThan(4000 + 1000 + 1000)
    expect(result.runner.summary).toContain('Timed out')
    expectReadable(result.runner)
  })

  it('polls again after the connection is reset, and gets the tokens', async () => {
    idp.setFault({ kind: 'reset', count: 2 })
    const result = await runAction({}, approve)
    expectTokens(result)
    expect(result.polls.map((poll) => poll.status)).toEqual([0, 0, 200])
    expect(retries(result.runner)[0]).toMatch(
      /^The connection to the token endpoint \(.*\) was reset before a complete answer arrived\./
    )
    expect(result.elapsedMs).toBeLessThan(10_000)
  })
})
