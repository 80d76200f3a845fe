import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '@actions/core'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ActionsRunner } from '../../src/runner/runner.js'
import { commandsIn } from '../../test-support/runner-commands.js'

/**
 * The runner adapter on the real @actions/core: what reaches stdout and the runner's files, as
 * the runner reads them.
 */
function runnerFiles(): Record<'GITHUB_OUTPUT' | 'GITHUB_STATE' | 'GITHUB_STEP_SUMMARY', string> {
  const dir = mkdtempSync(join(tmpdir(), 'runner-test-'))
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md')
  }
  for (const file of Object.values(files)) writeFileSync(file, '')
  return files
}

const savedEnv = { ...process.env }
const savedExitCode = process.exitCode
afterEach(() => {
  process.env = { ...savedEnv }
  process.exitCode = savedExitCode
  jest.restoreAllMocks()
})

/** Runs the calls with stdout captured: everything @actions/core wrote. */
async function stdoutOf(calls: (runner: ActionsRunner) => void | Promise<void>): Promise<string> {
  let stdout = ''
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk)
    return true
  })
  try {
    await calls(new ActionsRunner(core, process.env))
  } finally {
    jest.restoreAllMocks()
  }
  return stdout
}

const HOSTILE = [
  '::warning::not a command of ours',
  'text then ##[set-output name=x]y',
  'two\nlines and a\r\nWindows break',
  'bidi \u202e override and a line separator \u2028 here',
  ':: leading colons',
  '\u0085::next-line command'
]

describe('ActionsRunner: every message is made log-safe before @actions/core writes it', () => {
  it('writes no workflow command and no line break from any text, in any log call', async () => {
    const stdout = await stdoutOf((runner) => {
      for (const text of HOSTILE) {
        runner.info(text)
        runner.debug(text)
        runner.warning(text)
        runner.notice(text, text)
        runner.setFailed(text)
      }
    })
    const lines = stdout.split(/\r?\n/).filter(Boolean)
    // One line per call: 5 calls for each text, nothing split or added.
    expect(lines).toHaveLength(HOSTILE.length * 5)
    // Only the adapter's own commands, none of the text's.
    expect(new Set(commandsIn(stdout).map((command) => command.name))).toEqual(
      new Set(['debug', 'warning', 'notice', 'error'])
    )
    expect(stdout).not.toMatch(/[\u2028\u2029\u0085\u202e]/)
  })

  it('cuts out a masked value before escaping could change it past the runner mask', async () => {
    const secret = 'sec#[ret\nwith-a-break'
    const stdout = await stdoutOf((runner) => {
      runner.setSecret(secret)
      runner.info(`The provider said: ${secret}.`)
      runner.warning(`Quoted percent-encoded: ${encodeURIComponent(secret)}`)
    })
    expect(stdout).toContain('The provider said: ***.')
    expect(stdout).toContain('Quoted percent-encoded: ***')
    const logLines = stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'))
    expect(logLines.join('\n')).not.toContain('ret')
    // The mask itself goes to the runner, which masks later lines too.
    expect(stdout).toContain(`::add-mask::sec#[ret%0Awith-a-break`)
  })

  it('remembers every masked value, to cut out of quoted provider text', () => {
    const runner = new ActionsRunner(core, {})
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
    runner.setSecret('first-secret-value')
    runner.setSecret('second-secret-value')
    expect(runner.knownSecrets()).toEqual(['first-secret-value', 'second-secret-value'])
  })

  it('keeps the indentation of a line (the findings under the prompt)', async () => {
    const stdout = await stdoutOf((runner) => runner.info('  ✓ email ends with @example.com'))
    expect(stdout).toBe('  ✓ email ends with @example.com\n')
  })

  it('bounds a message to 4000 characters', async () => {
    const stdout = await stdoutOf((runner) => runner.info('x'.repeat(10_000)))
    expect(stdout.trimEnd()).toHaveLength(4000)
    expect(stdout.trimEnd().endsWith('…')).toBe(true)
  })
})

describe('ActionsRunner: data goes through as it is', () => {
  it('writes outputs and state to the runner files, line breaks and all', async () => {
    const files = runnerFiles()
    Object.assign(process.env, files)
    await stdoutOf((runner) => {
      runner.setOutput('access-token', 'a\nb::warning::c')
      runner.saveState('token', 'state value')
    })
    expect(readFileSync(files.GITHUB_OUTPUT, 'utf8')).toMatch(
      /^access-token<<(ghadelimiter_[0-9a-f-]{36})\na\nb::warning::c\n\1\n$/
    )
    expect(readFileSync(files.GITHUB_STATE, 'utf8')).toContain('\nstate value\n')
  })

  it('reads inputs the way the runner passes them, hyphens kept and trimmed', () => {
    process.env['INPUT_CLIENT-ID'] = '  release-bot \n'
    expect(new ActionsRunner(core).getInput('client-id')).toBe('release-bot')
    expect(new ActionsRunner(core).getInput('missing')).toBe('')
  })

  it('reads the state the main step saved (STATE_<name>)', () => {
    process.env['STATE_revocation-plan'] = '{"api":"rfc7009"}'
    expect(new ActionsRunner(core).getState('revocation-plan')).toBe('{"api":"rfc7009"}')
  })

  it('marks the step failed with an error annotation', async () => {
    const stdout = await stdoutOf((runner) => runner.setFailed('It failed.'))
    expect(stdout).toBe('::error::It failed.\n')
    expect(process.exitCode).toBe(1)
  })
})

describe('ActionsRunner: the job summary', () => {
  // @actions/core's summary keeps the first file it found for the whole process, as a step has
  // one: these tests share one, emptied before each.
  const summaryFile = runnerFiles().GITHUB_STEP_SUMMARY
  beforeEach(() => {
    writeFileSync(summaryFile, '')
    process.env['GITHUB_STEP_SUMMARY'] = summaryFile
  })

  it('appends each part in order, once, even when written at the same time', async () => {
    const runner = new ActionsRunner(core, process.env)
    await Promise.all(
      ['<h2>one</h2>', '<p>two</p>', '<p>three</p>'].map((html) => runner.appendSummary(html))
    )
    expect(readFileSync(summaryFile, 'utf8')).toBe('<h2>one</h2>\n<p>two</p>\n<p>three</p>\n')
  })

  it('cuts the masked values out of it', async () => {
    await stdoutOf(async (runner) => {
      runner.setSecret('summary-secret-1234')
      await runner.appendSummary('<p>token summary-secret-1234 here</p>')
    })
    expect(readFileSync(summaryFile, 'utf8')).toBe('<p>token *** here</p>\n')
  })

  it('writes nothing, and does not fail, outside Actions (no GITHUB_STEP_SUMMARY)', async () => {
    delete process.env['GITHUB_STEP_SUMMARY']
    await expect(
      new ActionsRunner(core, process.env).appendSummary('<p>x</p>')
    ).resolves.toBeUndefined()
    expect(readFileSync(summaryFile, 'utf8')).toBe('')
  })

  it('reports a write that fails to its caller, and still writes the next part', async () => {
    let writes = 0
    const failingOnce = {
      ...core,
      summary: {
        addRaw: () => ({
          write: async () => {
            if (writes++ === 0) throw new Error('Unable to access summary file')
          }
        })
      }
    }
    const runner = new ActionsRunner(failingOnce, process.env)
    await expect(runner.appendSummary('<p>x</p>')).rejects.toThrow('Unable to access summary file')
    await expect(runner.appendSummary('<p>y</p>')).resolves.toBeUndefined()
    expect(writes).toBe(2)
  })
})
