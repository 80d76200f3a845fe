import { describe, expect, it } from '@jest/globals'
import { safeText } from '../../src/safe-text.js'
import type { DeviceAuthorization } from '../../src/oauth/device.js'
import { describeOrigin, noticeOf, promptLines, reminderLine } from '../../src/present/prompt.js'
import type { PromptContext } from '../../src/flow/events.js'
import { ReminderSchedule, runOrigin } from '../../src/flow/device-login.js'

const NOW = Date.UTC(2026, 10, 24, 10, 0, 0)
const ENV = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'octo-org/deploy',
  GITHUB_WORKFLOW: 'Release',
  GITHUB_RUN_ID: '123456789',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_ACTOR: 'mona'
}
const RUN_URL = 'https://github.com/octo-org/deploy/actions/runs/123456789'

const device: DeviceAuthorization = {
  deviceCode: 'device-code-secret',
  userCode: safeText('WDJB-MJHT'),
  verificationUri: safeText('https://id.example.com/device'),
  expiresInSeconds: 900,
  intervalSeconds: 5,
  notes: []
}

function context(overrides: Partial<PromptContext> = {}): PromptContext {
  return {
    device,
    clientId: safeText('deploy-bot'),
    scope: safeText('openid offline_access'),
    deadlineMs: NOW + 14 * 60_000 + 30_000,
    origin: runOrigin(ENV),
    ...overrides
  }
}

const withComplete: DeviceAuthorization = {
  ...device,
  verificationUriComplete: safeText('https://id.example.com/device?user_code=WDJB-MJHT')
}

describe('runOrigin', () => {
  it('reads the run from the GITHUB_ variables and builds the run URL', () => {
    expect(runOrigin(ENV)).toEqual({
      repository: 'octo-org/deploy',
      workflow: 'Release',
      runId: '123456789',
      runAttempt: '1',
      actor: 'mona',
      runUrl: RUN_URL
    })
  })

  it('builds the run URL on a GitHub Enterprise Server', () => {
    expect(runOrigin({ ...ENV, GITHUB_SERVER_URL: 'https://ghe.example.com' }).runUrl).toBe(
      'https://ghe.example.com/octo-org/deploy/actions/runs/123456789'
    )
  })

  it('falls back to https://github.com when GITHUB_SERVER_URL is missing or empty', () => {
    const { GITHUB_SERVER_URL: _server, ...rest } = ENV
    expect(runOrigin(rest).runUrl).toBe(RUN_URL)
    expect(runOrigin({ ...ENV, GITHUB_SERVER_URL: '' }).runUrl).toBe(RUN_URL)
  })

  it('has no run URL without a repository or a run id', () => {
    expect(runOrigin({ ...ENV, GITHUB_RUN_ID: undefined })).not.toHaveProperty('runUrl')
    expect(runOrigin({ ...ENV, GITHUB_REPOSITORY: undefined })).not.toHaveProperty('runUrl')
  })

  it('is empty outside GitHub Actions', () => {
    expect(runOrigin({})).toEqual({})
  })
})

describe('describeOrigin', () => {
  it('names repository, workflow, run and actor', () => {
    expect(describeOrigin(runOrigin(ENV))).toBe(
      'octo-org/deploy · workflow "Release" · run 123456789 · started by mona'
    )
  })

  it('mentions the attempt only when the run was re-run', () => {
    expect(describeOrigin(runOrigin({ ...ENV, GITHUB_RUN_ATTEMPT: '3' }))).toContain(
      'run 123456789 (attempt 3)'
    )
  })

  it('shows the run number and attempt the Actions page shows (#17), not the run id', () => {
    const origin = runOrigin({ ...ENV, GITHUB_RUN_NUMBER: '17', GITHUB_RUN_ATTEMPT: '2' })
    expect(describeOrigin(origin)).toBe(
      'octo-org/deploy · workflow "Release" · run #17 (attempt 2) · started by mona'
    )
    expect(describeOrigin(origin)).not.toContain('123456789')
  })

  it("links a re-run's own attempt, whose log the approver sees", () => {
    expect(runOrigin({ ...ENV, GITHUB_RUN_ATTEMPT: '2' }).runUrl).toBe(`${RUN_URL}/attempts/2`)
    expect(runOrigin({ ...ENV, GITHUB_RUN_ATTEMPT: '1' }).runUrl).toBe(RUN_URL)
  })

  it('says nothing without a repository', () => {
    expect(describeOrigin(runOrigin({ GITHUB_ACTOR: 'mona' }))).toBeUndefined()
  })
})

describe('promptLines', () => {
  it('shows where to go and the code to enter', () => {
    const text = promptLines(context(), NOW).join('\n')
    expect(text).toContain('Open   https://id.example.com/device')
    expect(text).toContain('Enter  WDJB-MJHT')
  })

  it('offers the complete URI on its own line when the provider sends one', () => {
    const lines = promptLines(context({ device: withComplete }), NOW)
    const offer = lines.findIndex((line) =>
      line.includes('Or open this link, which fills in the code')
    )
    expect(offer).toBeGreaterThan(0)
    expect(lines[offer + 1]).toContain(withComplete.verificationUriComplete)
  })

  it('offers no link without a complete URI', () => {
    const text = promptLines(context(), NOW).join('\n')
    expect(text).not.toContain('Or open this link')
    expect(text).not.toContain('user_code=')
  })

  it('names the client and the scope', () => {
    const text = promptLines(context(), NOW).join('\n')
    expect(text).toContain('Client   deploy-bot')
    expect(text).toContain('Scope    openid offline_access')
  })

  it("says the provider's default scope applies when no scope is asked for", () => {
    const { scope: _scope, ...noScope } = context()
    expect(promptLines(noScope, NOW).join('\n')).toContain("Scope    (the provider's default)")
  })

  it('says which run asks, with its URL, so the approver can recognise it', () => {
    const text = promptLines(context(), NOW).join('\n')
    expect(text).toContain(
      'Asked by octo-org/deploy · workflow "Release" · run 123456789 · started by mona'
    )
    expect(text).toContain(RUN_URL)
  })

  it('leaves out the origin when the run is unknown', () => {
    const text = promptLines(context({ origin: {} }), NOW).join('\n')
    expect(text).not.toContain('Asked by')
  })

  it('shows the expiry time and the time left', () => {
    expect(promptLines(context(), NOW).join('\n')).toContain(
      'Expires  10:14:30 UTC (in 14 min 30 s)'
    )
  })

  it('shows the date of an expiry on another day', () => {
    const lateNow = Date.UTC(2026, 10, 24, 23, 55, 0)
    const text = promptLines(context({ deadlineMs: lateNow + 15 * 60_000 }), lateNow).join('\n')
    expect(text).toContain('Expires  2026-11-25 00:10:00 UTC (in 15 min)')
  })

  it("shows the provider's own message (Entra ID)", () => {
    const message =
      'To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code WDJB-MJHT to authenticate.'
    const text = promptLines(
      context({ device: { ...device, message: safeText(message) } }),
      NOW
    ).join('\n')
    expect(text).toContain(`The provider says: ${message}`)
  })

  it('asks the approver to approve only an expected request', () => {
    expect(promptLines(context(), NOW).join('\n')).toContain(
      'Approve only if you expected this request from this run.'
    )
  })

  it('never shows the device code', () => {
    expect(promptLines(context(), NOW).join('\n')).not.toContain(device.deviceCode)
  })

  it('writes one log line per element, none with a line break inside', () => {
    const lines = promptLines(
      context({ device: { ...withComplete, message: safeText('Hello.') } }),
      NOW
    )
    for (const line of lines) expect(line).not.toMatch(/[\r\n]/)
  })
})

describe('noticeOf', () => {
  it('puts the user code in the title', () => {
    expect(noticeOf(context(), NOW).title).toBe('Approval needed: enter code WDJB-MJHT')
  })

  it('says where to go, the code, the client, the scope, the expiry and the origin', () => {
    const { message } = noticeOf(context(), NOW)
    expect(message).toContain('Open https://id.example.com/device and enter the code WDJB-MJHT')
    expect(message).toContain('client deploy-bot')
    expect(message).toContain('(scope: openid offline_access)')
    expect(message).toContain('Expires at 10:14:30 UTC.')
    expect(message).toContain('Asked by octo-org/deploy · workflow "Release"')
  })

  it('links the complete URI when the provider sends one', () => {
    const { message } = noticeOf(context({ device: withComplete }), NOW)
    expect(message).toContain(`Open ${withComplete.verificationUriComplete} `)
  })

  it('leaves out the scope and the origin when there are none', () => {
    const { scope: _scope, ...noScope } = context({ origin: {} })
    const { message } = noticeOf(noScope, NOW)
    expect(message).not.toContain('scope')
    expect(message).not.toContain('Asked by')
  })
})

describe('reminderLine', () => {
  it('repeats the URI and the code, with the time left', () => {
    const line = reminderLine(context(), NOW + 60_000)
    expect(line).toBe(
      'Still waiting for approval: open https://id.example.com/device and enter WDJB-MJHT (13 min 30 s left).'
    )
  })
})

describe('ReminderSchedule', () => {
  it('is not due before a minute has passed since the prompt', () => {
    const schedule = new ReminderSchedule(NOW)
    expect(schedule.due(NOW)).toBe(false)
    expect(schedule.due(NOW + 5_000)).toBe(false)
    expect(schedule.due(NOW + 59_999)).toBe(false)
  })

  it('is due once a minute has passed, then not again for another minute', () => {
    const schedule = new ReminderSchedule(NOW)
    expect(schedule.due(NOW + 60_000)).toBe(true)
    expect(schedule.due(NOW + 60_000)).toBe(false)
    expect(schedule.due(NOW + 119_999)).toBe(false)
    expect(schedule.due(NOW + 120_000)).toBe(true)
  })

  it('counts the next minute from the reminder, not from the prompt', () => {
    const schedule = new ReminderSchedule(NOW)
    expect(schedule.due(NOW + 95_000)).toBe(true)
    expect(schedule.due(NOW + 150_000)).toBe(false)
    expect(schedule.due(NOW + 155_000)).toBe(true)
  })

  it('gives one reminder a minute over ten minutes of 5 s polls', () => {
    const schedule = new ReminderSchedule(NOW)
    let reminders = 0
    for (let t = 5_000; t <= 600_000; t += 5_000) if (schedule.due(NOW + t)) reminders++
    expect(reminders).toBe(10)
  })
})
