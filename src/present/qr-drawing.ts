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
