import { describe, expect, it } from '@jest/globals'
import { redact, safeText } from '../src/safe-text.js'
import { commandsIn } from '../test-support/runner-commands.js'

describe('safeText', () => {
  it('leaves ordinary text as it is', () => {
    expect(safeText('alice@example.com')).toBe('alice@example.com')
    expect(safeText('https://login.example.com/device?user_code=WDJB-MJHT')).toBe(
      'https://login.example.com/device?user_code=WDJB-MJHT'
    )
    expect(safeText('Zoë Åström 😀 日本語')).toBe('Zoë Åström 😀 日本語')
    expect(safeText('issue #12 [draft]')).toBe('issue #12 [draft]')
    expect(safeText('http://[::1]:8080/device')).toBe('http://[::1]:8080/device')
  })

  it('neutralizes the legacy ##[ command syntax anywhere in the text', () => {
    const shown = safeText('Release ##[stop-commands]pwned')
    expect(shown).toBe('Release ##\\[stop-commands]pwned')
    expect(commandsIn(`Asked by ${shown}`)).toEqual([])
  })

  it('neutralizes :: at the start, after any whitespace, Unicode spaces included', () => {
    expect(safeText('::set-output name=x::y')).toBe('\\::set-output name=x::y')
    expect(safeText('  \u00a0\u2003::add-mask::x')).toBe('\\::add-mask::x')
    expect(safeText('a::b')).toBe('a::b')
  })

  it('cannot form ##[ where two safe texts, or own text ending in #, are joined', () => {
    const joined = `#${safeText('#')}${safeText('[stop-commands]x')}`
    expect(joined).not.toContain('##[')
    expect(`${safeText('##')}${safeText('[x]')}`).not.toContain('##[')
  })

  it('shows every kind of line break visibly, on one line', () => {
    expect(safeText('a\r\nb')).toBe('a\\r\\nb')
    expect(safeText('a\u2028b\u2029c\u0085d\u000be\u000cf')).toBe(
      'a\\u2028b\\u2029c\\u0085d\\u000be\\u000cf'
    )
    expect(commandsIn(safeText('x\n::error::y\r##[add-mask]z'))).toEqual([])
  })

  it('shows bidi controls and invisible format characters as escapes', () => {
    expect(safeText('admin\u202egnp.exe')).toBe('admin\\u202egnp.exe')
    expect(safeText('a\u200bb\u200dc\u2066d\u2069e\ufefff\u00adg')).toBe(
      'a\\u200bb\\u200dc\\u2066d\\u2069e\\ufefff\\u00adg'
    )
    expect(safeText('tag\u{e0041}')).toBe('tag\\u{e0041}')
    expect(safeText('lone \ud800 surrogate')).toBe('lone \\ud800 surrogate')
    expect(safeText('bell\u0007')).toBe('bell\\u0007')
  })

  it('removes ANSI escape sequences', () => {
    expect(safeText('\u001b[31mred\u001b[0m \u001b[2K\u001b[1Aup')).toBe('red up')
    expect(safeText('\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007')).toBe('link')
    expect(safeText('\u009b31mred')).toBe('red')
  })

  it('makes other spaces a plain space and trims the ends', () => {
    expect(safeText('\u00a0 a\tb\u3000c  ')).toBe('a b c')
  })

  it('bounds the length with an ellipsis, counting code points, never splitting an escape', () => {
    expect(safeText('x'.repeat(20_000))).toHaveLength(200)
    expect(safeText('x'.repeat(20_000)).endsWith('…')).toBe(true)
    expect(safeText('abcdef', { maxLength: 4 })).toBe('abc…')
    expect(safeText('ab\u202ecd', { maxLength: 5 })).toBe('ab…')
    expect([...safeText('😀'.repeat(300))]).toHaveLength(200)
    expect(safeText('abcd', { maxLength: 4 })).toBe('abcd')
  })

  it('is idempotent', () => {
    for (const text of ['##[x]', '::x', 'a\nb', '\u202e', 'x'.repeat(500), '[a]', '\\[']) {
      const once = safeText(text)
      expect(safeText(once)).toBe(once)
    }
  })

  it('redacts a secret percent-encoded in a URL or a form, as a Location header would carry it', () => {
    const secret = 'p@ss w/rd+=ü'
    const upper = encodeURIComponent(secret)
    const lower = upper.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())
    const location = `Location: https://evil.example/cb?a=${upper}&b=${lower}&c=${upper.replace(/%20/g, '+')}`
    const shown = safeText(location, { redact: [secret], maxLength: 500 })
    expect(shown).toBe('Location: https://evil.example/cb?a=***&b=***&c=***')
  })

  it('redacts known secrets before escaping, so an escaped secret cannot slip past the mask', () => {
    const secret = 'cs-#[secret-value-123'
    const shown = safeText(`invalid client_secret ${secret}`, { redact: [secret, ''] })
    expect(shown).toBe('invalid client_secret ***')
    expect(redact('abcdef abc', ['abc', 'abcdef'])).toBe('*** ***')
  })

  it('redacts a secret quoted with its characters escaped as JSON writes them', () => {
    const token = 'gho_AbC/dEf+"q\\z😀-0123456789'
    const forms = [
      'gho_AbC\\/dEf+\\"q\\\\z😀-0123456789',
      'gho_AbC\\u002fdEf+\\u0022q\\u005cz\\ud83d\\ude00-0123456789',
      'gho_AbC\\u002FdEf+\\u0022q\\u005Cz\\uD83D\\uDE00-0123456789',
      '\\u0067\\u0068\\u006f_AbC\\/dEf+\\"q\\\\z😀-0123456789'
    ]
    for (const form of forms) {
      expect(redact(`the token ${form} is not valid`, [token])).toBe('the token *** is not valid')
    }
    // A near miss is left alone: one character differs.
    expect(redact('gho_AbC\\/dEf+\\"q\\\\z😀-0123456788', [token])).toContain('gho_AbC')
  })

  it('reads non-strings as text', () => {
    expect(safeText(undefined)).toBe('')
    expect(safeText(42)).toBe('42')
  })
})

describe('`…`', () => {
  it('joins own literals with safe values and numbers', () => {
    const name: string = safeText('Rel\u202eease')
    expect(`workflow "${name}" run ${42}`).toBe('workflow "Rel\\u202eease" run 42')
  })
})
