// Builds both entries of the action into dist/: dist/index.js (the main step) and dist/post.js
// (the post step, action.yml `post:`), each with its chunks, and one licenses.txt for both. ncc
// writes one entry per output directory as index.js, so each is built apart and then moved into
// place; dist/ is emptied first, so no chunk of an earlier build ships. CI (check-dist.yml)
// rebuilds with this and fails on any difference.
//
// licenses.txt names every package of the production dependency tree in package-lock.json, with
// its license text: ncc 0.45 writes the licenses of each lazily loaded chunk over those of the
// entry, under one name, so its own file loses packages (undici, tunnel, jose) depending on which
// chunk is written last.
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
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', out], {
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
    // A lazily loaded chunk keeps its name (index.js refers to it by name). Both entries load
    // jose lazily: ncc names a chunk after its modules, so the same library is the same file,
    // shared. Two different chunks with one name would overwrite each other.
    if (existsSync(join(dist, target))) {
      if (readFileSync(join(dist, target)).equals(readFileSync(join(work, 'post', file)))) continue
      throw new Error(
        `dist/${target} is written by both builds; give the post step's chunk another name`
      )
    }
    renameSync(join(work, 'post', file), join(dist, target))
  }
  writeFileSync(join(dist, 'licenses.txt'), licenses())
} finally {
  rmSync(work, { recursive: true, force: true })
}

/** Each shipped package (not dev) in package-lock.json: name, license, license text. */
function licenses() {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'))
  const shipped = Object.entries(lock.packages)
    .filter(([path, entry]) => path.startsWith('node_modules/') && !entry.dev && !entry.devOptional)
    .map(([path, entry]) => ({
      name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length),
      path,
      license: entry.license ?? 'UNKNOWN'
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const sections = shipped.map(({ name, path, license }) => {
    const dir = join(root, path)
    const file = readdirSync(dir)
      .filter((f) => /^licen[cs]e(\.|$)/i.test(f))
      .sort()[0]
    if (!file) throw new Error(`${name} ships no license file; add its license text by hand`)
    return `${name}\n${license}\n${readFileSync(join(dir, file), 'utf8').trim()}\n`
  })
  console.log(`dist/licenses.txt: ${shipped.map((p) => p.name).join(', ')}`)
  return sections.join('\n')
}
