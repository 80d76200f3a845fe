import * as core from '@actions/core'
import { systemClock } from './clock.js'
import { run } from './main.js'
import { createHttpTransport } from './oauth/http.js'
import { traceHttp } from './runner/http-trace.js'
import type { Runner } from './runner/runner.js'

/** The entry the runner starts: real runner, real network, real clock, and the cancel switch. */
const controller = new AbortController()
// The runner cancels with SIGINT, then SIGTERM 7.5 s later: stop waiting at the first one.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => controller.abort())
}

const runner: Runner = {
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
    if (!process.env['GITHUB_STEP_SUMMARY']) return
    await core.summary.addRaw(markdown, true).write()
  }
}

const transport = createHttpTransport('device-flow-action')
const http = traceHttp(transport, (message) => core.debug(message), Date.now)
await run({ runner, http, webhookHttp: transport, clock: systemClock, signal: controller.signal })
// Nothing should be left running, but a socket the provider keeps open must not hold the job.
setTimeout(() => process.exit(), 200).unref()
