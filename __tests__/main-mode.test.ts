import { describe, expect, it } from '@jest/globals'
import { run } from '../src/main.js'
import type { HttpRequest } from '../src/oauth/http.js'
import {
  FakeClock,
  json,
  RecordingRunner,
  scriptedHttp,
  type Route
} from '../test-support/fakes.js'
import { EXAMPLE, exampleDeviceCode, exampleDiscovery } from '../test-support/replay.js'

/**
 * mode, refresh-token and on-refresh-failure through run(): a missing or misspelt secret is an
 * empty refresh-token, which must never turn silently into a wait for a person.
 */
const { issuer: ISSUER, discovery: DISCOVERY, device: DEVICE, token: TOKEN } = EXAMPLE
const discovery = exampleDiscovery()
const deviceCode = exampleDeviceCode()
/** Device-code polls are approved at once; a refresh grant gets `refreshAnswer`. */
function tokenEndpoint(refreshAnswer: Route = () => json(400, { error: 'invalid_grant' })): Route {
  return (request: HttpRequest) =>
    new URLSearchParams(request.body ?? '').get('grant_type') === 'refresh_token'
      ? refreshAnswer(request)
      : json(200, {
          access_token: 'at-new-0123456789abcdef',
          token_type: 'Bearer',
          refresh_token: 'rt-new-0123456789abcdef'
        })
}

function setup(inputs: Record<string, string>) {
  const runner = new RecordingRunner({ 'client-id': 'nightly-bot', issuer: ISSUER, ...inputs })
  const http = scriptedHttp({
    [DISCOVERY]: discovery,
    [DEVICE]: deviceCode,
    [TOKEN]: tokenEndpoint()
  })
  const go = () =>
    run({ runner, http, clock: new FakeClock(), signal: new AbortController().signal })
  return { runner, http, run: go }
}

describe('run: an empty refresh-token where the workflow meant to refresh', () => {
  it('fails before any request with on-refresh-failure: fail, naming the empty secret', async () => {
    const t = setup({ 'refresh-token': '', 'on-refresh-failure': 'fail' })
    await expect(t.run()).resolves.toBe('failed')
    expect(t.runner.failed).toMatch(/^Input 'refresh-token': is empty/)
    expect(t.runner.failed).toContain('check its name')
    expect(t.http.requests).toHaveLength(0)
    expect(t.runner.text('info')).not.toContain('Approval needed')
  })

  it('fails before any request with mode: refresh', async () => {
    const t = setup({ mode: 'refresh', 'refresh-token': '' })
    await expect(t.run()).resolves.toBe('failed')
    expect(t.runner.failed).toContain('mode: refresh never asks a person')
    expect(t.http.requests).toHaveLength(0)
  })

  it('warns loudly, then asks a person, with on-refresh-failure: device (a first run)', async () => {
    const t = setup({ 'refresh-token': '', 'on-refresh-failure': 'device' })
    await expect(t.run()).resolves.toBe('approved')
    const warning = t.runner.text('warning')
    expect(warning).toContain('The refresh-token input is empty')
    expect(warning).toContain('check its name')
    expect(t.http.requests.map((r) => r.url)).toEqual([DISCOVERY, DEVICE, TOKEN])
    // The new refresh token differs from the empty input: it must be stored.
    expect(t.runner.outputs['refresh-token']).toBe('rt-new-0123456789abcdef')
    expect(t.runner.outputs['refresh-token-rotated']).toBe('true')
  })

  it('asks a person without a warning when nothing says the step meant to refresh', async () => {
    const t = setup({ 'refresh-token': '' })
    await expect(t.run()).resolves.toBe('approved')
    expect(t.runner.text('warning')).not.toContain('refresh-token')
  })
})

describe('run: mode', () => {
  it('mode: refresh fails on a dead refresh token and never shows a code', async () => {
    const t = setup({ mode: 'refresh', 'refresh-token': 'dead-rt-0123456789abcdef' })
    await expect(t.run()).resolves.toBe('failed')
    expect(t.runner.failed).toContain('invalid_grant')
    expect(t.http.requests.some((r) => r.url === DEVICE)).toBe(false)
  })

  it('mode: device asks a person even with a refresh token, and compares the new one with it', async () => {
    const t = setup({ mode: 'device', 'refresh-token': 'rt-new-0123456789abcdef' })
    await expect(t.run()).resolves.toBe('approved')
    const grants = t.http.requests
      .filter((r) => r.url === TOKEN)
      .map((r) => new URLSearchParams(r.body ?? '').get('grant_type'))
    expect(grants).toEqual(['urn:ietf:params:oauth:grant-type:device_code'])
    expect(t.runner.text('info')).toContain('mode: device asks a person')
    // The provider handed back the token the workflow has already: nothing to store.
    expect(t.runner.outputs['refresh-token-rotated']).toBe('false')
  })
})
