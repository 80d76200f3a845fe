#!/usr/bin/env node
// @ts-check
/**
 * The embedded identity provider as a standalone server on 127.0.0.1, for the `uses: ./` job in
 * CI and for trying the action by hand: node scripts/idp-server.js [--port N] [--auto-approve]
 * With --auto-approve, every code is approved (as alice, over HTTP as a browser would) 3 s after
 * it is issued.
 */
import { startIdp } from '../test-support/idp.js'

const args = process.argv.slice(2)
const portIndex = args.indexOf('--port')
const port = portIndex >= 0 ? Number(args[portIndex + 1]) : 0
const autoApprove = args.includes('--auto-approve')

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
