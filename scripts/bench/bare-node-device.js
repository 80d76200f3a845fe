// @ts-check
/**
 * The floor for `npm run bench`: node:http alone, discovery and the device authorization request
 * (RFC 8628 §3.1), then the user code on stdout. Nothing is checked, nothing is polled.
 */
import * as http from 'node:http'

/** @param {string} url @param {string} [form] @returns {Promise<any>} */
function request(url, form) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      form === undefined
        ? { method: 'GET' }
        : { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk) => (body += chunk))
        res.on('end', () => resolve(JSON.parse(body)))
      }
    )
    req.on('error', reject)
    req.end(form)
  })
}

const issuer = process.env['BENCH_ISSUER'] ?? ''
const clientId = process.env['BENCH_CLIENT_ID'] ?? ''
const metadata = await request(`${issuer}/.well-known/openid-configuration`)
const device = await request(
  metadata.device_authorization_endpoint,
  new URLSearchParams({ client_id: clientId, scope: 'openid' }).toString()
)
console.log(`user code: ${device.user_code} at ${device.verification_uri}`)
