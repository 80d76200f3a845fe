import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { systemClock } from '../../src/clock.js'
import { run } from '../../src/main.js'
import { createHttpTransport } from '../../src/oauth/http.js'
import { startIdp, type Idp } from '../../test-support/idp.js'
import { RecordingRunner } from '../../test-support/fakes.js'

/**
 * A departure found against Authlib 1.2 (Debian's, authlib issue 798), reproduced on the embedded
 * oidc-provider (deviceCodeOwner: 'body'): the device code is filed under the client_id of the
 * device authorization request's body, so a client that authenticates with client_secret_basic
 * alone is refused at its own poll with unauthorized_client.
 */
const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'
let idp: Idp
const approvals: Array<Promise<void>> = []

beforeAll(async () => {
  idp = await startIdp({
    interval: 1,
    deviceCodeOwner: 'body',
    onDeviceAuthorization: (userCode) => approvals.push(idp.approve(userCode, { user: 'carol' }))
  })
})

afterAll(async () => {
  await Promise.allSettled(approvals)
  await idp.close()
})

describe('a provider that files device codes under the body client_id (Authlib 1.2)', () => {
  it('refuses a poll with client_secret_basic alone when the device request had no client_id in its body', async () => {
    const { clientId, clientSecret } = idp.clients.basic
    const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`
    const post = (path: string, body: Record<string, string>) =>
      fetch(`${idp.issuer}${path}`, {
        method: 'POST',
        headers: { authorization: basic },
        body: new URLSearchParams(body)
      })
    const device = (await (await post('/device/auth', { scope: 'openid' })).json()) as {
      device_code: string
    }
    const before = idp.deviceCodeOwnerRefusals
    const poll = await post('/token', {
      grant_type: DEVICE_CODE_GRANT,
      device_code: device.device_code
    })
    expect(poll.status).toBe(400)
    expect(await poll.json()).toEqual({ error: 'unauthorized_client' })
    expect(idp.deviceCodeOwnerRefusals - before).toBe(1)
  })

  it('gets tokens for a client_secret_basic client: the action names itself in the device request body', async () => {
    const { clientId, clientSecret } = idp.clients.basic
    const runner = new RecordingRunner(
      {
        issuer: idp.issuer,
        scope: 'openid profile',
        'client-id': clientId,
        'client-secret': clientSecret,
        'client-auth-method': 'client_secret_basic'
      },
      {}
    )
    const before = idp.deviceCodeOwnerRefusals
    const ending = await run({
      runner,
      http: createHttpTransport('device-flow-action-test'),
      clock: systemClock,
      signal: new AbortController().signal
    })
    expect(runner.failed).toBeUndefined()
    expect(ending).toBe('approved')
    expect(runner.outputs['approver']).toBe('carol')
    expect(idp.deviceCodeOwnerRefusals - before).toBe(0)
  })
})
