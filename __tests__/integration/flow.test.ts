import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { systemClock } from '../../src/clock.js'
import { run } from '../../src/main.js'
import { createHttpTransport } from '../../src/oauth/http.js'
import { startIdp, type Idp } from '../../test-support/idp.js'
import { RecordingRunner } from '../../test-support/fakes.js'

/**
 * The whole action, in process, against a real identity provider (oidc-provider on 127.0.0.1)
 * with the real transport and the real clock. The approval is done over HTTP, form by form, as a
 * person's browser would. The IdP asks for a 1 s interval to keep the suite quick.
 */
type Approver = (userCode: string) => Promise<void>

let idp: Idp
let approver: Approver | undefined
const approvals: Array<Promise<void>> = []

beforeAll(async () => {
  idp = await startIdp({
    interval: 1,
    onDeviceAuthorization: (userCode) => {
      if (approver) approvals.push(approver(userCode))
    }
  })
})

afterAll(async () => {
  await Promise.allSettled(approvals)
  await idp.close()
})

function actionRun(inputs: Record<string, string>, approve?: Approver) {
  approver = approve
  const runner = new RecordingRunner(
    { issuer: idp.issuer, scope: 'openid profile email offline_access', ...inputs },
    {}
  )
  const controller = new AbortController()
  const ending = run({
    runner,
    http: createHttpTransport('device-flow-action-test'),
    clock: systemClock,
    signal: controller.signal
  })
  return { runner, ending, controller }
}

const approveAs =
  (user: string): Approver =>
  (code) =>
    idp.approve(code, { user })
const deny: Approver = (code) => idp.approve(code, { deny: true })

describe('the device flow against a real identity provider', () => {
  it('gets tokens for a public client once a person approves', async () => {
    const { runner, ending } = actionRun(
      { 'client-id': idp.clients.public.clientId },
      approveAs('alice')
    )
    expect(await ending).toBe('approved')
    expect(runner.failed).toBeUndefined()
    expect(runner.outputs['access-token']).toMatch(/^\S{20,}$/)
    expect(runner.outputs['refresh-token']).toMatch(/^\S{20,}$/)
    expect(runner.outputs['id-token']?.split('.')).toHaveLength(3)
    expect(runner.outputs['token-type']).toBe('Bearer')
    expect(runner.outputs['approver']).toBe('alice')
    expect(runner.outputs['approver-subject']).toBe('alice')
    expect(runner.outputs['scope']?.split(' ')).toEqual(
      expect.arrayContaining(['openid', 'profile'])
    )
    expect(runner.summary).toContain('✅ Approved')
  })

  it('authenticates a confidential client with client_secret_basic', async () => {
    const { clientId, clientSecret } = idp.clients.basic
    const { runner, ending } = actionRun(
      {
        'client-id': clientId,
        'client-secret': clientSecret,
        'client-auth-method': 'client_secret_basic'
      },
      approveAs('bob')
    )
    expect(await ending).toBe('approved')
    expect(runner.outputs['approver']).toBe('bob')
    expect(runner.secrets).toContain(clientSecret)
  })

  it('picks client_secret_basic for a secret when client-auth-method is auto', async () => {
    const { clientId, clientSecret } = idp.clients.basic
    const { ending } = actionRun(
      { 'client-id': clientId, 'client-secret': clientSecret },
      approveAs('alice')
    )
    expect(await ending).toBe('approved')
  })

  it('authenticates a confidential client with client_secret_post', async () => {
    const { clientId, clientSecret } = idp.clients.post
    const { runner, ending } = actionRun(
      {
        'client-id': clientId,
        'client-secret': clientSecret,
        'client-auth-method': 'client_secret_post'
      },
      approveAs('alice')
    )
    expect(await ending).toBe('approved')
    expect(runner.outputs['access-token']).toBeDefined()
  })

  it('authenticates with private_key_jwt (RFC 7523) using a PKCS#8 key', async () => {
    const { clientId, privateKeyPem } = idp.clients.privateKeyJwt
    const { runner, ending } = actionRun(
      { 'client-id': clientId, 'client-private-key': privateKeyPem },
      approveAs('alice')
    )
    expect(await ending).toBe('approved')
    expect(runner.outputs['approver']).toBe('alice')
  })

  it('names the fix when the client secret is wrong', async () => {
    const { runner, ending } = actionRun({
      'client-id': idp.clients.basic.clientId,
      'client-secret': 'not-the-secret'
    })
    expect(await ending).toBe('failed')
    expect(runner.failed).toContain('invalid_client')
    expect(runner.failed).toContain('client-secret')
  })

  it('ends as denied when the person declines', async () => {
    const { runner, ending } = actionRun({ 'client-id': idp.clients.public.clientId }, deny)
    expect(await ending).toBe('denied')
    expect(runner.failed).toMatch(/denied/)
    expect(runner.outputs).toEqual({})
    expect(runner.summary).toContain('🚫 Denied')
  })

  it('ends at the timeout when nobody approves, without another poll after it', async () => {
    const before = idp.tokenRequests.length
    const started = Date.now()
    const { runner, ending } = actionRun({ 'client-id': idp.clients.public.clientId, timeout: '4' })
    expect(await ending).toBe('timed-out')
    expect(Date.now() - started).toBeLessThan(4000 + 1500)
    expect(runner.summary).toContain('Timed out')
    const polls = idp.tokenRequests.slice(before)
    expect(polls.length).toBeGreaterThanOrEqual(2)
    expect(polls.every((poll) => poll.at <= started + 4000 + 200)).toBe(true)
  })
})

describe('expiry and slow_down against a real identity provider', () => {
  let shortLived: Idp
  beforeAll(async () => {
    shortLived = await startIdp({ interval: 1, deviceCodeTtlSeconds: 3, slowDownPolls: 1 })
  })
  afterAll(async () => shortLived.close())

  it('slows down by 5 s after slow_down, then sees the code expire', async () => {
    const runner = new RecordingRunner(
      { issuer: shortLived.issuer, 'client-id': shortLived.clients.public.clientId },
      {}
    )
    const started = Date.now()
    const ending = await run({
      runner,
      http: createHttpTransport('test'),
      clock: systemClock,
      signal: new AbortController().signal
    })
    // The first poll (at ~1 s) gets slow_down; the next would be at ~7 s, after the 3 s code
    // expired, and a last poll at ~2 s would come too soon after the first: the action waits
    // out the code's lifetime without polling faster, then reports the expiry.
    expect(ending).toBe('expired')
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900)
    expect(runner.text('info')).toMatch(/slow_down.*every 6 s/)
    const polls = shortLived.tokenRequests.filter((r) => r.grantType.endsWith('device_code'))
    expect(polls).toHaveLength(1)
    expect(runner.summary).toContain('⌛ Expired')
  })
})

describe('refresh against a real identity provider', () => {
  async function freshRefreshToken(): Promise<string> {
    const { runner, ending } = actionRun(
      { 'client-id': idp.clients.public.clientId },
      approveAs('alice')
    )
    expect(await ending).toBe('approved')
    return runner.outputs['refresh-token'] as string
  }

  it('trades a refresh token for new tokens, and the provider rotates it', async () => {
    const stored = await freshRefreshToken()
    const { runner, ending } = actionRun({
      'client-id': idp.clients.public.clientId,
      'refresh-token': stored
    })
    expect(await ending).toBe('refreshed')
    expect(runner.outputs['access-token']).toBeDefined()
    expect(runner.outputs['refresh-token']).not.toBe(stored)
    expect(runner.outputs['refresh-token-rotated']).toBe('true')
    expect(runner.outputs['approver']).toBe('alice')

    // The rotated-out token is dead now: by default that fails, saying what to do.
    const again = actionRun({ 'client-id': idp.clients.public.clientId, 'refresh-token': stored })
    expect(await again.ending).toBe('failed')
    expect(again.runner.failed).toContain('invalid_grant')
    expect(again.runner.failed).toContain('on-refresh-failure: device')
  })

  it('falls back to asking a person when the refresh token is dead and on-refresh-failure is device', async () => {
    const { runner, ending } = actionRun(
      {
        'client-id': idp.clients.public.clientId,
        'refresh-token': 'a-dead-refresh-token',
        'on-refresh-failure': 'device'
      },
      approveAs('bob')
    )
    expect(await ending).toBe('approved')
    expect(runner.text('warning')).toMatch(/invalid_grant.*Starting the device flow instead/s)
    expect(runner.outputs['approver']).toBe('bob')
  })
})
