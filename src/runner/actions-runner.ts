// Synchronous writes to local files: a few lines each, and node:fs/promises would be one more
// module to load before the first request.
import { accessSync, appendFileSync, constants, existsSync } from 'node:fs'
import { EOL } from 'node:os'
import type { Runner } from './runner.js'

/**
 * The Runner on a GitHub Actions runner, spoken in the runner's own protocol: workflow commands
 * (`::name key=value::message`) on stdout, outputs and state appended to the GITHUB_OUTPUT and
 * GITHUB_STATE files as `name<<delimiter` blocks, the job summary appended to GITHUB_STEP_SUMMARY.
 *
 * Why not @actions/core: it imports @actions/http-client (and with it undici, most of the
 * bundle) for its OIDC token helper, and @actions/exec for its platform helper. Loading those
 * before the first request cost more than everything else the action does before the person sees
 * the code. What it writes is what @actions/core writes, to the byte but for the random
 * delimiters (__tests__/runner/actions-runner.test.ts compares the two).
 */
export function actionsRunner(
  env: NodeJS.ProcessEnv = process.env,
  write: (text: string) => void = (text) => void process.stdout.write(text)
): Runner {
  const command = (name: string, message: string, properties: Record<string, string> = {}) => {
    const props = Object.entries(properties)
      .filter(([, value]) => value !== '')
      .map(([key, value]) => `${key}=${escapeProperty(value)}`)
      .join(',')
    write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`)
  }
  /** Outputs and state: the file the runner reads after the step, else the old stdout command. */
  const keyValue = (file: 'GITHUB_OUTPUT' | 'GITHUB_STATE', legacy: string) => {
    return (name: string, value: string): void => {
      const path = env[file]
      if (!path) {
        if (legacy === 'set-output') write(EOL)
        return command(legacy, value, { name })
      }
      if (!existsSync(path)) throw new Error(`The runner's ${file} file ${path} does not exist.`)
      appendFileSync(path, `${keyValueBlock(name, value)}${EOL}`, { encoding: 'utf8' })
    }
  }
  return {
    env,
    // The runner passes input `client-id` as INPUT_CLIENT-ID: spaces become _, hyphens stay.
    getInput: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
    setSecret: (value) => command('add-mask', value),
    info: (message) => write(`${message}${EOL}`),
    debug: (message) => command('debug', message),
    notice: (message, title) => command('notice', message, { title }),
    warning: (message) => command('warning', message),
    setOutput: keyValue('GITHUB_OUTPUT', 'set-output'),
    saveState: keyValue('GITHUB_STATE', 'save-state'),
    setFailed: (message) => {
      process.exitCode = 1
      command('error', message)
    },
    appendSummary: async (markdown) => {
      const path = env['GITHUB_STEP_SUMMARY']
      if (!path) return
      try {
        accessSync(path, constants.R_OK | constants.W_OK)
      } catch {
        throw new Error(
          `The job summary file ${path} (GITHUB_STEP_SUMMARY) cannot be read and written.`
        )
      }
      appendFileSync(path, `${markdown}${EOL}`, { encoding: 'utf8' })
    }
  }
}

/** `name<<delimiter`, the value, the delimiter: a random delimiter no value can contain by chance. */
function keyValueBlock(name: string, value: string): string {
  // The global Web Crypto: node:crypto is loaded here, after the code is shown, not at start-up.
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`
  // A value that contained the delimiter could end the block early and set other outputs.
  if (name.includes(delimiter) || value.includes(delimiter))
    throw new Error(`The value of ${name} contains its own delimiter; it was not written.`)
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}`
}

/** The runner decodes %25, %0D and %0A in a command's message. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** In a property value, : and , would end the value: they are encoded too. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}
