import { FlowEvents } from '../../src/flow/events.js'
import { describe, expect, it } from '@jest/globals'
import { handOff, type HandOffSubject } from '../../src/flow/hand-off.js'
import { readConfig } from '../../src/inputs.js'
import { openEnvelope } from '../../src/handoff/envelope.js'
import { decodeHandoff } from '../../src/handoff/payload.js'
import { RecordingRunner } from '../../test-support/fakes.js'

/** The sealing stage on its own: what goes into the handoff, and a value the runner would drop. */
const KEY_BYTES = new Uint8Array(32).map((_, i) => i * 3 + 1)
const KEY = Buffer.from(KEY_BYTES).toString('base64')
const RUN = { repositoryId: '123456789', runId: '4242' }
const ENV = { GITHUB_REPOSITORY_ID: '123456789', GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: '3' }
const AT = Date.UTC(2026, 10, 24, 10, 0, 0)
const SUBJECT: HandOffSubject = {
  tokens: {
    accessToken: 'access-token-0123456789abcdef',
    tokenType: 'Bearer',
    expiresInSeconds: 3600,
    refreshTokenExpiresInSeconds: 86_400
  },
  refreshToken: 'refresh-token-0123456789abcdef',
  atMs: AT,
  approvers: [{ name: 'alice', subject: 'sub-alice', shownSubject: 'sub-alice' }],
  clientId: 'release-bot',
  tokenEndpoint: 'https://id.example.com/token'
}

function stage(env: Record<string, string> = ENV) {
  const runner = new RecordingRunner(
    {
      'client-id': 'release-bot',
      issuer: 'https://id.example.com',
      'handoff-key': KEY,
      mode: 'device'
    },
    env
  )
  const events = new FlowEvents((error) => {
    throw error
  })
  return { runner, context: { runner, config: readConfig(runner), events } }
}

describe('handOff', () => {
  it('seals the tokens with their expiry as instants, the approvers and the job that sealed them', async () => {
    const { runner, context } = stage({ ...ENV, GITHUB_JOB: 'approve' })
    await handOff(context, SUBJECT)
    const opened = decodeHandoff(
      await openEnvelope(runner.outputs['handoff'] as string, KEY_BYTES, RUN)
    )
    expect(opened.tokens).toEqual({
      accessToken: 'access-token-0123456789abcdef',
      refreshToken: 'refresh-token-0123456789abcdef',
      tokenType: 'Bearer',
      expiresAtMs: AT + 3600_000,
      refreshTokenExpiresAtMs: AT + 86_400_000
    })
    expect(opened.approvers.map((approver) => approver.subject)).toEqual(['sub-alice'])
    expect(opened.sealedBy).toEqual({ job: 'approve', runAttempt: '3' })
    expect(opened.obtainedAtMs).toBe(AT)
  })

  it('leaves out a job name that is not a job id', async () => {
    const { runner, context } = stage({ ...ENV, GITHUB_JOB: '::stop-commands::x' })
    await handOff(context, SUBJECT)
    const opened = decodeHandoff(
      await openEnvelope(runner.outputs['handoff'] as string, KEY_BYTES, RUN)
    )
    expect(opened.sealedBy).toEqual({ runAttempt: '3' })
  })

  it('seals again with a new nonce when a masked value turns up in the value by chance', async () => {
    const unlucky = new Uint8Array(24).fill(1)
    const lucky = new Uint8Array(24).fill(2)
    // What the unlucky nonce makes: a stretch of it, masked, would make the runner drop it.
    const probe = stage()
    await handOff(probe.context, SUBJECT, () => unlucky)
    const piece = (probe.runner.outputs['handoff'] as string).slice(-20)

    const { runner, context } = stage()
    runner.setSecret(piece)
    const nonces = [unlucky, lucky]
    await handOff(context, SUBJECT, () => nonces.shift() as Uint8Array)
    expect(nonces).toEqual([])
    expect(runner.outputs['handoff']).not.toContain(piece)
  })

  it('fails rather than write a value the runner would drop, every time', async () => {
    const { runner, context } = stage()
    runner.setSecret('dfa-handoff-v1')
    await expect(handOff(context, SUBJECT)).rejects.toThrow(/contained a value masked in this job/)
    expect(runner.outputs['handoff']).toBeUndefined()
  })
})
