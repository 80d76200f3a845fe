import { describe, expect, it } from '@jest/globals'
import { escapeHtml, link } from '../../src/present/html.js'

describe('escapeHtml', () => {
  it('escapes the HTML special characters', () => {
    expect(escapeHtml(`<b a="1" b='2'>&</b>`)).toBe(
      '&lt;b a=&quot;1&quot; b=&#39;2&#39;&gt;&amp;&lt;/b&gt;'
    )
  })

  it('escapes an entity so that it shows as text', () => {
    expect(escapeHtml('&lt;script&gt;')).toBe('&amp;lt;script&amp;gt;')
  })

  it('escapes every character that starts Markdown syntax', () => {
    const escaped = escapeHtml('x [a](b) ![c](d) *e* _f_ `g` h|i \\j ~k~ #l')
    // '#' stays, but only inside the entities (&#91;).
    expect(escaped.replace(/&#\d+;/g, '')).not.toMatch(/[[\]()*_`|\\!~#]/)
    expect(escaped).toBe(
      'x &#91;a&#93;&#40;b&#41; &#33;&#91;c&#93;&#40;d&#41; &#42;e&#42; &#95;f&#95; &#96;g&#96; h&#124;i &#92;j &#126;k&#126; &#35;l'
    )
  })

  it('is safeText first: line breaks and control characters shown as escapes, commands neutralized', () => {
    expect(escapeHtml('a\nb\r\nc\td\u0000e\u007Ff\u0085g\u202eh')).toBe(
      'a&#92;nb&#92;r&#92;nc d&#92;u0000e&#92;u007ff&#92;u0085g&#92;u202eh'
    )
    expect(escapeHtml('##[stop-commands]x')).toBe('&#35;&#35;&#92;&#91;stop-commands&#93;x')
  })

  it('bounds what it shows', () => {
    expect(escapeHtml('x'.repeat(20_000))).toBe(`${'x'.repeat(1999)}…`)
  })

  it('leaves plain text, digits, dots, slashes and non-ASCII letters alone', () => {
    expect(escapeHtml('openid profile.read https://id.example.com/x 2026 Ünïcödé ✅')).toBe(
      'openid profile.read https://id.example.com/x 2026 Ünïcödé ✅'
    )
  })

  it('returns an empty string for an empty string', () => {
    expect(escapeHtml('')).toBe('')
  })
})

describe('link', () => {
  it('links a URL with the URL as its text', () => {
    expect(link('https://id.example.com/device')).toBe(
      '<a href="https://id.example.com/device">https://id.example.com/device</a>'
    )
  })

  it('uses the given text, escaped', () => {
    expect(link('https://github.com/o/r/actions/runs/1', '<b>run</b> [1]')).toBe(
      '<a href="https://github.com/o/r/actions/runs/1">&lt;b&gt;run&lt;/b&gt; &#91;1&#93;</a>'
    )
  })

  it('escapes a quote in the URL so that it cannot leave the href attribute', () => {
    const html = link('https://x.example/?a="><script>alert(1)</script>')
    expect(html).not.toMatch(/<script/)
    expect(html.match(/"/g)).toHaveLength(2)
    expect(html).toMatch(/^<a href="[^"<>]*">[^<>]*<\/a>$/)
  })

  it('escapes an apostrophe and an ampersand in the URL', () => {
    expect(link("https://x.example/?a=1&b='2'", 'x')).toBe(
      '<a href="https://x.example/?a=1&amp;b=&#39;2&#39;">x</a>'
    )
  })
})
