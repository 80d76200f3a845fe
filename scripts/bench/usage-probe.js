// @ts-check
/**
 * Loaded with --import into every contender of `npm run bench`, the same way: records when node
 * starts running user code, and the process's CPU time and peak RSS on SIGUSR2 and at exit, as
 * JSON lines appended to $BENCH_PROBE_FILE. A few lines: it must cost next to nothing.
 */
import { openSync, writeSync } from 'node:fs'

const file = process.env['BENCH_PROBE_FILE']
if (file) {
  const fd = openSync(file, 'a')
  /** @param {string} event */
  const record = (event) => {
    const usage = process.resourceUsage()
    const line = {
      event,
      at: Date.now(),
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
      maxRssKiB: usage.maxRSS
    }
    writeSync(fd, `${JSON.stringify(line)}\n`)
  }
  record('start')
  process.on('SIGUSR2', () => record('usage'))
  process.on('exit', () => record('exit'))
}
