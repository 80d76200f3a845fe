import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { parseDeviceAuthorization, type DeviceAuthorization } from '../../src/oauth/device.js'
import { escapeHtml } from '../../src/present/html.js'
import { noticeOf, promptLines, reminderLine } from '../../src/present/prompt.js'
import type { PromptContext, RunOrigin } from '../../src/flow/events.js'
import { runOrigin } from '../../src/flow/device-login.js'
import { outcomeSection, requestSection } from '../../src/present/summary.js'
import type { Ending } from '../../src/flow/events.js'
import { safeText } from '../../src/safe-text.js'
import {
  commandInjection,
  CONTROL,
  hostileString,
  outcomeOf
} from '../../test-support/properties.js'
import { commandsIn } from '../../test-support/runner-commands.js'

/**
 * What the person sees. The summary is Markdown with HTML, rendered by GitHub: provider text must
 * not add markup, links or images to it. The log is read line by line: nothing may start a new
 * line or hide text with control characters.
 */
const NOW = Date.UTC(2026, 10, 24, 10, 0, 0)
const endpoint = {
  name: 'device authorization endpoint',
  url: 'https://id.example.com/device/code'
}

const ENTITY_OF: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' }
function decodeEntities(html: string): string {
  return html.replace(/&(#\d+|amp|lt|gt|quot);/g, (_, name: string) =>
    name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : (ENTITY_OF[name] as string)
  )
}

describe('escapeHtml on anything', () => {
  it('leaves no character that HTML or Markdown could read as syntax, and loses nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), hostileString), (text) => {
        const escaped = escapeHtml(text)
        // Outside the entities it writes, nothing that HTML or Markdown gives a meaning to.
        expect(escaped.replace(/&(#\d+|amp|lt|gt|quot);/g, '')).not.toMatch(/[<>"'[\]()`*_|\\!~#&]/)
        expect(escaped).not.toMatch(CONTROL)
        // What is left is the log-safe text: safeText, then entities.
        expect(decodeEntities(escaped)).toBe(safeText(text, { maxLength: 2000 }))
      }),
      { numRuns: 2000 }
    )
  })
})

const httpsUrl = fc.webUrl({ validSchemes: ['https'], withQueryParameters: true })

/** A device response as the parser lets it through, from provider fields full of hostile text. */
const parsedDevice: fc.Arbitrary<DeviceAuthorization> = fc
  .record({
    device_code: fc.stringMatching(/^[\x21-\x7E]{16,40}$/),
    user_code: fc.oneof(fc.stringMatching(/^[A-Z0-9-]{4,12}$/), hostileString, commandInjection),
    verification_uri: fc.oneof(
      httpsUrl,
      hostileString.map((s) => `https://id.example.com/${s}`)
    ),
    verification_uri_complete: fc.option(
      fc.oneof(
        httpsUrl,
        hostileString.map((s) => `https://id.example.com/d?c=${s}`)
      )
    ),
    expires_in: fc.integer({ min: 1, max: 7200 }),
    message: fc.option(fc.oneof(hostileString, commandInjection))
  })
  .map((fields) => outcomeOf(() => parseDeviceAuthorization(fields, endpoint)))
  .filter((outcome) => outcome.ok)
  .map((outcome) => (outcome as { ok: true; value: DeviceAuthorization }).value)

/**
 * The same shape, but with hostile text put straight in, as if it had bypassed safeText: the
 * summary must still escape it all.
 */
const rawDevice: fc.Arbitrary<DeviceAuthorization> = fc
  .record(
    {
      deviceCode: hostileString,
      userCode: hostileString,
      verificationUri: fc.oneof(httpsUrl, hostileString),
      verificationUriComplete: fc.oneof(httpsUrl, hostileString),
      expiresInSeconds: fc.integer({ min: 1, max: 7200 }),
      intervalSeconds: fc.constant(5),
      message: hostileString,
      notes: fc.constant([])
    },
    { requiredKeys: ['deviceCode', 'userCode', 'verificationUri', 'intervalSeconds', 'notes'] }
  )
  .map((device) => device as unknown as DeviceAuthorization)

const origin: fc.Arbitrary<RunOrigin> = fc
  .record(
    {
      GITHUB_SERVER_URL: fc.oneof(fc.constant('https://github.com'), httpsUrl),
      GITHUB_REPOSITORY: fc.oneof(fc.constant('octo/release'), hostileString),
      GITHUB_WORKFLOW: fc.oneof(hostileString, commandInjection),
      GITHUB_RUN_ID: fc.oneof(fc.nat().map(String), hostileString),
      GITHUB_RUN_ATTEMPT: fc.oneof(fc.constant('2'), hostileString),
      GITHUB_ACTOR: fc.oneof(hostileString, commandInjection)
    },
    { requiredKeys: [] }
  )
  .map((env) => runOrigin(env))

const clientId = fc.stringMatching(/^[\x21-\x7E]{1,60}$/)
const scope = fc.option(
  fc.stringMatching(/^[\x21\x23-\x5B\x5D-\x7E]{1,20}( [\x21\x23-\x5B\x5D-\x7E]{1,20}){0,3}$/),
  {
    nil: undefined
  }
)

/** The context as the flow builds it: the inputs through safeText, or raw (bypassing it) for the summary. */
function promptContext(
  device: DeviceAuthorization,
  id: string,
  scopeValue: string | undefined,
  from: RunOrigin,
  asGiven = false
): PromptContext {
  const deadlineMs = NOW + (device.expiresInSeconds ?? 900) * 1000
  const shown = (text: string): string => (asGiven ? text : safeText(text))
  return {
    device,
    clientId: shown(id),
    ...(scopeValue && { scope: shown(scopeValue) }),
    deadlineMs,
    origin: from
  }
}

/** The tags summary.ts writes itself. Anything else with < in it came from outside. */
const OWN_TAGS = /<\/?(h2|h3|table|tr|td|code|th)>|<th align="left">|<a href="[^"<>]*">|<\/a>/g

function expectInertSummary(html: string, urls: ReadonlyArray<string | undefined>): void {
  expect(html.replace(OWN_TAGS, '')).not.toMatch(/[<>]/)
  expect(html).not.toContain('](')
  // A blank line would end the HTML block, and Markdown would render what follows.
  expect(html).not.toContain('\n\n')
  // The URLs as escapeHtml writes them: through safeText (which changes only a raw test URL).
  const given = urls.map((url) => url && safeText(url, { maxLength: 2048 }))
  for (const [, href] of html.matchAll(/href="([^"]*)"/g)) {
    expect(given).toContain(decodeEntities(href as string))
  }
}

describe('summary sections on anything', () => {
  it("add no markup, link or image of the provider's, and link only to the run", () => {
    fc.assert(
      fc.property(
        fc.oneof(rawDevice, parsedDevice),
        fc.oneof(clientId, hostileString),
        fc.option(hostileString, { nil: undefined }),
        origin,
        (device, id, scopeValue, from) => {
          const ctx = promptContext(device, id, scopeValue, from, true)
          const outcome = outcomeOf(() =>
            requestSection(ctx, NOW, { use: { kind: 'refused', atMs: NOW, by: id } })
          )
          expect(outcome.ok).toBe(true)
          if (outcome.ok) expectInertSummary(outcome.value, [from.runUrl])
        }
      ),
      { numRuns: 1500 }
    )
  })

  it('record any ending with any details, approver and scope as text only', () => {
    const ending = fc.constantFrom<Ending>(
      'approved',
      'refreshed',
      'denied',
      'expired',
      'timed-out',
      'cancelled',
      'failed',
      'refused'
    )
    const record = fc.record(
      {
        ending,
        atMs: fc.constant(NOW),
        shownAtMs: fc.integer({ min: NOW - 3_600_000, max: NOW }),
        detail: hostileString,
        clientId: hostileString,
        scope: hostileString,
        approver: hostileString,
        approvers: fc.array(hostileString, { maxLength: 3 }),
        refusedApprover: hostileString,
        failedAfter: fc.record({
          grant: fc.constantFrom(
            'approved' as const,
            'refreshed' as const,
            'handoff-opened' as const
          ),
          stage: fc.constantFrom('store-refresh-token' as const, 'hand-off' as const)
        })
      },
      { requiredKeys: ['ending', 'atMs'] }
    )
    fc.assert(
      fc.property(record, (outcome) => {
        const result = outcomeOf(() => outcomeSection(outcome))
        expect(result.ok).toBe(true)
        if (result.ok) {
          expectInertSummary(result.value, [])
          expect(result.value).not.toMatch(/<a /)
        }
      }),
      { numRuns: 1000 }
    )
  })
})

describe('the prompt in the log on anything the parsers let through', () => {
  it('has no control character in any line, notice or reminder', () => {
    fc.assert(
      fc.property(parsedDevice, clientId, scope, origin, (device, id, scopeValue, from) => {
        const ctx = promptContext(device, id, scopeValue, from)
        const notice = noticeOf(ctx, NOW)
        const shown = [
          ...promptLines(ctx, NOW),
          notice.title,
          notice.message,
          reminderLine(ctx, NOW + 60_000)
        ]
        for (const line of shown) expect(line).not.toMatch(CONTROL)
        // Every block line is framed, so no provider text can start a line (a ::workflow-command::).
        for (const line of promptLines(ctx, NOW)) expect(line).toMatch(/^[┌│└]/)
      }),
      { numRuns: 1000 }
    )
  })

  it('holds no workflow command of either syntax, as the runner would read it', () => {
    fc.assert(
      fc.property(
        parsedDevice,
        fc.oneof(clientId, commandInjection),
        fc.option(commandInjection, { nil: undefined }),
        origin,
        (device, id, scopeValue, from) => {
          const ctx = promptContext(device, id, scopeValue, from)
          const notice = noticeOf(ctx, NOW)
          const printed = [
            ...promptLines(ctx, NOW),
            reminderLine(ctx, NOW + 60_000),
            notice.title,
            notice.message
          ]
          for (const line of printed) expect(commandsIn(line)).toEqual([])
          // The summary is read by the runner too (masked line by line): the same holds there.
          expect(commandsIn(requestSection(ctx, NOW))).toEqual([])
        }
      ),
      { numRuns: 1000 }
    )
  })
})
