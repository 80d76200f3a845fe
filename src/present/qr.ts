import type { FlowEvent, FlowListener } from '../flow/events.js'
import type { Runner } from '../runner/runner.js'

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
        runner.debug(`No QR code: the link is longer than ${MAX_QR_TEXT_LENGTH} characters.`)
        return
      }
      // L: the fewest modules, so each is as large as the log's font allows; a screen is clean.
      const lines = drawHalfBlocks(await encodeQr(link, 'L'), { quietZone: 4, drawn: 'light' })
      runner.info(
        device.verificationUriComplete
          ? `Or scan this with a phone (it opens the link with the code filled in):`
          : `Or scan this with a phone to open the page (then enter the code):`
      )
      // Block characters and spaces only: the runner adapter passes them as they are.
      for (const line of lines) runner.info(line)
    }
  }
}

/** ISO/IEC 18004 error correction: L recovers about 7 % of the symbol, M 15 %, Q 25 %, H 30 %. */
export type ErrorCorrection = 'L' | 'M' | 'Q' | 'H'

/**
 * The QR symbol for a text, from the maintained `qrcode` library, loaded when a code is first
 * drawn: a run with qr-code: false never needs it.
 */
export async function encodeQr(
  text: string,
  errorCorrection: ErrorCorrection = 'M'
): Promise<ModuleMatrix> {
  // The encoder alone: the package's entry also loads its PNG, SVG and terminal renderers.
  const encoder = await import('qrcode/lib/core/qrcode.js')
  // A CommonJS module: its exports arrive as named exports or under default, by loader.
  const create =
    encoder.create ?? (encoder as unknown as { default: typeof encoder }).default.create
  const symbol = create(text, { errorCorrectionLevel: errorCorrection })
  const { size } = symbol.modules
  return { size, isDark: (x, y) => symbol.modules.get(y, x) === 1 }
}

/**
 * A QR code as lines of text: each character cell holds two modules, one above the other, drawn
 * with the Unicode half blocks (▀ ▄ █) and a space. A phone scans it off the job log.
 */
export interface ModuleMatrix {
  /** Modules per side, without the quiet zone. */
  readonly size: number
  isDark(x: number, y: number): boolean
}

/**
 * Which modules are drawn as glyphs. The log's text is light on a dark background, so drawing the
 * light modules (and the quiet zone) gives a normal dark-on-light code, which every scanner
 * reads; drawing the dark modules gives an inverted one, which some scanners refuse.
 */
export type DrawnModules = 'light' | 'dark'

export interface HalfBlockOptions {
  /** Light modules around the code; ISO/IEC 18004 asks for 4. */
  readonly quietZone?: number
  readonly drawn?: DrawnModules
}

const CELLS = [' ', '▄', '▀', '█'] as const

export function drawHalfBlocks(matrix: ModuleMatrix, options: HalfBlockOptions = {}): string[] {
  const quietZone = options.quietZone ?? 4
  const drawn = options.drawn ?? 'light'
  const side = matrix.size + 2 * quietZone
  // Outside the matrix is the quiet zone, which is light.
  const dark = (x: number, y: number): boolean => {
    const mx = x - quietZone
    const my = y - quietZone
    return mx >= 0 && my >= 0 && mx < matrix.size && my < matrix.size && matrix.isDark(mx, my)
  }
  const inked = (x: number, y: number): boolean => (drawn === 'dark') === dark(x, y)
  const lines: string[] = []
  for (let y = 0; y < side; y += 2) {
    let line = ''
    for (let x = 0; x < side; x++) {
      // An odd last row has no partner below: the quiet zone continues there.
      const top = inked(x, y)
      const bottom = y + 1 < side ? inked(x, y + 1) : drawn === 'light'
      line += CELLS[(top ? 2 : 0) + (bottom ? 1 : 0)]
    }
    lines.push(line)
  }
  return lines
}
