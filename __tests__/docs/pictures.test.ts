import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { slackMessage } from '../../src/notify/slack.js'
import type { Notification } from '../../src/notify/notification.js'
import { encodeQr } from '../../src/present/qr.js'
import { drawHalfBlocks } from '../../src/present/qr.js'
import { ROOT } from '../../test-support/action-process.js'
import {
  CHROMIUM_PATH,
  decodeQrPng,
  launchChromium,
  renderLogLines
} from '../../test-support/log-render.js'
import { slackPreviewHtml } from '../../test-support/slack-preview.js'
import { safeText } from '../../src/safe-text.js'

/**
 * The QR code as a browser draws it in a monospace font, read back from the picture with jsQR;
 * and the pictures in the README (written with UPDATE_PICTURES=1). Skips itself only when
 * /usr/bin/chromium is missing.
 */
const hasChromium = existsSync(CHROMIUM_PATH)
const browserTest = hasChromium ? it : it.skip
const LINK = 'https://login.example.com/device?user_code=WDJB-MJHT'
const update = process.env['UPDATE_PICTURES'] === '1'

let browser: Browser | undefined
beforeAll(async () => {
  if (hasChromium) browser = await launchChromium()
}, 30_000)
afterAll(async () => {
  await browser?.close()
})

describe('the QR code in a browser', () => {
  browserTest(
    'scans off the screen in the log font where lines are as tall as the glyphs',
    async () => {
      const lines = drawHalfBlocks(await encodeQr(LINK, 'L'), { drawn: 'light' })
      // DejaVu Sans Mono (the stack's fallback here): its blocks span 14 px at 12 px.
      const png = await renderLogLines(browser as Browser, lines, { lineHeightPx: 14 })
      expect(decodeQrPng(png)).toBe(LINK)
      if (update) writeFileSync(join(ROOT, 'docs', 'qr-in-log.png'), png)
    },
    60_000
  )

  browserTest(
    'does not scan when drawn inverted: the light modules must be the drawn ones',
    async () => {
      const lines = drawHalfBlocks(await encodeQr(LINK, 'L'), { drawn: 'dark' })
      const png = await renderLogLines(browser as Browser, lines, { lineHeightPx: 14 })
      expect(decodeQrPng(png)).toBeNull()
    },
    60_000
  )
})

describe('the picture of the Slack message', () => {
  browserTest(
    'shows the code, the button and who asked',
    async () => {
      const at = Date.UTC(2026, 10, 24, 10, 0, 0)
      const notification: Notification = {
        event: 'code-ready',
        atMs: at,
        userCode: safeText('WDJB-MJHT', { maxLength: 4000 }),
        verificationUri: safeText('https://login.example.com/device', { maxLength: 4000 }),
        verificationUriComplete: safeText(LINK, { maxLength: 4000 }),
        expiresAtMs: at + 10 * 60_000,
        clientId: safeText('release-bot', { maxLength: 4000 }),
        scope: safeText('openid profile', { maxLength: 4000 }),
        origin: {
          repository: safeText('octo/release', { maxLength: 4000 }),
          workflow: safeText('Release', { maxLength: 4000 }),
          runId: safeText('4242', { maxLength: 4000 }),
          actor: safeText('octocat', { maxLength: 4000 }),
          runUrl: safeText('https://github.com/octo/release/actions/runs/4242', { maxLength: 4000 })
        }
      }
      const page = await (browser as Browser).newPage({ viewport: { width: 620, height: 300 } })
      try {
        await page.setContent(
          slackPreviewHtml(slackMessage(notification), 'Device login', '10:00 AM')
        )
        const text = await page.locator('#message').innerText()
        expect(text).toContain('Approval needed')
        expect(text).toContain('WDJB-MJHT')
        expect(text).toContain('Open the sign-in page')
        expect(text).toContain('Asked by octo/release')
        const png = await page.locator('#message').screenshot()
        if (update) writeFileSync(join(ROOT, 'docs', 'slack-notification.png'), png)
      } finally {
        await page.close()
      }
    },
    60_000
  )
})
