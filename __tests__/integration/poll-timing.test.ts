import { afterEach, describe, expect, it } from '@jest/globals'
import { systemClock } from '../../src/clock.js'
import { run } from '../../src/main.js'
import { createHttpTransport } from '../../src/oauth/http.js'
import { startIdp, type Idp, type TokenRequestRecord } from '../../test-support/idp.js'
import { RecordingRunner } from '../../test-support/fakes.js'

/**
 * The poll timing against a real identity provider that counts strictly (strictInterval: any
 * poll sooner than the interval after the previous one, or after the code was issued, gets
 * slow_down), with the real transport and the real clock. It checks the rules, never a speed:
 * performance is `npm run bench`.
 */
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'

let idp: Idp | undefined
afterEach(async () => idp?.close())

/** Starts the action, and approves `approveAfterMs` after the code was issued. */
async function approvedRun(options: Parameters<typeof startIdp>[0], approveAfterMs: number) {
  const approvals: Array<Promise<void>> = []
  const started = await startIdp({
    ...options,
    strictInterval: true,
    onDeviceAuthorization: (userCode) => {
      approvals.push(
        new Promise((resolve) => setTimeout(resolve, approveAfterMs)).then(() =>
          started.approve(userCode)
        )
      )
    }
  })
  idp = started
  const runner = new RecordingRunner(
    { issuer: started.issuer, 'client-id': started.clients.public.clientId, scope: 'openid' },
    {}
  )
  const ending = await run({
    runner,
    http: createHttpTransport('device-flow-action-test'),
    clock: systemClock,
    signal: new AbortController().signal
  })
  await Promise.all(approvals)
  const polls: TokenRequestRecord[] = started.tokenRequests.filter(
    (r) => r.grantType === DEVICE_GRANT
  )
  return { runner, ending, polls }
}

describe('polling a provider that counts the interval strictly', () => {
  it('never polls sooner than the interval, and gets no slow_down in steady state', async () => {
    const { ending, polls } = await approvedRun({ interval: 1 }, 3500)
    expect(ending).toBe('approved')
    // About one poll a second until the approval at 3.5 s, then the one that gets the tokens.
    expect(polls.length).toBeGreaterThanOrEqual(3)
    for (const poll of polls) {
      expect(poll.slowDown).toBeUndefined()
      expect(poll.sinceLastMs).toBeGreaterThanOrEqual(1000)
    }
    expect(polls.at(-1)?.status).toBe(200)
  })

  it('widens its margin once after a slow_down it did not deserve, and says so', async () => {
    // The first poll waited the full interval and still gets slow_down (as from a provider whose
    // clock runs slow): the action adds 5 s to the interval and leaves a wider margin.
    const { runner, ending, polls } = await approvedRun({ interval: 1, slowDownPolls: 1 }, 500)
    expect(ending).toBe('approved')
    expect(polls.map((p) => p.slowDown)).toEqual([true, undefined])
    expect(polls[1]?.sinceLastMs).toBeGreaterThanOrEqual(6000 + 1000)
    const widened = runner.logs.filter((l) => /full interval had passed/.test(l.message))
    expect(widened).toHaveLength(1)
    expect(widened[0]?.message).toMatch(/1 s more between polls/)
  })
})
