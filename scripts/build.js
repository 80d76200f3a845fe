#!/usr/bin/env node
// @ts-check
/**
 * npm run build: bundles src/index.ts into dist/ with ncc, then writes dist/licenses.txt for
 * every package in the bundle, chunks included. ncc's own --license writes one file per chunk
 * under the same name, so with a lazily imported package (qrcode, in a chunk of its own) the last
 * chunk's file replaced the main bundle's and the licenses of @actions/core, jose and the rest
 * went missing. The module list comes from ncc's --stats-out instead; the format is the one ncc
 * wrote: name, license, text, a blank line between packages.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from '../test-support/action-process.js'

const STATS = join(ROOT, '.tmp', 'ncc-stats.json')
mkdirSync(join(ROOT, '.tmp'), { recursive: true })
execFileSync(
  process.execPath,
  [
    join(ROOT, 'node_modules/@vercel/ncc/dist/ncc/cli.js'),
    'build',
    'src/index.ts',
    '-o',
    'dist',
    '--stats-out',
    STATS
  ],
  { cwd: ROOT, stdio: 'inherit' }
)

const stats = JSON.parse(readFileSync(STATS, 'utf8'))
/** @type {Set<string>} */
const packageDirs = new Set()
for (const module of stats.modules ?? []) {
  // "./node_modules/@actions/core/lib/core.js" → "./node_modules/@actions/core"
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(String(module.name ?? ''))
  if (match) packageDirs.add(join(ROOT, match[1] ?? ''))
}
if (packageDirs.size === 0) throw new Error(`${STATS} lists no package from node_modules`)

const entries = [...packageDirs].map((dir) => {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  const licenseFile = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name))
  const text = licenseFile ? readFileSync(join(dir, licenseFile), 'utf8').trim() : ''
  const license = typeof manifest.license === 'string' ? manifest.license : 'see package.json'
  return { name: String(manifest.name), text: `${manifest.name}\n${license}\n${text}` }
})
entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
writeFileSync(
  join(ROOT, 'dist', 'licenses.txt'),
  `${entries.map((entry) => entry.text).join('\n\n')}\n`
)
console.log(`dist/licenses.txt: ${entries.map((entry) => entry.name).join(', ')}`)
