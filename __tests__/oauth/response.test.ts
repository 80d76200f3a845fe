import { describe, expect, it } from '@jest/globals'
import type { HttpResponse } from '../../src/oauth/http.js'
import { oauthErrorOf, parseRetryAfter, readResponse } from '../../src/oauth/response.js'

const NOW = Date.UTC(2026, 10, 24, 10, 0, 0)

function response(
  status: number,
  body: string,
  headers: Record<string, string> = {}
): HttpResponse {
  return { status, headers, body }
}

const jsonType = { 'content-type': 'application/json' }

describe('readResponse', () => {
  it('reads a JSON object into fields', () => {
    const read = readResponse(
      response(200, '{"access_token":"at-0123456789abcdef","expires_in":3600}', jsonType),
      NOW
    )
    expect(read.kind).toBe('json')
    expect(read.status).toBe(200)
    expect(read.fields).toEqual({ access_token: 'at-0123456789abcdef', expires_in: 3600 })
    expect(read.unreadable).toBeUndefined()
  })

  it('reads JSON whatever the Content-Type says (text/plain, none)', () => {
    const plain = readResponse(response(200, '{"a":1}', { 'content-type': 'text/plain' }), NOW)
    const untyped = readResponse(response(200, '  {"a":1}\n'), NOW)
    expect(plain.fields).toEqual({ a: 1 })
    expect(untyped.fields).toEqual({ a: 1 })
  })

  it('skips a UTF-8 byte order mark before JSON', () => {
    const read = readResponse(
      response(200, '\uFEFF{"device_code":"dc-0123456789abcdef"}', jsonType),
      NOW
    )
    expect(read.kind).toBe('json')
    expect(read.fields).toEqual({ device_code: 'dc-0123456789abcdef' })
  })

  it('reads a form-encoded body as fields (GitHub without Accept: application/json)', () => {
    const body = 'error=authorization_pending&error_description=The+user+has+not+yet+approved'
    const typed = readResponse(
      response(200, body, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }),
      NOW
    )
    expect(typed.kind).toBe('form')
    expect(typed.fields).toEqual({
      error: 'authorization_pending',
      error_description: 'The user has not yet approved'
    })
    const untyped = readResponse(
      response(200, 'access_token=gho_x&token_type=bearer&scope=repo%2Cgist'),
      NOW
    )
    expect(untyped.kind).toBe('form')
    expect(untyped.fields).toEqual({
      access_token: 'gho_x',
      token_type: 'bearer',
      scope: 'repo,gist'
    })
  })

  it('reports an HTML page with its title', () => {
    const html =
      '<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body>x</body></html>'
    const read = readResponse(response(200, html, { 'content-type': 'text/html' }), NOW)
    expect(read.kind).toBe('html')
    expect(read.fields).toBeUndefined()
    expect(read.unreadable).toBe(
      'the body is an HTML page titled "Sign in to your account", not JSON'
    )
  })

  it('reports an HTML page without a title, and does not quote its text', () => {
    const read = readResponse(
      response(502, '<html><body>Bad Gateway from proxy-7</body></html>'),
      NOW
    )
    expect(read.kind).toBe('html')
    expect(read.unreadable).toBe('the body is an HTML page, not JSON')
    expect(read.unreadable).not.toContain('proxy-7')
  })

  it('keeps an HTML title to one line, its line breaks shown', () => {
    const read = readResponse(response(200, '<html><title>Access\r\n\tdenied</title></html>'), NOW)
    expect(read.unreadable).toContain('titled "Access\\r\\n denied"')
  })

  it('reports an empty body, also when it is only whitespace or a BOM', () => {
    for (const body of ['', '  \n', '\uFEFF']) {
      const read = readResponse(response(204, body), NOW)
      expect(read.kind).toBe('empty')
      expect(read.unreadable).toBe('the body is empty')
      expect(read.fields).toBeUndefined()
    }
  })

  it('reports garbage as not JSON, with its size and type but not its text', () => {
    const read = readResponse(
      response(200, 'Service temporarily down: node-42', { 'content-type': 'text/plain' }),
      NOW
    )
    expect(read.kind).toBe('other')
    expect(read.fields).toBeUndefined()
    expect(read.unreadable).toBe('the body is not JSON (33 bytes of text/plain text)')
  })

  it('reports truncated JSON as possibly truncated', () => {
    const read = readResponse(response(200, '{"access_token":"abc', jsonType), NOW)
    expect(read.kind).toBe('other')
    expect(read.fields).toBeUndefined()
    expect(read.unreadable).toMatch(/not valid JSON \(20 bytes; it may be truncated\)/)
  })

  it('reports a JSON array or scalar as JSON that is not an object', () => {
    for (const body of [
      '[{"access_token":"at-0123456789abcdef"}]',
      '"at-0123456789abcdef"',
      'null',
      '42'
    ]) {
      const read = readResponse(response(200, body, jsonType), NOW)
      expect(read.kind).toBe('json')
      expect(read.fields).toBeUndefined()
      expect(read.unreadable).toBe('the body is JSON but not an object')
    }
  })

  it('never quotes body content in unreadable: a truncated token response stays out of the log', () => {
    const token = 'gho_FAKEtokenVALUE0123456789abcdef'
    const bodies: Array<[string, Record<string, string>]> = [
      [`{"access_token":"${token}","token_type":"bea`, jsonType],
      [`{"access_token":"${token}"`, { 'content-type': 'text/plain' }],
      [`{"access_token":${token}}`, jsonType],
      [`garbage ${token}`, { 'content-type': 'text/plain' }],
      [`${token}`, {}],
      [`<html><body>${token}</body></html>`, {}],
      [`<html><title>`, { 'content-type': 'text/html' }]
    ]
    for (const [body, headers] of bodies) {
      const read = readResponse(response(200, body, headers), NOW)
      expect(read.unreadable).toBeDefined()
      expect(read.unreadable).not.toContain(token)
      expect(read.unreadable).not.toContain('FAKEtoken')
    }
  })

  it('reads Retry-After into retryAfterMs', () => {
    const read = readResponse(
      response(429, '{"error":"slow_down"}', { ...jsonType, 'retry-after': '7' }),
      NOW
    )
    expect(read.retryAfterMs).toBe(7000)
    expect(readResponse(response(200, '{}', jsonType), NOW).retryAfterMs).toBeUndefined()
  })
})

describe('oauthErrorOf', () => {
  const errorBody = {
    error: 'authorization_pending',
    error_description: 'The user has not yet approved',
    error_uri: 'https://docs.example.com/device'
  }

  it('reads the OAuth error from an HTTP 200 body (GitHub)', () => {
    const read = readResponse(response(200, JSON.stringify(errorBody), jsonType), NOW)
    expect(oauthErrorOf(read)).toEqual({
      error: 'authorization_pending',
      errorDescription: 'The user has not yet approved',
      errorUri: 'https://docs.example.com/device'
    })
  })

  it.each([400, 401, 403, 428, 429])('reads the OAuth error from an HTTP %i body', (status) => {
    const read = readResponse(response(status, '{"error":"access_denied"}', jsonType), NOW)
    expect(oauthErrorOf(read)).toEqual({ error: 'access_denied' })
  })

  it('reads the OAuth error from a form-encoded body', () => {
    const read = readResponse(response(200, 'error=slow_down&error_description=Too+fast'), NOW)
    expect(oauthErrorOf(read)).toEqual({ error: 'slow_down', errorDescription: 'Too fast' })
  })

  it('leaves out empty or non-string description and URI', () => {
    const read = readResponse(
      response(400, '{"error":"invalid_grant","error_description":"","error_uri":42}', jsonType),
      NOW
    )
    expect(oauthErrorOf(read)).toEqual({ error: 'invalid_grant' })
  })

  it('does not take an error object for an OAuth error (an API error, not RFC 6749 §5.2)', () => {
    const read = readResponse(
      response(400, '{"error":{"code":"BadRequest","message":"nope"}}', jsonType),
      NOW
    )
    expect(oauthErrorOf(read)).toBeUndefined()
  })

  it('does not take an error with characters outside RFC 6749 §5.2 for an OAuth error', () => {
    for (const error of [
      'say "hi"',
      'back\\slash',
      'line\nbreak',
      'ünïcode',
      '',
      'x'.repeat(201)
    ]) {
      const read = readResponse(response(400, JSON.stringify({ error }), jsonType), NOW)
      expect(oauthErrorOf(read)).toBeUndefined()
    }
  })

  it('finds no OAuth error in a response without fields, or without error', () => {
    expect(oauthErrorOf(readResponse(response(400, '<html></html>'), NOW))).toBeUndefined()
    expect(
      oauthErrorOf(readResponse(response(200, '{"access_token":"at-0123456789abcdef"}'), NOW))
    ).toBeUndefined()
    expect(oauthErrorOf(readResponse(response(400, '[{"error":"x"}]'), NOW))).toBeUndefined()
  })
})

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  it('reads delay-seconds as milliseconds', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0)
    expect(parseRetryAfter('120', NOW)).toBe(120_000)
    expect(parseRetryAfter(' 5 ', NOW)).toBe(5000)
  })

  it('reads an HTTP date as the time from now', () => {
    expect(parseRetryAfter(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30_000)
    expect(parseRetryAfter('Tue, 24 Nov 2026 10:01:00 GMT', NOW)).toBe(60_000)
  })

  it('reads the obsolete HTTP date forms (RFC 850 and asctime)', () => {
    expect(parseRetryAfter('Tuesday, 24-Nov-26 10:00:10 GMT', NOW)).toBe(10_000)
    // asctime carries no zone; Date.parse reads it in local time, so only check it is read.
    expect(parseRetryAfter('Tue Nov 24 10:00:20 2026', NOW)).toEqual(expect.any(Number))
  })

  it('reads a date in the past as no wait', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', NOW)).toBe(0)
  })

  it('caps the wait at one hour', () => {
    expect(parseRetryAfter('86400', NOW)).toBe(3600_000)
    expect(parseRetryAfter('99999999999999999999999', NOW)).toBe(3600_000)
    expect(parseRetryAfter('Thu, 01 Jan 2099 00:00:00 GMT', NOW)).toBe(3600_000)
  })

  it('ignores an absent or garbage value, rather than reading it as "now"', () => {
    for (const value of [
      undefined,
      '',
      'soon',
      '5s',
      '-5',
      '1.5',
      '2 minutes',
      '1 2',
      'may 3',
      '1e3'
    ]) {
      expect(parseRetryAfter(value, NOW)).toBeUndefined()
    }
  })
})
