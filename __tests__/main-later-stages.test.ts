import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { importLaterStages, type LaterStages } from '../src/flow/load-later-stages.js'
import { run } from '../src/main.js'
import type { HttpRequest } from '../src/oauth/http.js'
import { FakeClock, json, RecordingRunner, scriptedHttp } from '../test-support/fakes.js'
import { EXAMPLE, exampleDeviceCode, exampleDiscovery } from '../test-support/replay.js'

/**
 * The stages after the code come from a chunk of their own (src/flow/later-stages.ts): run()
 * must import it only once the code is on screen, or at once for a refresh, and a chunk that
 * cannot be loaded must fail the step with a clear message, never as an unhandled rejection.
 */
const { issuer: ISSUER, discovery: DISCOVERY, device: DEVICE, token: TOKEN } = EXAMPLE
const TOKENS = {
  access_token: 'at-new-0123456789abcdef',
  token_type: 'Bearer',
  refresh_token: 'rt-new-0123456789abcdef'
}
const BROKEN = new Error("Cannot find module '/home/runner/work/_actions/x/dist/24.index.js'")

function setup(
  inputs: Record<string, string>,
  load: () => Promise<LaterStages> = importLaterStages,
  discovery = exampleDiscovery()
) {
  const runner = new RecordingRunner({ 'client-id': 'nightly-bot', issuer: ISSUER, ...inputs })
  const http = scriptedHttp({
    [DISCOVERY]: discovery,
    [DEVICE]: exampleDeviceCode(),
    [TOKEN]: (_request: HttpRequest) => json(200, TOKENS)
  })
  /** What had happened when run() asked for the chunk: requests made, and the log so far. */
  const imports: Array<{ requests: string[]; log: string }> = []
  const go = () =>
    run({
      runner,
      http,
      clock: new FakeClock(),
      signal: new AbortController().signal,
      importLaterStages: () => {
        imports.push({ requests: http.requests.map((r) => r.url), log: runner.text() })
        return load()
      }
    })
  return { runner, http, imports, run: go }
}

const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => unhandled.push(reason)
beforeEach(() => {
  unhandled.length = 0
  process.on('unhandledRejection', onUnhandled)
})
afterEach(async () => {
  // A rejection nobody handled is reported after the microtasks of the run have drained.
  await new Promise((resolve) => setImmediate(resolve))
  process.off('unhandledRejection', onUnhandled)
  expect(unhandled).toEqual([])
})

describe('run: the stages after the code, a chunk of their own', () => {
  it('imports them once, after the code is on screen and before the first poll', async () => {
    const t = setup({})
    await expect(t.run()).resolves.toBe('approved')
    expect(t.imports).toHaveLength(1)
    expect(t.imports[0]?.requests).toEqual([DISCOVERY, DEVICE])
    expect(t.imports[0]?.log).toContain('WDJB-MJHT')
    expect(t.runner.outputs['access-token']).toBe(TOKENS.access_token)
  })

  it('imports them at once for a refresh, before the first request', async () => {
    const t = setup({ 'refresh-token': 'rt-old-0123456789abcdef' })
    await expect(t.run()).resolves.toBe('refreshed')
    expect(t.imports).toEqual([{ requests: [], log: expect.any(String) }])
    expect(t.http.requests.map((r) => r.url)).toEqual([DISCOVERY, TOKEN])
  })

  it('never imports them in a run that fails before the code', async () => {
    const t = setup({}, importLaterStages, () => json(404, {}))
    await expect(t.run()).resolves.toBe('failed')
    expect(t.imports).toEqual([])
  })

  it('fails the step with a clear message when the chunk cannot be loaded after the code', async () => {
    const t = setup({}, () => Promise.reject(BROKEN))
    await expect(t.run()).resolves.toBe('failed')
    expect(t.runner.failed).toContain(
      'The action could not load the part of itself that runs after the code'
    )
    expect(t.runner.failed).toContain(BROKEN.message)
    expect(t.runner.failed).toContain('use a released version of the action')
    // The code was shown, then nothing was polled, and no token is output.
    expect(t.http.requests.map((r) => r.url)).toEqual([DISCOVERY, DEVICE])
    expect(t.runner.outputs['access-token']).toBeUndefined()
    expect(t.runner.summary).toContain('Failed')
  })

  it('fails a refresh the same way, without sending the refresh token', async () => {
    const t = setup({ 'refresh-token': 'rt-old-0123456789abcdef' }, () => Promise.reject(BROKEN))
    await expect(t.run()).resolves.toBe('failed')
    expect(t.runner.failed).toContain('could not load the part of itself')
    expect(t.http.requests.map((r) => r.url)).toEqual([DISCOVERY])
  })

  it('reports what ended a refresh run first, when the chunk it began loading fails too', async () => {
    const t = setup(
      { 'refresh-token': 'rt-old-0123456789abcdef' },
      () => Promise.reject(BROKEN),
      () => json(404, {})
    )
    await expect(t.run()).resolves.toBe('failed')
    expect(t.imports).toHaveLength(1)
    expect(t.runner.failed).not.toContain('could not load')
  })
})
