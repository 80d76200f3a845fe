import { describe, expect, it } from '@jest/globals'
import type { FlowEvent } from '../../src/flow/events.js'
import { qrListener } from '../../src/present/qr.js'
import type { PromptContext } from '../../src/flow/events.js'
import { RecordingRunner } from '../../test-support/fakes.js'
import { decodeDrawnText } from '../../test-support/qr-text.js'
import { safeText } from '../../src/safe-text.js'

const PROMPT = {
  device: {
    deviceCode: 'dc',
    userCode: safeText('WDJB-MJHT', { maxLength: 4000 }),
    verificationUri: safeText('https://login.example.com/device', { maxLength: 4000 }),
    verificationUriComplete: safeText('https://login.example.com/device?user_code=WDJB-MJHT', {
      maxLength: 4000
    }),
    intervalSeconds: 5,
    notes: []
  },
  clientId: safeText('c', { maxLength: 4000 }),
  deadlineMs: 600_000,
  origin: {}
} as unknown as PromptContext

const codeReady = (prompt: PromptContext): FlowEvent => ({ type: 'code-ready', prompt, atMs: 0 })

/** The drawing: the log lines after the one that introduces it. */
function drawingIn(runner: RecordingRunner): string[] {
  const lines = runner.logs.filter((entry) => entry.level === 'info').map((entry) => entry.message)
  return lines.slice(lines.findIndex((line) => line.startsWith('Or scan this')) + 1)
}

describe('the QR code in the log', () => {
  it('encodes the link with the code filled in', async () => {
    const runner = new RecordingRunner()
    await qrListener(runner, () => true).on(codeReady(PROMPT))
    expect(runner.text('info')).toContain(
      'Or scan this with a phone (it opens the link with the code filled in):'
    )
    expect(decodeDrawnText(drawingIn(runner))).toBe(PROMPT.device.verificationUriComplete)
  })

  it('encodes the verification page when there is no complete link', async () => {
    const { verificationUriComplete: _none, ...device } = PROMPT.device
    const runner = new RecordingRunner()
    await qrListener(runner, () => true).on(codeReady({ ...PROMPT, device }))
    expect(runner.text('info')).toContain('then enter the code')
    expect(decodeDrawnText(drawingIn(runner))).toBe('https://login.example.com/device')
  })

  it('draws nothing with qr-code: false, or for other events', async () => {
    const runner = new RecordingRunner()
    await qrListener(runner, () => false).on(codeReady(PROMPT))
    await qrListener(runner, () => true).on({ type: 'reminder', prompt: PROMPT, atMs: 1 })
    expect(runner.logs).toEqual([])
  })

  it('skips a link whose code would be wider than the log shows whole, and says so', async () => {
    // 107 characters need a version 6 symbol at L: 41 modules and the quiet zone, 147 columns.
    const long = {
      ...PROMPT.device,
      verificationUriComplete: safeText(`https://x.example/${'a'.repeat(89)}`, { maxLength: 4000 })
    }
    const runner = new RecordingRunner()
    await qrListener(runner, () => true).on(codeReady({ ...PROMPT, device: long }))
    expect(runner.text('info')).toBe(
      'No QR code: the link is too long to draw one the log shows whole (147 columns, at most 135); open the link instead.'
    )
  })

  it('draws a link of 106 characters (version 5), 135 columns wide', async () => {
    const link = `https://x.example/${'a'.repeat(88)}`
    const long = { ...PROMPT.device, verificationUriComplete: safeText(link, { maxLength: 4000 }) }
    const runner = new RecordingRunner()
    await qrListener(runner, () => true).on(codeReady({ ...PROMPT, device: long }))
    const drawing = drawingIn(runner)
    expect(Math.max(...drawing.map((line) => [...line].length))).toBe(135)
    expect(decodeDrawnText(drawing)).toBe(link)
  })
})
