import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { safeText } from '../../src/text/safe-text.js'
import { commandInjection } from '../../test-support/properties.js'
import { commandsIn, MODEL_LINE_BREAK } from '../../test-support/runner-commands.js'

/** Own text the action puts around foreign text: prefixes that end in spaces, #, or nothing. */
const ownAround = fc.constantFrom('', ' ', '  ', '#', '##', 'Approved by ', '│   2. Enter  ', ':')

describe('safeText on anything', () => {
  it('never lets the model of the runner see a command, alone or joined to own or other safe text', () => {
    fc.assert(
      fc.property(ownAround, commandInjection, ownAround, commandInjection, (before, a, mid, b) => {
        const line = `${before}${safeText(a)}${mid.replace(/^:$/, '')}${safeText(b)}`
        // The action's own text never starts a line with ':' before foreign text.
        expect(commandsIn(before === ':' ? line.slice(1) : line)).toEqual([])
      }),
      { numRuns: 2000 }
    )
  })

  it('is one line of visible characters, bounded, and idempotent', () => {
    fc.assert(
      fc.property(commandInjection, fc.integer({ min: 1, max: 300 }), (text, maxLength) => {
        const shown = safeText(text, { maxLength })
        expect(shown).not.toMatch(MODEL_LINE_BREAK)
        expect(shown).not.toMatch(
          /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u
        )
        expect([...shown].length).toBeLessThanOrEqual(maxLength)
        expect(safeText(shown, { maxLength })).toBe(shown)
      }),
      { numRuns: 2000 }
    )
  })

  it('keeps printable text without command syntax as it is', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9][\x20-\x7E]{0,100}$/), (text) => {
        fc.pre(!text.includes('#[') && text.trimEnd() === text)
        expect(safeText(text)).toBe(text)
      })
    )
  })
})
