import { describe, expect, it } from '@jest/globals'
import { encodeQr } from '../../src/present/qr.js'
import { drawHalfBlocks, type ModuleMatrix } from '../../src/present/qr.js'
import { decodeHalfBlockText } from '../../test-support/qr-text.js'

const URL_WITH_CODE = 'https://login.example.com/device?user_code=WDJB-MJHT'

describe('a QR code drawn with half blocks', () => {
  it('reads back as the URL', async () => {
    const lines = drawHalfBlocks(await encodeQr(URL_WITH_CODE, 'L'))
    expect(decodeHalfBlockText(lines)).toBe(URL_WITH_CODE)
  })

  it.each(['L', 'M', 'Q', 'H'] as const)('reads back at error correction %s', async (level) => {
    const long = 'https://dev-123456.okta.com/activate?user_code=ABCDEFGH&a=' + 'x'.repeat(120)
    expect(decodeHalfBlockText(drawHalfBlocks(await encodeQr(long, level)))).toBe(long)
  })

  it('has a quiet zone of 4 light modules: two full lines above, and 4 columns of █ each side', async () => {
    const matrix = await encodeQr(URL_WITH_CODE, 'L')
    const lines = drawHalfBlocks(matrix)
    const side = matrix.size + 8
    expect(lines).toHaveLength(Math.ceil(side / 2))
    for (const line of lines) {
      expect([...line]).toHaveLength(side)
      expect(line.startsWith('████')).toBe(true)
      expect(line.endsWith('████')).toBe(true)
    }
    expect(lines[0]).toBe('█'.repeat(side))
    expect(lines[1]).toBe('█'.repeat(side))
  })

  it('draws the top-left finder pattern where ISO/IEC 18004 puts it', () => {
    // A 21-module symbol whose only dark modules are the top-left finder (7 × 7, hollow ring, 3 × 3 core).
    const finder: ModuleMatrix = {
      size: 21,
      isDark: (x, y) => {
        if (x > 6 || y > 6) return false
        const ring = x === 0 || y === 0 || x === 6 || y === 6
        const core = x >= 2 && x <= 4 && y >= 2 && y <= 4
        return ring || core
      }
    }
    const lines = drawHalfBlocks(finder, { quietZone: 4 })
    // Module rows 4 and 5 (line 2): the ring's top edge (dark) over its hollow row.
    expect([...(lines[2] ?? '')].slice(4, 11).join('')).toBe(' ▄▄▄▄▄ ')
    // Module rows 2 and 3 (line 3): ring, light, the 3-module core, light, ring.
    expect([...(lines[3] ?? '')].slice(4, 11).join('')).toBe(' █   █ ')
  })

  it('fails to read when the halves are swapped: the check sees the drawing, not the URL', async () => {
    const lines = drawHalfBlocks(await encodeQr(URL_WITH_CODE, 'L'))
    const swapped = lines.map((line) => line.replace(/[▀▄]/g, (c) => (c === '▀' ? '▄' : '▀')))
    expect(decodeHalfBlockText(swapped)).toBeNull()
  })

  it('drawing the dark modules instead gives the inverse code, which a normal reading refuses', async () => {
    const lines = drawHalfBlocks(await encodeQr(URL_WITH_CODE, 'L'), { drawn: 'dark' })
    expect(decodeHalfBlockText(lines)).toBeNull()
  })
})
