import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { slackMessage } from '../../src/notify/slack.js'
import type { Notification } from '../../src/notify/notification.js'
import { drawModuleRows, encodeQr, type ModuleMatrix } from '../../src/present/qr.js'
import { ROOT } from '../../test-support/action-process.js'
import {
  blurPixels,
  CHROMIUM_PATH,
  decodeQrPng,
  decodeQrPngWithZxing,
  launchChromium,
  renderLogLines
} from '../../test-support/log-render.js'
import { slackPreviewHtml } from '../../test-support/slack-preview.js'
import { safeText } from '../../src/safe-text.js'

/**
 * The QR code as a browser draws it in the log's monospace font, read back from the picture by
 * two decoders (jsQR and ZXing); and the pictures in the README (written with UPDATE_PICTURES=1).
 * QR_MATRIX=1 also prints the whole matrix that docs/qr-code.md reports. Skips itself only when
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

/**
 * GitHub's web log (12 px text) at a line height and a device pixel ratio, blurred by `blurPx`
 * CSS pixels (as a camera would see it).
 */
async function render(lines: string[], lineHeightPx: number, deviceScaleFactor = 1, blurPx = 0) {
  const png = await renderLogLines(browser as Browser, lines, { lineHeightPx, deviceScaleFactor })
  return blurPx > 0 ? blurPixels(png, blurPx * deviceScaleFactor) : png
}

describe('the QR code in a browser', () => {
  browserTest(
    "ZXing reads it in GitHub's web log: 16, 18 and 20 px lines, device pixel ratios 1 and 2, 1 px blur",
    async () => {
      const lines = drawModuleRows(await encodeQr(LINK, 'L'))
      const read: string[] = []
      for (const lineHeightPx of [16, 18, 20])
        for (const ratio of [1, 2]) {
          const png = await render(lines, lineHeightPx, ratio, 1)
          read.push(`${lineHeightPx} px × ${ratio}: ${decodeQrPngWithZxing(png) === LINK}`)
        }
      expect(read).toEqual([
        '16 px × 1: true',
        '16 px × 2: true',
        '18 px × 1: true',
        '18 px × 2: true',
        '20 px × 1: true',
        '20 px × 2: true'
      ])
      if (update)
        writeFileSync(
          join(ROOT, 'docs', 'qr-in-log.png'),
          await renderLogLines(browser as Browser, lines, { lineHeightPx: 20 })
        )
    },
    60_000
  )

  browserTest(
    'both decoders read it where lines are as tall as the glyphs (a terminal, the raw log)',
    async () => {
      const png = await render(drawModuleRows(await encodeQr(LINK, 'L')), 14)
      expect(decodeQrPng(png)).toBe(LINK)
      expect(decodeQrPngWithZxing(png)).toBe(LINK)
    },
    60_000
  )

  browserTest(
    'jsQR does not read it at 20 px lines, which is why qr-code is off by default (docs/qr-code.md)',
    async () => {
      const png = await render(drawModuleRows(await encodeQr(LINK, 'L')), 20, 1, 1)
      expect(decodeQrPng(png)).toBeNull()
    },
    60_000
  )

  browserTest(
    'does not scan when drawn inverted: the light modules must be the drawn ones',
    async () => {
      const png = await render(drawModuleRows(await encodeQr(LINK, 'L'), { drawn: 'dark' }), 14)
      expect(decodeQrPng(png)).toBeNull()
      expect(decodeQrPngWithZxing(png)).toBeNull()
    },
    60_000
  )

  const matrixTest = hasChromium && process.env['QR_MATRIX'] === '1' ? it : it.skip
  matrixTest(
    'prints the whole matrix (QR_MATRIX=1): drawings × line heights × device pixel ratios × blur',
    async () => {
      const drawings: Record<string, (matrix: ModuleMatrix) => string[]> = {
        'half blocks, two modules a line (before)': drawHalfBlocks,
        'one module a line, 2 characters a module': (m) =>
          drawModuleRows(m, { columnsPerModule: 2 }),
        'one module a line, 3 characters a module (now)': (m) => drawModuleRows(m),
        'one module a line, 3 characters, dark modules drawn': (m) =>
          drawModuleRows(m, { drawn: 'dark' })
      }
      const rows: string[] = []
      for (const [name, draw] of Object.entries(drawings)) {
        const lines = draw(await encodeQr(LINK, 'L'))
        const inverted = name.includes('dark modules')
        const cells: string[] = []
        for (const lineHeightPx of [14, 16, 18, 20])
          for (const ratio of [1, 2])
            for (const blurPx of [0, 1]) {
              const png = await render(lines, lineHeightPx, ratio, blurPx)
              const j = decodeQrPng(png, { inverted }) === LINK ? 'J' : '-'
              const z = decodeQrPngWithZxing(png, { inverted }) === LINK ? 'Z' : '-'
              cells.push(`${j}${z}`)
            }
        rows.push(
          `| ${name} | ${lines.length} × ${[...(lines[0] ?? '')].length} | ${cells.join(' | ')} |`
        )
      }
      console.log(rows.join('\n'))
    },
    300_000
  )
})

/** The drawing before issue 21, two module rows a line, for the matrix. */
function drawHalfBlocks(matrix: ModuleMatrix): string[] {
  const side = matrix.size + 8
  const light = (x: number, y: number): boolean =>
    y >= side ||
    !(x >= 4 && y >= 4 && x < matrix.size + 4 && y < matrix.size + 4 && matrix.isDark(x - 4, y - 4))
  const lines: string[] = []
  for (let y = 0; y < side; y += 2) {
    let line = ''
    for (let x = 0; x < side; x++)
      line += [' ', '▄', '▀', '█'][(light(x, y) ? 2 : 0) + (light(x, y + 1) ? 1 : 0)]
    lines.push(line)
  }
  return lines
}

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
          // The run number the Actions page shows, as the runner sets it (GITHUB_RUN_NUMBER).
          runNumber: safeText('17', { maxLength: 4000 }),
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
        expect(text).toContain('Asked by octo/release · workflow "Release" · run #17')
        const png = await page.locator('#message').screenshot()
        if (update) writeFileSync(join(ROOT, 'docs', 'slack-notification.png'), png)
      } finally {
        await page.close()
      }
    },
    60_000
  )
})
