import { describe, expect, it } from '@jest/globals'
import { safeText } from '../../src/safe-text.js'
import type { DeviceAuthorization } from '../../src/oauth/device.js'
import type { PromptContext, RunOrigin } from '../../src/flow/events.js'
import { runOrigin } from '../../src/flow/device-login.js'
import {
  outcomeSection,
  requestSection,
  summaryListener,
  type OutcomeRecord
} from '../../src/present/summary.js'
import type { Ending, FlowEvent } from '../../src/flow/events.js'
import { RecordingRunner } from '../../test-support/fakes.js'

const NOW = Date.UTC(2026, 10, 24, 10, 0, 0)
const ENV = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'octo-org/deploy',
  GITHUB_WORKFLOW: 'Release',
  GITHUB_RUN_ID: '42',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_ACTOR: 'mona'
}

/** Text that bypassed safeText: the summary must still make it inert. */
const raw = (text: string): string => text

const device: DeviceAuthorization = {
  deviceCode: 'device-code-secret',
  userCode: safeText('WDJB-MJHT'),
  verificationUri: safeText('https://id.example.com/device'),
  verificationUriComplete: safeText('https://id.example.com/device?user_code=WDJB-MJHT'),
  expiresInSeconds: 900,
  intervalSeconds: 5,
  notes: []
}

function context(overrides: Partial<PromptContext> = {}): PromptContext {
  return {
    device,
    clientId: safeText('deploy-bot'),
    scope: safeText('openid offline_access'),
    deadlineMs: NOW + 15 * 60_000,
    origin: runOrigin(ENV),
    ...overrides
  }
}

/** Every value something outside the action could try to smuggle into the summary. */
const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[click](https://evil.example)',
  '![img](x)',
  'a | b',
  '`code`',
  '*bold* _under_ ~strike~',
  'line one\nline two\r\n\n# heading',
  '&lt;script&gt; \\[escaped\\]'
].join(' ')

/** An entity in the input is shown as text, not decoded into markup by the browser. */
const HOSTILE_ENTITY_SHOWN = '&amp;lt;script&amp;gt; &#92;&#91;escaped&#92;&#93;'

const HOSTILE_URL = 'https://id.example.com/device?x="><script>alert(1)</script>'

/** The href of each <a> in the HTML, with the entities decoded as a browser would. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/<a href="([^"]*)">/g)].map((match) => decode(match[1] as string))
}

function decode(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
}

/** What must never appear in the summary, whatever the provider or the workflow sends. */
function expectInert(html: string): void {
  expect(html).not.toMatch(/<script/i)
  expect(html).not.toMatch(/<img/i)
  expect(html).not.toContain('](')
  expect(html).not.toContain('![')
  expect(html).not.toMatch(/[|`*~\\]/)
  // Every <a> is one this file expects, and each row is whole on its line.
  expect(html.match(/<a\b/g)?.length ?? 0).toBe(hrefs(html).length)
  for (const line of html.split('\n')) {
    if (line.includes('<tr') || line.includes('</tr>')) expect(line).toMatch(/^<tr>.*<\/tr>$/)
  }
}

describe('requestSection', () => {
  it('lists the code, the verification page and the link with the code as text, client and scope', () => {
    const html = requestSection(context(), NOW)
    expect(html).toContain('<h3>The request</h3>')
    expect(html).toContain('<th align="left">Code</th><td><code>WDJB-MJHT</code></td>')
    expect(html).toContain(
      '<tr><th align="left">Verification page</th><td><code>https://id.example.com/device</code></td></tr>'
    )
    expect(html).toContain('<th align="left">Link with the code</th>')
    expect(html).toContain('<th align="left">Client</th><td><code>deploy-bot</code></td>')
    expect(html).toContain('<code>openid offline&#95;access</code>')
  })

  it('links only the run: a code in a record is not a live one', () => {
    expect(hrefs(requestSection(context(), NOW))).toEqual([
      'https://github.com/octo-org/deploy/actions/runs/42'
    ])
  })

  it('has no link-with-the-code row without a complete URI', () => {
    const { verificationUriComplete: _complete, ...plain } = device
    const html = requestSection(context({ device: plain }), NOW)
    expect(html).not.toContain('Link with the code')
  })

  it("says the provider's default scope applies when none is asked for", () => {
    const { scope: _scope, ...noScope } = context()
    expect(requestSection(noScope, NOW)).toContain(
      `<th align="left">Scope</th><td>the provider's default</td>`
    )
  })

  it('says which run asked, linked to the run', () => {
    const html = requestSection(context(), NOW)
    expect(html).toContain('<th align="left">Asked by</th>')
    expect(decode(html)).toContain(
      'octo-org/deploy · workflow "Release" · run 42 · started by mona</a>'
    )
  })

  it('leaves out the origin row outside GitHub Actions', () => {
    const html = requestSection(context({ origin: {} }), NOW)
    expect(html).not.toContain('Asked by')
    expect(hrefs(html)).toHaveLength(0)
  })

  it('shows when the code was shown, with the date, and until when it was valid', () => {
    const html = requestSection(context(), NOW)
    expect(html).toContain('<th align="left">Code shown</th><td>2026-11-24 10:00:00 UTC</td>')
    expect(html).toContain('<th align="left">Valid until</th><td>10:15:00 UTC</td>')
  })

  it('never shows the device code', () => {
    expect(requestSection(context(), NOW)).not.toContain(device.deviceCode)
  })

  it('numbers the requests of a run that showed several codes, with the approval they were for', () => {
    const html = requestSection(
      context({
        approval: {
          number: 2,
          of: 2,
          heading: 'Approval 2 of 2: a different person (not alice)',
          earlier: ['alice']
        }
      }),
      NOW,
      { number: 3 }
    )
    expect(html).toContain(
      '<h3>Request 3: Approval 2 of 2: a different person &#40;not alice&#41;</h3>'
    )
  })

  it.each<[string, Parameters<typeof requestSection>[2], string]>([
    [
      'used by the approver',
      { use: { kind: 'approved', atMs: NOW + 95_000, by: 'alice' } },
      '&#40;used at 10:01:35 UTC: approved by alice&#41;'
    ],
    [
      'used by someone the policy refused',
      { use: { kind: 'refused', atMs: NOW + 95_000, by: 'bob' } },
      '&#40;used at 10:01:35 UTC: approved by bob, whom the approval policy refused&#41;'
    ],
    [
      'used to deny',
      { use: { kind: 'denied', atMs: NOW + 5000 } },
      '&#40;used at 10:00:05 UTC: denied&#41;'
    ],
    [
      'expired',
      { use: { kind: 'expired', atMs: NOW + 900_000 } },
      '&#40;expired at 10:15:00 UTC, unused&#41;'
    ],
    [
      'left by a timeout while still valid',
      { use: { kind: 'abandoned', atMs: NOW + 300_000, why: 'timed-out' } },
      '&#40;unused: the timeout input ended the wait at 10:05:00 UTC; approving it now would give nobody anything&#41;'
    ],
    [
      'left by a cancel',
      { use: { kind: 'abandoned', atMs: NOW + 60_000, why: 'cancelled' } },
      '&#40;unused: the step was cancelled at 10:01:00 UTC; approving it now'
    ]
  ])('says the code was %s', (_what, place, said) => {
    expect(requestSection(context(), NOW, place)).toContain(
      `<th align="left">Code</th><td><code>WDJB-MJHT</code> ${said}`
    )
  })

  it('escapes a hostile user code, client id and scope', () => {
    const html = requestSection(
      context({
        device: { ...device, userCode: raw(HOSTILE) },
        clientId: raw(HOSTILE),
        scope: raw(HOSTILE)
      }),
      NOW
    )
    expectInert(html)
    expect(html).toContain(HOSTILE_ENTITY_SHOWN)
    expect(html).toContain('&lt;script&gt;alert&#40;1&#41;&lt;/script&gt;')
    expect(hrefs(html)).toHaveLength(1)
  })

  it('escapes a hostile origin (workflow name, actor, repository)', () => {
    const origin: RunOrigin = {
      repository: raw(HOSTILE),
      workflow: raw(HOSTILE),
      runId: safeText('42'),
      actor: raw(HOSTILE),
      runUrl: safeText('https://github.com/octo-org/deploy/actions/runs/42')
    }
    const html = requestSection(context({ origin }), NOW)
    expectInert(html)
    expect(html).toContain(HOSTILE_ENTITY_SHOWN)
    expect(hrefs(html)).toContain('https://github.com/octo-org/deploy/actions/runs/42')
  })

  it('escapes the origin text when there is no run URL to link', () => {
    const html = requestSection(context({ origin: { repository: raw(HOSTILE) } }), NOW)
    expectInert(html)
    expect(html).toContain(HOSTILE_ENTITY_SHOWN)
    expect(html).toContain('<th align="left">Asked by</th>')
  })

  it('keeps a URL with a quote as text, and the run URL inside its href attribute', () => {
    const html = requestSection(
      context({
        device: {
          ...device,
          verificationUri: raw(HOSTILE_URL),
          verificationUriComplete: raw(HOSTILE_URL)
        },
        origin: { ...runOrigin(ENV), runUrl: raw(HOSTILE_URL) }
      }),
      NOW
    )
    expectInert(html)
    expect(hrefs(html)).toEqual([HOSTILE_URL])
  })
})

describe('outcomeSection', () => {
  const base: OutcomeRecord = { ending: 'approved', atMs: NOW + 150_000, shownAtMs: NOW }

  it.each<[Ending, string]>([
    ['approved', '✅ Approved'],
    ['refreshed', '🔄 Refreshed from the stored refresh token'],
    ['denied', '🚫 Denied'],
    ['refused', '⛔ Refused by the approval policy'],
    ['expired', '⌛ Expired: nobody approved in time'],
    ['timed-out', '⏱️ Timed out: nobody approved in time'],
    ['cancelled', '⏹️ Cancelled'],
    ['failed', '❌ Failed']
  ])('heads the %s outcome with %s', (ending, heading) => {
    expect(outcomeSection({ ...base, ending })).toMatch(
      new RegExp(`^<h2>${heading}</h2>\n<table>\n`)
    )
  })

  it('names who approved in the heading', () => {
    expect(outcomeSection({ ...base, approver: 'alice' })).toMatch(
      /^<h2>✅ Approved by alice<\/h2>/
    )
    expect(outcomeSection({ ...base, approvers: ['alice', 'carol'] })).toMatch(
      /^<h2>✅ Approved by alice and carol<\/h2>/
    )
  })

  it('says when it ended, with the date', () => {
    expect(outcomeSection(base)).toContain(
      '<th align="left">When</th><td>2026-11-24 10:02:30 UTC</td>'
    )
  })

  it('says how long approval took, or how long it waited when nobody approved', () => {
    expect(outcomeSection(base)).toContain(
      '<th align="left">Took</th><td>2 min 30 s after the code was shown</td>'
    )
    expect(outcomeSection({ ...base, ending: 'expired' })).toContain(
      '<th align="left">Waited</th><td>2 min 30 s after the code was shown</td>'
    )
  })

  it('says nothing of how long it took when no code was shown', () => {
    const { shownAtMs: _none, ...refresh } = base
    expect(outcomeSection({ ...refresh, ending: 'refreshed' })).not.toMatch(/Took|Waited/)
  })

  it('does not say a refresh was approved: it names whose token it is, and that nobody was asked', () => {
    const { shownAtMs: _none, ...refresh } = base
    const html = outcomeSection({ ...refresh, ending: 'refreshed', approver: 'alice' })
    expect(html).not.toContain('Approved')
    expect(html).toContain(
      '<th align="left">Token of</th><td><code>alice</code> (nobody was asked this time)</td>'
    )
  })

  it('says the approval stood when only storing the refresh token failed', () => {
    const html = outcomeSection({
      ending: 'failed',
      atMs: NOW + 150_000,
      shownAtMs: NOW,
      approver: 'alice',
      failedAfter: { grant: 'approved', stage: 'store-refresh-token' },
      detail: 'Could not write the repository secret RT of octo/release: GitHub answered HTTP 403.'
    })
    expect(html).toMatch(/^<h2>⚠️ Approved by alice, but the refresh token was not stored<\/h2>/)
    expect(html).not.toContain('❌ Failed')
    expect(html).toContain('<th align="left">Approved by</th><td><code>alice</code></td>')
    expect(html).toContain('<th align="left">Took</th>')
  })

  it('lists the approver, the client and the granted scope', () => {
    const html = outcomeSection({
      ...base,
      approver: 'alice@example.com',
      clientId: 'deploy-bot',
      scope: 'openid repo'
    })
    expect(html).toContain(
      '<th align="left">Approved by</th><td><code>alice@example.com</code></td>'
    )
    expect(html).toContain('<th align="left">Client</th><td><code>deploy-bot</code></td>')
    expect(html).toContain('<th align="left">Granted scope</th><td><code>openid repo</code></td>')
  })

  it('leaves out the rows it has no value for', () => {
    const html = outcomeSection({ ending: 'failed', atMs: NOW })
    expect(html.match(/<tr>/g)).toHaveLength(1)
    expect(html).not.toMatch(/Approved by|Client|Granted scope|Details/)
  })

  it('shows the details of a failure', () => {
    const html = outcomeSection({
      ending: 'denied',
      atMs: NOW,
      detail: 'The request was denied (access_denied).'
    })
    expect(html).toContain(
      '<th align="left">Details</th><td>The request was denied &#40;access&#95;denied&#41;.</td>'
    )
  })

  it('escapes a hostile detail, approver, client id and scope', () => {
    const html = outcomeSection({
      ...base,
      detail: HOSTILE,
      approver: HOSTILE,
      clientId: HOSTILE,
      scope: HOSTILE
    })
    expectInert(html)
    expect(html).toContain(HOSTILE_ENTITY_SHOWN)
    expect(hrefs(html)).toEqual([])
    expect(html.match(/<tr>/g)).toHaveLength(6)
  })
})

describe('the summary listener', () => {
  const prompt = context()
  const approver = { name: safeText('alice'), subject: 'alice', shownSubject: safeText('alice') }

  async function summaryOf(events: FlowEvent[]): Promise<string> {
    const runner = new RecordingRunner()
    const listener = summaryListener(runner, () => true)
    for (const event of events) await listener.on(event)
    return runner.summary
  }

  it('writes nothing until the run ends, then the outcome first and the request after it', async () => {
    const runner = new RecordingRunner()
    const listener = summaryListener(runner, () => true)
    await listener.on({ type: 'code-ready', prompt, atMs: NOW })
    await listener.on({ type: 'approved', atMs: NOW + 95_000, shownAtMs: NOW, approver })
    expect(runner.summary).toBe('')
    await listener.on({
      type: 'ended',
      outcome: { ending: 'approved', atMs: NOW + 95_000, approver }
    })
    const html = runner.summary
    expect(html.indexOf('<h2>✅ Approved by alice</h2>')).toBe(0)
    expect(html.indexOf('<h3>The request</h3>')).toBeGreaterThan(html.indexOf('Took'))
    expect(html).toContain('&#40;used at 10:01:35 UTC: approved by alice&#41;')
  })

  it('puts what to do about the refresh token right after the outcome', async () => {
    const html = await summaryOf([
      { type: 'code-ready', prompt, atMs: NOW },
      { type: 'approved', atMs: NOW + 5000, shownAtMs: NOW, approver },
      { type: 'refresh-token', atMs: NOW + 5000, fate: { kind: 'not-stored', why: 'new' } },
      { type: 'ended', outcome: { ending: 'approved', atMs: NOW + 5000, approver } }
    ])
    const note = html.indexOf('<p>⚠️ <strong>Refresh token not stored.</strong>')
    expect(note).toBeGreaterThan(html.indexOf('</table>'))
    expect(note).toBeLessThan(html.indexOf('<h3>The request</h3>'))
  })

  it('records every code a run showed, each with what became of it', async () => {
    const second = context({ device: { ...device, userCode: safeText('QXZT-PLMN') } })
    const html = await summaryOf([
      { type: 'code-ready', prompt, atMs: NOW },
      {
        type: 'refused',
        atMs: NOW + 60_000,
        approver,
        who: 'alice',
        reason: 'not allowed',
        continues: true
      },
      { type: 'code-ready', prompt: second, atMs: NOW + 61_000 },
      { type: 'ended', outcome: { ending: 'timed-out', atMs: NOW + 300_000 } }
    ])
    expect(html).toContain('<h3>Request 1</h3>')
    expect(html).toContain('<h3>Request 2</h3>')
    expect(html).toContain(
      'WDJB-MJHT</code> &#40;used at 10:01:00 UTC: approved by alice, whom the approval policy refused&#41;'
    )
    expect(html).toContain(
      'QXZT-PLMN</code> &#40;unused: the timeout input ended the wait at 10:05:00 UTC'
    )
  })

  it('writes nothing with summary: false', async () => {
    const runner = new RecordingRunner()
    const listener = summaryListener(runner, () => false)
    await listener.on({ type: 'ended', outcome: { ending: 'failed', atMs: NOW } })
    expect(runner.summary).toBe('')
  })
})
