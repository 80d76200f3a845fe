import { systemClock } from './clock.js'
import { createHttpTransport } from './oauth/http.js'
import { runPost, type PostRunner } from './revocation/post-step.js'
import { actionsRunner } from './runner/actions-runner.js'
import { traceHttp } from './runner/http-trace.js'
import { MESSAGE_MAX_LENGTH, safe, safeText } from './safe-text.js'

/**
 * The post step's entry (action.yml `post:`): real runner, network and clock, as in index.ts.
 * It speaks the runner's protocol through src/runner/actions-runner.ts, as the main step does,
 * rather than load @actions/core (and with it undici) to revoke one token.
 */
const controller = new AbortController()
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => controller.abort())
}

const actions = actionsRunner()
const runner: PostRunner = {
  env: actions.env,
  getInput: actions.getInput,
  // What the main step saved with saveState, as the runner hands it back: STATE_<name>.
  getState: (name) => actions.env[`STATE_${name}`] ?? '',
  setSecret: actions.setSecret,
  info: actions.info,
  debug: actions.debug,
  warning: actions.warning,
  appendSummary: actions.appendSummary
}

const http = traceHttp(
  createHttpTransport('device-flow-action'),
  (message) => runner.debug(safeText(message, { maxLength: MESSAGE_MAX_LENGTH })),
  Date.now
)
try {
  await runPost({ runner, http, clock: systemClock, signal: controller.signal })
} catch (error) {
  // Never a failed job for a token that could not be revoked: it expires anyway.
  runner.warning(
    safe`The post step could not revoke the token: ${safeText(error instanceof Error ? error.message : error, { maxLength: 500 })}`
  )
}
setTimeout(() => process.exit(), 200).unref()
