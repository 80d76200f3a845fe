import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { ROOT } from '../../test-support/action-process.js'

const SCRIPT = join(ROOT, 'scripts', 'idp-server.js')

/** Runs the script to its end; a server that started instead would be killed at the timeout. */
function idpServer(...args: string[]) {
  return spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', timeout: 15_000 })
}

describe('scripts/idp-server.js', () => {
  it('prints its usage for --help and exits without starting a server', () => {
    const result = idpServer('--help')
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('Usage: node scripts/idp-server.js [--port N] [--auto-approve]')
    expect(result.stdout).toContain('--auto-approve')
    expect(result.stdout).not.toMatch(/^issuer http/m)
  })

  it('refuses an unknown option with the usage, exit code 2', () => {
    const result = idpServer('--auto-aprove')
    expect(result.status).toBe(2)
    expect(result.stderr).toContain('unknown option "--auto-aprove"')
    expect(result.stderr).toContain('Usage:')
  })

  it('refuses a --port that is not a port number', () => {
    const result = idpServer('--port', 'eighty')
    expect(result.status).toBe(2)
    expect(result.stderr).toContain('--port needs a port number')
  })
})
