#!/usr/bin/env node
// @ts-check
/**
 * npm run bench — measures, never asserts. Three contenders run the device flow side by side, in
 * one run, against the embedded identity provider on 127.0.0.1 (strict about the interval: a poll
 * sooner than the interval after the previous one gets slow_down), alternating, and the table
 * shows medians:
 *   - the action: dist/index.js, spawned as the runner does it
 *   - openid-client v6: scripts/bench/openid-client-device.js, the same flow as its docs show it
 *   - bare node: scripts/bench/bare-node-device.js, node:http doing discovery and the device
 *     request only (the floor for start-up)
 * Spawn → user code is timed on runs started as the runner starts an action, `node <script>` and
 * nothing more. Every other figure comes from runs started as `node --import
 * scripts/bench/usage-probe.js …`, which records when node began running user code, and CPU time
 * and peak RSS; loading the probe takes time of its own, the same for every contender, which
 * would flatter the ratios of the start-up figure.
 *
 * Figures: spawn → user code on stdout; node start → discovery request arriving at the IdP;
 * approval → the IdP sending the tokens, beyond the earliest poll RFC 8628 allows (the later of
 * the approval and the previous poll + interval), at 1 s and 5 s intervals; from there to the
 * contender's "got the tokens" line (the action verifies the id_token's signature and writes its
 * outputs; the openid-client script checks the id_token's claims); polls per minute at 1 s; peak
 * RSS; CPU per poll while waiting.
 *
 * BENCH_RUNS (default 5) sets the repetitions at 1 s; the 5 s runs are about half as many, the
 * probed start-up-only runs twice as many, and the start-up runs with nothing preloaded six times
 * as many: spawn → code varies most from run to run on a shared machine. Those are also compared
 * round by round (each contender once per round, in turn), which cancels the machine's drift
 * over the minutes the bench takes. The whole run takes about two and a half minutes. Last, the
 * figures are held against the budget: spawn → code within 1.2× the openid-client script,
 * approval → token within 60 ms of the earliest allowed poll, peak RSS below the script's.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { DIST_ENTRY, ROOT, RUN_ENV, USER_CODE_LINE } from '../test-support/action-process.js'
import { startIdp } from '../test-support/idp.js'

const RUNS = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 5))
const SLOW_RUNS = Math.max(1, Math.round(RUNS / 2))
const STARTUP_RUNS = 2 * RUNS
/** How long the steady-state run polls at 1 s before the approval. */
const STEADY_MS = 10_000
/** No contender run may take longer than this; the whole bench stops after BENCH_LIMIT_MS. */
const RUN_LIMIT_MS = 60_000
const BENCH_LIMIT_MS = 5 * 60_000
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'
const DISCOVERY_PATH = '/.well-known/openid-configuration'
const PROBE = join(ROOT, 'scripts/bench/usage-probe.js')

if (!existsSync(DIST_ENTRY)) throw new Error('dist/index.js is missing: run npm run build')

/**
 * @typedef {object} Contender
 * @property {string} key
 * @property {string} label
 * @property {string} script
 * @property {RegExp} codeLine stdout line with the user code in group 1
 * @property {RegExp} [tokenLine] stdout line printed once the tokens are in hand
 */
/** @type {Contender[]} */
const CONTENDERS = [
  {
    key: 'action',
    label: 'action',
    script: DIST_ENTRY,
    codeLine: USER_CODE_LINE,
    tokenLine: /^Approved/m
  },
  {
    key: 'openid',
    label: 'openid-client script',
    script: join(ROOT, 'scripts/bench/openid-client-device.js'),
    codeLine: /user code: (\S+)/,
    tokenLine: /^tokens received/m
  },
  {
    key: 'bare',
    label: 'bare node',
    script: join(ROOT, 'scripts/bench/bare-node-device.js'),
    codeLine: /user code: (\S+)/
  }
]
const POLLING = CONTENDERS.filter((c) => c.tokenLine)

/** @type {Record<string, Record<string, number[]>>} figure → contender → samples */
const samples = {}
/** @param {string} figure @param {string} contender @param {number} value */
function sample(figure, contender, value) {
  samples[figure] ??= {}
  ;(samples[figure][contender] ??= []).push(value)
}
/** @type {Record<string, { polls: number, early: number, slowDown: number }>} */
const pollRules = {}
/** @type {Array<Record<string, number>>} spawn → code of each contender, round by round */
const rounds = []

const benchStarted = Date.now()
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * One contender, one device flow: spawn, wait for the code, approve `approveAfterMs` after the
 * code is shown (never, for bare node), wait for the tokens and the exit. While it waits, the
 * probe is asked for CPU time at `usageAtMs` (after the code is shown).
 * @param {Contender} contender
 * @param {import('../test-support/idp.js').Idp} idp
 * @param {number} intervalMs
 * @param {{ approveAfterMs?: number, usageAtMs?: number[], stopAfterCode?: boolean, probe?: boolean }} plan
 *   probe: false starts the contender with nothing preloaded; only such runs time spawn → code
 */
async function runOnce(contender, idp, intervalMs, plan) {
  if (Date.now() - benchStarted > BENCH_LIMIT_MS) throw new Error('the bench ran out of time')
  const dir = mkdtempSync(join(tmpdir(), 'device-flow-bench-'))
  const probeFile = join(dir, 'probe.jsonl')
  const files = {
    GITHUB_OUTPUT: 'output',
    GITHUB_STEP_SUMMARY: 'summary.md',
    GITHUB_STATE: 'state'
  }
  /** @type {Record<string, string>} */
  const env = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || /^(INPUT_|GITHUB_|RUNNER_|STATE_|BENCH_)/.test(name)) continue
    if (/^(https?|no)_proxy$/i.test(name) || name === 'NODE_OPTIONS') continue
    env[name] = value
  }
  const probed = plan.probe !== false
  Object.assign(env, RUN_ENV, {
    ...(probed && { NODE_OPTIONS: `--import ${PROBE}`, BENCH_PROBE_FILE: probeFile }),
    BENCH_ISSUER: idp.issuer,
    BENCH_CLIENT_ID: idp.clients.public.clientId,
    INPUT_ISSUER: idp.issuer,
    'INPUT_CLIENT-ID': idp.clients.public.clientId,
    INPUT_SCOPE: 'openid'
  })
  for (const [name, file] of Object.entries(files)) {
    env[name] = join(dir, file)
    writeFileSync(env[name], '')
  }

  const spawnedAt = Date.now()
  const child = spawn(process.execPath, [contender.script], {
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const killer = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS)
  let stdout = ''
  let stderr = ''
  /** @type {Array<() => void>} */
  const watchers = []
  child.stdout.setEncoding('utf8')
  child.stderr.setEncoding('utf8')
  child.stdout.on('data', (chunk) => {
    stdout += chunk
    for (const watch of [...watchers]) watch()
  })
  child.stderr.on('data', (chunk) => (stderr += chunk))
  child.on('error', () => undefined) // a signal to a process that has just exited
  /** @returns {Array<{ event: string, at: number, cpuMs: number, maxRssKiB: number }>} */
  const readProbe = () =>
    (probed ? readFileSync(probeFile, 'utf8') : '')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)))
  /** @param {RegExp} pattern @returns {Promise<{ match: RegExpMatchArray, at: number }>} */
  const waitFor = (pattern) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(stdout)
        if (!match) return
        watchers.splice(watchers.indexOf(check), 1)
        resolve({ match, at: Date.now() })
      }
      watchers.push(check)
      exited.then(() =>
        reject(
          new Error(`${contender.label} ended before printing ${pattern}:\n${stdout}${stderr}`)
        )
      )
      check()
    })

  try {
    const code = await waitFor(contender.codeLine)
    const shownAt = code.at
    /** @type {number | undefined} */
    let approvedAt
    /** @type {number | undefined} */
    let tokensAt
    if (plan.stopAfterCode && !probed) child.kill('SIGKILL')
    else if (plan.stopAfterCode) {
      // CPU time so far, then stop: this run measures the start only.
      child.kill('SIGUSR2')
      for (
        let waited = 0;
        waited < 1000 && !readProbe().some((p) => p.event !== 'start');
        waited += 10
      )
        await sleep(10)
      child.kill('SIGKILL')
    } else if (plan.approveAfterMs !== undefined && contender.tokenLine) {
      const tokens = waitFor(contender.tokenLine)
      for (const at of plan.usageAtMs ?? []) {
        await sleep(shownAt + at - Date.now())
        child.kill('SIGUSR2')
      }
      await sleep(shownAt + plan.approveAfterMs - Date.now())
      await idp.approve(/** @type {string} */ (code.match[1]))
      approvedAt = Date.now()
      tokensAt = (await tokens).at
    }
    const exitCode = await exited
    if (exitCode !== 0 && !plan.stopAfterCode)
      throw new Error(`${contender.label} exited with ${exitCode}:\n${stderr}`)

    const probe = readProbe()
    const start = probe.find((p) => p.event === 'start')
    const exit = probe.find((p) => p.event === 'exit')
    // bare node exits as soon as it has printed the code, often before SIGUSR2 arrives.
    const atCode = probe.find((p) => p.event !== 'start')
    if (plan.stopAfterCode && atCode)
      sample('CPU time spawn → user code', contender.key, atCode.cpuMs)
    const discovery = idp.requests.find((r) => r.path === DISCOVERY_PATH && r.at >= spawnedAt)
    if (!probed) sample('spawn → user code on stdout', contender.key, shownAt - spawnedAt)
    if (start && discovery)
      sample('node start → discovery request sent', contender.key, discovery.at - start.at)
    if (exit && !plan.stopAfterCode) sample('peak RSS', contender.key, exit.maxRssKiB / 1024)

    const polls = idp.tokenRequests.filter((r) => r.grantType === DEVICE_GRANT && r.at >= spawnedAt)
    const rules = (pollRules[contender.key] ??= { polls: 0, early: 0, slowDown: 0 })
    rules.polls += polls.length
    rules.early += polls.filter((p) => (p.sinceLastMs ?? Infinity) < intervalMs).length
    rules.slowDown += polls.filter((p) => p.slowDown).length
    return { shownAt, approvedAt, tokensAt, polls, probe, spawnedAt }
  } finally {
    clearTimeout(killer)
    child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * How long after the earliest poll RFC 8628 allows the IdP sent the tokens: that poll is the
 * later of the approval and the last poll before it plus the interval (or, without a poll yet,
 * the device authorization request plus the interval).
 * @param {Awaited<ReturnType<typeof runOnce>>} run @param {import('../test-support/idp.js').Idp} idp
 * @param {number} intervalMs
 */
function beyondEarliestPoll(run, idp, intervalMs) {
  const approvedAt = /** @type {number} */ (run.approvedAt)
  const before = run.polls.filter((p) => p.at < approvedAt).at(-1)
  const issued = idp.requests.find(
    (r) => r.method === 'POST' && r.at >= run.spawnedAt && /\/device\/auth$/.test(r.path)
  )
  const previous = before?.at ?? issued?.at ?? approvedAt
  return tokensSentAt(run) - Math.max(approvedAt, previous + intervalMs)
}

/** When the IdP finished sending the successful token response. @param {Awaited<ReturnType<typeof runOnce>>} run */
function tokensSentAt(run) {
  return run.polls.find((p) => p.status === 200)?.answeredAt ?? NaN
}

/**
 * Both figures of one approved run.
 * @param {string} contender @param {Awaited<ReturnType<typeof runOnce>>} run
 * @param {import('../test-support/idp.js').Idp} idp @param {number} intervalMs
 */
function sampleApproval(contender, run, idp, intervalMs) {
  const figure = `approval → tokens sent, beyond the earliest poll, ${intervalMs / 1000} s interval`
  sample(figure, contender, beyondEarliestPoll(run, idp, intervalMs))
  const done = /** @type {number} */ (run.tokensAt) - tokensSentAt(run)
  sample('tokens sent → "got the tokens" line', contender, done)
}

/** @template T @param {T[]} items @param {number} by @returns {T[]} */
const rotate = (items, by) => items.map((_, i) => /** @type {T} */ (items[(i + by) % items.length]))

console.log(
  `node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`
)
const fast = await startIdp({ interval: 1, strictInterval: true })
const slow = await startIdp({ interval: 5, strictInterval: true })
try {
  // Start-up only: cheap, so many times, and the figure most sensitive to the machine's load.
  for (let i = 0; i < 3 * STARTUP_RUNS; i++) {
    /** @type {Record<string, number>} */
    const round = {}
    for (const contender of rotate(CONTENDERS, i)) {
      const run = await runOnce(contender, fast, 1000, { stopAfterCode: true, probe: false })
      round[contender.key] = run.shownAt - run.spawnedAt
      if (i % 3 === 0) await runOnce(contender, fast, 1000, { stopAfterCode: true })
    }
    rounds.push(round)
    if (i % 9 === 8) process.stdout.write('.')
  }
  // 1 s interval: every contender, alternating; approvals spread over the second after the first poll.
  for (let i = 0; i < RUNS; i++) {
    for (const contender of rotate(CONTENDERS, i)) {
      const approveAfterMs = 1000 + Math.round((1000 * (i + 0.5)) / RUNS)
      const run = await runOnce(
        contender,
        fast,
        1000,
        contender.tokenLine ? { approveAfterMs } : {}
      )
      if (run.tokensAt) sampleApproval(contender.key, run, fast, 1000)
    }
    process.stdout.write('.')
  }
  // 5 s interval: the contenders that poll.
  for (let i = 0; i < SLOW_RUNS; i++) {
    for (const contender of rotate(POLLING, i)) {
      const approveAfterMs = 5000 + Math.round((5000 * (i + 0.5)) / SLOW_RUNS)
      const run = await runOnce(contender, slow, 5000, { approveAfterMs })
      sampleApproval(contender.key, run, slow, 5000)
    }
    process.stdout.write('.')
  }
  // Steady state at 1 s: polls per minute, and CPU per poll between two probe readings.
  for (const contender of POLLING) {
    const run = await runOnce(contender, fast, 1000, {
      approveAfterMs: STEADY_MS,
      usageAtMs: [1500, STEADY_MS - 200]
    })
    const waiting = run.polls.filter((p) => p.at < /** @type {number} */ (run.approvedAt))
    const first = waiting[0]
    const last = waiting.at(-1)
    if (first && last && waiting.length > 1)
      sample(
        'polls per minute, 1 s interval',
        contender.key,
        ((waiting.length - 1) / (last.at - first.at)) * 60_000
      )
    const [from, to] = run.probe.filter((p) => p.event === 'usage')
    if (from && to) {
      const between = run.polls.filter((p) => p.at > from.at && p.at <= to.at).length
      if (between > 0)
        sample('CPU per poll while waiting', contender.key, (to.cpuMs - from.cpuMs) / between)
    }
    process.stdout.write('.')
  }
} finally {
  await Promise.all([fast.close(), slow.close()])
}
console.log(
  ` ${((Date.now() - benchStarted) / 1000).toFixed(0)} s, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n`
)

/** @param {number[] | undefined} values */
function median(values) {
  if (!values?.length) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}
const UNITS = {
  'spawn → user code on stdout': 'ms',
  'node start → discovery request sent': 'ms',
  'CPU time spawn → user code': 'ms',
  'approval → tokens sent, beyond the earliest poll, 1 s interval': 'ms',
  'approval → tokens sent, beyond the earliest poll, 5 s interval': 'ms',
  'tokens sent → "got the tokens" line': 'ms',
  'polls per minute, 1 s interval': '/min',
  'peak RSS': 'MiB',
  'CPU per poll while waiting': 'ms'
}
const rows = Object.entries(UNITS).map(([figure, unit]) => {
  const medians = CONTENDERS.map((c) => median(samples[figure]?.[c.key]))
  const [action, openid, bare] = medians
  const ratio = (/** @type {number | undefined} */ other) =>
    action !== undefined && other ? `${(action / other).toFixed(2)}×` : '–'
  const runs = CONTENDERS.map((c) => samples[figure]?.[c.key]?.length ?? 0)
  return [
    figure,
    ...medians.map((m) =>
      m === undefined ? '–' : `${m.toFixed(unit === 'ms' && Math.abs(m) < 10 ? 1 : 0)} ${unit}`
    ),
    ratio(openid),
    /^(approval|tokens|polls|CPU per)/.test(figure) ? '–' : ratio(bare),
    runs.join('/')
  ]
})
const header = [
  'median',
  ...CONTENDERS.map((c) => c.label),
  'action ÷ openid-client',
  'action ÷ bare node',
  'runs'
]
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
const line = (/** @type {string[]} */ cells) =>
  cells
    .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
    .join('  ')
console.log(line(header))
for (const row of rows) console.log(line(/** @type {string[]} */ (row)))
console.log('')
/** @param {string} over */
const paired = (over) =>
  median(rounds.map((r) => (r['action'] ?? NaN) / (r[over] ?? NaN)).filter(Number.isFinite))
const [byBare, byOpenid] = [paired('bare'), paired('openid')]
if (byBare !== undefined && byOpenid !== undefined)
  console.log(
    `spawn → user code, round by round (median of ${rounds.length} ratios): action ÷ bare node ${byBare.toFixed(2)}×, action ÷ openid-client ${byOpenid.toFixed(2)}×`
  )
// The budget (issue 19): start-up is a guard, not a design driver.
const figureOf = (/** @type {string} */ figure, /** @type {string} */ key) =>
  median(samples[figure]?.[key])
const approvalBeyond = [1, 5].map((seconds) =>
  figureOf(`approval → tokens sent, beyond the earliest poll, ${seconds} s interval`, 'action')
)
const [rssAction, rssOpenid] = ['action', 'openid'].map((key) => figureOf('peak RSS', key))
/** @type {Array<[string, number | undefined, (value: number) => boolean, string]>} */
const BUDGET = [
  [
    'spawn → code ÷ the openid-client script, round by round',
    byOpenid,
    (v) => v <= 1.2,
    'at most 1.2×'
  ],
  [
    'approval → token beyond the earliest poll, 1 s interval',
    approvalBeyond[0],
    (v) => v <= 60,
    'at most 60 ms'
  ],
  [
    'approval → token beyond the earliest poll, 5 s interval',
    approvalBeyond[1],
    (v) => v <= 60,
    'at most 60 ms'
  ],
  [
    'peak RSS ÷ the openid-client script',
    rssAction !== undefined && rssOpenid ? rssAction / rssOpenid : undefined,
    (v) => v < 1,
    'below 1×'
  ]
]
console.log('Budget:')
for (const [what, value, holds, limit] of BUDGET) {
  const shown =
    value === undefined
      ? '–'
      : what.includes('÷')
        ? `${value.toFixed(2)}×`
        : `${value.toFixed(0)} ms`
  const verdict =
    value === undefined ? 'not measured' : holds(value) ? 'within budget' : 'OVER BUDGET'
  console.log(`  ${what}: ${shown} (${limit}): ${verdict}`)
}
for (const contender of POLLING) {
  const rules = pollRules[contender.key]
  console.log(
    `${contender.label}: ${rules?.polls ?? 0} polls, ${rules?.early ?? 0} sooner than the interval, ${rules?.slowDown ?? 0} answered slow_down`
  )
}
