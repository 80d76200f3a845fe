import { describe, expect, it } from '@jest/globals'
import { TransportFailure, type HttpRequest, type HttpResponse } from '../../src/oauth/http.js'
import { WebhookSender } from '../../src/notify/sender.js'
import type { WebhookTarget } from '../../src/notify/targets.js'
import { FakeClock } from '../../test-support/fakes.js'

const TARGET: WebhookTarget = {
  url: 'https://hooks.slack.com/services/T0/B0/SECRETSECRET',
  kind: 'slack',
  label: 'notify-webhook line 1 (Slack, hooks.slack.com)'
}

type Answer = HttpResponse | TransportFailure | 'hang'

/** A transport that answers from a script, one answer per request, and records the requests. */
function scripted(answers: Answer[]) {
  const requests: HttpRequest[] = []
  const http = (request: HttpRequest): Promise<HttpResponse> => {
    requests.push(request)
    const answer = answers.shift() ?? { status: 200, headers: {}, body: 'ok' }
    if (answer === 'hang')
      return new Promise((_, reject) =>
        request.signal?.addEventListener('abort', () =>
          reject(new TransportFailure('aborted', true, 'cancelled'))
        )
      )
    return answer instanceof TransportFailure ? Promise.reject(answer) : Promise.resolve(answer)
  }
  return { http, requests }
}

function senderWith(answers: Answer[]) {
  const { http, requests } = scripted(answers)
  const clock = new FakeClock()
  const warnings: string[] = []
  const infos: string[] = []
  const sender = new WebhookSender({
    http,
    clock,
    warn: (message) => warnings.push(message),
    info: (message) => infos.push(message)
  })
  return { sender, requests, clock, warnings, infos }
}

const status = (code: number, body = '', headers: Record<string, string> = {}): HttpResponse => ({
  status: code,
  headers,
  body
})

describe('the webhook sender', () => {
  it('POSTs the body as JSON with a short timeout, and says nothing when it arrives', async () => {
    const { sender, requests, warnings } = senderWith([status(200, 'ok')])
    sender.send(TARGET, { text: 'hello' }, 'code-ready')
    await sender.close(1000)
    expect(requests).toHaveLength(1)
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: TARGET.url,
      body: '{"text":"hello"}',
      timeoutMs: 5000,
      headers: { 'Content-Type': 'application/json; charset=utf-8' }
    })
    expect(warnings).toEqual([])
  })

  it('retries a 5xx after 1 s, then 2 s, and warns once after three tries', async () => {
    const { sender, requests, clock, warnings } = senderWith([
      status(500),
      status(502),
      status(503)
    ])
    sender.send(TARGET, {}, 'code-ready')
    await sender.close(1000)
    expect(requests).toHaveLength(3)
    expect(clock.sleeps).toEqual([1000, 2000])
    expect(warnings).toEqual([
      'Could not send the code-ready notification to notify-webhook line 1 (Slack, hooks.slack.com): HTTP 503 (after 3 tries). The run goes on without it.'
    ])
  })

  it('stops retrying once it gets through', async () => {
    const { sender, requests, warnings } = senderWith([status(500), status(200)])
    sender.send(TARGET, {}, 'code-ready')
    await sender.close(1000)
    expect(requests).toHaveLength(2)
    expect(warnings).toEqual([])
  })

  it('does not retry a 4xx, and quotes a short error code from the answer', async () => {
    const { sender, requests, warnings } = senderWith([status(404, 'no_service')])
    sender.send(TARGET, {}, 'outcome')
    await sender.close(1000)
    expect(requests).toHaveLength(1)
    expect(warnings[0]).toContain('HTTP 404 "no_service".')
  })

  it.each([
    ['the secret path segment', 'SECRETSECRET'],
    ['it in another case', 'secretsecret is invalid'],
    ['the host', 'hooks.slack.com'],
    ['a path part', 'services'],
    ['a query value', 'sig-value-12345']
  ])('quotes nothing of an answer that repeats %s of its URL', async (_what, body) => {
    const target = { ...TARGET, url: `${TARGET.url}?sig=sig-value-12345` }
    const { sender, warnings } = senderWith([status(400, body)])
    sender.send(target, {}, 'outcome')
    await sender.close(1000)
    expect(warnings[0]).toContain('HTTP 400. The run goes on')
    expect(warnings[0]).not.toContain(`"${body}"`)
  })

  it('quotes nothing of a long or odd answer', async () => {
    const { sender, warnings } = senderWith([status(400, '<html>::error::x</html>')])
    sender.send(TARGET, {}, 'outcome')
    await sender.close(1000)
    expect(warnings[0]).toContain('HTTP 400. The run goes on')
  })

  it('waits a short Retry-After of a 429', async () => {
    const { sender, clock } = senderWith([status(429, '', { 'retry-after': '3' }), status(200)])
    sender.send(TARGET, {}, 'code-ready')
    await sender.close(1000)
    expect(clock.sleeps).toEqual([3000])
  })

  it.each([
    [
      new TransportFailure('timeout', true, 'no complete answer within 5000 ms'),
      'no answer within 5 s'
    ],
    [
      new TransportFailure('connection', false, 'ENOTFOUND'),
      'the host name did not resolve (ENOTFOUND)'
    ],
    [new TransportFailure('connection', false, 'ECONNREFUSED'), 'connection (ECONNREFUSED)']
  ])('retries %s and then says so', async (failure, said) => {
    const { sender, requests, warnings } = senderWith([failure, failure, failure])
    sender.send(TARGET, {}, 'code-ready')
    await sender.close(1000)
    expect(requests).toHaveLength(3)
    expect(warnings[0]).toContain(said)
  })

  it('never names the URL, which is a secret', async () => {
    const { sender, warnings, infos } = senderWith([
      status(500),
      status(500),
      status(500),
      status(403)
    ])
    sender.send(TARGET, {}, 'code-ready')
    sender.send(TARGET, {}, 'outcome')
    await sender.close(1000)
    for (const message of [...warnings, ...infos]) expect(message).not.toContain('SECRET')
  })

  it('warns once per webhook; later failures of the same webhook are log lines', async () => {
    const { sender, warnings, infos } = senderWith([status(403), status(403)])
    sender.send(TARGET, {}, 'code-ready')
    sender.send(TARGET, {}, 'outcome')
    await sender.close(1000)
    expect(warnings).toHaveLength(1)
    expect(infos).toEqual([expect.stringContaining('Could not send the outcome notification')])
  })

  it('keeps the order of one webhook: the outcome never overtakes the code', async () => {
    const { sender, requests } = senderWith([status(500), status(200), status(200)])
    sender.send(TARGET, { n: 1 }, 'code-ready')
    sender.send(TARGET, { n: 2 }, 'outcome')
    await sender.close(1000)
    // A newer message is waiting, so the failed first one is not retried.
    expect(requests.map((request) => request.body)).toEqual(['{"n":1}', '{"n":2}'])
  })

  it('returns at once from send, and gives up on a hanging webhook at close, aborting it', async () => {
    const { sender, requests, warnings } = senderWith(['hang'])
    const started = Date.now()
    sender.send(TARGET, {}, 'code-ready')
    expect(Date.now() - started).toBeLessThan(50)
    await sender.close(100)
    expect(Date.now() - started).toBeLessThan(1000)
    expect(requests[0]?.signal?.aborted).toBe(true)
    expect(warnings).toEqual([
      'Gave up on the notification to notify-webhook line 1 (Slack, hooks.slack.com): it was still being sent 0.1 s after the run ended.'
    ])
  })

  it('sends nothing after close', async () => {
    const { sender, requests } = senderWith([])
    await sender.close(10)
    sender.send(TARGET, {}, 'outcome')
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(requests).toHaveLength(0)
  })
})
