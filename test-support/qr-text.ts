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
 * Reads a QR code drawn with half blocks back from the text, as a scanner would from pixels:
 * each character cell becomes a block of pixels, its upper half lit for ▀ or █, its lower half
 * for ▄ or █, lit meaning light (the log's text colour on its dark background). Any other
 * character fails the reading. Returns the decoded text, or null.
 */
export function decodeHalfBlockText(lines: readonly string[], pixelsPerModule = 4): string | null {
  const width = Math.max(...lines.map((line) => [...line].length)) * pixelsPerModule
  const height = lines.length * 2 * pixelsPerModule
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
        throw new Error(`"${char}" at line ${row + 1}, column ${column + 1} is not a half block`)
      halves.forEach((lit, half) => {
        for (let dy = 0; dy < pixelsPerModule; dy++)
          for (let dx = 0; dx < pixelsPerModule; dx++) {
            const x = column * pixelsPerModule + dx
            const y = (row * 2 + half) * pixelsPerModule + dy
            const offset = (y * width + x) * 4
            data.fill(lit ? 255 : 0, offset, offset + 3)
            data[offset + 3] = 255
          }
      })
    })
  })
  return jsQR(data, width, height, { inversionAttempts: 'dontInvert' })?.data ?? null
}
