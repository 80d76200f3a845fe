import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { systemClock } from '../../src/clock.js'
import { run } from '../../src/main.js'
import { createHttpTransport } from '../../src/oauth/http.js'
import { startIdp, type Idp } from '../../test-support/idp.js'
import { RecordingRunner } from '../../test-support/fakes.js'

/**
 * Three behaviours an independent OpenID Provider (Glewlwyd 2.7.5) showed, reproduced against the
 * embedded oidc-provider on 127.0.0.1: a dead refresh token answered with an empty HTTP 400, a
 * device endpoint that accepts a private_key_jwt assertion only when addressed to itself, and an
 * access_denied that is not always a person declining.
 */
let idp: Idp
let approveNext: ((userCode: string) => Promise<void>) | undefined
const approvals: Array<Promise<void>> = []

beforeAll(async () => {
  idp = await startIdp({
    interval: 1,
    deviceAssertionAudience: 'endpoint',
    onDeviceAuthorization: (userCode) => {
      if (approveNext) approvals.push(approveNext(userCode))
    }
  })
})

afterAll(async () => {
  await Promise.allSettled(approvals)
  await idp.close()
})

function actionRun(inputs: Record<string, string>) {
  const runner = new RecordingRunner(
    { issuer: idp.issuer, scope: 'openid profile offline_access', ...inputs },
    {}
  )
  const ending = run({
    runner,
    http: createHttpTransport('device-flow-action-test'),
    clock: systemClock,
    signal: new AbortController().signal
  })
  return { runner, ending }
}

describe('a dead refresh token answered with HTTP 400 and an empty body (Glewlwyd)', () => {
  it('falls back to a person with on-refresh-failure: device, and the new refresh token must be stored', async () => {
    idp.setFault({ kind: 'status', status: 400, body: '', contentType: 'text/plain', count: 1 })
    approveNext = (code) => idp.approve(code, { user: 'alice' })
    const { runner, ending } = actionRun({
      'client-id': idp.clients.public.clientId,
      'refresh-token': 'rt-that-the-provider-no-longer-knows-0123456789',
      'on-refresh-failure': 'device'
    })
    expect(await ending).toBe('approved')
    expect(runner.text('warning')).toMatch(/refused the stored refresh token: it answered HTTP 400/)
    expect(runner.text('warning')).toContain('Starting the device flow instead')
    expect(runner.outputs['refresh-token']).toMatch(/^\S{20,}$/)
    expect(runner.outputs['refresh-token-rotated']).toBe('true')
  })

  it('fails by default, saying the stored refresh token was rejected and that on-refresh-failure: device exists', async () => {
    idp.setFault({ kind: 'status', status: 400, body: '', contentType: 'text/plain', count: 1 })
    approveNext = undefined
    const { runner, ending } = actionRun({
      'client-id': idp.clients.public.clientId,
      'refresh-token': 'rt-that-the-provider-no-longer-knows-0123456789'
    })
    expect(await ending).toBe('failed')
    expect(runner.failed).toMatch(/refused the stored refresh token/)
    expect(runner.failed).toContain('on-refresh-failure: device')
    expect(runner.failed).not.toContain('body is empty')
  })
})

describe('private_key_jwt at a device endpoint that wants its own URL as the audience', () => {
  it('sends the assertion once more addressed to the called URL, and the flow succeeds', async () => {
    const before = idp.deviceAssertionRefusals
    approveNext = (code) => idp.approve(code, { user: 'bob' })
    const { runner, ending } = actionRun({
      'client-id': idp.clients.privateKeyJwt.clientId,
      'client-private-key': idp.clients.privateKeyJwt.privateKeyPem
    })
    expect(await ending).toBe('approved')
    expect(runner.failed).toBeUndefined()
    expect(runner.outputs['approver']).toBe('bob')
    // Refused once (aud = token endpoint), accepted the second time (aud = the device endpoint).
    expect(idp.deviceAssertionRefusals - before).toBe(1)
  })
})

describe('access_denied', () => {
  it('says the request was denied and what usually causes that, not that the person declined', async () => {
    approveNext = (code) => idp.approve(code, { deny: true })
    const { runner, ending } = actionRun({ 'client-id': idp.clients.public.clientId })
    expect(await ending).toBe('denied')
    expect(runner.failed).toMatch(/^The request was denied \(access_denied\)/)
    expect(runner.failed).toMatch(/declined it, but the provider also answers so/)
    expect(runner.failed).not.toMatch(/the person who signed in declined it at the provider/)
  })
})
