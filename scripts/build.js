#!/usr/bin/env node
// @ts-check
/**
 * npm run build: dist/ from src/index.ts with ncc, then dist/licenses.txt.
 *
 * dist/ is emptied first: ncc puts each library loaded with import() in a numbered chunk file
 * beside index.js, and a chunk left over from an earlier build would ship (and fail CI's diff).
 *
 * licenses.txt names every package of the production dependency tree in package-lock.json, with
 * its license text. ncc's own --license file is written per chunk under one name, so it loses
 * the packages that live only in a lazily loaded chunk (undici and tunnel, say).
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(fileURLToPath(import.meta.url), '..', '..')
const DIST = join(ROOT, 'dist')

rmSync(DIST, { recursive: true, force: true })
execFileSync(
  process.execPath,
  [join(ROOT, 'node_modules/@vercel/ncc/dist/ncc/cli.js'), 'build', 'src/index.ts', '-o', 'dist'],
  { cwd: ROOT, stdio: 'inherit' }
)

const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'))
/** @type {Array<[string, { version: string, license?: string, dev?: boolean, devOptional?: boolean }]>} */
const entries = Object.entries(lock.packages)
const shipped = entries
  .filter(([path, entry]) => path.startsWith('node_modules/') && !entry.dev && !entry.devOptional)
  .map(([path, entry]) => ({
    name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length),
    path,
    license: entry.license ?? 'UNKNOWN'
  }))
  .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))

const sections = shipped.map(({ name, path, license }) => {
  const dir = join(ROOT, path)
  const file = readdirSync(dir)
    .filter((f) => /^licen[cs]e(\.|$)/i.test(f))
    .sort()[0]
  if (!file) throw new Error(`${name} ships no license file; add its license text by hand`)
  return `${name}\n${license}\n${readFileSync(join(dir, file), 'utf8').trim()}\n`
})
writeFileSync(join(DIST, 'licenses.txt'), `${sections.join('\n')}`)
console.log(`dist/licenses.txt: ${shipped.map((p) => p.name).join(', ')}`)
