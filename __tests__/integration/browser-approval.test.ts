// A person's path through the test IdP in a real (headless) Chromium: open the
// verification_uri_complete link, confirm, pick the user, Approve; the device then polls
// successfully. Skips itself only when /usr/bin/chromium is missing (apt-get install chromium).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { CHROMIUM_PATH, approveInBrowser } from '../../test-support/approve-in-browser.js'
import { startIdp, type Idp } from '../../test-support/idp.js'

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'
const hasChromium = existsSync(CHROMIUM_PATH)
if (!hasChromium) {
  console.warn(
    `browser-approval.test.ts: SKIPPED, ${CHROMIUM_PATH} not found (install it with: apt-get install -y chromium)`
  )
}
const browserTest = hasChromium ? test : test.skip

describe('approval in a real browser', () => {
  let idp: Idp

  beforeAll(async () => {
    idp = await startIdp()
  })
  afterAll(async () => {
    await idp.close()
  })

  browserTest(
    'device authorization, approve in Chromium as bob, then a successful poll',
    async () => {
      const meta = (await (
        await fetch(`${idp.issuer}/.well-known/openid-configuration`)
      ).json()) as { device_authorization_endpoint: string; token_endpoint: string }
      const { clientId } = idp.clients.public
      const da = (await (
        await fetch(meta.device_authorization_endpoint, {
          method: 'POST',
          body: new URLSearchParams({ client_id: clientId, scope: 'openid profile email' })
        })
      ).json()) as { device_code: string; verification_uri_complete: string }

      const poll = async () => {
        const response = await fetch(meta.token_endpoint, {
          method: 'POST',
          body: new URLSearchParams({
            client_id: clientId,
            grant_type: DEVICE_GRANT,
            device_code: da.device_code
          })
        })
        return { status: response.status, json: (await response.json()) as Record<string, unknown> }
      }

      expect((await poll()).json['error']).toBe('authorization_pending')
      await approveInBrowser(da.verification_uri_complete, { user: 'bob' })

      const ok = await poll()
      expect(ok.status).toBe(200)
      expect(ok.json).toEqual(
        expect.objectContaining({
          access_token: expect.any(String),
          refresh_token: expect.any(String),
          id_token: expect.any(String)
        })
      )
      const claims = JSON.parse(
        Buffer.from(String(ok.json['id_token']).split('.')[1] ?? '', 'base64url').toString('utf8')
      ) as Record<string, unknown>
      expect(claims['preferred_username']).toBe('bob')
    }
  )
})
