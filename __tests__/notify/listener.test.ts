import { describe, expect, it } from '@jest/globals'
import type { FlowEvent } from '../../src/flow/events.js'
import { webhookListener } from '../../src/notify/listener.js'
import type { NotifyConfig } from '../../src/notify/targets.js'
import type { HttpRequest, HttpResponse } from '../../src/oauth/http.js'
import type { PromptContext } from '../../src/flow/events.js'
import { FakeClock, RecordingRunner } from '../../test-support/fakes.js'
import { safeText } from '../../src/safe-text.js'

const PROMPT = {
  device: {
    deviceCode: 'DEVICE-CODE-SECRET',
    userCode: safeText('WDJB-MJHT', { maxLength: 4000 }),
    verificationUri: safeText('https://login.example.com/device', { maxLength: 4000 }),
    intervalSeconds: 5,
    notes: []
  },
  clientId: safeText('release-bot', { maxLength: 4000 }),
  deadlineMs: Date.UTC(2026, 10, 24, 10, 10),
  origin: { repository: 'octo/release' }
} as unknown as PromptContext
const AT = Date.UTC(2026, 10, 24, 10, 0)

function listen(config: NotifyConfig) {
  const requests: HttpRequest[] = []
  const http = async (request: HttpRequest): Promise<HttpResponse> => {
    requests.push(request)
    return { status: 200, headers: {}, body: 'ok' }
  }
  const listener = webhookListener({
    runner: new RecordingRunner(),
    http,
    clock: new FakeClock(),
    config: () => config
  })
  const events = async (...list: FlowEvent[]) => {
    for (const event of list) await listener.on(event)
    await listener.close?.()
    return requests.map((request) => JSON.parse(request.body ?? '{}') as Record<string, unknown>)
  }
  return events
}

const json = (reminders: boolean): NotifyConfig => ({
  webhooks: [{ url: 'https://hooks.example.com/x', kind: 'json', label: 'notify-webhook line 1' }],
  reminders
})
const ended: FlowEvent = {
  type: 'ended',
  outcome: {
    ending: 'approved',
    atMs: AT + 60_000,
    approver: { name: safeText('alice'), subject: 'alice', shownSubject: safeText('alice') }
  }
}

describe('the webhook listener', () => {
  it('sends the code, then the outcome; reminders only with notify-reminders: true', async () => {
    const sequence: FlowEvent[] = [
      { type: 'code-ready', prompt: PROMPT, atMs: AT },
      { type: 'reminder', prompt: PROMPT, atMs: AT + 60_000 },
      ended
    ]
    expect((await listen(json(false))(...sequence)).map((body) => body['event'])).toEqual([
      'code-ready',
      'ended'
    ])
    const withReminders = await listen(json(true))(...sequence)
    expect(withReminders.map((body) => body['event'])).toEqual(['code-ready', 'reminder', 'ended'])
    expect(withReminders[2]).toMatchObject({
      outcome: 'approved',
      approver: 'alice',
      user_code: 'WDJB-MJHT'
    })
    expect(JSON.stringify(withReminders)).not.toContain('DEVICE-CODE-SECRET')
  })

  it('sends nothing when no code was shown (a refresh, or a failure before the code)', async () => {
    expect(await listen(json(true))({ type: 'refreshed', atMs: AT }, ended)).toEqual([])
  })

  it('sends nothing without webhooks', async () => {
    expect(
      await listen({ webhooks: [], reminders: true })(
        { type: 'code-ready', prompt: PROMPT, atMs: AT },
        ended
      )
    ).toEqual([])
  })
})
