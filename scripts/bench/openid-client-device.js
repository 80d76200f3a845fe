// @ts-check
/**
 * The peer for `npm run bench`: the same device flow with openid-client v6, as its documentation
 * shows it. Discovery, the device authorization request, the user code on stdout, polling until
 * the tokens arrive (openid-client waits the interval before each poll and adds 5 s on slow_down).
 */
import * as client from 'openid-client'

const issuer = new URL(process.env['BENCH_ISSUER'] ?? '')
const clientId = process.env['BENCH_CLIENT_ID'] ?? ''
// The embedded IdP listens on http://127.0.0.1 only.
const config = await client.discovery(issuer, clientId, undefined, client.None(), {
  execute: [client.allowInsecureRequests]
})
const device = await client.initiateDeviceAuthorization(config, { scope: 'openid' })
console.log(`user code: ${device.user_code} at ${device.verification_uri}`)
const tokens = await client.pollDeviceAuthorizationGrant(config, device)
console.log(`tokens received (${tokens.token_type}, id_token for ${tokens.claims()?.sub})`)
