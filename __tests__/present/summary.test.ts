import { describe, expect, it } from '@jest/globals'
import { safeText } from '../../src/safe-text.js'
import type { DeviceAuthorization } from '../../src/oauth/device.js'
import type { PromptContext, RunOrigin } from '../../src/flow/events.js'
import { runOrigin } from '../../src/flow/device-login.js'
import { outcomeSection, requestSection, type OutcomeRecord } from '../../src/present/summary.js'
import type { Ending } from '../../src/flow/events.js'

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
  it('lists the verification page, the link with the code, the code, client and scope', () => {
    const html = requestSection(context(), NOW)
    expect(html).toContain('<h2>Device authorization</h2>')
    expect(html).toContain(
      '<tr><th align="left">Verification page</th><td><a href="https://id.example.com/device">'
    )
    expect(html).toContain('<th align="left">Link with the code</th>')
    expect(html).toContain('<td><code>WDJB-MJHT</code></td>')
    expect(html).toContain('<th align="left">Client</th><td><code>deploy-bot</code></td>')
    expect(html).toContain('<code>openid offline&#95;access</code>')
  })

  it('links the verification URIs and the run, and nothing else', () => {
    expect(hrefs(requestSection(context(), NOW))).toEqual([
      device.verificationUri,
      device.verificationUriComplete,
      'https://github.com/octo-org/deploy/actions/runs/42'
    ])
  })

  it('has no link-with-the-code row without a complete URI', () => {
    const { verificationUriComplete: _complete, ...plain } = device
    const html = requestSection(context({ device: plain }), NOW)
    expect(html).not.toContain('Link with the code')
    expect(hrefs(html)).toHaveLength(2)
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
    expect(hrefs(html)).toHaveLength(2)
  })

  it('shows when the code was shown and when it expires', () => {
    const html = requestSection(context(), NOW)
    expect(html).toContain('<th align="left">Code shown</th><td>10:00:00 UTC</td>')
    expect(html).toContain('<th align="left">Expires</th><td>10:15:00 UTC</td>')
  })

  it('never shows the device code', () => {
    expect(requestSection(context(), NOW)).not.toContain(device.deviceCode)
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
    expect(hrefs(html)).toHaveLength(3)
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

  it('keeps a URL with a quote inside its href attribute', () => {
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
    expect(hrefs(html)).toEqual([HOSTILE_URL, HOSTILE_URL, HOSTILE_URL])
  })
})

describe('outcomeSection', () => {
  const base: OutcomeRecord = { ending: 'approved', atMs: NOW + 150_000, shownAtMs: NOW }

  it.each<[Ending, string]>([
    ['approved', '✅ Approved'],
    ['refreshed', '🔄 Refreshed'],
    ['denied', '🚫 Denied'],
    ['expired', '⌛ Expired'],
    ['timed-out', '⏱️ Timed out'],
    ['cancelled', '⏹️ Cancelled'],
    ['failed', '❌ Failed']
  ])('heads the %s outcome with %s', (ending, heading) => {
    expect(outcomeSection({ ...base, ending })).toMatch(
      new RegExp(`^<h3>Outcome: ${heading}</h3>\n<table>\n`)
    )
  })

  it('says when it ended', () => {
    expect(outcomeSection(base)).toContain('<th align="left">When</th><td>10:02:30 UTC</td>')
  })

  it('says how long approval took', () => {
    expect(outcomeSection(base)).toContain('<th align="left">Took</th><td>2 min 30 s</td>')
  })

  it.each<Ending>(['refreshed', 'denied', 'expired', 'timed-out', 'cancelled', 'failed'])(
    'says nothing about how long it took when it was %s',
    (ending) => {
      expect(outcomeSection({ ...base, ending })).not.toContain('Took')
    }
  )

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
