// @ts-check
/**
 * A throwaway certificate authority and a server certificate for one host name signed by it,
 * made with openssl: for HTTPS servers on 127.0.0.1 that the action reaches by name through a
 * proxy (the proxy test, the demo's Slack stand-in), trusted through NODE_EXTRA_CA_CERTS.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * @typedef {object} Pki
 * @property {string} dir where the files are (the caller removes it)
 * @property {string} caFile the CA's certificate, for NODE_EXTRA_CA_CERTS
 * @property {Buffer} key the server's private key
 * @property {Buffer} cert the server's certificate, for `host`
 */

/**
 * @param {string} dir an empty folder of the caller's
 * @param {string} host the server's name (its only subjectAltName)
 * @returns {Pki}
 */
export function makePki(dir, host) {
  const file = (/** @type {string} */ name) => join(dir, name)
  const openssl = (/** @type {string[]} */ ...args) => {
    try {
      execFileSync('openssl', args, { stdio: 'ignore' })
    } catch (error) {
      throw new Error(
        `openssl could not make the test certificates (${error instanceof Error ? error.message : String(error)})`,
        { cause: error }
      )
    }
  }
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=device-flow-action test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign'
  )
  openssl(
    'req',
    ...ec,
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
    '-subj',
    `/CN=${host}`
  )
  writeFileSync(
    file('ext.cnf'),
    `subjectAltName=DNS:${host}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`
  )
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.pem'),
    '-days',
    '2',
    '-extfile',
    file('ext.cnf')
  )
  return {
    dir,
    caFile: file('ca.pem'),
    key: readFileSync(file('server.key')),
    cert: readFileSync(file('server.pem'))
  }
}
