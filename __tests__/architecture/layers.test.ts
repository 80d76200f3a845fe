import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The layers of src/, from the bottom: errors, clock and safe-text (base); oauth (the protocol);
 * runner (the Runner interface on @actions/core); policy, providers, secrets and handoff; the
 * flow's event contract (flow/events.ts); present (what a person sees) and notify (webhooks),
 * which listen to it; inputs; revocation; flow (the stages); main, post and the entries. An
 * import may only go down or sideways: the protocol never learns about the runner, a listener
 * never about the stages that emit what it hears.
 */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src')

const BELOW_EVENTS = ['base', 'oauth', 'runner', 'policy', 'providers', 'secrets', 'handoff']

/** For each layer, the layers its files may import from (besides their own). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  base: [],
  oauth: ['base'],
  runner: ['base', 'oauth'],
  policy: ['base', 'oauth', 'runner'],
  providers: ['base', 'oauth'],
  secrets: ['base', 'oauth'],
  // Sealing and opening the value later jobs get: the crypto and the content, never the flow.
  handoff: ['base', 'oauth'],
  events: BELOW_EVENTS,
  present: [...BELOW_EVENTS, 'events'],
  notify: [...BELOW_EVENTS, 'events', 'present'],
  inputs: [...BELOW_EVENTS, 'notify'],
  revocation: [...BELOW_EVENTS, 'events', 'present', 'inputs'],
  flow: [...BELOW_EVENTS, 'events', 'present', 'inputs', 'revocation'],
  top: [...BELOW_EVENTS, 'events', 'present', 'notify', 'inputs', 'revocation', 'flow']
}

function layerOf(file: string): string {
  const path = relative(SRC, file).replace(/\\/g, '/')
  const [first] = path.split('/')
  if (['errors.ts', 'clock.ts', 'safe-text.ts'].includes(path)) return 'base'
  if (path === 'inputs.ts') return 'inputs'
  if (path === 'flow/events.ts') return 'events'
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

  it('keeps @actions/* to the entries, the runner adapter and the transport', () => {
    const users = files
      .filter((file) => importsOf(file).some((specifier) => specifier.startsWith('@actions/')))
      .map((file) => relative(SRC, file))
    // index.ts and post.ts hand @actions/core to the adapter (runner/runner.ts takes it as a
    // parameter); oauth/http.ts sends through @actions/http-client.
    expect(users.sort()).toEqual(['index.ts', 'oauth/http.ts', 'post.ts'])
  })

  it('has no two files with the same name, so that a name finds one file', () => {
    const names = files.map((file) => file.split('/').at(-1) as string)
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([])
  })
})
