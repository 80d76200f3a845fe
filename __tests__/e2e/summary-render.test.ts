import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { startAction, USER_CODE_LINE } from '../../test-support/action-process.js'
import { startIdp, type Idp } from '../../test-support/idp.js'
import { CHROMIUM_PATH, launchChromium } from '../../test-support/log-render.js'
import { openSummary } from '../../test-support/summary-render.js'

/**
 * The job summary of a real run of dist/index.js, rendered in Chromium as GitHub renders a
 * summary (Markdown with HTML, sanitized), and read as a person reads it: the outcome first,
 * what to do about the refresh token, then the request with its code marked as used.
 */
const hasChromium = existsSync(CHROMIUM_PATH)
const browserTest = hasChromium ? it : it.skip

let idp: Idp
let browser: Browser | undefined
beforeAll(async () => {
  ;[idp, browser] = await Promise.all([
    startIdp({ interval: 1 }),
    hasChromium ? launchChromium() : Promise.resolve(undefined)
  ])
}, 30_000)
afterAll(async () => {
  await Promise.all([idp.close(), browser?.close()])
})

describe('the job summary as GitHub shows it', () => {
  browserTest(
    'opens with who approved, when and how long it took, then the refresh token, then the used code',
    async () => {
      const run = startAction({
        inputs: {
          issuer: idp.issuer,
          'client-id': idp.clients.public.clientId,
          scope: 'openid profile offline_access'
        }
      })
      const [, userCode] = await run.waitFor(USER_CODE_LINE)
      await idp.approve(userCode as string, { user: 'alice' })
      const result = await run.done
      expect(result.code).toBe(0)

      const page = await openSummary(browser as Browser, result.summary)
      try {
        const blocks = await page.locator('#summary > *').evaluateAll((elements) =>
          elements.map((element) => ({
            tag: element.localName,
            text: (element as unknown as { innerText: string }).innerText
          }))
        )
        // The record opens with the outcome, then the refresh token, then the request.
        expect(blocks.map((block) => block.tag)).toEqual(['h2', 'table', 'p', 'h3', 'table'])
        const [heading, outcome, note, requestHeading, request] = blocks.map((block) => block.text)
        expect(heading).toBe('✅ Approved by alice')
        expect(outcome).toMatch(/^Approved by\talice\n/)
        expect(outcome).toMatch(/\nWhen\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n/)
        expect(outcome).toMatch(/\nTook\t\d+ s after the code was shown\n/)
        expect(note).toMatch(/^⚠️ Refresh token not stored\. The device flow returned/)
        expect(requestHeading).toBe('The request')
        expect(request).toMatch(
          new RegExp(
            `^Code\\t${userCode} \\(used at \\d\\d:\\d\\d:\\d\\d UTC: approved by alice\\)\\n`
          )
        )
        expect(request).toContain(`Verification page\t${idp.issuer}/device\n`)
        // Nothing in the record invites anyone to open the code's page: only the run is a link.
        const links = await page
          .locator('#summary a')
          .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')))
        expect(links).toEqual(['https://github.com/octo/release/actions/runs/4242'])
      } finally {
        await page.close()
      }
    },
    60_000
  )
})
