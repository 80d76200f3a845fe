import { describe, expect, it } from '@jest/globals'
import {
  COLUMNS_PER_MODULE,
  drawModuleRows,
  encodeQr,
  type ModuleMatrix
} from '../../src/present/qr.js'
import { decodeDrawnText } from '../../test-support/qr-text.js'

const URL_WITH_CODE = 'https://login.example.com/device?user_code=WDJB-MJHT'

describe('a QR code drawn one module a line, three characters a module', () => {
  it('reads back as the URL', async () => {
    const lines = drawModuleRows(await encodeQr(URL_WITH_CODE, 'L'))
    expect(decodeDrawnText(lines)).toBe(URL_WITH_CODE)
  })

  it.each(['L', 'M', 'Q', 'H'] as const)('reads back at error correction %s', async (level) => {
    const long = 'https://dev-123456.okta.com/activate?user_code=ABCDEFGH&a=' + 'x'.repeat(120)
    expect(decodeDrawnText(drawModuleRows(await encodeQr(long, level)))).toBe(long)
  })

  it('has a quiet zone of 4 light modules: four full lines above and below, 12 █ each side', async () => {
    const matrix = await encodeQr(URL_WITH_CODE, 'L')
    const lines = drawModuleRows(matrix)
    const side = matrix.size + 8
    expect(COLUMNS_PER_MODULE).toBe(3)
    expect(lines).toHaveLength(side)
    for (const line of lines) {
      expect([...line]).toHaveLength(side * 3)
      expect(line.startsWith('█'.repeat(12))).toBe(true)
      expect(line.endsWith('█'.repeat(12))).toBe(true)
    }
    for (const line of [...lines.slice(0, 4), ...lines.slice(-4)])
      expect(line).toBe('█'.repeat(side * 3))
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
    const lines = drawModuleRows(finder, { quietZone: 4, columnsPerModule: 1 })
    expect(lines[4]?.slice(4, 11)).toBe('       ')
    expect(lines[5]?.slice(4, 11)).toBe(' █████ ')
    expect(lines[6]?.slice(4, 11)).toBe(' █   █ ')
  })

  it('fails to read when the rows are shifted by one: the check sees the drawing, not the URL', async () => {
    const lines = drawModuleRows(await encodeQr(URL_WITH_CODE, 'L'))
    const shifted = lines.map((line, row) => (row % 2 ? line : line.slice(3) + line.slice(0, 3)))
    expect(decodeDrawnText(shifted)).toBeNull()
  })

  it('drawing the dark modules instead gives the inverse code, which a normal reading refuses', async () => {
    const lines = drawModuleRows(await encodeQr(URL_WITH_CODE, 'L'), { drawn: 'dark' })
    expect(decodeDrawnText(lines)).toBeNull()
  })
})
