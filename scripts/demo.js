#!/usr/bin/env node
// @ts-check
/**
 * npm run demo [-- --auto-approve] [-- --debug]
 *
 * Starts the embedded identity provider on 127.0.0.1, runs the bundled action (dist/index.js)
 * exactly as a runner would, and shows its log the way the Actions log shows it: ::add-mask::
 * lines hidden and their values replaced by ***, annotations rendered. Open the link, pick a user
 * name and approve; with --auto-approve the demo approves by itself (for machines without a browser).
 */
import { existsSync } from 'node:fs'
import { DIST_ENTRY, startAction, USER_CODE_LINE } from '../test-support/action-process.js'
import { startIdp } from '../test-support/idp.js'

const args = new Set(process.argv.slice(2))
const autoApprove = args.has('--auto-approve')
const debug = args.has('--debug')

if (!existsSync(DIST_ENTRY)) {
  console.error('dist/index.js is missing: run npm run build first.')
  process.exit(1)
}

const idp = await startIdp({ interval: 2 })
console.log(
  `Embedded identity provider: ${idp.issuer} (users: ${idp.users.map((u) => u.preferred_username).join(', ')})`
)
console.log(`Running the action: node dist/index.js, client ${idp.clients.public.clientId}\n`)

const render = runnerLogRenderer(debug)
const run = startAction({
  inputs: {
    issuer: idp.issuer,
    'client-id': idp.clients.public.clientId,
    scope: 'openid profile email offline_access',
    timeout: '10m'
  },
  env: debug ? { RUNNER_DEBUG: '1' } : {},
  onStdout: (chunk) => process.stdout.write(render(chunk)),
  timeoutMs: 11 * 60_000
})
// Ctrl-C stops the action as a cancelled run would: SIGINT first.
process.on('SIGINT', () => run.child.kill('SIGINT'))

if (autoApprove) {
  const match = await run.waitFor(USER_CODE_LINE, 30_000).catch(() => undefined)
  if (match?.[1]) {
    await new Promise((resolve) => setTimeout(resolve, 1500))
    console.log(`\n[demo] approving ${match[1]} as alice, as a person would in the browser…\n`)
    await idp
      .approve(match[1], { user: 'alice' })
      .catch((error) => console.error(`[demo] approval failed: ${error.message}`))
  }
}

const result = await run.done
await idp.close()
process.stdout.write(render('\n'))
console.log(
  `\nThe action exited with code ${result.code} after ${(result.elapsedMs / 1000).toFixed(1)} s.`
)
console.log('Step outputs (secret values masked, as in the log):')
const secrets = new Set(['access-token', 'refresh-token', 'id-token'])
for (const [name, value] of Object.entries(result.outputs)) {
  console.log(
    `  ${name.padEnd(26)} ${secrets.has(name) ? `*** (${value.length} characters)` : value}`
  )
}
console.log('\nJob summary (rendered as text):')
console.log(htmlToText(result.summary).replace(/^/gm, '  '))
process.exit(result.code ?? 1)

/** Turns workflow commands into what the Actions log shows. */
function runnerLogRenderer(showDebug) {
  /** @type {string[]} */
  const masks = []
  let partial = ''
  return (/** @type {string} */ chunk) => {
    const text = partial + chunk
    const lines = text.split('\n')
    partial = lines.pop() ?? ''
    const shown = []
    for (const line of lines) {
      const command = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line)
      if (!command) {
        shown.push(mask(line))
        continue
      }
      const [, name, properties = '', message] = command
      const unescaped = unescape(message ?? '')
      if (name === 'add-mask') masks.push(unescaped)
      else if (name === 'debug') {
        if (showDebug) shown.push(`\x1b[35m[debug] ${mask(unescaped)}\x1b[0m`)
      } else if (name === 'notice' || name === 'warning' || name === 'error') {
        const title = /title=([^,]*)/.exec(properties)?.[1]
        const colour = name === 'error' ? '31' : name === 'warning' ? '33' : '36'
        shown.push(
          `\x1b[${colour}m${name[0]?.toUpperCase()}${name.slice(1)}: ${title ? `${mask(unescape(title))} — ` : ''}${mask(unescaped)}\x1b[0m`
        )
      } else shown.push(mask(line))
    }
    return shown.length ? `${shown.join('\n')}\n` : ''
  }
  function mask(line) {
    return masks.reduce((out, secret) => (secret ? out.split(secret).join('***') : out), line)
  }
  function unescape(text) {
    return text
      .replace(/%0D/g, '\r')
      .replace(/%0A/g, '\n')
      .replace(/%3A/g, ':')
      .replace(/%2C/g, ',')
      .replace(/%25/g, '%')
  }
}

function htmlToText(html) {
  return html
    .replace(/<\/(tr|h2|h3|table)>/g, '\n')
    .replace(/<\/th><td>/g, ': ')
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\n{2,}/g, '\n')
    .trim()
}
