import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { ROOT } from '../../test-support/action-process.js'

const SCRIPT = join(ROOT, 'scripts', 'demo.js')
const haveOpenssl = spawnSync('openssl', ['version']).status === 0

/** Runs the demo to its end (dist/ must be built); bounded. */
function demo(...args: string[]) {
  return spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000
  })
}

describe('npm run demo: its options', () => {
  it('prints its usage for --help and exits without running anything', () => {
    const result = demo('--help')
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('Usage: npm run demo -- [options]')
    expect(result.stdout).toContain('--with NAME=VALUE')
    expect(result.stdout).toContain('--approve-as USERS')
    expect(result.stdout).not.toContain('Embedded identity provider')
  })

  it('refuses an unknown option with a usage line, exit code 2, before starting anything', () => {
    const result = demo('--auto-aprove')
    expect(result.status).toBe(2)
    expect(result.stderr).toMatch(
      /^demo: unknown option "--auto-aprove"\nUsage: npm run demo -- \[--with NAME=VALUE\]/
    )
    expect(result.stdout).toBe('')
  })

  it('refuses an input action.yml does not have, and names the one meant', () => {
    const result = demo('--with', 'scopes=openid')
    expect(result.status).toBe(2)
    expect(result.stderr).toContain(
      'demo: --with scopes: action.yml has no input "scopes" (did you mean scope?)'
    )
  })

  it('refuses a user the identity provider does not have', () => {
    const result = demo('--approve-as', 'mallory')
    expect(result.status).toBe(2)
    expect(result.stderr).toContain('--approve-as: no user "mallory" (users: alice, bob, carol)')
  })
})

describe('npm run demo: a recipe tried here', () => {
  it('refuses bob under required-claims, as the policy recipe says', () => {
    const result = demo(
      '--approve-as',
      'bob',
      '--with',
      'required-claims=groups=release-managers\\namr=mfa'
    )
    expect(result.status).toBe(1)
    expect(result.stdout).toContain("bob@example.test's amr (pwd) does not include mfa")
    expect(result.stdout).toContain('⛔ Refused by the approval policy')
  })
  ;(haveOpenssl ? it : it.skip)(
    'approves as carol, prints what Slack would get, stores the refresh token, then refreshes from it',
    () => {
      const result = demo(
        '--approve-as',
        'carol',
        '--slack',
        '--with',
        'scope=openid offline_access',
        '--with',
        'store-refresh-token=OAUTH_REFRESH_TOKEN',
        '--then-refresh'
      )
      expect(result.stderr).toBe('')
      expect(result.status).toBe(0)
      expect(result.stdout).toContain('  [Slack] 🔐 Approval needed')
      expect(result.stdout).toMatch(/ {2}\[Slack\] Code: `[A-Z]{4}-[A-Z]{4}`/)
      expect(result.stdout).toContain(
        '  [Slack] Approved by carol. The run goes on with that token.'
      )
      expect(result.stdout).toContain(
        'Created the repository secret OAUTH_REFRESH_TOKEN of octo/release with the new refresh token'
      )
      expect(result.stdout).toContain('from the secret OAUTH_REFRESH_TOKEN (mode: refresh)')
      expect(result.stdout).toContain(
        'Updated the repository secret OAUTH_REFRESH_TOKEN of octo/release with the new refresh token'
      )
      expect(result.stdout).toContain('Token of: carol (nobody was asked this time)')
      // The masked values stay masked in what the demo shows.
      expect(result.stdout).not.toMatch(/store-refresh-token=\*\*\*/)
      expect(result.stdout).toMatch(/secrets-token=\*\*\*/)
    }
  )
})
