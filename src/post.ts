import * as core from '@actions/core'
import { systemClock } from './clock.js'
import { createHttpTransport } from './oauth/http.js'
import { runPost, type PostRunner } from './post/run.js'
import { traceHttp } from './runner/http-trace.js'

/** The post step's entry (action.yml `post:`): real runner, network and clock, as in index.ts. */
const controller = new AbortController()
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => controller.abort())
}

const runner: PostRunner = {
  env: process.env,
  getInput: (name) => core.getInput(name),
  getState: (name) => core.getState(name),
  setSecret: (value) => core.setSecret(value),
  info: (message) => core.info(message),
  debug: (message) => core.debug(message),
  warning: (message) => core.warning(message),
  appendSummary: async (html) => {
    if (!process.env['GITHUB_STEP_SUMMARY']) return
    await core.summary.addRaw(html, true).write()
  }
}

const http = traceHttp(
  createHttpTransport('device-flow-action'),
  (message) => core.debug(message),
  Date.now
)
try {
  await runPost({ runner, http, clock: systemClock, signal: controller.signal })
} catch (error) {
  // Never a failed job for a token that could not be revoked: it expires anyway.
  core.warning(
    `The post step could not revoke the token: ${error instanceof Error ? error.message : String(error)}`
  )
}
setTimeout(() => process.exit(), 200).unref()
