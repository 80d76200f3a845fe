import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { run } from '../src/main.js'
import {
  FakeClock,
  json,
  RecordingRunner,
  scriptedHttp,
  type Route
} from '../test-support/fakes.js'
import { commandInjection } from '../test-support/properties.js'
import { EXAMPLE } from '../test-support/replay.js'
import { commandsIn, MODEL_LINE_BREAK } from '../test-support/runner-commands.js'

/**
 * Issue 12: text from the provider (and names from the environment) must never steer the runner
 * or mislead the approver. run() against an in-memory provider that controls every field it
 * returns; every line the action writes is read with a model of the runner's command parser.
 */
const {
  issuer: ISSUER,
  discovery: DISCOVERY,
  device: DEVICE,
  token: TOKEN,
  userinfo: USERINFO
} = EXAMPLE
// A secret with the legacy command prefix in it: escaped, it would no longer match the mask.
const CLIENT_SECRET = 'cs-#[secret-0123456789abcdef'
const DEVICE_CODE = 'dc-##[device-0123456789abcdef'
const ACCESS_TOKEN = 'at-0123456789abcdef-access'

const discovery =
  (issuer: string = ISSUER): Route =>
  () =>
    json(200, {
      issuer,
      device_authorization_endpoint: DEVICE,
      token_endpoint: TOKEN,
      userinfo_endpoint: USERINFO
    })

interface Hostile {
  readonly issuer?: string
  readonly device: Record<string, unknown>
  readonly token: Route
  readonly userinfo: Record<string, unknown>
  readonly env: Record<string, string>
}

function setup(hostile: Hostile) {
  const runner = new RecordingRunner(
    { 'client-id': 'release-bot', 'client-secret': CLIENT_SECRET, issuer: ISSUER, timeout: '5m' },
    {
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'octo/release',
      GITHUB_RUN_ID: '4242',
      ...hostile.env
    }
  )
  let polls = 0
  const http = scriptedHttp({
    [DISCOVERY]: discovery(hostile.issuer),
    [DEVICE]: () =>
      json(200, {
        device_code: DEVICE_CODE,
        user_code: 'WDJB-MJHT',
        verification_uri: `${ISSUER}/device`,
        expires_in: 600,
        interval: 5,
        ...hostile.device
      }),
    [TOKEN]: (request) =>
      ++polls === 1 ? json(400, { error: 'authorization_pending' }) : hostile.token(request),
    [USERINFO]: () => json(200, { sub: 'alice-sub', ...hostile.userinfo })
  })
  const clock = new FakeClock()
  return {
    runner,
    http,
    run: () => run({ runner, http, clock, signal: new AbortController().signal })
  }
}

/** Every line the runner would read from the action: log lines, annotations, the failure. */
function printed(runner: RecordingRunner): string[] {
  return [
    ...runner.logs.flatMap((entry) =>
      entry.title ? [entry.title, entry.message] : [entry.message]
    ),
    ...(runner.failed ? [runner.failed] : [])
  ]
}

const hostileText = commandInjection
/** What a hostile provider echoes: any text, or the secrets it was sent. */
const echo = fc.oneof(
  hostileText,
  fc.constantFrom(
    `bad client_secret ${CLIENT_SECRET}`,
    `device_code ${DEVICE_CODE} unknown`,
    `${CLIENT_SECRET}\n##[stop-commands]x`
  )
)

const tokenAnswer: fc.Arbitrary<Route> = fc.oneof(
  fc
    .record({
      error: fc.oneof(fc.constant('invalid_grant'), hostileText),
      description: echo,
      uri: echo
    })
    .map(
      ({ error, description, uri }): Route =>
        () =>
          json(400, {
            error,
            error_description: description,
            error_uri: `https://x.example/${uri}`
          })
    ),
  echo.map((title): Route => () => ({
    status: 502,
    headers: { 'content-type': 'text/html' },
    body: `<html><title>${title.replace(/[<>]/g, '')}</title></html>`
  })),
  echo.map((location): Route => () => ({ status: 307, headers: { location }, body: '' })),
  fc.record({ type: fc.oneof(fc.constant('Bearer'), hostileText) }).map(
    ({ type }): Route =>
      () =>
        json(200, { access_token: ACCESS_TOKEN, token_type: type, expires_in: 3600 })
  )
)

const hostile: fc.Arbitrary<Hostile> = fc.record({
  issuer: fc.option(
    hostileText.map((text) => `${ISSUER}${text}`),
    { nil: undefined }
  ),
  device: fc.record(
    {
      message: echo,
      user_code: hostileText,
      verification_uri_complete: hostileText.map((text) => `${ISSUER}/device?c=${text}`),
      interval: hostileText,
      expires_in: hostileText
    },
    { requiredKeys: [] }
  ),
  token: tokenAnswer,
  userinfo: fc.record(
    {
      sub: hostileText,
      preferred_username: hostileText,
      email: hostileText,
      email_verified: fc.oneof(fc.boolean(), hostileText)
    },
    { requiredKeys: [] }
  ),
  env: fc.record(
    { GITHUB_WORKFLOW: hostileText, GITHUB_ACTOR: hostileText, GITHUB_REPOSITORY: hostileText },
    { requiredKeys: [] }
  )
})

describe('run: a provider that controls every field it returns', () => {
  it('never writes a line in which the runner would find a workflow command, a line break or a secret', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (fields) => {
        const t = setup(fields)
        await t.run()
        for (const line of printed(t.runner)) {
          expect(commandsIn(line)).toEqual([])
          expect(line).not.toMatch(MODEL_LINE_BREAK)
          // Cut out before escaping, so not even an escaped piece of a secret remains.
          for (const fragment of ['secret-0123456789abcdef', 'device-0123456789abcdef'])
            expect(line).not.toContain(fragment)
        }
        expect(commandsIn(t.runner.summary)).toEqual([])
        for (const value of Object.values(t.runner.outputs)) expect(commandsIn(value)).toEqual([])
      }),
      { numRuns: 300 }
    )
  })

  it('masks every secret it knows before the first line with foreign text is printed', async () => {
    const t = setup({
      device: { message: 'Open https://id.example.com/device and enter WDJB-MJHT.' },
      token: () => json(200, { access_token: ACCESS_TOKEN, token_type: 'Bearer' }),
      userinfo: { preferred_username: 'alice' },
      env: { GITHUB_WORKFLOW: 'Release ##[stop-commands]x' }
    })
    await expect(t.run()).resolves.toBe('approved')
    const first = (pattern: RegExp): number =>
      t.runner.timeline.findIndex((entry) => !entry.startsWith('mask:') && pattern.test(entry))
    // The discovery URL is the provider's (after redirects): the inputs' secrets are masked before.
    const firstForeign = first(/discovery at/)
    expect(firstForeign).toBeGreaterThanOrEqual(0)
    expect(t.runner.timeline.indexOf(`mask:${CLIENT_SECRET}`)).toBeLessThan(firstForeign)
    // The device code before the first line with anything from the device response.
    const firstFromDevice = first(/WDJB-MJHT|device authorization response/)
    expect(t.runner.timeline.indexOf(`mask:${DEVICE_CODE}`)).toBeLessThan(firstFromDevice)
    // The tokens arrive later, and are masked before anything else happens with them.
    const tokenMask = t.runner.timeline.indexOf(`mask:${ACCESS_TOKEN}`)
    expect(tokenMask).toBeGreaterThan(firstFromDevice)
    expect(t.runner.timeline.slice(tokenMask).some((entry) => entry.includes('Approved'))).toBe(
      true
    )
  })

  it('does not present a token whose type is not Bearer, and says why (RFC 6749 §7.1)', async () => {
    const t = setup({
      device: {},
      token: () => json(200, { access_token: ACCESS_TOKEN, token_type: 'mac' }),
      userinfo: {},
      env: {}
    })
    await expect(t.run()).resolves.toBe('approved')
    expect(t.http.requests.map((request) => request.url)).not.toContain(USERINFO)
    expect(t.runner.text('warning')).toContain(
      'The token endpoint answered with token_type "mac", not Bearer (RFC 6749 §5.1 and §7.1), so the action does not present the token itself'
    )
    expect(t.runner.outputs['access-token']).toBe(ACCESS_TOKEN)
    expect(t.runner.outputs['token-type']).toBe('mac')
  })

  it('says so when token_type is missing, and does not present the token either', async () => {
    const t = setup({
      device: {},
      token: () => json(200, { access_token: ACCESS_TOKEN }),
      userinfo: {},
      env: {}
    })
    await t.run()
    expect(t.http.requests.map((request) => request.url)).not.toContain(USERINFO)
    expect(t.runner.text('warning')).toContain('answered with no token_type, not Bearer')
  })

  it('names the approver by sub, not by an email the provider does not mark verified', async () => {
    const t = setup({
      device: {},
      token: () => json(200, { access_token: ACCESS_TOKEN, token_type: 'bearer' }),
      userinfo: { sub: 'user-7', email: 'ceo@victim.example' },
      env: {}
    })
    await expect(t.run()).resolves.toBe('approved')
    expect(t.runner.outputs['approver']).toBe('user-7')
    expect(t.runner.outputs['approver-subject']).toBe('user-7')
    expect(t.runner.text('warning')).toContain(
      'The userinfo endpoint names the email ceo@victim.example, but does not say it is verified (email_verified is missing), so the approver is named by sub instead.'
    )
    expect(t.runner.text('info')).toContain('Approved by user-7')
  })

  it('uses a verified email', async () => {
    const t = setup({
      device: {},
      token: () => json(200, { access_token: ACCESS_TOKEN, token_type: 'Bearer' }),
      userinfo: { sub: 'user-7', email: 'alice@example.com', email_verified: true },
      env: {}
    })
    await t.run()
    expect(t.runner.outputs['approver']).toBe('alice@example.com')
    expect(t.runner.summary).toContain('alice@example.com &#40;user-7&#41;')
  })

  it('shows no link on another site, and leaves out a message naming one', async () => {
    const t = setup({
      device: {
        verification_uri_complete: 'https://evil.example/device?user_code=WDJB-MJHT',
        message: 'Or sign in at evil.example/login instead.'
      },
      token: () => json(200, { access_token: ACCESS_TOKEN, token_type: 'Bearer' }),
      userinfo: {},
      env: {}
    })
    await t.run()
    const everything = `${t.runner.text()}\n${t.runner.summary}`
    expect(t.runner.text('info')).not.toContain('evil.example/device')
    expect(t.runner.summary).not.toContain('evil.example')
    expect(t.runner.text('info')).not.toContain('The provider says')
    expect(t.runner.text('warning')).toContain(
      'ignored verification_uri_complete: it is on another site (https://evil.example) than verification_uri (https://id.example.com), so it is not shown as a link to follow'
    )
    expect(t.runner.text('warning')).toContain(
      "left out the provider's message: it names evil.example/login, which is not the verification_uri"
    )
    expect(everything).toContain(`${ISSUER}/device`)
  })

  it('names the redirect of a POST, and what to set, instead of "the body is empty"', async () => {
    const t = setup({
      device: {},
      token: () => ({
        status: 308,
        headers: { location: 'https://login.example.com/token' },
        body: ''
      }),
      userinfo: {},
      env: {}
    })
    await expect(t.run()).resolves.toBe('failed')
    expect(t.runner.failed).toBe(
      `The token endpoint (${TOKEN}) redirected (HTTP 308) to https://login.example.com/token, and the action does not follow redirects for POSTs: set the endpoint to the final URL.`
    )
  })

  it('cuts a secret from another request out of quoted provider text too (the refresh token input)', async () => {
    const refreshToken = 'rt-#[stored-0123456789abcdef'
    const runner = new RecordingRunner({
      'client-id': 'release-bot',
      issuer: ISSUER,
      'refresh-token': refreshToken,
      'on-refresh-failure': 'device'
    })
    const http = scriptedHttp({
      [DISCOVERY]: discovery(),
      [TOKEN]: () => json(400, { error: 'invalid_grant' }),
      [DEVICE]: () =>
        json(400, { error: 'invalid_request', error_description: `unexpected ${refreshToken}` })
    })
    await run({ runner, http, clock: new FakeClock(), signal: new AbortController().signal })
    expect(runner.failed).toContain('unexpected ***')
    expect(runner.failed).not.toContain('stored-0123456789abcdef')
  })

  it('waits at most a minute for a Retry-After before the prompt, and says so', async () => {
    const runner = new RecordingRunner({ 'client-id': 'release-bot', issuer: ISSUER })
    let asked = 0
    const http = scriptedHttp({
      [DISCOVERY]: () =>
        ++asked === 1 ? json(503, {}, { 'retry-after': '3600' }) : discovery()(undefined as never),
      [DEVICE]: () =>
        json(200, {
          device_code: DEVICE_CODE,
          user_code: 'WDJB-MJHT',
          verification_uri: `${ISSUER}/device`,
          expires_in: 600
        }),
      [TOKEN]: () => json(200, { access_token: ACCESS_TOKEN, token_type: 'Bearer' }),
      [USERINFO]: () => json(200, { sub: 'alice' })
    })
    const clock = new FakeClock()
    await run({ runner, http, clock, signal: new AbortController().signal })
    expect(clock.sleeps[0]).toBe(60_000)
    expect(runner.text('info')).toContain(
      'HTTP 503 (the provider asked for 3600 s with Retry-After; waiting at most 60 s); trying again in 60 s.'
    )
  })
})
