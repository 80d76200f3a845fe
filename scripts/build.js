// Builds both entries of the action into dist/: dist/index.js (the main step) and dist/post.js
// (the post step, action.yml `post:`), each with its chunks, and one licenses.txt for both. ncc
// writes one entry per output directory as index.js, so each is built apart and then moved into
// place. CI (check-dist.yml) rebuilds with this and fails on any difference.
//
// licenses.txt names every package bundled into either entry or any chunk. ncc's own --license
// writes one file per chunk under one name (ncc 0.45), so a lazily loaded chunk's licenses
// replaced the entry's; with two chunks (libsodium-wrappers, qrcode) one of them was always lost.
// The module lists come from ncc's --stats-out instead; the format is the one ncc wrote: name,
// license, text, a blank line between packages.
import { execFileSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist')
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
const work = mkdtempSync(join(tmpdir(), 'device-flow-build-'))

function build(entry, out) {
  execFileSync(
    process.execPath,
    [ncc, 'build', entry, '-o', out, '--stats-out', join(out, 'stats.json')],
    { cwd: root, stdio: 'inherit' }
  )
}

/** The directories of the packages a build bundled, from its stats. */
function bundledPackages(out) {
  const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8'))
  const dirs = new Set()
  for (const module of stats.modules ?? []) {
    // "./node_modules/@actions/core/lib/core.js" → "./node_modules/@actions/core"
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(String(module.name ?? ''))
    if (match) dirs.add(join(root, match[1] ?? ''))
  }
  return dirs
}

function licensesOf(dirs) {
  const entries = [...dirs].map((dir) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name))
    const text = file ? readFileSync(join(dir, file), 'utf8').trim() : ''
    const license = typeof manifest.license === 'string' ? manifest.license : 'see package.json'
    return { name: String(manifest.name), text: `${manifest.name}\n${license}\n${text}` }
  })
  // One entry per package name (a package bundled in two versions keeps the first found).
  const byName = new Map(entries.map((entry) => [entry.name, entry]))
  const sorted = [...byName.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0
  )
  return `${sorted.map((entry) => entry.text).join('\n\n')}\n`
}

try {
  build('src/index.ts', join(work, 'main'))
  build('src/post.ts', join(work, 'post'))
  rmSync(dist, { recursive: true, force: true })
  cpSync(join(work, 'main'), dist, { recursive: true })
  for (const file of readdirSync(join(work, 'post'))) {
    if (file === 'package.json' || file === 'stats.json') continue
    const target = file === 'index.js' ? 'post.js' : file
    // A lazily loaded chunk keeps its name (index.js refers to it by name): two with one name
    // would overwrite each other.
    if (existsSync(join(dist, target)))
      throw new Error(
        `dist/${target} is written by both builds; give the post step's chunk another name`
      )
    renameSync(join(work, 'post', file), join(dist, target))
  }
  rmSync(join(dist, 'stats.json'))
  const packages = new Set([
    ...bundledPackages(join(work, 'main')),
    ...bundledPackages(join(work, 'post'))
  ])
  if (packages.size === 0) throw new Error('the ncc stats list no package from node_modules')
  writeFileSync(join(dist, 'licenses.txt'), licensesOf(packages))
} finally {
  rmSync(work, { recursive: true, force: true })
}
