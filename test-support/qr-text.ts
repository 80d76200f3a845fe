import jsqrImport from 'jsqr'

// jsQR is CommonJS with an ES-style default export: its types see a namespace, Node's ESM loader
// hands over the function (or, bundled, an object holding it as default).
type Decode = (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  options?: { inversionAttempts?: 'dontInvert' | 'onlyInvert' | 'attemptBoth' | 'invertFirst' }
) => { data: string } | null
const loaded = jsqrImport as unknown as Decode | { default: Decode }
const jsQR: Decode = typeof loaded === 'function' ? loaded : loaded.default

/**
 * Reads a QR code drawn as text back, as a scanner would from pixels: each character cell becomes
 * a block of pixels (`cellWidth` by `cellHeight`), lit for █ and dark for a space, lit meaning
 * light (the log's text colour on its dark background); with the half blocks ▀ and ▄ the upper or
 * lower half is lit. Any other character fails the reading. The cell's shape is a terminal's,
 * where glyphs fill their cells: a module drawn three characters wide on one line is square.
 * Returns the decoded text, or null.
 */
export function decodeDrawnText(
  lines: readonly string[],
  { cellWidth = 4, cellHeight = 12 }: { cellWidth?: number; cellHeight?: number } = {}
): string | null {
  const width = Math.max(...lines.map((line) => [...line].length)) * cellWidth
  const height = lines.length * cellHeight
  const data = new Uint8ClampedArray(width * height * 4)
  lines.forEach((line, row) => {
    ;[...line].forEach((char, column) => {
      const halves = {
        ' ': [false, false],
        '▀': [true, false],
        '▄': [false, true],
        '█': [true, true]
      }[char]
      if (!halves)
        throw new Error(`"${char}" at line ${row + 1}, column ${column + 1} is not a block`)
      for (let dy = 0; dy < cellHeight; dy++)
        for (let dx = 0; dx < cellWidth; dx++) {
          const lit = halves[dy < cellHeight / 2 ? 0 : 1]
          const offset = ((row * cellHeight + dy) * width + column * cellWidth + dx) * 4
          data.fill(lit ? 255 : 0, offset, offset + 3)
          data[offset + 3] = 255
        }
    })
  })
  return jsQR(data, width, height, { inversionAttempts: 'dontInvert' })?.data ?? null
}
