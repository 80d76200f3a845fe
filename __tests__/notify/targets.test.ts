import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { readConfig } from '../../src/inputs.js'
import { RecordingRunner } from '../../test-support/fakes.js'

const BASE = { 'client-id': 'my-client', issuer: 'https://id.example.com' }
const SLACK = 'https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX'
const TEAMS =
  'https://prod-12.westeurope.logic.azure.com:443/workflows/0123abcd/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SIGNATURE'
const DISCORD = 'https://discord.com/api/webhooks/1234567890/TOKEN-part'

function read(inputs: Record<string, string>) {
  const runner = new RecordingRunner({ ...BASE, ...inputs })
  return { runner, config: () => readConfig(runner) }
}

function inputErrorOf(inputs: Record<string, string>): { error: InputError; secrets: string[] } {
  const { runner, config } = read(inputs)
  try {
    config()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return { error: error as InputError, secrets: runner.secrets }
  }
  throw new Error('readConfig accepted the inputs')
}

describe('notify-webhook', () => {
  it('reads one URL a line, tells each kind apart, and masks every URL', () => {
    const { runner, config } = read({
      'notify-webhook': `${SLACK}\n\n  ${TEAMS}  \n# a comment\n${DISCORD}\nhttps://hooks.example.com/approvals`
    })
    const { notify } = config()
    expect(notify.webhooks.map((target) => target.kind)).toEqual([
      'slack',
      'teams',
      'discord',
      'json'
    ])
    expect(notify.webhooks[1]?.url).toBe(TEAMS)
    expect(notify.webhooks[0]?.label).toBe('notify-webhook line 1 (Slack, hooks.slack.com)')
    expect(notify.webhooks[3]?.label).toBe('notify-webhook line 6 (JSON, hooks.example.com)')
    for (const url of [SLACK, TEAMS, DISCORD]) expect(runner.secrets).toContain(url)
    expect(notify.reminders).toBe(false)
  })

  it('masks a host name that is itself the credential, and leaves it out of the label', () => {
    const url = 'https://eo3kzp5m8x2v1q0.m.pipedream.net/'
    const { runner, config } = read({ 'notify-webhook': `${url}\nhttps://hooks.example.com/x` })
    const { notify } = config()
    expect(runner.secrets).toContain('eo3kzp5m8x2v1q0.m.pipedream.net')
    expect(notify.webhooks[0]?.label).toBe('notify-webhook line 1 (JSON)')
    // A host made of words is not masked: masking it would hide it from every log line.
    expect(runner.secrets).not.toContain('hooks.example.com')
    expect(notify.webhooks[1]?.label).toBe('notify-webhook line 2 (JSON, hooks.example.com)')
  })

  it('is empty by default, and notify-reminders and qr-code have their defaults', () => {
    const config = read({}).config()
    expect(config.notify).toEqual({ webhooks: [], reminders: false })
    expect(config.qrCode).toBe(false)
    expect(read({ 'notify-reminders': 'true', 'qr-code': 'true' }).config()).toMatchObject({
      notify: { reminders: true },
      qrCode: true
    })
  })

  it('refuses http:// outside loopback, naming the input and line but never the URL', () => {
    const url = 'http://hooks.example.com/secret-path-123'
    const { error, secrets } = inputErrorOf({ 'notify-webhook': `${SLACK}\n${url}` })
    expect(error.input).toBe('notify-webhook')
    expect(error.message).toMatch(/^Input 'notify-webhook': line 2 uses http:\/\//)
    expect(error.message).toContain('https://')
    expect(error.message).not.toContain('secret-path-123')
    // Masked before it was checked: the runner hides it wherever it might still be printed.
    expect(secrets).toContain(url)
  })

  it('accepts http:// on loopback, where a test receiver listens', () => {
    const { notify } = read({ 'notify-webhook': 'http://127.0.0.1:8080/hook' }).config()
    expect(notify.webhooks[0]).toMatchObject({ kind: 'json', url: 'http://127.0.0.1:8080/hook' })
  })

  it.each([
    ['not a URL', /line 1 is not an absolute URL/],
    ['ftp://hooks.example.com/x', /line 1 uses ftp:\/\//],
    ['https://user:pw@hooks.example.com/x', /line 1 contains a user name or password/]
  ])('refuses %s', (value, message) => {
    const { error } = inputErrorOf({ 'notify-webhook': value })
    expect(error.input).toBe('notify-webhook')
    expect(error.message).toMatch(message)
    expect(error.message).not.toContain('pw@')
  })

  it('refuses the same webhook twice', () => {
    const { error } = inputErrorOf({ 'notify-webhook': `${SLACK}\n${SLACK}` })
    expect(error.message).toContain('line 2 repeats line 1')
  })

  it('refuses more than ten webhooks', () => {
    const many = Array.from({ length: 11 }, (_, i) => `https://hooks.example.com/${i}`).join('\n')
    expect(inputErrorOf({ 'notify-webhook': many }).error.message).toContain('at most 10')
  })
})

describe('qr-code and notify-reminders', () => {
  it.each(['qr-code', 'notify-reminders'])(
    '%s refuses a value that is not true or false',
    (input) => {
      const { error } = inputErrorOf({ [input]: 'maybe' })
      expect(error.input).toBe(input)
      expect(error.message).toBe(`Input '${input}': "maybe" is not true or false.`)
    }
  )
})
