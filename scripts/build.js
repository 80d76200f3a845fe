// Builds both entries of the action into dist/: dist/index.js (the main step) and dist/post.js
// (the post step, action.yml `post:`), their lazily loaded chunks beside them, and one
// licenses.txt for everything bundled. CI (check-dist.yml, .ci/run) rebuilds with this and
// fails on any difference.
//
// Why esbuild, not ncc: ncc (webpack) wraps every module in a function, so V8 parses the main
// bundle twice before the first request: once when the file is compiled, again when the
// wrapper is first called. esbuild hoists the modules into one scope, parsed once; spawn →
// user code came down from 1.31× to 1.22× the bare-node script in one run of 30 alternating
// spawns on this machine. It also writes ES module chunks for each `import()` (the later
// stages, webhook delivery, jose, qrcode, libsodium, undici for a proxy) and for the code an
// entry shares with its chunks.
//
// licenses.txt names every package with a file in any output, from esbuild's metafile; the
// format is the one ncc wrote: name, license, text, a blank line between packages.
import { build } from 'esbuild'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist')

/** The directories of the packages the build bundled, from its metafile's inputs. */
function bundledPackages(metafile) {
  const dirs = new Set()
  for (const input of Object.keys(metafile.inputs)) {
    // "node_modules/@actions/http-client/lib/proxy.js" → "node_modules/@actions/http-client"
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)
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

/**
 * One entry with the chunks of its own `import()`s. Each entry is built on its own so that
 * nothing the two share becomes a chunk the main step must load before its first request; a lazy
 * chunk both build alike (jose) has the same content, so the same name, and is written once.
 */
async function bundle(entry) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outdir: 'dist',
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    // Both runtimes the action meets: node24 on the runner, node20 for people on older runners.
    target: 'node20',
    // The licences are in licenses.txt, not repeated in every file.
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning'
  })
  if (result.errors.length > 0) process.exit(1)
  return result.metafile
}

/**
 * Bundled CommonJS packages (qrcode, undici) call require() for node's own modules, which an ES
 * module does not have: a file that calls require gets one made from its own URL. Only those
 * files: each createRequire costs a little before the first request, and the main step loads
 * five files before it.
 */
const REQUIRE_LINES =
  "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);\n"
function giveRequireWhereNamed() {
  for (const name of readdirSync(dist).filter((file) => file.endsWith('.js'))) {
    const code = readFileSync(join(dist, name), 'utf8')
    if (/(?<![\w$.])require\s*[(.]|typeof require\b/.test(code))
      writeFileSync(join(dist, name), REQUIRE_LINES + code)
  }
}

rmSync(dist, { recursive: true, force: true })
const metafiles = [await bundle('src/index.ts'), await bundle('src/post.ts')]
giveRequireWhereNamed()
const packages = new Set(metafiles.flatMap((metafile) => [...bundledPackages(metafile)]))
if (packages.size === 0) throw new Error('the metafile lists no package from node_modules')
writeFileSync(join(dist, 'licenses.txt'), licensesOf(packages))
// dist/ runs as ES modules on its own, whatever package.json sits above it.
writeFileSync(join(dist, 'package.json'), '{"type":"module"}\n')
