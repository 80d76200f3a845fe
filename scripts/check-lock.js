#!/usr/bin/env node
// Refuses a package-lock.json that today's `npm ci` would reject, before CI spends time on it.
// An entry without a `version` (other than a workspace link) is what npm 11.16+ answers with
// "Invalid Version:"; such a lock comes from editing it by hand or from another npm's quirks.
import { readFileSync } from 'node:fs'

const lockPath = process.argv[2] ?? 'package-lock.json'
let lock
try {
  lock = JSON.parse(readFileSync(lockPath, 'utf8'))
} catch (error) {
  console.error(`${lockPath} cannot be read as JSON (${error.message}).`)
  console.error('Regenerate it: rm package-lock.json && npm install, then commit it.')
  process.exit(1)
}

const problems = []
if (lock.lockfileVersion !== 3) {
  problems.push(`lockfileVersion is ${lock.lockfileVersion}, expected 3 (npm 9 and later)`)
}
for (const [path, entry] of Object.entries(lock.packages ?? {})) {
  if (path === '' || entry.link) continue
  if (typeof entry.version !== 'string' || entry.version === '') {
    problems.push(`"${path}" has no version`)
  }
}

if (problems.length > 0) {
  console.error(`${lockPath} would be rejected by npm ci:`)
  for (const problem of problems.slice(0, 20)) console.error(`  - ${problem}`)
  if (problems.length > 20) console.error(`  … and ${problems.length - 20} more`)
  console.error(
    'Fix: regenerate it with the npm on this machine (rm -rf node_modules package-lock.json && npm install),'
  )
  console.error('never by hand, then check that `npm ci` works in a fresh clone and commit it.')
  process.exit(1)
}
console.log(
  `${lockPath}: ${Object.keys(lock.packages ?? {}).length - 1} entries, all with a version.`
)
