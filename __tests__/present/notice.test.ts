import { describe, expect, it } from '@jest/globals'
import { noticeListener, outcomeNoticeOf } from '../../src/present/notice.js'
import type { PromptContext } from '../../src/flow/events.js'
import { RecordingRunner } from '../../test-support/fakes.js'
import { safeText } from '../../src/safe-text.js'

const SHOWN = Date.UTC(2026, 10, 24, 10, 0, 0)

describe('the outcome notice', () => {
  it('says who approved, when, and how long after the code was shown', () => {
    expect(
      outcomeNoticeOf(
        {
          ending: 'approved',
          atMs: SHOWN + 95_000,
          approver: { name: safeText('alice'), subject: '00u1', shownSubject: safeText('00u1') }
        },
        SHOWN
      )
    ).toEqual({
      title: 'Approved by alice',
      message:
        "Approved by alice (subject 00u1) at 10:01:35 UTC, 1 min 35 s after the code was shown. The tokens are in this step's outputs (masked)."
    })
  })

  it('says why it ended otherwise, with the message the step fails with', () => {
    expect(
      outcomeNoticeOf(
        { ending: 'denied', atMs: SHOWN + 5000, detail: 'The request was denied.' },
        SHOWN
      )
    ).toEqual({
      title: 'Approval denied',
      message: safeText('The request was denied. (at 10:00:05 UTC, 5 s after the code was shown)', {
        maxLength: 4000
      })
    })
    expect(outcomeNoticeOf({ ending: 'timed-out', atMs: SHOWN }, SHOWN).title).toBe(
      'Approval timed out'
    )
  })

  it('comes after the code notice, and only if a code was shown', () => {
    const runner = new RecordingRunner()
    const listener = noticeListener(runner)
    void listener.on({ type: 'ended', outcome: { ending: 'failed', atMs: SHOWN, detail: 'x' } })
    expect(runner.logs).toEqual([])
    const prompt = {
      device: { userCode: 'ABCD-EFGH', verificationUri: 'https://id.example/device' },
      clientId: safeText('c', { maxLength: 4000 }),
      deadlineMs: SHOWN + 600_000,
      origin: {}
    } as unknown as PromptContext
    void listener.on({ type: 'code-ready', prompt, atMs: SHOWN })
    void listener.on({
      type: 'ended',
      outcome: { ending: 'expired', atMs: SHOWN + 600_000, detail: 'The code expired.' }
    })
    expect(runner.logs.map((entry) => entry.title)).toEqual([
      'Approval needed: enter code ABCD-EFGH',
      'Approval code expired'
    ])
  })
})

describe('the outcome notice after the tokens were output', () => {
  const alice = { name: safeText('alice'), subject: 'alice', shownSubject: safeText('alice') }

  it('says the approval stood when only storing the refresh token failed, not "Approval failed"', () => {
    const notice = outcomeNoticeOf(
      {
        ending: 'failed',
        atMs: SHOWN + 30_000,
        approver: alice,
        detail:
          'Could not write the repository secret RT of octo/release: GitHub answered HTTP 403.',
        failedAfter: { grant: 'approved', stage: 'store-refresh-token' }
      },
      SHOWN
    )
    expect(notice.title).toBe('Approved by alice, but the refresh token was not stored')
    expect(notice.message).toBe(
      "Approved by alice at 10:00:30 UTC, 30 s after the code was shown. The tokens are in this step's outputs (masked). Then the refresh token was not stored: Could not write the repository secret RT of octo/release: GitHub answered HTTP 403."
    )
  })

  it('tells of a refresh token left unstored in the approval notice', () => {
    const runner = new RecordingRunner()
    const listener = noticeListener(runner)
    const prompt = {
      device: { userCode: 'ABCD-EFGH', verificationUri: 'https://id.example/device' },
      clientId: safeText('c', { maxLength: 4000 }),
      deadlineMs: SHOWN + 600_000,
      origin: {}
    } as unknown as PromptContext
    void listener.on({ type: 'code-ready', prompt, atMs: SHOWN })
    void listener.on({
      type: 'refresh-token',
      atMs: SHOWN + 5000,
      fate: { kind: 'not-stored', why: 'new' }
    })
    void listener.on({
      type: 'ended',
      outcome: { ending: 'approved', atMs: SHOWN + 5000, approver: alice }
    })
    expect(runner.logs.at(-1)?.message).toMatch(
      /outputs \(masked\)\. The device flow returned a new refresh token, and it is in the refresh-token output only/
    )
  })
})
