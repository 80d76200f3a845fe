#!/usr/bin/env node
// @ts-check
/**
 * npm run bench:steps — measures, never asserts; what `npm run bench` (the main step beside
 * openid-client and bare node) does not cover. Prints a table of medians over repeated runs:
 *   - from the prompt to the QR code drawn under it (the qrcode chunk loaded on first use)
 *   - the post step (dist/post/index.js): with nothing to revoke, and revoking at the embedded IdP
 *   - CPU cost of the parsers, of the QR code and the webhook bodies, and of ten simulated
 *     minutes of polling (fake clock)
 *   - sealing a secret for GitHub (libsodium): the first call, which loads it, and the rest
 * The protocol modules are compiled with tsc into .tmp/bench first.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import {
  DIST_POST,
  ROOT,
  startAction,
  stateEnv,
  USER_CODE_LINE
} from '../test-support/action-process.js'
import { startIdp } from '../test-support/idp.js'

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5)
const results = []

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}
function record(name, samples, unit = 'ms') {
  results.push({
    name,
    median: median(samples),
    min: Math.min(...samples),
    max: Math.max(...samples),
    unit,
    runs: samples.length
  })
}

if (!existsSync(join(ROOT, 'dist', 'index.js')))
  throw new Error('dist/index.js is missing: npm run build')

const idp = await startIdp({ interval: 1 })
// The QR code: from the prompt to its drawing under it.
{
  const toPrompt = []
  const toQr = []
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now()
    const run = startAction({
      inputs: { issuer: idp.issuer, 'client-id': idp.clients.public.clientId, scope: 'openid' }
    })
    const match = await run.waitFor(USER_CODE_LINE)
    toPrompt.push(performance.now() - started)
    // The notice comes right after the drawing: the QR listener runs before the notice listener.
    await run.waitFor(/^::notice title=Approval needed/m)
    toQr.push(performance.now() - started - /** @type {number} */ (toPrompt.at(-1)))
    await idp.approve(/** @type {string} */ (match[1]))
    const result = await run.done
    if (result.code !== 0) throw new Error(`run ${i} failed: ${result.stdout}`)
  }
  record('prompt to QR code drawn (loads the qrcode chunk)', toQr)
}
// 3b. The post step: nothing to revoke (a cancelled or failed main step), and one revocation.
{
  const empty = []
  const revoking = []
  const { clientId, clientSecret } = idp.clients.noRefresh
  const inputs = {
    issuer: idp.issuer,
    'client-id': clientId,
    'client-secret': clientSecret,
    scope: 'openid'
  }
  for (let i = 0; i < RUNS; i++) {
    empty.push((await startAction({ inputs, entry: DIST_POST }).done).elapsedMs)
    const main = startAction({ inputs })
    const match = await main.waitFor(USER_CODE_LINE)
    await idp.approve(/** @type {string} */ (match[1]))
    const { state } = await main.done
    const post = await startAction({ inputs, env: stateEnv(state), entry: DIST_POST }).done
    if (!/Revoked the access token/.test(post.stdout)) throw new Error(`post ${i}: ${post.stdout}`)
    revoking.push(post.elapsedMs)
  }
  record('post step, nothing to revoke (dist/post/index.js)', empty)
  record('post step revoking the access token (RFC 7009)', revoking)
}
await idp.close()

// 4. CPU: compiled protocol modules, no network.
try {
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      ROOT,
      '--noEmit',
      'false',
      '--outDir',
      join(ROOT, '.tmp/bench')
    ],
    { stdio: 'pipe' }
  )
} catch {
  // tsc emits even when some file has a type error; `npm run typecheck` is where those are reported.
  if (!existsSync(join(ROOT, '.tmp/bench/src/oauth/poll.js')))
    throw new Error('tsc could not compile src/ for the benchmark')
}
const load = (path) => import(join(ROOT, '.tmp/bench', path))
const { readResponse, oauthErrorOf } = await load('src/oauth/response.js')
const { parseDeviceAuthorization } = await load('src/oauth/device.js')
const { parseTokenResponse } = await load('src/oauth/token.js')
const { pollForTokens } = await load('src/oauth/poll.js')
const { FakeClock } = await load('test-support/fakes.js')
const { safeText } = await load('src/safe-text.js')
const { encodeQr, drawModuleRows } = await load('src/present/qr.js')
const { webhookBody } = await load('src/notify/listener.js')

const endpoint = { name: 'token endpoint', url: 'https://id.example.com/token' }
const deviceBody = JSON.stringify({
  device_code: 'd'.repeat(43),
  user_code: 'WDJB-MJHT',
  verification_uri: 'https://id.example.com/device',
  verification_uri_complete: 'https://id.example.com/device?user_code=WDJB-MJHT',
  expires_in: 900,
  interval: 5
})
const tokenBody = JSON.stringify({
  access_token: 'a'.repeat(1200),
  token_type: 'Bearer',
  expires_in: 3600,
  refresh_token: 'r'.repeat(43),
  id_token: 'i'.repeat(900),
  scope: 'openid profile'
})
function opsPerSecond(fn, iterations = 50_000) {
  const samples = []
  for (let run = 0; run < 5; run++) {
    const started = performance.now()
    for (let i = 0; i < iterations; i++) fn()
    samples.push((iterations / (performance.now() - started)) * 1000)
  }
  return samples
}
// safeText: what every piece of foreign text costs on its way to the log (issue 12).
const entraMessage =
  'To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code WDJB-MJHT to authenticate.'
const hostileName = `##[stop-commands]x\u2028::add-mask::y\u202e${'w'.repeat(20_000)}`
const hostileMiB = '##[a]\u2028\u202e\u001b[31mx '.repeat((1024 * 1024) / 16)
record(
  'safeText: an approver name (alice@example.com)',
  opsPerSecond(() => safeText('alice@example.com')),
  'ops/s'
)
record(
  'safeText: an Entra message (125 chars, bound 500)',
  opsPerSecond(() => safeText(entraMessage, { maxLength: 500 })),
  'ops/s'
)
record(
  'safeText: a hostile 20 kB workflow name (bound 100)',
  opsPerSecond(() => safeText(hostileName, { maxLength: 100 })),
  'ops/s'
)
record(
  'safeText: 1 MiB of hostile text, unbounded',
  opsPerSecond(() => safeText(hostileMiB, { maxLength: 4_000_000 }), 1),
  'ops/s'
)
record(
  'device response: read + parse',
  opsPerSecond(() =>
    parseDeviceAuthorization(
      readResponse(
        { status: 200, headers: { 'content-type': 'application/json' }, body: deviceBody },
        0
      ).fields,
      endpoint
    )
  ),
  'ops/s'
)
record(
  'token response: read + parse',
  opsPerSecond(() =>
    parseTokenResponse(
      readResponse(
        { status: 200, headers: { 'content-type': 'application/json' }, body: tokenBody },
        0
      ).fields,
      endpoint
    )
  ),
  'ops/s'
)
record(
  'error body (GitHub, HTTP 200): read + oauthErrorOf',
  opsPerSecond(() =>
    oauthErrorOf(
      readResponse(
        {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: '{"error":"authorization_pending","error_description":"pending"}'
        },
        0
      )
    )
  ),
  'ops/s'
)
{
  const link = 'https://id.example.com/device?user_code=WDJB-MJHT'
  const samples = []
  for (let run = 0; run < 5; run++) {
    const started = performance.now()
    for (let i = 0; i < 200; i++) drawModuleRows(await encodeQr(link, 'L'))
    samples.push((200 / (performance.now() - started)) * 1000)
  }
  record('QR code: encode + draw (one module a line)', samples, 'ops/s')
  const notification = {
    event: 'code-ready',
    atMs: 0,
    userCode: 'WDJB-MJHT',
    verificationUri: 'https://id.example.com/device',
    verificationUriComplete: link,
    expiresAtMs: 600_000,
    clientId: 'release-bot',
    origin: { repository: 'octo/release', workflow: 'Release', runId: '1', actor: 'octocat' }
  }
  record(
    'webhook bodies: Slack + Teams + Discord + JSON, stringified',
    opsPerSecond(() => {
      for (const kind of ['slack', 'teams', 'discord', 'json'])
        JSON.stringify(webhookBody(kind, notification))
    }, 20_000),
    'ops/s'
  )
}
{
  const samples = []
  for (let run = 0; run < RUNS; run++) {
    const clock = new FakeClock()
    const started = performance.now()
    await pollForTokens({
      clock,
      endpoint,
      intervalSeconds: 5,
      expiresAtMs: clock.now() + 600_000,
      attempt: async () => ({
        kind: 'oauth-error',
        status: 400,
        body: { error: 'authorization_pending' }
      })
    }).catch(() => undefined)
    samples.push(performance.now() - started)
  }
  record('poll loop: 10 simulated minutes (~118 polls, fake clock)', samples)
}

// The approval policy: a release gate judged on a verified identity, and the glob matcher on
// the pattern that makes backtracking matchers blow up.
{
  const { readPolicy } = await load('src/policy/read-policy.js')
  const { judgeApproval } = await load('src/policy/judge.js')
  const { globMatches } = await load('src/policy/text-match.js')
  const inputs = {
    'allowed-approvers': '*@example.com\nusername:release-bot\nsub:12345',
    'required-claims': 'groups=release-managers\namr=mfa',
    'self-approval-claim': 'email',
    'run-actor': 'octo.cat@example.com',
    approvals: '2'
  }
  const policy = readPolicy(
    { getInput: (name) => inputs[name] ?? '', env: {} },
    { provider: 'oidc', refreshToken: false }
  )
  const groups = Array.from({ length: 40 }, (_, i) => `group-${i}`).concat('release-managers')
  const identity = {
    subject: 'alice-sub',
    username: 'alice',
    email: 'alice@example.com',
    claims: { sub: 'alice-sub', groups, amr: ['pwd', 'mfa'] },
    source: 'ID token'
  }
  const context = { approvalNumber: 2, earlier: [{ subject: 'bob-sub', name: 'bob' }] }
  const samples = []
  for (let run = 0; run < 5; run++) {
    const iterations = 20_000
    const started = performance.now()
    for (let i = 0; i < iterations; i++) await judgeApproval(policy, identity, context)
    samples.push((iterations / (performance.now() - started)) * 1000)
  }
  record('policy: judge a release gate (41 groups, 4 rules)', samples, 'ops/s')
  const long = 'a'.repeat(320)
  record(
    'glob: "*a*a*a*a*a*a*b" against 320 × "a" (no match)',
    opsPerSecond(() => globMatches('*a*a*a*a*a*a*b', long), 200),
    'ops/s'
  )
}
{
  const { sealForGitHub } = await load('src/secrets/seal.js')
  const key = Buffer.alloc(32, 9).toString('base64')
  const started = performance.now()
  await sealForGitHub('r'.repeat(43), key)
  record('seal for GitHub: first call (loads libsodium)', [performance.now() - started])
  const samples = []
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now()
    for (let i = 0; i < 2000; i++) await sealForGitHub('r'.repeat(43), key)
    samples.push((2000 / (performance.now() - t0)) * 1000)
  }
  record('seal for GitHub: later calls', samples, 'ops/s')
}

console.log(`\nnode ${process.version}, ${RUNS} runs each (median, min–max)\n`)
const width = Math.max(...results.map((r) => r.name.length))
for (const r of results) {
  const fmt = (n) => (r.unit === 'ops/s' ? Math.round(n).toLocaleString('en-US') : n.toFixed(1))
  console.log(
    `${r.name.padEnd(width)}  ${fmt(r.median).padStart(10)} ${r.unit.padEnd(5)}  (${fmt(r.min)}–${fmt(r.max)})`
  )
}
