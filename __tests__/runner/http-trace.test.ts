import { describe, expect, it } from '@jest/globals'
import { traceHttp } from '../../src/runner/http-trace.js'
import { json } from '../../test-support/fakes.js'

describe('traceHttp', () => {
  it('names the fields of a form body, never their values', async () => {
    const lines: string[] = []
    const http = traceHttp(
      async () => json(200, { access_token: 'at-9' }),
      (l) => lines.push(l),
      () => 0
    )
    await http({
      method: 'POST',
      url: 'https://id.example.com/token?x=1',
      headers: {},
      body: 'grant_type=refresh_token&refresh_token=rt-secret-1',
      timeoutMs: 1000
    })
    expect(lines).toEqual([
      'POST https://id.example.com/token?… sending [grant_type, refresh_token] → HTTP 200 [access_token] in 0 ms'
    ])
  })

  it('names the members of a JSON body, never the body itself', async () => {
    const lines: string[] = []
    const http = traceHttp(
      async () => ({ status: 204, headers: {}, body: '' }),
      (l) => lines.push(l),
      () => 0
    )
    await http({
      method: 'DELETE',
      url: 'https://api.github.com/applications/Iv1/token',
      headers: { Authorization: 'Basic eA==' },
      body: JSON.stringify({ access_token: 'ghu_secret_value' }),
      timeoutMs: 1000
    })
    expect(lines[0]).toContain(
      'DELETE https://api.github.com/applications/Iv1/token sending [access_token] with Authorization'
    )
    expect(lines.join('\n')).not.toContain('ghu_secret_value')
  })
})
