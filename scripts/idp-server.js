#!/usr/bin/env node
// @ts-check
/**
 * The embedded identity provider as a standalone server on 127.0.0.1, for the `uses: ./` job in
 * CI and for trying the action by hand: node scripts/idp-server.js [--port N] [--auto-approve]
 * With --auto-approve, every code is approved (as alice, over HTTP as a browser would) 3 s after
 * it is issued. --help prints the usage.
 */
import { startIdp } from '../test-support/idp.js'

const USAGE = `Usage: node scripts/idp-server.js [--port N] [--auto-approve]

Starts the embedded identity provider (oidc-provider) on 127.0.0.1 and prints its issuer URL
and client IDs; stop it with Ctrl-C.

  --port N          listen on port N (default: any free port)
  --auto-approve    approve every code as alice 3 s after it is issued
  -h, --help        print this help and exit`

/**
 * The options, or the reason they are wrong.
 * @param {string[]} args
 * @returns {{ port: number, autoApprove: boolean, help: boolean } | { error: string }}
 */
function parseArgs(args) {
  const options = { port: 0, autoApprove: false, help: false }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '-h' || arg === '--help') options.help = true
    else if (arg === '--auto-approve') options.autoApprove = true
    else if (arg === '--port') {
      const port = Number(args[++i])
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        return {
          error: `--port needs a port number (0-65535), not ${JSON.stringify(args[i] ?? '')}`
        }
      options.port = port
    } else return { error: `unknown option ${JSON.stringify(arg)}` }
  }
  return options
}

const parsed = parseArgs(process.argv.slice(2))
if ('error' in parsed) {
  console.error(`idp-server: ${parsed.error}\n\n${USAGE}`)
  process.exit(2)
}
if (parsed.help) {
  console.log(USAGE)
  process.exit(0)
}
const { port, autoApprove } = parsed

/** @type {import('../test-support/idp.js').Idp} */
const idp = await startIdp({
  port,
  ...(autoApprove && {
    onDeviceAuthorization: (userCode) => {
      setTimeout(() => {
        idp
          .approve(userCode, { user: 'alice' })
          .then(() => console.log(`approved ${userCode} as alice`))
          .catch((error) => console.error(`could not approve ${userCode}: ${error.message}`))
      }, 3000)
    }
  })
})
console.log(`issuer ${idp.issuer}`)
console.log(
  `clients: ${Object.values(idp.clients)
    .map((c) => c.clientId)
    .join(', ')}`
)
const stop = () => idp.close().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
