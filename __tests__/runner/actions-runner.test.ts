import { afterEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '@actions/core'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { actionsRunner } from '../../src/runner/actions-runner.js'
import type { Runner } from '../../src/runner/runner.js'
import { safe, type SafeText } from '../../src/safe-text.js'

/** The same calls, through our Runner and through @actions/core, must reach the runner alike. */
const TRICKY = [
  'plain text',
  '100% done: a, b, c',
  'two\nlines and a\r\nWindows break',
  '::warning::not a command of ours',
  'émoji 🔑 and tabs\there',
  ''
]

function runnerFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'actions-runner-test-'))
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md')
  }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const read = () =>
    Object.fromEntries(
      Object.entries(files).map(([name, path]) => [name, readFileSync(path, 'utf8')])
    )
  return { dir, files, read }
}

/**
 * Every call a step makes, with every tricky text. The texts go in raw (cast to SafeText): what
 * is compared here is the runner protocol's own escaping against @actions/core's.
 */
async function script(runner: Runner): Promise<void> {
  for (const tricky of TRICKY) {
    const text = tricky as SafeText
    runner.info(text)
    runner.debug(text)
    runner.setSecret(text)
    runner.warning(text)
    runner.notice(text, `Title: ${text || 'none'}, really` as SafeText)
    runner.setOutput('access-token', text)
    runner.saveState('token', text)
    runner.setFailed(text)
    await runner.appendSummary(`## ${text}`)
  }
}

/** The delimiters are random UUIDs by design; everything else must match. */
const sameDelimiters = (text: string) => text.replace(/ghadelimiter_[0-9a-f-]{36}/g, 'DELIMITER')

const coreRunner: Runner = {
  env: process.env,
  getInput: (name) => core.getInput(name),
  setSecret: (value) => core.setSecret(value),
  info: (message) => core.info(message),
  debug: (message) => core.debug(message),
  notice: (message, title) => core.notice(message, { title }),
  warning: (message) => core.warning(message),
  setOutput: (name, value) => core.setOutput(name, value),
  setFailed: (message) => core.setFailed(message),
  saveState: (name, value) => core.saveState(name, value),
  appendSummary: async (markdown) => {
    await core.summary.addRaw(markdown, true).write()
  }
}

const savedEnv = { ...process.env }
const savedExitCode = process.exitCode
afterEach(() => {
  process.env = { ...savedEnv }
  process.exitCode = savedExitCode
  jest.restoreAllMocks()
})

/** Runs the calls with stdout captured. */
async function capture(
  runner: () => Runner,
  calls: (runner: Runner) => Promise<void> = script
): Promise<string> {
  let stdout = ''
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk)
    return true
  })
  try {
    await calls(runner())
  } finally {
    jest.restoreAllMocks()
  }
  return stdout
}

describe('actionsRunner: the runner protocol without @actions/core', () => {
  it('writes to stdout and to the runner files exactly what @actions/core writes', async () => {
    const ours = runnerFiles()
    const theirs = runnerFiles()
    try {
      const ourStdout = await capture(() => actionsRunner({ ...ours.files }))
      Object.assign(process.env, theirs.files)
      const theirStdout = await capture(() => coreRunner)

      expect(ourStdout).toBe(theirStdout)
      expect(ourStdout).toContain('::add-mask::two%0Alines and a%0D%0AWindows break\n')
      expect(ourStdout).toContain('::notice title=Title%3A 100%25 done%3A a%2C b%2C c%2C really::')
      const ourFiles = ours.read()
      const theirFiles = theirs.read()
      for (const name of Object.keys(ours.files)) {
        expect(sameDelimiters(ourFiles[name] as string)).toBe(
          sameDelimiters(theirFiles[name] as string)
        )
      }
      expect(ourFiles['GITHUB_OUTPUT']).toMatch(/^access-token<<ghadelimiter_[0-9a-f-]{36}\n/)
    } finally {
      rmSync(ours.dir, { recursive: true, force: true })
      rmSync(theirs.dir, { recursive: true, force: true })
    }
  })

  it('falls back to the old stdout commands where the runner gives no files', async () => {
    const keyValues = async (runner: Runner) => {
      for (const text of TRICKY) {
        runner.setOutput('scope', text)
        runner.saveState('token', text)
      }
    }
    for (const name of ['GITHUB_OUTPUT', 'GITHUB_STATE']) delete process.env[name]
    const ourStdout = await capture(() => actionsRunner({}), keyValues)
    const theirStdout = await capture(() => coreRunner, keyValues)
    expect(ourStdout).toBe(theirStdout)
    expect(ourStdout).toContain('\n::set-output name=scope::100%25 done: a, b, c\n')
  })

  it('reads inputs the way the runner passes them, hyphens kept and trimmed', () => {
    const runner = actionsRunner({ 'INPUT_CLIENT-ID': '  release-bot \n', INPUT_MY_SCOPE: 'a b' })
    expect(runner.getInput('client-id')).toBe('release-bot')
    expect(runner.getInput('my scope')).toBe('a b')
    expect(runner.getInput('missing')).toBe('')
  })

  it('refuses to write an output whose file the runner promised but is missing', () => {
    const runner = actionsRunner({ GITHUB_OUTPUT: join(tmpdir(), 'no-such-dir', 'output') })
    expect(() => runner.setOutput('access-token', 'x')).toThrow(
      /GITHUB_OUTPUT file .* does not exist/
    )
  })

  it('marks the step failed with an error annotation', async () => {
    const stdout = await capture(
      () => actionsRunner({}),
      async (runner) => runner.setFailed(safe`100% done: a, b, c`)
    )
    expect(process.exitCode).toBe(1)
    expect(stdout).toBe('::error::100%25 done: a, b, c\n')
  })
})
