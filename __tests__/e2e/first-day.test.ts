import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startAction, USER_CODE_LINE } from '../../test-support/action-process.js'
import { startIdp, type Idp } from '../../test-support/idp.js'

/**
 * What a new user's first day showed (issue 21), as the runner shows it: dist/index.js against
 * the embedded identity provider, the log and annotations read from stdout, the summary file.
 */
let idp: Idp
beforeAll(async () => {
  idp = await startIdp({ interval: 1 })
})
afterAll(async () => {
  await idp.close()
})

/** A device flow approved by alice; its outputs, for a refresh after it. */
async function approvedRun(inputs: Record<string, string>) {
  const run = startAction({
    inputs: { issuer: idp.issuer, 'client-id': idp.clients.public.clientId, ...inputs }
  })
  const [, userCode] = await run.waitFor(USER_CODE_LINE)
  await idp.approve(userCode as string, { user: 'alice' })
  return run.done
}

describe('a refresh token that this step does not store', () => {
  it('a nightly refresh that rotates it: warns on the run page and in the summary, which names no approver', async () => {
    const first = await approvedRun({ scope: 'openid offline_access' })
    const stored = first.outputs['refresh-token'] as string
    const nightly = await startAction({
      inputs: {
        issuer: idp.issuer,
        'client-id': idp.clients.public.clientId,
        'refresh-token': stored,
        mode: 'refresh'
      }
    }).done
    expect(nightly.code).toBe(0)
    expect(nightly.outputs['refresh-token-rotated']).toBe('true')
    expect(nightly.stdout).toMatch(
      /^::warning::The provider rotated the refresh token: the one this step started from \(your secret\) no longer works.*or the next run fails with invalid_grant: set store-refresh-token/m
    )
    expect(nightly.summary).toMatch(/^<h2>🔄 Refreshed from the stored refresh token<\/h2>/)
    expect(nightly.summary).toContain('<p>⚠️ <strong>Refresh token not stored.</strong>')
    expect(nightly.summary).toContain('(nobody was asked this time)')
    expect(nightly.summary).not.toContain('Approved')
  })

  it('the first one, from a device flow that asked for offline_access: warns, and the outcome notice says it too', async () => {
    const result = await approvedRun({ scope: 'openid offline_access' })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /^::warning::The device flow returned a new refresh token, and it is in the refresh-token output only/m
    )
    expect(result.stdout).toMatch(
      /^::notice title=Approved by alice::Approved by alice at .*\. The tokens are in this step's outputs \(masked\)\. The device flow returned a new refresh token/m
    )
  })

  it('says nothing of the kind to a gate that never asked for a refresh token', async () => {
    const result = await approvedRun({ scope: 'openid profile' })
    expect(result.code).toBe(0)
    expect(result.stdout).not.toMatch(/^::warning::/m)
    expect(result.stdout + result.summary).not.toMatch(/not stored|refresh-token output only/)
  })
})

describe('a denial of a request that asked for no scope', () => {
  it('blames the empty scope input, not the approver (oidc-provider refuses a request without openid)', async () => {
    const run = startAction({
      inputs: { issuer: idp.issuer, 'client-id': idp.clients.public.clientId }
    })
    const [, userCode] = await run.waitFor(USER_CODE_LINE)
    // The provider refuses after the sign-in, before any consent page: the approval cannot finish.
    await idp.approve(userCode as string, { user: 'alice' }).catch(() => undefined)
    const result = await run.done
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /^::error::The request was denied \(access_denied\), and it asked for no scope: the scope input is empty\./m
    )
    expect(result.stdout).not.toMatch(/Ask the approver which it was/)
    expect(result.summary).toContain('<h2>🚫 Denied</h2>')
  })
})
