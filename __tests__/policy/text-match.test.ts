import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { emailForm, exact, globMatches, looseForm } from '../../src/policy/text-match.js'

describe('globMatches', () => {
  it.each([
    ['*@example.com', 'alice@example.com', true],
    ['*@example.com', '@example.com', true],
    ['*@example.com', 'alice@example.com.evil.test', false],
    ['*@example.com', 'alice@sub.example.com', false],
    ['*@*.example.com', 'alice@sub.example.com', true],
    ['release-*', 'release-bot', true],
    ['release-*', 'release', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a?c', 'abbc', false],
    ['a*b*c', 'aXbYbZc', true],
    ['a*b*c', 'aXcYb', false],
    ['alice', 'alice', true],
    ['alice', 'alice2', false],
    ['alice', 'xalice', false],
    ['', '', true],
    ['*', '', true]
  ])('%j against %j is %s', (pattern, text, expected) => {
    expect(globMatches(pattern, text)).toBe(expected)
  })

  it('treats every other character literally: a dot is a dot, brackets are brackets', () => {
    expect(globMatches('a.b', 'axb')).toBe(false)
    expect(globMatches('[ab]', 'a')).toBe(false)
    expect(globMatches('[ab]', '[ab]')).toBe(true)
    expect(globMatches('^alice$', 'alice')).toBe(false)
  })

  it('lets ? stand for one code point: an emoji or a letter outside the BMP', () => {
    expect(globMatches('build-?', 'build-🚀')).toBe(true)
    expect(globMatches('?', '𝒜')).toBe(true)
    expect(globMatches('??', '𝒜')).toBe(false)
  })

  it('without wildcards, is exactly string equality (property)', () => {
    const plain = fc.string({ unit: 'grapheme' }).filter((s) => !/[*?]/.test(s))
    fc.assert(
      fc.property(plain, plain, (pattern, text) => {
        expect(globMatches(pattern, text)).toBe(pattern === text)
      })
    )
  })

  it('*x* matches exactly the texts that contain x (property)', () => {
    const plain = fc.string().filter((s) => !/[*?]/.test(s))
    fc.assert(
      fc.property(plain, fc.string(), (needle, text) => {
        expect(globMatches(`*${needle}*`, text)).toBe(text.includes(needle))
      })
    )
  })

  it('a prefix* matches exactly the texts that start with it (property)', () => {
    const plain = fc.string().filter((s) => !/[*?]/.test(s))
    fc.assert(
      fc.property(plain, fc.string(), (prefix, text) => {
        expect(globMatches(`${prefix}*`, text)).toBe(text.startsWith(prefix))
      })
    )
  })
})

describe('exact', () => {
  it('unifies the two encodings of the same letters (NFC)', () => {
    const composed = 'Jos\u00e9'
    const decomposed = 'Jose\u0301'
    expect(composed).not.toBe(decomposed)
    expect(exact(composed)).toBe(exact(decomposed))
  })

  it('keeps look-alikes apart: Cyrillic а is not Latin a, fullwidth is not ASCII', () => {
    expect(exact('\u0430lice')).not.toBe(exact('alice'))
    expect(exact('ａｌｉｃｅ')).not.toBe(exact('alice'))
    expect(exact('Alice')).not.toBe(exact('alice'))
  })
})

describe('emailForm', () => {
  it('ignores case, in ASCII and beyond', () => {
    expect(emailForm('Alice@Example.COM')).toBe(emailForm('alice@example.com'))
    expect(emailForm('ÉLODIE@exemple.fr')).toBe(emailForm('élodie@exemple.fr'))
  })

  it('still keeps look-alike letters apart', () => {
    expect(emailForm('\u0430lice@example.com')).not.toBe(emailForm('alice@example.com'))
  })
})

describe('looseForm (for the rule that refuses)', () => {
  it('sees through case, fullwidth letters, zero-width and bidi characters', () => {
    expect(looseForm('Octocat')).toBe('octocat')
    expect(looseForm('ｏｃｔｏｃａｔ')).toBe('octocat')
    expect(looseForm('octo\u200Bcat')).toBe('octocat')
    expect(looseForm('\u202Eoctocat\u202C')).toBe('octocat')
    expect(looseForm(' octocat ')).toBe('octocat')
  })

  it('still tells different names apart', () => {
    expect(looseForm('octocat')).not.toBe(looseForm('octodog'))
  })
})
