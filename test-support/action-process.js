// @ts-check
/**
 * Runs the bundled action (dist/index.js) as the GitHub runner does: a node process with the
 * inputs in INPUT_<NAME> variables (hyphens kept, upper case), and real files behind
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_STATE, GITHUB_ENV and GITHUB_PATH. Used by the demo
 * and by the end-to-end tests.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const DIST_ENTRY = join(ROOT, 'dist', 'index.js')
/** The post step (action.yml `post:`), run after the job's steps with the main step's state. */
export const DIST_POST = join(ROOT, 'dist', 'post', 'index.js')

/** What a runner sets for every step, so the prompt can say which run is asking. */
export const RUN_ENV = {
  GITHUB_ACTIONS: 'true',
  CI: 'true',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'octo/release',
  GITHUB_WORKFLOW: 'Release',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_NUMBER: '17',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_ACTOR: 'octocat',
  RUNNER_TEMP: tmpdir()
}

/**
 * @typedef {object} ActionRun
 * @property {import('node:child_process').ChildProcess} child
 * @property {() => string} stdout everything written to stdout so far
 * @property {() => string} stderr
 * @property {(pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>} waitFor resolves when stdout matches
 * @property {Promise<ActionResult>} done
 * @property {{ output: string, summary: string, state: string, env: string, path: string }} files
 */

/**
 * @typedef {object} ActionResult
 * @property {number | null} code
 * @property {NodeJS.Signals | null} signal
 * @property {string} stdout
 * @property {string} stderr
 * @property {Record<string, string>} outputs parsed from GITHUB_OUTPUT
 * @property {Record<string, string>} state parsed from GITHUB_STATE
 * @property {string} summary the GITHUB_STEP_SUMMARY file
 * @property {{ output: string, summary: string, state: string, env: string }} raw every file, as written
 * @property {number} elapsedMs
 */

/**
 * @param {{ inputs: Record<string, string>, env?: Record<string, string>, onStdout?: (chunk: string) => void, timeoutMs?: number, entry?: string }} options
 *   entry: the script to run, dist/index.js by default (DIST_POST for the post step)
 * @returns {ActionRun}
 */
export function startAction({
  inputs,
  env = {},
  onStdout,
  timeoutMs = 120_000,
  entry = DIST_ENTRY
}) {
  const dir = mkdtempSync(join(tmpdir(), 'device-flow-action-'))
  const files = {
    output: join(dir, 'output'),
    summary: join(dir, 'summary.md'),
    state: join(dir, 'state'),
    env: join(dir, 'env'),
    path: join(dir, 'path')
  }
  for (const file of Object.values(files)) writeFileSync(file, '')

  /** @type {Record<string, string>} */
  const childEnv = {}
  // A clean environment: nothing of the parent's INPUT_*, GITHUB_* or proxy settings leaks in.
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined) continue
    if (
      /^(INPUT_|GITHUB_|RUNNER_|STATE_)/.test(name) ||
      /^(https?|no)_proxy$/i.test(name) ||
      name === 'NODE_OPTIONS'
    )
      continue
    childEnv[name] = value
  }
  Object.assign(childEnv, RUN_ENV, {
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path
  })
  for (const [name, value] of Object.entries(inputs))
    childEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  Object.assign(childEnv, env)

  const started = Date.now()
  const child = spawn(process.execPath, [entry], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  /** @type {Array<() => void>} */
  const listeners = []
  child.stdout.setEncoding('utf8')
  child.stderr.setEncoding('utf8')
  child.stdout.on('data', (chunk) => {
    stdout += chunk
    onStdout?.(chunk)
    for (const listener of [...listeners]) listener()
  })
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)

  /** @type {Promise<ActionResult>} */
  const done = new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(killer)
      const raw = {
        output: readFileSync(files.output, 'utf8'),
        summary: readFileSync(files.summary, 'utf8'),
        state: readFileSync(files.state, 'utf8'),
        env: readFileSync(files.env, 'utf8')
      }
      rmSync(dir, { recursive: true, force: true })
      resolve({
        code,
        signal,
        stdout,
        stderr,
        outputs: parseFileCommands(raw.output),
        state: parseFileCommands(raw.state),
        summary: raw.summary,
        raw,
        elapsedMs: Date.now() - started
      })
    })
  })

  /** @type {ActionRun['waitFor']} */
  const waitFor = (pattern, waitMs = 30_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(stdout)
        if (!match) return false
        clearTimeout(timer)
        listeners.splice(listeners.indexOf(check), 1)
        resolve(match)
        return true
      }
      const timer = setTimeout(() => {
        listeners.splice(listeners.indexOf(check), 1)
        reject(new Error(`stdout did not match ${pattern} within ${waitMs} ms; it was:\n${stdout}`))
      }, waitMs)
      listeners.push(check)
      check()
    })

  return { child, stdout: () => stdout, stderr: () => stderr, waitFor, done, files }
}

/**
 * The state a main step saved, as the runner hands it to the post step: one STATE_<name>
 * variable per entry, the name as it was saved.
 * @param {Record<string, string>} state
 * @returns {Record<string, string>}
 */
export function stateEnv(state) {
  return Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]))
}

/** Parses the name<<DELIMITER ... DELIMITER format @actions/core writes to GITHUB_OUTPUT and GITHUB_STATE. */
export function parseFileCommands(text) {
  /** @type {Record<string, string>} */
  const result = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '')
    if (!match) continue
    const [, name, delimiter] = match
    const value = []
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
    result[/** @type {string} */ (name)] = value.join('\n')
  }
  return result
}

/**
 * Every place a secret shows up outside an ::add-mask:: line. `where` names the stream or file.
 * @param {Record<string, string>} streams
 * @param {string[]} secrets
 * @returns {Array<{ where: string, line: number, secret: string }>}
 */
export function findLeaks(streams, secrets) {
  const leaks = []
  for (const [where, text] of Object.entries(streams)) {
    text.split('\n').forEach((line, index) => {
      if (line.startsWith('::add-mask::')) return
      for (const secret of secrets) {
        if (secret && line.includes(secret))
          leaks.push({ where, line: index + 1, secret: `${secret.slice(0, 4)}…` })
      }
    })
  }
  return leaks
}

/** The user code from the prompt block the action prints. */
export const USER_CODE_LINE = /2\. Enter {2}(\S+)/
