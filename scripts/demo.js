#!/usr/bin/env node
// @ts-check
/**
 * npm run demo -- [options]: the bundled action (dist/index.js) run as a runner runs it, against
 * the embedded identity provider on 127.0.0.1, with any inputs; its log shown as the Actions log
 * shows it (::add-mask:: lines hidden and their values replaced by ***, annotations rendered),
 * then the outputs and the job summary. A stand-in for GitHub's secrets API is always there
 * (store-refresh-token works), a stand-in for Slack on request. See USAGE, or --help.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import YAML from 'yaml'
import { DIST_ENTRY, ROOT, startAction } from '../test-support/action-process.js'
import { startGitHubFake } from '../test-support/github-fake.js'
import { startIdp } from '../test-support/idp.js'
import { slackMessageLines, startSlackStandIn } from '../test-support/slack-stand-in.js'

const USERS = ['alice', 'bob', 'carol']
const CLIENTS = ['public', 'basic', 'post', 'pkjwt']
/** The secrets-token the stand-in for GitHub's secrets API accepts. */
const SECRETS_TOKEN = 'demo-secrets-token'

const USAGE_LINE =
  'Usage: npm run demo -- [--with NAME=VALUE]... [--approve-as USER[,USER]] [--deny] [--client KIND] [--slack] [--then-refresh] [--debug] [--help]'

const USAGE = `Usage: npm run demo -- [options]

Runs the action (dist/index.js) as a runner would, against an identity provider started on
127.0.0.1, and shows its log, outputs and job summary. Open the link it prints and approve in a
browser (pick a user: there is no password), or let the demo approve with --approve-as.

  --with NAME=VALUE   set the input NAME (repeatable); \\n in VALUE starts a new line
                      (e.g. --with 'allowed-approvers=alice\\ncarol')
  --approve-as USERS  approve each code as this user; a comma list approves the codes in turn
                      (--approve-as alice,carol with --with approvals=2)
  --deny              deny the code instead (as the --approve-as user, else alice)
  --auto-approve      the same as --approve-as alice
  --client KIND       which client of the identity provider: public (default), basic, post, pkjwt
  --slack             send notifications to a stand-in for Slack on this machine, and print
                      each message as Slack would get it (needs openssl)
  --then-refresh      once the run succeeds, run the action again from the refresh token it
                      left (from the stand-in secret with store-refresh-token), mode: refresh,
                      as a nightly job would
  --debug             show the debug log too
  -h, --help          print this help and exit

Users: alice (groups release-managers, developers; amr pwd, mfa), bob (developers; pwd),
carol (release-managers; pwd, otp, mfa); emails USER@example.test. Defaults: the public client,
scope "openid profile email", timeout 10m. store-refresh-token writes to a stand-in for GitHub's
secrets API (secrets-token: ${SECRETS_TOKEN}, filled in when missing).`

/**
 * @typedef {object} DemoOptions
 * @property {Record<string, string>} inputs
 * @property {string[]} approveAs
 * @property {boolean} deny
 * @property {string} client
 * @property {boolean} slack
 * @property {boolean} thenRefresh
 * @property {boolean} debug
 * @property {boolean} help
 */

/**
 * The options, or why they are wrong.
 * @param {string[]} args
 * @param {ReadonlySet<string>} knownInputs
 * @returns {DemoOptions | { error: string }}
 */
function parseDemoArgs(args, knownInputs) {
  /** @type {DemoOptions} */
  const options = {
    inputs: {},
    approveAs: [],
    deny: false,
    client: 'public',
    slack: false,
    thenRefresh: false,
    debug: false,
    help: false
  }
  for (let i = 0; i < args.length; i++) {
    const arg = /** @type {string} */ (args[i])
    const [flag, attached] =
      arg.startsWith('--') && arg.includes('=') && arg !== '--with'
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined]
    const value = () => attached ?? args[++i]
    switch (flag) {
      case '-h':
      case '--help':
        options.help = true
        break
      case '--with': {
        const setting = value()
        const match = setting === undefined ? null : /^([a-z][a-z0-9-]*)=([\s\S]*)$/.exec(setting)
        if (!match)
          return { error: `--with needs NAME=VALUE, not ${JSON.stringify(setting ?? '')}` }
        const [, name = '', text = ''] = match
        if (!knownInputs.has(name)) {
          const near = [...knownInputs].filter((known) => editDistance(known, name) <= 2)
          return {
            error: `--with ${name}: action.yml has no input ${JSON.stringify(name)}${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}`
          }
        }
        options.inputs[name] = text.replace(/\\n/g, '\n')
        break
      }
      case '--approve-as': {
        const users = (value() ?? '').split(',').map((user) => user.trim())
        const unknown = users.find((user) => !USERS.includes(user))
        if (unknown !== undefined)
          return {
            error: `--approve-as: no user ${JSON.stringify(unknown)} (users: ${USERS.join(', ')})`
          }
        options.approveAs = users
        break
      }
      case '--auto-approve':
        options.approveAs = ['alice']
        break
      case '--deny':
        options.deny = true
        break
      case '--client': {
        const client = value() ?? ''
        if (!CLIENTS.includes(client))
          return {
            error: `--client: no client ${JSON.stringify(client)} (clients: ${CLIENTS.join(', ')})`
          }
        options.client = client
        break
      }
      case '--slack':
        options.slack = true
        break
      case '--then-refresh':
        options.thenRefresh = true
        break
      case '--debug':
        options.debug = true
        break
      default:
        return { error: `unknown option ${JSON.stringify(arg)}` }
    }
  }
  if (options.deny && options.approveAs.length === 0) options.approveAs = ['alice']
  return options
}

/** Levenshtein distance, for "did you mean". @param {string} a @param {string} b */
function editDistance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      )
    previous = current
  }
  return previous[b.length] ?? 0
}

/** The input names action.yml declares. */
function actionInputs() {
  const action = YAML.parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'))
  return new Set(Object.keys(action.inputs ?? {}))
}

const parsed = parseDemoArgs(process.argv.slice(2), actionInputs())
if ('error' in parsed) {
  console.error(`demo: ${parsed.error}\n${USAGE_LINE}`)
  process.exit(2)
}
if (parsed.help) {
  console.log(USAGE)
  process.exit(0)
}
process.exit(await demo(parsed))

/** @param {DemoOptions} options @returns {Promise<number>} the exit code */
async function demo(options) {
  if (!existsSync(DIST_ENTRY)) {
    console.error('dist/index.js is missing: run npm run build first.')
    return 1
  }
  let codes = 0
  const idp = await startIdp({
    interval: 2,
    ...(options.approveAs.length > 0 && {
      onDeviceAuthorization: (userCode) => {
        const user = options.approveAs[Math.min(codes++, options.approveAs.length - 1)] ?? 'alice'
        setTimeout(() => {
          console.log(
            `\n[demo] ${options.deny ? 'denying' : 'approving'} ${userCode} as ${user}, as a person would in the browser…\n`
          )
          idp
            .approve(userCode, { user, deny: options.deny })
            .catch((error) =>
              console.error(`[demo] the approval did not go through: ${error.message}`)
            )
        }, 1500)
      }
    })
  })
  const github = await startGitHubFake({ tokens: { [SECRETS_TOKEN]: 'write' } })
  const slack = options.slack
    ? await startSlackStandIn({
        onMessage: (message) =>
          console.log(
            `\n${slackMessageLines(message)
              .map((line) => `  [Slack] ${line}`)
              .join('\n')}\n`
          )
      })
    : undefined
  try {
    console.log(
      `Embedded identity provider: ${idp.issuer} (users: ${USERS.join(', ')}; pick one on its sign-in page)`
    )
    const inputs = {
      issuer: idp.issuer,
      ...clientInputs(idp, options.client),
      scope: 'openid profile email',
      timeout: '10m',
      ...(slack && { 'notify-webhook': slack.webhookUrl }),
      ...options.inputs
    }
    if (inputs['store-refresh-token'] && !inputs['secrets-token'])
      inputs['secrets-token'] = SECRETS_TOKEN
    const env = {
      GITHUB_API_URL: github.apiUrl,
      ...(slack && slack.env),
      ...(options.debug && { RUNNER_DEBUG: '1' })
    }
    const first = await runStep('the action', inputs, env, options.debug)
    if (first.code !== 0 || !options.thenRefresh) return first.code ?? 1

    const stored = inputs['store-refresh-token']
    const refreshToken = stored
      ? github.secret(`repo:${github.repository}/${stored}`)?.value
      : first.outputs['refresh-token']
    if (!refreshToken) {
      console.log(
        '\n[demo] --then-refresh: the run left no refresh token (ask for offline_access).'
      )
      return 1
    }
    const { 'on-refresh-failure': _ignored, ...rest } = inputs
    const nightly = { ...rest, 'refresh-token': refreshToken, mode: 'refresh' }
    console.log(
      `\n[demo] --then-refresh: the action again, as a nightly job, from ${stored ? `the secret ${stored}` : 'the refresh-token output'} (mode: refresh)`
    )
    return (await runStep('the nightly refresh', nightly, env, options.debug)).code ?? 1
  } finally {
    await Promise.all([idp.close(), github.close(), slack?.close()])
  }

  /** Runs the action once and shows what a runner would. @param {string} what */
  async function runStep(
    what,
    /** @type {Record<string, string>} */ stepInputs,
    /** @type {Record<string, string>} */ stepEnv,
    /** @type {boolean} */ debug
  ) {
    console.log(`Running ${what}: node dist/index.js with ${describeInputs(stepInputs)}\n`)
    const render = runnerLogRenderer(debug)
    const run = startAction({
      inputs: stepInputs,
      env: stepEnv,
      onStdout: (chunk) => process.stdout.write(render(chunk)),
      timeoutMs: 11 * 60_000
    })
    // Ctrl-C stops the action as a cancelled run would: SIGINT first.
    const stop = () => run.child.kill('SIGINT')
    process.on('SIGINT', stop)
    const result = await run.done
    process.off('SIGINT', stop)
    process.stdout.write(render('\n'))
    console.log(
      `\nThe action exited with code ${result.code} after ${(result.elapsedMs / 1000).toFixed(1)} s.`
    )
    console.log('Step outputs (secret values masked, as in the log):')
    const secrets = new Set(['access-token', 'refresh-token', 'id-token'])
    for (const [name, value] of Object.entries(result.outputs))
      console.log(
        `  ${name.padEnd(26)} ${secrets.has(name) ? `*** (${value.length} characters)` : value}`
      )
    const store = stepInputs['store-refresh-token']
    if (store) {
      const secret = github.secret(`repo:${github.repository}/${store}`)
      console.log(
        `The stand-in secrets store: ${store} ${secret ? `holds ${secret.value === result.outputs['refresh-token'] ? 'the refresh-token output' : 'another value'}` : 'was not written'}.`
      )
    }
    console.log('\nJob summary (rendered as text):')
    console.log(htmlToText(result.summary).replace(/^/gm, '  '))
    return result
  }
}

/** @param {import('../test-support/idp.js').Idp} idp @param {string} kind */
function clientInputs(idp, kind) {
  switch (kind) {
    case 'basic':
      return {
        'client-id': idp.clients.basic.clientId,
        'client-secret': idp.clients.basic.clientSecret
      }
    case 'post':
      return {
        'client-id': idp.clients.post.clientId,
        'client-secret': idp.clients.post.clientSecret,
        'client-auth-method': 'client_secret_post'
      }
    case 'pkjwt':
      return {
        'client-id': idp.clients.privateKeyJwt.clientId,
        'client-private-key': idp.clients.privateKeyJwt.privateKeyPem
      }
    default:
      return { 'client-id': idp.clients.public.clientId }
  }
}

/** The inputs for the console, secrets left out. @param {Record<string, string>} inputs */
function describeInputs(inputs) {
  const secret = /^(client-secret|client-private-key|refresh-token|secrets-token|notify-webhook)$/
  return Object.entries(inputs)
    .map(([name, value]) => `${name}=${secret.test(name) ? '***' : JSON.stringify(value)}`)
    .join(', ')
}

/** Turns workflow commands into what the Actions log shows. @param {boolean} showDebug */
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
  /** @param {string} line */
  function mask(line) {
    return masks.reduce((out, secret) => (secret ? out.split(secret).join('***') : out), line)
  }
  /** @param {string} text */
  function unescape(text) {
    return text
      .replace(/%0D/g, '\r')
      .replace(/%0A/g, '\n')
      .replace(/%3A/g, ':')
      .replace(/%2C/g, ',')
      .replace(/%25/g, '%')
  }
}

/** @param {string} html */
function htmlToText(html) {
  return html
    .replace(/<\/(tr|h2|h3|table|p)>/g, '\n')
    .replace(/<\/th><td>/g, ': ')
    .replace(/<br>/g, '\n    ')
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\n{2,}/g, '\n')
    .trim()
}
