// Types for test-support/approve-in-browser.js.

/** Where approveInBrowser() expects Chromium (Debian's `chromium` package). */
export const CHROMIUM_PATH: '/usr/bin/chromium'

/**
 * Opens verification_uri_complete of the test IdP in headless Chromium, confirms the code,
 * signs in as `user` (default 'alice') and clicks Approve; waits for the success page.
 * Bounded by 30 s; always closes the browser. `screenshotPath`: a PNG of the success page
 * (or of the page it failed on).
 */
export function approveInBrowser(
  verificationUriComplete: string,
  opts?: { user?: string; screenshotPath?: string }
): Promise<void>
