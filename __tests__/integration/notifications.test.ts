import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { systemClock } from '../../src/clock.js'
import { run } from '../../src/main.js'
import { createHttpTransport } from '../../src/oauth/http.js'
import { findLeaks } from '../../test-support/action-process.js'
import { RecordingRunner } from '../../test-support/fakes.js'
import { startIdp, type Idp } from '../../test-support/idp.js'
import { decodeDrawnText } from '../../test-support/qr-text.js'
import { startWebhookReceiver, type WebhookReceiver } from '../../test-support/webhook-receiver.js'

/**
 * The whole action in process against the embedded oidc-provider, with notify-webhook pointing
 * at a receiver on 127.0.0.1: one webhook that answers, one that answers 500, one that never
 * answers. The approval is done over HTTP once the code is issued; the flow must not wait for
 * any webhook, and every body is scanned for secrets.
 */
let idp: Idp
let receiver: WebhookReceiver
let approve: ((userCode: string) => Promise<void>) | undefined
const approvals: Array<Promise<void>> = []

beforeAll(async () => {
  ;[idp, receiver] = await Promise.all([
    startIdp({
      interval: 1,
      onDeviceAuthorization: (userCode) => {
        if (approve) approvals.push(approve(userCode))
      }
    }),
    startWebhookReceiver()
  ])
})
afterAll(async () => {
  await Promise.allSettled(approvals)
  await Promise.all([idp.close(), receiver.close()])
})

function start(inputs: Record<string, string>, approver?: (userCode: string) => Promise<void>) {
  approve = approver
  const runner = new RecordingRunner(
    { issuer: idp.issuer, scope: 'openid profile offline_access', ...inputs },
    {
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'octo/release',
      GITHUB_WORKFLOW: 'Release',
      GITHUB_RUN_ID: '4242',
      GITHUB_ACTOR: 'octocat'
    }
  )
  const started = Date.now()
  const controller = new AbortController()
  const ending = run({
    runner,
    http: createHttpTransport('device-flow-action-test'),
    clock: systemClock,
    signal: controller.signal
  })
  return { runner, ending, started, controller }
}

describe('notifications during a real device flow', () => {
  it('tells each webhook the code, then the outcome, while a hanging and a failing one hold nothing up', async () => {
    const { clientId, clientSecret } = idp.clients.basic
    const { runner, ending, started } = start(
      {
        'client-id': clientId,
        'client-secret': clientSecret,
        'notify-webhook': [
          receiver.url('/ok/a'),
          receiver.url('/fail/b'),
          receiver.url('/hang/c')
        ].join('\n'),
        'qr-code': 'true'
      },
      // Approve a little after the code is out, so the webhooks are in flight meanwhile.
      (code) =>
        new Promise((resolve) => setTimeout(resolve, 300)).then(() =>
          idp.approve(code, { user: 'alice' })
        )
    )
    expect(await ending).toBe('approved')
    const elapsedMs = Date.now() - started
    expect(runner.failed).toBeUndefined()

    // The good webhook: the code first, then the outcome, both as the documented JSON.
    const ok = receiver.to('/ok/a')
    expect(ok.map((hook) => hook.json.event)).toEqual(['code-ready', 'ended'])
    expect(ok[0]?.contentType).toBe('application/json; charset=utf-8')
    const userCode = /2\. Enter {2}(\S+)/.exec(runner.text('info'))?.[1]
    expect(ok[0]?.json).toMatchObject({
      user_code: userCode,
      verification_uri: `${idp.issuer}/device`,
      verification_uri_complete: `${idp.issuer}/device?user_code=${userCode}`,
      repository: 'octo/release',
      run_url: 'https://github.com/octo/release/actions/runs/4242',
      actor: 'octocat',
      outcome: null
    })
    expect(ok[1]?.json).toMatchObject({ event: 'ended', outcome: 'approved', approver: 'alice' })

    // The failing one: the code, tried at most three times (fewer once the outcome is waiting
    // behind it), then the outcome, tried three times.
    const failed = receiver.to('/fail/b').map((hook) => hook.json.event as string)
    const tries = failed.filter((event) => event === 'code-ready').length
    expect(tries).toBeGreaterThanOrEqual(1)
    expect(tries).toBeLessThanOrEqual(3)
    expect(failed).toEqual([...Array(tries).fill('code-ready'), 'ended', 'ended', 'ended'])
    // The hanging one got the code and never answered (after its 5 s timeout, the outcome
    // waiting behind it goes instead of a retry, if it is there by then); the flow went on.
    const hung = receiver.to('/hang/c')
    expect(['code-ready', 'code-ready,ended']).toContain(
      hung.map((hook) => hook.json.event).join(',')
    )
    const approvedPoll = idp.tokenRequests.find(
      (request) =>
        request.status === 200 && request.at >= started && request.grantType.endsWith('device_code')
    )
    expect(approvedPoll).toBeDefined()
    // The approval was picked up while the hanging webhook was still unanswered (its 5 s timeout).
    expect((approvedPoll?.at ?? Infinity) - (hung[0]?.at ?? 0)).toBeLessThan(5000)
    // On time: the approval (about 1.3 s in) plus at most the bounded wait at the end (5 s).
    expect(elapsedMs).toBeLessThan(1500 + 5000 + 2000)

    const warnings = runner.text('warning')
    expect(warnings).toContain('notify-webhook line 2 (JSON, 127.0.0.1:')
    expect(warnings).toContain('HTTP 500 "internal_error" (after 3 tries)')
    expect(warnings).toContain('notify-webhook line 3')
    for (const path of ['/ok/a', '/fail/b', '/hang/c'])
      expect(runner.secrets).toContain(receiver.url(path))

    // No secret in any body: not the device code, the client secret or any token.
    const deviceCode = runner.secrets.find(
      (secret) => /^[\w-]{20,}$/.test(secret) && !secret.startsWith('basic-')
    )
    expect(deviceCode).toBeDefined()
    const secrets = [
      clientSecret,
      deviceCode as string,
      ...['access-token', 'refresh-token', 'id-token'].map((name) => runner.outputs[name] as string)
    ]
    const bodies = Object.fromEntries(
      receiver.received.map((hook, i) => [`webhook ${i} ${hook.path}`, hook.body])
    )
    expect(findLeaks(bodies, secrets)).toEqual([])

    // The outcome on the run page, and the QR code in the log reads back as the link.
    expect(runner.logs.filter((entry) => entry.level === 'notice').at(-1)).toMatchObject({
      title: 'Approved by alice'
    })
    const info = runner.logs.filter((entry) => entry.level === 'info').map((entry) => entry.message)
    const from = info.findIndex((line) => line.startsWith('Or scan this')) + 1
    const drawing = info.slice(
      from,
      info.findIndex((line, i) => i >= from && !/^[ ▀▄█]+$/.test(line))
    )
    expect(decodeDrawnText(drawing)).toBe(`${idp.issuer}/device?user_code=${userCode}`)
  }, 30_000)

  it('tells approval k of N, a refusal with its fresh code, and every approver; quotes no secret a receiver echoes', async () => {
    const before = receiver.received.length
    const people = ['alice', 'alice', 'carol']
    const { runner, ending } = start(
      {
        'client-id': idp.clients.public.clientId,
        approvals: '2',
        'qr-code': 'false',
        'notify-webhook': [receiver.url('/ok/two'), receiver.url('/echo/s3cretHookToken42')].join(
          '\n'
        )
      },
      (code) => idp.approve(code, { user: people.shift() ?? 'bob' })
    )
    expect(await ending).toBe('approved')
    const hooks = receiver.received.slice(before).filter((hook) => hook.path === '/ok/two')
    expect(
      hooks.map(({ json }) => [
        json.event,
        json.approval,
        json.approvals,
        json.approvers,
        json.refused
      ])
    ).toEqual([
      ['code-ready', 1, 2, [], null],
      ['code-ready', 2, 2, ['alice'], null],
      ['code-ready', 2, 2, ['alice'], { approver: 'alice', rule: 'approvals' }],
      ['ended', null, 2, ['alice', 'carol'], null]
    ])
    expect(hooks[1]?.json.text).toContain(
      'Approval 2 of 2, from a different person: the one who approved before may not approve again.'
    )
    expect(hooks[2]?.json.text).toContain(
      'The approval policy refused the approval (they approved already).'
    )
    expect(hooks[3]?.json).toMatchObject({ outcome: 'approved', approver: 'alice' })
    // The JSON text carries no name from outside: no address, no mention.
    for (const hook of hooks) expect(hook.json.text).not.toMatch(/@|alice|carol/)
    // The receiver that answers with its URL's secret segment is named by its line, never quoted.
    expect(runner.text('warning')).toContain('notify-webhook line 2 (JSON, 127.0.0.1:')
    expect(runner.text('warning')).toContain('HTTP 400.')
    expect(runner.text()).not.toContain('s3cretHookToken42')
  }, 30_000)

  it('reports a denial to the webhook and on the run page', async () => {
    const before = receiver.received.length
    const { runner, ending } = start(
      {
        'client-id': idp.clients.public.clientId,
        'notify-webhook': receiver.url('/ok/denied')
      },
      (code) => idp.approve(code, { deny: true })
    )
    expect(await ending).toBe('denied')
    const hooks = receiver.received.slice(before)
    expect(hooks.map((hook) => [hook.json.event, hook.json.outcome])).toEqual([
      ['code-ready', null],
      ['ended', 'denied']
    ])
    expect(runner.logs.filter((entry) => entry.level === 'notice').at(-1)?.title).toBe(
      'Approval denied'
    )
    expect(runner.text('info')).not.toContain('Or scan this')
  }, 30_000)

  it('reports a timeout as the outcome', async () => {
    const before = receiver.received.length
    const { ending } = start({
      'client-id': idp.clients.public.clientId,
      'notify-webhook': receiver.url('/ok/quiet'),
      timeout: '2'
    })
    expect(await ending).toBe('timed-out')
    const hooks = receiver.received.slice(before)
    expect(hooks.map((hook) => [hook.json.event, hook.json.outcome])).toEqual([
      ['code-ready', null],
      ['ended', 'timed-out']
    ])
  }, 30_000)

  it('still tells the webhook when the run is cancelled (the cancel stops the wait, not the message)', async () => {
    const before = receiver.received.length
    const { runner, ending, controller } = start({
      'client-id': idp.clients.public.clientId,
      'notify-webhook': receiver.url('/ok/cancelled')
    })
    // Cancel once the code is out, as the runner's SIGINT would.
    const deadline = Date.now() + 10_000
    while (!runner.text('info').includes('2. Enter') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20))
    controller.abort()
    expect(await ending).toBe('cancelled')
    const hooks = receiver.received.slice(before)
    expect(hooks.map((hook) => [hook.json.event, hook.json.outcome])).toEqual([
      ['code-ready', null],
      ['ended', 'cancelled']
    ])
  }, 30_000)
})
