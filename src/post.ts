import * as core from '@actions/core'
import { systemClock } from './clock.js'
import { messageOf } from './errors.js'
import { createHttpTransport } from './oauth/http.js'
import { runPost } from './revocation/post-step.js'
import { traceHttp } from './runner/http-trace.js'
import { ActionsRunner } from './runner/runner.js'

/** The post step's entry (action.yml `post:`): real runner, network and clock, as in index.ts. */
const controller = new AbortController()
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => controller.abort())
}

const runner = new ActionsRunner(core)
const http = traceHttp(
  createHttpTransport('device-flow-action'),
  (message) => runner.debug(message),
  Date.now
)
try {
  await runPost({ runner, http, clock: systemClock, signal: controller.signal })
} catch (error) {
  // Never a failed job for a token that could not be revoked: it expires anyway.
  runner.warning(`The post step could not revoke the token: ${messageOf(error)}`)
}
setTimeout(() => process.exit(), 200).unref()
