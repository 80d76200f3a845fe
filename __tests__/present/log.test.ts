import { describe, expect, it } from '@jest/globals'
import type { FlowEvent } from '../../src/flow/events.js'
import { logListener } from '../../src/present/log.js'
import { RecordingRunner } from '../../test-support/fakes.js'

const transient = (reason: string, failuresInARow: number): FlowEvent => ({
  type: 'poll',
  event: { type: 'transient', reason, failuresInARow, retryInMs: 5000 }
})
const DOWN =
  'The token endpoint (https://id.example.com/token) answered HTTP 503, but the body is an HTML page titled "Down", not JSON; expected tokens. A web page usually means a wrong URL.'

describe('the log: a token endpoint that keeps failing', () => {
  it('tells a failure once in full, then the same failure again in one short line', async () => {
    const runner = new RecordingRunner()
    const log = logListener(runner)
    await log.on(transient(DOWN, 1))
    await log.on(transient(DOWN, 2))
    await log.on(transient(DOWN, 3))
    expect(runner.logs.map((entry) => entry.message)).toEqual([
      `${DOWN} Trying again in 5 s (failure 1 in a row).`,
      'The token endpoint failed the same way again. Trying again in 5 s (failure 2 in a row).',
      'The token endpoint failed the same way again. Trying again in 5 s (failure 3 in a row).'
    ])
  })

  it('tells a different failure in full, and the same one again in full after a success', async () => {
    const runner = new RecordingRunner()
    const log = logListener(runner)
    await log.on(transient(DOWN, 1))
    await log.on(transient('The connection to the token endpoint was reset.', 2))
    await log.on(transient(DOWN, 1))
    expect(runner.logs.map((entry) => entry.message)).toEqual([
      `${DOWN} Trying again in 5 s (failure 1 in a row).`,
      'The connection to the token endpoint was reset. Trying again in 5 s (failure 2 in a row).',
      `${DOWN} Trying again in 5 s (failure 1 in a row).`
    ])
  })
})
