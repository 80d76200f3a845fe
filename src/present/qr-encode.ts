import type { ModuleMatrix } from './qr-drawing.js'

/** ISO/IEC 18004 error correction: L recovers about 7 % of the symbol, M 15 %, Q 25 %, H 30 %. */
export type ErrorCorrection = 'L' | 'M' | 'Q' | 'H'

/**
 * The QR symbol for a text, from the maintained `qrcode` library. Loaded on first use with
 * import(), so the bundler puts it in a chunk of its own, off the path to the first log line.
 */
export async function encodeQr(
  text: string,
  errorCorrection: ErrorCorrection = 'M'
): Promise<ModuleMatrix> {
  // The encoder alone: the package's entry also loads its PNG, SVG and terminal renderers.
  const encoder = await import('qrcode/lib/core/qrcode.js')
  // A CommonJS module: its exports arrive as named exports or under default, by bundler.
  const create =
    encoder.create ?? (encoder as unknown as { default: typeof encoder }).default.create
  const symbol = create(text, { errorCorrectionLevel: errorCorrection })
  const { size } = symbol.modules
  return { size, isDark: (x, y) => symbol.modules.get(y, x) === 1 }
}
