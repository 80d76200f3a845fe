import { afterEach, describe, expect, it } from '@jest/globals'
import { findLeaks, startAction, type ActionResult } from '../../test-support/action-process.js'
import { startHostileIdp, type HostileIdp } from '../../test-support/hostile-idp.js'
import { commandsIn, foreignCommandsIn } from '../../test-support/runner-commands.js'

/**
 * Issue 12, end to end: dist/index.js as a runner step against a provider on 127.0.0.1 that puts
 * workflow commands of both syntaxes, line and paragraph separators, bidi overrides and the
 * secrets it was sent into every field it returns, and a workflow and actor name that do the
 * same. Every byte written is read with a model of the runner's command parser, and scanned for
 * secrets outside ::add-mask:: lines.
 */
const CLIENT_SECRET = 'cs-#[hostile-client-secret-0123456789'
const DEVICE_CODE = 'dc-##[stop-commands]-hostile-device-code'
const ACCESS_TOKEN = 'at-#[hostile-access-token-0123456789'
const INJECTION = '##[stop-commands]pwned\u2028::add-mask::x ##[set-output name=approver]ceo\u202e'
const HOSTILE_ENV = {
  GITHUB_WORKFLOW: `Release ${INJECTION}${'w'.repeat(20_000)}`,
  GITHUB_ACTOR: `::set-output name=actor::${INJECTION}`
}

let idp: HostileIdp | undefined
afterEach(async () => {
  await idp?.close()
  idp = undefined
})

/** Neither the secrets nor a piece of one (a secret escaped would slip past the runner's mask). */
function expectNoSecrets(result: ActionResult): void {
  const streams = {
    stdout: result.stdout,
    stderr: result.stderr,
    summary: result.raw.summary,
    state: result.raw.state,
    env: result.raw.env
  }
  expect(findLeaks(streams, [CLIENT_SECRET, DEVICE_CODE, ACCESS_TOKEN])).toEqual([])
  const fragments = ['hostile-client-secret', 'hostile-device-code', 'hostile-access-token']
  for (const [where, text] of Object.entries(streams)) {
    const lines = text.split('\n').filter((line) => !line.startsWith('::add-mask::'))
    for (const fragment of fragments)
      expect({ where, leaked: lines.filter((line) => line.includes(fragment)) }).toEqual({
        where,
        leaked: []
      })
  }
}

function expectNoForeignCommands(result: ActionResult): void {
  // The action's own commands (add-mask, notice, warning, error, debug) only; no ##[ anywhere.
  expect(foreignCommandsIn(result.stdout)).toEqual([])
  expect(commandsIn(result.raw.summary)).toEqual([])
  for (const line of result.stdout.split('\n')) expect(line.length).toBeLessThan(6000)
}

describe('dist/index.js against a hostile provider', () => {
  it('approves with every field hostile: no command, no secret, no foreign link; the approver named safely', async () => {
    idp = await startHostileIdp({
      device: {
        message: `Enter the code WDJB-MJHT. ${INJECTION}`,
        // A member name is the provider's text too: the debug trace lists the names.
        [`##[stop-commands]x${INJECTION}`]: 1,
        verification_uri_complete: 'http://localhost:1/device?user_code=WDJB-MJHT'
      },
      userinfo: {
        sub: 'user-1',
        preferred_username: `##[set-output name=approver]ceo\u2028::stop-commands::x`,
        email: 'ceo@victim.example'
      }
    })
    const run = startAction({
      inputs: { issuer: idp.issuer, 'client-id': 'release-bot', 'client-secret': CLIENT_SECRET },
      // Debug mode: the HTTP trace prints the names of the members received.
      env: { ...HOSTILE_ENV, RUNNER_DEBUG: '1' }
    })
    const result = await run.done
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^::debug::POST .*\/device\/code .*##\\\[stop-commands\]x/m)
    expectNoForeignCommands(result)
    expectNoSecrets(result)
    expect(result.outputs['access-token']).toBe(ACCESS_TOKEN)
    // The approver output is the log-safe name; the subject is whole.
    expect(result.outputs['approver']).toBe(
      '##\\[set-output name=approver]ceo\\u2028::stop-commands::x'
    )
    expect(result.outputs['approver-subject']).toBe('user-1')
    // The link on another site is not shown; the warning says why.
    expect(result.stdout).not.toContain('http://localhost:1/device')
    expect(result.stdout).toMatch(/ignored verification_uri_complete: it is on another site/)
    // The provider's message and the workflow name are shown, bounded, their commands neutralized.
    expect(result.stdout).toContain(
      'The provider says: Enter the code WDJB-MJHT. ##\\[stop-commands]pwned\\u2028'
    )
    expect(result.stdout).toContain('workflow "Release ##\\[stop-commands]pwned\\u2028')
  })

  it('fails with a clear error when the provider echoes the secrets in error_description, printing none', async () => {
    idp = await startHostileIdp({
      token: () => ({
        status: 400,
        body: JSON.stringify({
          error: 'invalid_client',
          error_description: `client_secret ${CLIENT_SECRET} and ${DEVICE_CODE} are wrong ${INJECTION}`,
          error_uri: `https://errors.example/${INJECTION}`
        })
      })
    })
    const run = startAction({
      inputs: { issuer: idp.issuer, 'client-id': 'release-bot', 'client-secret': CLIENT_SECRET },
      env: HOSTILE_ENV
    })
    const result = await run.done
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /^::error::The token endpoint .* answered "invalid_client" \(HTTP 400\): client_secret \*\*\* and \*\*\* are wrong/m
    )
    expectNoForeignCommands(result)
    expectNoSecrets(result)
  })

  it('fails on a redirected POST, naming the Location', async () => {
    idp = await startHostileIdp({
      token: () => ({
        status: 307,
        // Node refuses to send U+2028 in a header: the ASCII part of the injection.
        headers: { location: 'https://elsewhere.example/token?##[stop-commands]pwned' },
        body: ''
      })
    })
    const run = startAction({
      inputs: { issuer: idp.issuer, 'client-id': 'release-bot', 'client-secret': CLIENT_SECRET },
      env: HOSTILE_ENV
    })
    const result = await run.done
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /^::error::The token endpoint .* redirected \(HTTP 307\) to https:\/\/elsewhere\.example\/token\?.*, and the action does not follow redirects for POSTs: set the endpoint to the final URL\./m
    )
    expectNoForeignCommands(result)
    expectNoSecrets(result)
  })
})
