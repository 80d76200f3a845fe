import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { findLeaks, startAction, USER_CODE_LINE } from '../../test-support/action-process.js'
import { startIdp, type Idp } from '../../test-support/idp.js'
import { decodeDrawnText } from '../../test-support/qr-text.js'
import { startWebhookReceiver, type WebhookReceiver } from '../../test-support/webhook-receiver.js'

/**
 * dist/index.js as a runner step with notify-webhook set: the webhook URL is a secret (masked,
 * never printed), every body the receiver got is scanned for the device code, the client secret
 * and the tokens, and the QR code in the raw log reads back as the link.
 */
let idp: Idp
let receiver: WebhookReceiver

beforeAll(async () => {
  ;[idp, receiver] = await Promise.all([startIdp({ interval: 1 }), startWebhookReceiver()])
})
afterAll(async () => {
  await Promise.all([idp.close(), receiver.close()])
})

const MODES: Array<{ name: string; env: Record<string, string> }> = [
  { name: 'normal', env: {} },
  { name: 'debug (RUNNER_DEBUG=1)', env: { RUNNER_DEBUG: '1' } }
]

describe.each(MODES)('dist/index.js with notify-webhook ($name)', ({ env }) => {
  it('notifies, draws the QR code, reports the outcome, and leaks neither secrets nor the webhook URL', async () => {
    const before = receiver.received.length
    const { clientId, clientSecret } = idp.clients.post
    const webhook = receiver.url(`/ok/T0ABC/B0DEF/${'s3cretWebhookToken'}${Date.now()}`)
    const failing = receiver.url('/fail/other-secret-path-42')
    const run = startAction({
      inputs: {
        issuer: idp.issuer,
        'client-id': clientId,
        'client-secret': clientSecret,
        scope: 'openid profile offline_access',
        'notify-webhook': `${webhook}\n${failing}`,
        'qr-code': 'true'
      },
      env
    })
    const [, userCode] = await run.waitFor(USER_CODE_LINE)
    await idp.approve(userCode as string, { user: 'bob' })
    const result = await run.done
    expect(result.code).toBe(0)

    const hooks = receiver.received.slice(before).filter((hook) => webhook.endsWith(hook.path))
    expect(hooks.map((hook) => [hook.json.event, hook.json.outcome, hook.json.approver])).toEqual([
      ['code-ready', null, null],
      ['ended', 'approved', 'bob']
    ])
    expect(hooks[0]?.json.user_code).toBe(userCode)
    expect(hooks[0]?.json.repository).toBe('octo/release')

    // The outcome notice and the warning for the failing webhook, which names its line only.
    expect(result.stdout).toMatch(/^::notice title=Approved by bob::Approved by bob at /m)
    expect(result.stdout).toMatch(
      /^::warning::Could not send the \w[\w-]* notification to notify-webhook line 2 \(JSON, 127\.0\.0\.1:\d+\): HTTP 500/m
    )

    // The webhook URLs are masked first and printed nowhere else; no body holds a secret.
    for (const url of [webhook, failing]) expect(result.stdout).toContain(`::add-mask::${url}`)
    const deviceCode = /::add-mask::(\S+)\n/g
    const masked = [...result.stdout.matchAll(deviceCode)].map((match) => match[1] as string)
    const tokens = ['access-token', 'refresh-token', 'id-token'].map(
      (name) => result.outputs[name] as string
    )
    const secrets = [...masked, clientSecret, ...tokens]
    const streams = { stdout: result.stdout, stderr: result.stderr, summary: result.raw.summary }
    expect(findLeaks(streams, [webhook, failing, clientSecret])).toEqual([])
    const bodies = Object.fromEntries(
      receiver.received.slice(before).map((hook, i) => [`webhook body ${i}`, hook.body])
    )
    // Everything masked except the webhook URLs themselves (a body never holds those either).
    expect(findLeaks(bodies, secrets)).toEqual([])
    expect(Object.keys(bodies).length).toBeGreaterThanOrEqual(3)

    // The QR code, as the runner would show it, reads back as the link with the code.
    const lines = result.stdout.split('\n')
    const from = lines.findIndex((line) => line.startsWith('Or scan this')) + 1
    const drawing = lines.slice(
      from,
      lines.findIndex((line, i) => i >= from && !/^[ ▀▄█]+$/.test(line))
    )
    expect(decodeDrawnText(drawing)).toBe(`${idp.issuer}/device?user_code=${userCode}`)
  }, 60_000)
})
