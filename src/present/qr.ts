import type { FlowEvent, FlowListener } from '../flow/events.js'
import { encodeQr } from './qr-encode.js'
import { drawHalfBlocks } from './qr-drawing.js'
import type { Runner } from '../runner/runner.js'
import { safe, type SafeText } from '../safe-text.js'

/** Longer links make a code too dense to scan off a screen; the link is in the log anyway. */
export const MAX_QR_TEXT_LENGTH = 300

/**
 * A QR code of the link with the code filled in (else of the verification page) in the log,
 * right after the prompt: the approver points a phone at the screen instead of typing. The
 * summary appears only after the step, so it gets none.
 */
export function qrListener(
  runner: Pick<Runner, 'info' | 'debug'>,
  enabled: () => boolean
): FlowListener {
  return {
    async on(event: FlowEvent): Promise<void> {
      if (event.type !== 'code-ready' || !enabled()) return
      const { device } = event.prompt
      const link = device.verificationUriComplete ?? device.verificationUri
      if (link.length > MAX_QR_TEXT_LENGTH) {
        runner.debug(safe`No QR code: the link is longer than ${MAX_QR_TEXT_LENGTH} characters.`)
        return
      }
      // L: the fewest modules, so each is as large as the log's font allows; a screen is clean.
      const lines = drawHalfBlocks(await encodeQr(link, 'L'), { quietZone: 4, drawn: 'light' })
      runner.info(
        device.verificationUriComplete
          ? safe`Or scan this with a phone (it opens the link with the code filled in):`
          : safe`Or scan this with a phone to open the page (then enter the code):`
      )
      // Drawn by the action: block characters and spaces only (safeText would trim the quiet zone).
      for (const line of lines) runner.info(line as SafeText)
    }
  }
}
