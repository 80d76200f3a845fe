import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { ROOT } from '../../test-support/action-process.js'

/**
 * Every "Try it here" line of the README runs, as written, against the embedded provider
 * (dist/ must be built). A recipe that says "(refused" must end refused; every other one must
 * succeed. Nothing here asks a person: each line approves with --approve-as.
 */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')
const TRY = /^Try it here: `npm run demo -- ([^`]+)`(.*)$/gm
const found = [...README.matchAll(TRY)].map((match) => ({
  args: shellWords(match[1] as string),
  refused: /^ \(refused/.test(match[2] ?? '')
}))
// The Slack stand-in makes its certificate with openssl.
const haveOpenssl = spawnSync('openssl', ['version']).status === 0
const lines = found.filter((line) => haveOpenssl || !line.args.includes('--slack'))

/** The words of a command line as a POSIX shell splits them: spaces, and '…' kept whole. */
function shellWords(line: string): string[] {
  const words: string[] = []
  let word = ''
  let quoted = false
  let inWord = false
  for (const char of line) {
    if (char === "'") {
      quoted = !quoted
      inWord = true
    } else if (char === ' ' && !quoted) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += char
      inWord = true
    }
  }
  if (inWord) words.push(word)
  return words
}

/** Runs the demo to its end, bounded; the demo's own approvals make it end. */
function demo(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'demo.js'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('close', (status) => {
      clearTimeout(timer)
      resolve({ status, stdout, stderr })
    })
  })
}

describe('the README: every "Try it here" line', () => {
  it('finds the lines (one a recipe that runs locally)', () => {
    expect(found.length).toBeGreaterThanOrEqual(5)
    expect(shellWords(`--with 'a=b c' --x`)).toEqual(['--with', 'a=b c', '--x'])
  })

  it('runs each as written: refused where it says so, approved otherwise', async () => {
    const results = await Promise.all(lines.map((line) => demo(line.args)))
    const outcomes = results.map((result, index) => ({
      args: lines[index]?.args.join(' '),
      status: result.status,
      refusedWord: /⛔ Refused by the approval policy/.test(result.stdout),
      usage: result.stderr.includes('Usage:')
    }))
    expect(outcomes).toEqual(
      lines.map((line) => ({
        args: line.args.join(' '),
        status: line.refused ? 1 : 0,
        refusedWord: line.refused,
        usage: false
      }))
    )
  }, 120_000)
})
