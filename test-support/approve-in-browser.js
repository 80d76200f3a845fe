// @ts-check
/**
 * Approves a device authorization at the test IdP (test-support/idp.js) the way a person
 * would, in a real headless Chromium: open verification_uri_complete, confirm the code,
 * pick the user on the login page, click Approve, and wait for the success page.
 * Bounded: 30 s in all; the browser is always closed.
 */
import { chromium } from 'playwright-core'

export const CHROMIUM_PATH = '/usr/bin/chromium'
const TOTAL_TIMEOUT_MS = 30_000
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync'
]

/**
 * @param {string} verificationUriComplete
 * @param {{ user?: string, screenshotPath?: string }} [opts]
 * @returns {Promise<void>}
 */
export async function approveInBrowser(verificationUriComplete, opts = {}) {
  const user = opts.user ?? 'alice'
  const deadline = Date.now() + TOTAL_TIMEOUT_MS
  const remaining = () => Math.max(1, deadline - Date.now())

  /** @type {import('playwright-core').Browser | undefined} */
  let browser
  /** @type {import('playwright-core').Page | undefined} */
  let page
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer
  let step = 'launching Chromium'
  let finished = false

  /** What the page currently shows, for error messages. */
  async function describePage() {
    if (!page) return 'no page'
    try {
      const id = await page
        .locator('meta[name="idp-page"]')
        .getAttribute('content', { timeout: 500 })
        .catch(() => null)
      const text = (
        await page
          .locator('body')
          .innerText({ timeout: 500 })
          .catch(() => '')
      )
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 300)
      return `page "${id ?? '?'}" at ${page.url()}: ${text}`
    } catch {
      return `page at ${page.url()}`
    }
  }

  /** @param {string} id */
  async function waitForPage(id) {
    await page
      ?.locator(`meta[name="idp-page"][content="${id}"]`)
      .waitFor({ state: 'attached', timeout: remaining() })
  }

  const run = async () => {
    const launched = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: remaining()
    })
    if (finished) {
      // The overall timeout fired while Chromium was starting: do not leave it running.
      await launched.close().catch(() => undefined)
      return
    }
    browser = launched
    const context = await browser.newContext()
    page = await context.newPage()
    page.setDefaultTimeout(10_000)

    step = `opening ${verificationUriComplete}`
    await page.goto(verificationUriComplete, {
      waitUntil: 'domcontentloaded',
      timeout: remaining()
    })
    // oidc-provider answers verification_uri_complete with a self-submitting form, which
    // lands on the confirmation page.
    step = 'waiting for the code confirmation page'
    await waitForPage('device-confirm')

    step = 'confirming the code'
    await page
      .locator('button[form="op.deviceConfirmForm"]:not([name="abort"])')
      .click({ timeout: remaining() })
    step = 'waiting for the login page'
    await waitForPage('login')

    step = `choosing user "${user}" on the login page`
    const userButton = page.locator(
      `button[name="user"][value="${user.replace(/["\\]/g, '\\$&')}"]`
    )
    if ((await userButton.count()) === 0)
      throw new Error(`user "${user}" is not offered on the login page`)
    await userButton.click({ timeout: remaining() })
    step = 'waiting for the consent page'
    await waitForPage('consent')

    step = 'clicking Approve'
    await page.locator('button[name="decision"][value="approve"]').click({ timeout: remaining() })
    step = 'waiting for the success page'
    await waitForPage('device-success')

    if (opts.screenshotPath) {
      step = 'taking the screenshot'
      await page.screenshot({ path: opts.screenshotPath, fullPage: true, timeout: remaining() })
    }
  }

  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`timed out after ${TOTAL_TIMEOUT_MS / 1000} s`)),
          TOTAL_TIMEOUT_MS
        )
      })
    ])
  } catch (err) {
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let describeTimer
    const where = await Promise.race([
      describePage(),
      new Promise((resolve) => {
        describeTimer = setTimeout(() => resolve('(page unavailable)'), 2000)
      })
    ])
    clearTimeout(describeTimer)
    if (opts.screenshotPath && page) {
      await page
        .screenshot({ path: opts.screenshotPath, fullPage: true, timeout: 2000 })
        .catch(() => undefined)
    }
    throw new Error(
      `approveInBrowser: failed while ${step}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)} (${where})`,
      { cause: err }
    )
  } finally {
    finished = true
    clearTimeout(timer)
    await /** @type {import('playwright-core').Browser | undefined} */ (browser)
      ?.close()
      .catch(() => undefined)
  }
}
