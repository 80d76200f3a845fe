import type { FlowEvent, FlowListener } from '../flow/events.js'
import type { Runner } from '../runner/runner.js'

/**
 * Each module of the code is one log line tall and this many characters wide. GitHub's web log
 * sets 12 px text on 20 px lines, so a glyph fills only 13 or 14 px of its line and dark stripes
 * run between the lines: two modules a line (half blocks) break into stripes no decoder reads.
 * One module a line keeps the stripes on module edges, and three characters (about 22 px at
 * 12 px) make a module about as wide as it is tall. Measured in Chromium (docs/qr-code.md).
 */
export const COLUMNS_PER_MODULE = 3
/**
 * The widest drawing shown: wider lines wrap in a narrow log view, and a wrapped code is noise.
 * 135 columns is a version 5 symbol (37 modules and the quiet zone): a link of about 100
 * characters at error correction L.
 */
export const MAX_QR_COLUMNS = 135

/**
 * A QR code of the link with the code filled in (else of the verification page) in the log,
 * right after the prompt: the approver points a phone at the screen instead of typing. Off by
 * default (qr-code): it takes some forty lines of the log, and where it scans is in
 * docs/qr-code.md. The summary appears only after the step, so it gets none.
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
      // L: the fewest modules, so each is as large as the log allows; a screen is clean.
      const matrix = await encodeQr(link, 'L')
      const columns = (matrix.size + 2 * QUIET_ZONE) * COLUMNS_PER_MODULE
      if (columns > MAX_QR_COLUMNS) {
        runner.info(
          `No QR code: the link is too long to draw one the log shows whole (${columns} columns, at most ${MAX_QR_COLUMNS}); open the link instead.`
        )
        return
      }
      runner.info(
        device.verificationUriComplete
          ? `Or scan this with a phone (it opens the link with the code filled in):`
          : `Or scan this with a phone to open the page (then enter the code):`
      )
      // Block characters and spaces only: the runner adapter passes them as they are.
      for (const line of drawModuleRows(matrix)) runner.info(line)
    }
  }
}

/** ISO/IEC 18004 error correction: L recovers about 7 % of the symbol, M 15 %, Q 25 %, H 30 %. */
export type ErrorCorrection = 'L' | 'M' | 'Q' | 'H'

/** Light modules around the code, as ISO/IEC 18004 asks. */
const QUIET_ZONE = 4

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

export interface ModuleMatrix {
  /** Modules per side, without the quiet zone. */
  readonly size: number
  isDark(x: number, y: number): boolean
}

/**
 * Which modules are drawn as glyphs. The log's text is light on a dark background, so drawing the
 * light modules (and the quiet zone) gives a normal dark-on-light code, which every scanner
 * reads, and puts the gaps between lines inside the dark background; drawing the dark modules
 * gives an inverted code cut by light stripes, which no decoder here reads.
 */
export type DrawnModules = 'light' | 'dark'

export interface ModuleRowOptions {
  readonly quietZone?: number
  readonly columnsPerModule?: number
  readonly drawn?: DrawnModules
}

/**
 * A QR code as lines of text, one line a row of modules: a module is `columnsPerModule` full
 * blocks (█) where it is drawn and as many spaces where it is not.
 */
export function drawModuleRows(matrix: ModuleMatrix, options: ModuleRowOptions = {}): string[] {
  const quietZone = options.quietZone ?? QUIET_ZONE
  const columns = options.columnsPerModule ?? COLUMNS_PER_MODULE
  const drawn = options.drawn ?? 'light'
  const side = matrix.size + 2 * quietZone
  // Outside the matrix is the quiet zone, which is light.
  const dark = (x: number, y: number): boolean => {
    const mx = x - quietZone
    const my = y - quietZone
    return mx >= 0 && my >= 0 && mx < matrix.size && my < matrix.size && matrix.isDark(mx, my)
  }
  const inked = '█'.repeat(columns)
  const blank = ' '.repeat(columns)
  const lines: string[] = []
  for (let y = 0; y < side; y++) {
    let line = ''
    for (let x = 0; x < side; x++) line += (drawn === 'dark') === dark(x, y) ? inked : blank
    lines.push(line)
  }
  return lines
}
