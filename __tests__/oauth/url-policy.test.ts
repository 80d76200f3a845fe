import { describe, expect, it } from '@jest/globals'
import { checkSecureUrl, isLoopbackHost, MAX_URL_LENGTH } from '../../src/oauth/url-policy.js'

function problemOf(value: string): string {
  const check = checkSecureUrl(value)
  if (check.ok) throw new Error(`accepted ${value}`)
  return check.problem
}

describe('isLoopbackHost', () => {
  it.each([
    '127.0.0.1',
    '127.0.0.0',
    '127.255.255.255',
    '127.1.2.3',
    '::1',
    '[::1]',
    'localhost',
    'LOCALHOST'
  ])('counts %s as loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true)
  })

  it.each([
    '127.0.0.256',
    '127.1',
    '127.0.0.1.1',
    '127.0.0.x',
    '128.0.0.1',
    '10.0.0.1',
    '0.0.0.0',
    'localhost.evil.com',
    'evil-localhost',
    '127.0.0.1.nip.io',
    '::2',
    '[::]',
    ''
  ])('does not count %j as loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(false)
  })
})

describe('checkSecureUrl', () => {
  it('accepts https anywhere, and returns the parsed URL', () => {
    const check = checkSecureUrl('https://id.example.com/oauth2/token?x=1')
    expect(check.ok).toBe(true)
    expect(check.ok && check.url.href).toBe('https://id.example.com/oauth2/token?x=1')
  })

  it.each([
    'http://127.0.0.1:8080/token',
    'http://127.9.9.9/token',
    'http://[::1]:3000/device',
    'http://localhost:3000/device'
  ])('accepts http on loopback: %s', (url) => {
    expect(checkSecureUrl(url).ok).toBe(true)
  })

  it.each([
    'http://id.example.com/token',
    'http://0.0.0.0/token',
    'http://localhost.evil.com/token',
    'http://10.0.0.1/token',
    'http://[::2]/token'
  ])('refuses http off loopback: %s', (url) => {
    expect(problemOf(url)).toContain('uses http://, which would send tokens in clear text')
  })

  it('judges the host the URL parser makes: http://127.1 is 127.0.0.1, so it is loopback', () => {
    const check = checkSecureUrl('http://127.1:8080/token')
    expect(check.ok && check.url.hostname).toBe('127.0.0.1')
  })

  it('refuses a host the URL parser rejects (127.0.0.256)', () => {
    expect(problemOf('http://127.0.0.256/')).toContain('is not an absolute URL')
  })

  it('refuses user names and passwords in the URL', () => {
    expect(problemOf('https://user:pw@id.example.com/')).toContain(
      'contains a user name or password'
    )
    expect(problemOf('https://user@id.example.com/')).toContain('contains a user name or password')
  })

  it('refuses a fragment', () => {
    expect(problemOf('https://id.example.com/token#frag')).toContain('has a #fragment')
  })

  it.each([
    ['javascript:alert(1)', 'javascript'],
    ['ftp://id.example.com/', 'ftp'],
    ['file:///etc/passwd', 'file'],
    ['data:text/html,hi', 'data'],
    ['ws://127.0.0.1/', 'ws']
  ])('refuses other schemes: %s', (url, scheme) => {
    expect(problemOf(url)).toBe(`uses ${scheme}://; only https:// is accepted`)
  })

  it('refuses relative and malformed URLs', () => {
    expect(problemOf('/token')).toContain('is not an absolute URL')
    expect(problemOf('id.example.com/token')).toContain('is not an absolute URL')
    expect(problemOf('https://')).toContain('is not an absolute URL')
  })

  it('refuses a URL longer than the limit', () => {
    const long = `https://id.example.com/${'a'.repeat(MAX_URL_LENGTH)}`
    expect(problemOf(long)).toBe(`is longer than ${MAX_URL_LENGTH} characters`)
  })
})
