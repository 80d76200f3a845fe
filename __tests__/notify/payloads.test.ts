import { describe, expect, it } from '@jest/globals'
import { discordMessage, escapeMarkdown } from '../../src/notify/discord.js'
import { genericMessage } from '../../src/notify/generic-json.js'
import { linkLabelOf, sentenceOf, type Notification } from '../../src/notify/notification.js'
import { slackMessage } from '../../src/notify/slack.js'
import { teamsMessage } from '../../src/notify/teams.js'
import { webhookKind } from '../../src/notify/targets.js'
import { safeText } from '../../src/safe-text.js'

const AT = Date.UTC(2026, 10, 24, 10, 0, 0)
const CODE_READY: Notification = {
  event: 'code-ready',
  atMs: AT,
  userCode: safeText('WDJB-MJHT', { maxLength: 4000 }),
  verificationUri: safeText('https://login.example.com/device', { maxLength: 4000 }),
  verificationUriComplete: safeText('https://login.example.com/device?user_code=WDJB-MJHT', {
    maxLength: 4000
  }),
  expiresAtMs: AT + 10 * 60_000,
  clientId: safeText('release-bot', { maxLength: 4000 }),
  scope: safeText('openid profile', { maxLength: 4000 }),
  origin: {
    repository: safeText('octo/release', { maxLength: 4000 }),
    workflow: safeText('Release', { maxLength: 4000 }),
    runId: safeText('4242', { maxLength: 4000 }),
    runAttempt: safeText('1', { maxLength: 4000 }),
    actor: safeText('octocat', { maxLength: 4000 }),
    runUrl: safeText('https://github.com/octo/release/actions/runs/4242', { maxLength: 4000 })
  }
}
const APPROVED: Notification = {
  ...CODE_READY,
  event: 'ended',
  atMs: AT + 42_000,
  outcome: { ending: 'approved', approver: 'alice' }
}
const DENIED: Notification = { ...APPROVED, outcome: { ending: 'denied' } }

/** Every string anywhere in a body. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(stringsOf)
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsOf)
  return []
}

/** A workflow name and an approver name that try every trick each format has. */
const HOSTILE: Notification = {
  ...APPROVED,
  origin: {
    ...CODE_READY.origin,
    // Raw, as if it had bypassed safeText: the body's own escaping must hold on its own.
    workflow:
      'Rel <!channel> <https://evil.example|click> *bold* [x](https://evil.example) @everyone\u202e\n::warning::x'
  },
  outcome: { ending: 'approved', approver: '<@U123> **eve** [me](https://evil.example)' }
}
const HOSTILE_WAITING: Notification = { ...HOSTILE, event: 'code-ready' }
delete (HOSTILE_WAITING as { outcome?: unknown }).outcome

describe('which body a webhook URL gets', () => {
  it.each([
    ['https://hooks.slack.com/services/T0/B0/x', 'slack'],
    ['https://hooks.slack.com/triggers/T0/1/x', 'json'],
    [
      'https://prod-1.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=x',
      'teams'
    ],
    [
      'https://default1.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke?sig=x',
      'teams'
    ],
    ['https://discord.com/api/webhooks/1/x', 'discord'],
    ['https://discordapp.com/api/webhooks/1/x', 'discord'],
    ['https://discord.com/channels/1', 'json'],
    ['https://hooks.slack.com.evil.example/services/T0/B0/x', 'json'],
    ['https://chat.example.com/hook', 'json']
  ])('%s → %s', (url, kind) => {
    expect(webhookKind(new URL(url))).toBe(kind)
  })
})

describe('Slack (Block Kit)', () => {
  it('puts the link in a button, and shows the code, the expiry, who asked and the run', () => {
    const message = slackMessage(CODE_READY)
    expect(message.mrkdwn).toBe(false)
    expect(message.text).toBe(
      'Approval needed: open https://login.example.com/device?user_code=WDJB-MJHT and enter WDJB-MJHT (expires 10:10:00 UTC (in 10 min)).'
    )
    const actions = message.blocks.find(
      (block) => (block as { type: string }).type === 'actions'
    ) as {
      elements: Array<{ url: string; text: { text: string }; style?: string }>
    }
    expect(actions.elements.map((button) => [button.text.text, button.url, button.style])).toEqual([
      ['Open the sign-in page', CODE_READY.verificationUriComplete, 'primary'],
      ['Open the run', 'https://github.com/octo/release/actions/runs/4242', undefined]
    ])
    const all = stringsOf(message.blocks)
    expect(all).toContain('WDJB-MJHT')
    expect(all).toContain('10:10:00 UTC (in 10 min)')
    expect(all).toContain(
      'Asked by octo/release · workflow "Release" · run 4242 · started by octocat'
    )
    expect(message).toMatchSnapshot()
  })

  it('links the page without the code when there is no complete link', () => {
    const { verificationUriComplete: _none, ...rest } = CODE_READY
    const message = slackMessage(rest)
    expect(JSON.stringify(message)).toContain('"url":"https://login.example.com/device"')
  })

  it('reports who approved, with no button to a code that is used up', () => {
    const message = slackMessage(APPROVED)
    expect(message.text).toBe('Approved. Approved by alice. The run goes on with that token.')
    const buttons = stringsOf(message.blocks)
    expect(buttons).not.toContain('Open the sign-in page')
    expect(buttons).toContain('Open the run')
    expect(JSON.stringify(message)).not.toContain('WDJB-MJHT')
    expect(slackMessage(DENIED).blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '⛔ Denied', emoji: false }
    })
  })

  it('puts foreign text only where Slack shows it literally, with &, < and > escaped in text', () => {
    const message = slackMessage(HOSTILE)
    expect(message.text).not.toMatch(/[<>]/)
    expect(message.text).toContain('&lt;@U123&gt;')
    // Every block element holding foreign text is plain_text or a rich_text "text" element.
    const json = JSON.stringify(message.blocks)
    expect(json).not.toContain('"mrkdwn"')
    // No real line break or bidi override reaches Slack (safeText shows them as \n and \u202e).
    for (const text of stringsOf(message.blocks)) expect(text).not.toMatch(/[\n\u202e]/)
  })
})

describe('Microsoft Teams (Adaptive Card)', () => {
  it('sends one Adaptive Card with the link as an action and the code, expiry and run', () => {
    const message = teamsMessage(CODE_READY) as {
      type: string
      attachments: Array<{
        contentType: string
        content: {
          type: string
          version: string
          body: object[]
          actions: Array<{ type: string; url: string; title: string }>
        }
      }>
    }
    expect(message.type).toBe('message')
    expect(message.attachments).toHaveLength(1)
    const card = message.attachments[0]
    expect(card?.contentType).toBe('application/vnd.microsoft.card.adaptive')
    expect(card?.content.type).toBe('AdaptiveCard')
    expect(card?.content.actions.map((action) => [action.type, action.title, action.url])).toEqual([
      ['Action.OpenUrl', 'Open the sign-in page', CODE_READY.verificationUriComplete],
      ['Action.OpenUrl', 'Open the run', CODE_READY.origin.runUrl]
    ])
    const all = stringsOf(card?.content.body)
    expect(all).toContain('WDJB-MJHT')
    expect(all).toContain('10:10:00 UTC (in 10 min)')
    expect(message).toMatchSnapshot()
  })

  it('carries foreign text only in TextRuns, which Adaptive Cards never read as Markdown', () => {
    const message = teamsMessage(HOSTILE) as {
      attachments: Array<{ content: { body: Array<{ type: string; text?: string }> } }>
    }
    const body = message.attachments[0]?.content.body ?? []
    const textBlocks = body.filter((element) => element.type === 'TextBlock')
    expect(textBlocks.map((block) => block.text)).toEqual(['Approved'])
    expect(JSON.stringify(body)).toContain('<@U123> **eve** [me](https://evil.example)')
  })
})

describe('Discord', () => {
  it('sends an embed whose title links to the sign-in page, and pings nobody', () => {
    const message = discordMessage(CODE_READY) as {
      embeds: Array<{
        title: string
        url: string
        description: string
        fields: Array<{ name: string; value: string }>
      }>
      allowed_mentions: { parse: string[] }
    }
    expect(message.allowed_mentions).toEqual({ parse: [] })
    const [embed] = message.embeds
    expect(embed?.url).toBe(CODE_READY.verificationUriComplete)
    expect(embed?.description).toContain(
      `[Open the sign\\-in page](${CODE_READY.verificationUriComplete})`
    )
    expect(embed?.fields.find((field) => field.name === 'Code')?.value).toBe('WDJB\\-MJHT')
    expect(message).toMatchSnapshot()
  })

  it('escapes every Markdown character in foreign text', () => {
    expect(escapeMarkdown('*a* _b_ [c](https://x) @everyone <@1> `d` ||e|| # f')).toBe(
      '\\*a\\* \\_b\\_ \\[c\\]\\(https\\:\\/\\/x\\) \\@everyone \\<\\@1\\> \\`d\\` \\|\\|e\\|\\| \\# f'
    )
    const json = JSON.stringify(discordMessage(HOSTILE))
    expect(json).not.toContain('[me](https://evil.example)')
    expect(json).not.toContain('**eve**')
  })
})

describe('the generic JSON object', () => {
  it('has every documented field, null when unknown', () => {
    expect(genericMessage(CODE_READY)).toEqual({
      event: 'code-ready',
      user_code: 'WDJB-MJHT',
      verification_uri: 'https://login.example.com/device',
      verification_uri_complete: 'https://login.example.com/device?user_code=WDJB-MJHT',
      expires_at: '2026-11-24T10:10:00Z',
      repository: safeText('octo/release', { maxLength: 4000 }),
      workflow: safeText('Release', { maxLength: 4000 }),
      run_id: '4242',
      run_url: 'https://github.com/octo/release/actions/runs/4242',
      actor: safeText('octocat', { maxLength: 4000 }),
      client_id: 'release-bot',
      scope: safeText('openid profile', { maxLength: 4000 }),
      approval: 1,
      approvals: 1,
      approvers: [],
      refused: null,
      outcome: null,
      approver: null,
      text: expect.stringMatching(/^Approval needed\. /),
      sent_at: '2026-11-24T10:00:00Z'
    })
    expect(genericMessage(APPROVED)).toMatchObject({
      event: 'ended',
      outcome: 'approved',
      approver: 'alice'
    })
    expect(genericMessage({ ...CODE_READY, origin: {} })).toMatchObject({
      repository: null,
      run_url: null,
      actor: null
    })
  })

  it('keeps foreign text on one line without invisible characters', () => {
    const body = genericMessage(HOSTILE_WAITING)
    expect(body.workflow).not.toMatch(/[\n\u202e]/)
  })
})

describe('approvals: N, refusals and the outcome, as every format tells them', () => {
  const SECOND: Notification = {
    ...CODE_READY,
    approval: { number: 2, of: 2, earlier: ['alice'] }
  }
  const AFTER_REFUSAL: Notification = {
    ...SECOND,
    refused: { approver: 'bob@example.com', rule: 'allowed-approvers' }
  }
  const BOTH: Notification = {
    ...APPROVED,
    approval: { number: 2, of: 2, earlier: ['alice'] },
    outcome: { ending: 'approved', approver: 'alice', approvers: ['alice', 'carol'] }
  }
  const REFUSED: Notification = {
    ...APPROVED,
    outcome: {
      ending: 'refused',
      refused: { approver: 'bob@example.com', rule: 'required-claims' }
    }
  }
  const all = (notification: Notification): string =>
    [slackMessage, teamsMessage, discordMessage]
      .map((build) => JSON.stringify(build(notification)))
      .join('\n')

  it('says "approval k of N" and who may not approve again', () => {
    expect(sentenceOf(SECOND)).toBe(
      'Approval 2 of 2, from a different person: alice approved already and may not approve again. A workflow run asks you to sign in and approve. Open the link, check the code, and approve only if you expected this run.'
    )
    expect(sentenceOf({ ...CODE_READY, approval: { number: 1, of: 2, earlier: [] } })).toMatch(
      /^Approval 1 of 2\. A workflow run/
    )
    expect(sentenceOf({ ...SECOND, event: 'reminder' })).toMatch(
      /^Approval 2 of 2, from a different person/
    )
    expect(all(SECOND)).toContain('alice approved already and may not approve again')
  })

  it('says whose approval was refused, and by which rule, with the fresh code', () => {
    expect(sentenceOf(AFTER_REFUSAL)).toMatch(
      /^The approval policy refused the approval by bob@example\.com \(not in allowed-approvers\)\. Approval 2 of 2/
    )
    expect(all(AFTER_REFUSAL)).toContain('refused the approval by bob@example.com')
    expect(genericMessage(AFTER_REFUSAL)).toMatchObject({
      event: 'code-ready',
      approval: 2,
      approvals: 2,
      approvers: ['alice'],
      refused: { approver: 'bob@example.com', rule: 'allowed-approvers' },
      outcome: null
    })
  })

  it('lists every approver in the final message', () => {
    expect(sentenceOf(BOTH)).toBe(
      "Approved by alice and carol. The run goes on with alice's token."
    )
    expect(slackMessage(BOTH).text).toBe(
      "Approved. Approved by alice and carol. The run goes on with alice's token."
    )
    expect(genericMessage(BOTH)).toMatchObject({
      event: 'ended',
      approval: null,
      approvals: 2,
      approvers: ['alice', 'carol'],
      outcome: 'approved',
      approver: 'alice'
    })
  })

  it('sends the refused outcome, which the README documents, with who and which rule', () => {
    expect(genericMessage(REFUSED)).toMatchObject({
      outcome: 'refused',
      refused: { approver: 'bob@example.com', rule: 'required-claims' }
    })
    expect(sentenceOf(REFUSED)).toBe(
      'The approval policy refused the approval by bob@example.com (a required claim does not hold). The run stopped; its log says why.'
    )
  })

  it('keeps the generic text to the action’s own words: no name, markup, link or mention from outside', () => {
    const hostile = '<@U123> @everyone [me](https://evil.example) *eve* evil.example'
    for (const notification of [
      {
        ...HOSTILE,
        outcome: { ending: 'approved' as const, approver: hostile, approvers: [hostile, 'x'] }
      },
      { ...AFTER_REFUSAL, refused: { approver: hostile, rule: 'approvals' as const } },
      { ...SECOND, approval: { number: 2, of: 2, earlier: [hostile] } },
      { ...REFUSED, outcome: { ending: 'refused' as const, refused: { approver: hostile } } }
    ]) {
      const { text } = genericMessage(notification)
      expect(text).not.toMatch(/[<>[\]*@]|https?:|evil/)
    }
    expect(genericMessage(BOTH).text).toBe(
      "Approved. Approved by 2 people, one after the other (see approvers). The run goes on with the first one's token."
    )
  })
})

describe('a sign-in page on another host than the provider', () => {
  const ELSEWHERE: Notification = { ...CODE_READY, verificationHost: 'login.other.example' }

  it('names that host in every button and link text', () => {
    const slack = JSON.stringify(slackMessage(ELSEWHERE))
    const teams = JSON.stringify(teamsMessage(ELSEWHERE))
    const discord = discordMessage(ELSEWHERE) as {
      embeds: Array<{ title: string; description: string }>
    }
    expect(slack).toContain('"text":"Open the sign-in page at login.other.example"')
    expect(teams).toContain('"title":"Open the sign-in page at login.other.example"')
    expect(discord.embeds[0]?.description).toContain(
      '[Open the sign\\-in page at login\\.other\\.example]'
    )
    expect(discord.embeds[0]?.title).toContain('login\\.other\\.example')
    // The provider's own page keeps the plain label.
    expect(JSON.stringify(slackMessage(CODE_READY))).toContain('"text":"Open the sign-in page"')
  })

  it('keeps the end of a long host, which says whose it is, within Slack’s 75 characters', () => {
    const host = `login.example.com.${'x'.repeat(60)}.evil.example`
    const label = linkLabelOf(host)
    expect(label.length).toBeLessThanOrEqual(75)
    expect(label.endsWith('.evil.example')).toBe(true)
  })
})

describe('what no body may hold', () => {
  it.each([
    ['Slack', slackMessage],
    ['Teams', teamsMessage],
    ['Discord', discordMessage],
    ['JSON', genericMessage]
  ])(
    '%s: nothing but what the notification gives (no token or device code field exists)',
    (_name, build) => {
      for (const notification of [CODE_READY, APPROVED, DENIED, HOSTILE, HOSTILE_WAITING]) {
        const json = JSON.stringify(build(notification))
        expect(json).not.toMatch(/device_code|access_token|refresh_token|client_secret/)
        // One line per string: no raw line break from outside survives.
        for (const text of stringsOf(build(notification))) expect(text).not.toMatch(/\n::/)
      }
    }
  )
})
