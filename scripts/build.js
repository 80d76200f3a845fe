// Builds both entries of the action into dist/: dist/index.js (the main step) and dist/post.js
// (the post step, action.yml `post:`), each with its chunks, and one licenses.txt for both. ncc
// writes one entry per output directory as index.js, so each is built apart and then moved into
// place. CI (check-dist.yml) rebuilds with this and fails on any difference.
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
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', out, '--license', 'licenses.txt'], {
    cwd: root,
    stdio: 'inherit'
  })
}

try {
  build('src/index.ts', join(work, 'main'))
  build('src/post.ts', join(work, 'post'))
  rmSync(dist, { recursive: true, force: true })
  cpSync(join(work, 'main'), dist, { recursive: true })
  for (const file of readdirSync(join(work, 'post'))) {
    if (file === 'package.json' || file === 'licenses.txt') continue
    const target = file === 'index.js' ? 'post.js' : file
    // A lazily loaded chunk keeps its name (index.js refers to it by name): two with one name
    // would overwrite each other.
    if (existsSync(join(dist, target)))
      throw new Error(
        `dist/${target} is written by both builds; give the post step's chunk another name`
      )
    renameSync(join(work, 'post', file), join(dist, target))
  }
  // ncc 0.45 writes the licenses of a lazily loaded chunk over those of the entry (the main
  // build's licenses.txt then names libsodium-wrappers only). The post build has the same
  // packages as the main entry without the chunk: together they name every bundled package.
  const main = readFileSync(join(work, 'main', 'licenses.txt'), 'utf8')
  const post = readFileSync(join(work, 'post', 'licenses.txt'), 'utf8')
  writeFileSync(
    join(dist, 'licenses.txt'),
    post.includes(main) ? post : `${post.trimEnd()}\n\n${main.trimStart()}`
  )
} finally {
  rmSync(work, { recursive: true, force: true })
}
