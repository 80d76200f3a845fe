import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { madeSafe, safeText } from '../../src/safe-text.js'
import { commandInjection } from '../../test-support/properties.js'
import { commandsIn, MODEL_LINE_BREAK } from '../../test-support/runner-commands.js'

/** Own text the action puts around foreign text: prefixes that end in spaces, #, or nothing. */
const ownAround = fc.constantFrom('', ' ', '  ', '#', '##', 'Approved by ', '│   2. Enter  ', ':')

/**
 * Characters the shortcut takes and characters next to them that it must not: the edges of its
 * ranges, spaces, line and paragraph separators, bidi and zero-width marks, ESC, #, [ and :.
 */
const nearTheShortcut = fc.constantFrom(
  ...'aZ09 ~!#[]:\\/-'.split(''),
  '\u2012',
  '\u2013',
  '\u2014',
  '\u2015',
  '\u2025',
  '\u2026',
  '\u2027',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u218f',
  '\u2190',
  '\u21ff',
  '\u2200',
  '\u24ff',
  '\u2500',
  '\u257f',
  '\u2580',
  '\u00a0',
  '\u00ad',
  '\u200b',
  '\u3000',
  '\t',
  '\n',
  '\u001b',
  '\u0085',
  '\u009b',
  '\ufeff'
)

describe('safeText on anything', () => {
  it('gives what the character-by-character rules give, shortcut or not', () => {
    fc.assert(
      fc.property(
        fc.array(nearTheShortcut, { maxLength: 40 }).map((chars) => chars.join('')),
        fc.integer({ min: 1, max: 45 }),
        (text, maxLength) => {
          expect(safeText(text, { maxLength })).toBe(madeSafe(text, maxLength))
        }
      ),
      { numRuns: 5000 }
    )
  })

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
