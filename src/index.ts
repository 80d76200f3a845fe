import * as core from '@actions/core'
import { systemClock } from './clock.js'
import { run } from './main.js'
import { createHttpTransport } from './oauth/http.js'
import { traceHttp } from './runner/http-trace.js'
import { ActionsRunner } from './runner/runner.js'

/** The entry the runner starts: real runner, real network, real clock, and the cancel switch. */
const controller = new AbortController()
// The runner cancels with SIGINT, then SIGTERM 7.5 s later: stop waiting at the first one.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => controller.abort())
}

const runner = new ActionsRunner(core)
const transport = createHttpTransport('device-flow-action')
const http = traceHttp(transport, (message) => runner.debug(message), Date.now)
await run({ runner, http, webhookHttp: transport, clock: systemClock, signal: controller.signal })
// Nothing should be left running, but a socket the provider keeps open must not hold the job.
setTimeout(() => process.exit(), 200).unref()
