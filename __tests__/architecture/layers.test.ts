import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The layers of src/, from the bottom: errors and clock; text; oauth (the protocol); runner
 * (formatting what a person sees, and the runner interface); providers; inputs; flow (the stages
 * and the event stream); listeners; main, post and the entries. An import may only go down or
 * sideways: the protocol never learns about the runner, a formatter never about the flow.
 */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src')

/** For each layer, the layers its files may import from (besides their own). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  base: [],
  text: ['base'],
  oauth: ['base', 'text'],
  runner: ['base', 'text', 'oauth'],
  providers: ['base', 'text', 'oauth'],
  secrets: ['base', 'text', 'oauth'],
  // The QR drawing and the webhook messages and sender: pure, below the inputs that name them.
  qr: ['base'],
  notify: ['base', 'text', 'oauth', 'runner'],
  // secrets: store-refresh-token is parsed (secrets/target.ts) where the inputs are read.
  inputs: ['base', 'text', 'oauth', 'runner', 'providers', 'secrets', 'notify'],
  flow: ['base', 'text', 'oauth', 'runner', 'providers', 'inputs', 'secrets', 'policy'],
  listeners: ['base', 'text', 'oauth', 'runner', 'providers', 'inputs', 'flow', 'notify', 'qr'],
  policy: ['base', 'text', 'oauth', 'runner', 'providers', 'inputs'],
  post: [
    'base',
    'text',
    'oauth',
    'runner',
    'providers',
    'inputs',
    'secrets',
    'policy',
    'flow',
    'listeners'
  ],
  top: [
    'base',
    'text',
    'oauth',
    'runner',
    'providers',
    'inputs',
    'flow',
    'listeners',
    'policy',
    'notify',
    'qr',
    // post.ts, the post step's entry, runs src/post.
    'post'
  ]
}

function layerOf(file: string): string {
  const path = relative(SRC, file).replace(/\\/g, '/')
  const [first] = path.split('/')
  if (path === 'errors.ts' || path === 'clock.ts') return 'base'
  if (path === 'inputs.ts') return 'inputs'
  if (!path.includes('/')) return 'top'
  return first as string
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : []
  )
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^']+)'/g)]
    .concat([...text.matchAll(/import\(\s*'([^']+)'\s*\)/g)])
    .map((match) => match[1] as string)
}

describe('the layers of src/', () => {
  const files = sourceFiles(SRC)

  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(20)
  })

  it('imports only downwards or sideways', () => {
    const violations: string[] = []
    for (const file of files) {
      const layer = layerOf(file)
      const allowed = ALLOWED[layer]
      if (!allowed) {
        violations.push(`${relative(SRC, file)}: unknown layer "${layer}" (add it to ALLOWED)`)
        continue
      }
      for (const specifier of importsOf(file)) {
        if (!specifier.startsWith('.')) continue
        const target = layerOf(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')))
        if (target !== layer && !allowed.includes(target))
          violations.push(`${relative(SRC, file)} (${layer}) imports ${specifier} (${target})`)
      }
    }
    expect(violations).toEqual([])
  })

  it('keeps @actions/* out of everything but the entries', () => {
    const users = files
      .filter((file) => importsOf(file).some((specifier) => specifier.startsWith('@actions/')))
      .map((file) => relative(SRC, file))
    // http.ts takes only the proxy rules and, when a proxy applies, the proxy-aware agent from
    // @actions/http-client. Both entries speak the runner's protocol themselves
    // (runner/actions-runner.ts): @actions/core would load undici before the first request.
    expect(users.sort()).toEqual(['oauth/http.ts'])
  })
})
