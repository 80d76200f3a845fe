import { describe, expect, it } from '@jest/globals'
import { run } from '../src/main.js'
import {
  FakeClock,
  json,
  RecordingRunner,
  scriptedHttp,
  type Route
} from '../test-support/fakes.js'

/** The timeout input against the code: too short to approve, short, and shorter than the code. */
const DEVICE = 'https://id.example.com/device/code'
const TOKEN = 'https://id.example.com/token'

function deviceCode(intervalSeconds: number): Route {
  return () =>
    json(200, {
      device_code: 'dc-secret',
      user_code: 'WDJB-MJHT',
      verification_uri: 'https://id.example.com/device',
      expires_in: 600,
      interval: intervalSeconds
    })
}
/** Pending twice, then tokens. */
function tokenEndpoint(): Route {
  let polls = 0
  return () =>
    ++polls <= 2
      ? json(400, { error: 'authorization_pending' })
      : json(200, { access_token: 'at', token_type: 'Bearer' })
}

function setup(timeout: string, intervalSeconds = 5) {
  const runner = new RecordingRunner({
    'client-id': 'release-bot',
    'device-authorization-endpoint': DEVICE,
    'token-endpoint': TOKEN,
    timeout
  })
  const http = scriptedHttp({ [DEVICE]: deviceCode(intervalSeconds), [TOKEN]: tokenEndpoint() })
  const go = () =>
    run({ runner, http, clock: new FakeClock(), signal: new AbortController().signal })
  return { runner, http, run: go }
}

describe('run: the timeout input', () => {
  it('refuses timeout: 1 without showing a code nobody could approve', async () => {
    const t = setup('1')
    await expect(t.run()).resolves.toBe('failed')
    expect(t.runner.failed).toMatch(
      /^Input 'timeout': is 1 s, but the provider's polling interval is 5 s/
    )
    expect(t.runner.failed).toContain('nobody could approve')
    expect(t.runner.text('info')).not.toContain('WDJB-MJHT')
    expect(t.runner.logs.some((entry) => entry.level === 'notice')).toBe(false)
    expect(t.http.requests.filter((r) => r.url === TOKEN)).toHaveLength(0)
  })

  it('refuses a timeout as long as the interval, which leaves no poll before the deadline', async () => {
    const t = setup('10s', 10)
    await expect(t.run()).resolves.toBe('failed')
    expect(t.runner.failed).toContain('polling interval is 10 s')
  })

  it('warns that a timeout under a minute is seconds, and still waits', async () => {
    const t = setup('30')
    await expect(t.run()).resolves.toBe('approved')
    expect(t.runner.text('warning')).toContain('The timeout input is 30 s')
    expect(t.runner.text('warning')).toContain('10m is ten minutes')
  })

  it('says nothing about a timeout of a minute or more', async () => {
    const t = setup('1m')
    await expect(t.run()).resolves.toBe('approved')
    expect(t.runner.text('warning')).not.toContain('timeout')
  })

  it("shows both the timeout and the code's own expiry when the timeout comes first", async () => {
    const t = setup('2m30s')
    await expect(t.run()).resolves.toBe('approved')
    // FakeClock starts at 10:00:00 UTC; the code lives 10 min, the timeout is 2 min 30 s.
    expect(t.runner.text('info')).toContain(
      'Expires  10:02:30 UTC (in 2 min 30 s, when this step stops waiting; the code itself expires 10:10:00 UTC)'
    )
    expect(t.runner.summary).toContain(
      '10:02:30 UTC, when this step stops waiting; the code itself expires 10:10:00 UTC'
    )
  })

  it("shows only the code's expiry when the timeout is longer than the code", async () => {
    const t = setup('1h')
    await expect(t.run()).resolves.toBe('approved')
    expect(t.runner.text('info')).toContain('Expires  10:10:00 UTC (in 10 min)')
    expect(t.runner.text('info')).not.toContain('stops waiting')
  })
})
