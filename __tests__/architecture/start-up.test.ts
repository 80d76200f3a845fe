import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * What node must parse before the person sees the code: every module src/index.ts reaches through
 * value imports. The stages after the code (src/flow/later-stages.ts) and the webhook sender
 * (src/notify/delivery.ts) are reached only through import(), so the bundler gives them chunks of
 * their own; one static import of them from the eager side puts them back in dist/index.js.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

interface Imports {
  /** Imports that load the module with this one: neither `import type` nor all `type` names. */
  readonly values: string[]
  /** import('…'): a chunk of its own. */
  readonly dynamic: string[]
}

function importsOf(file: string): Imports {
  const text = readFileSync(join(ROOT, file), 'utf8')
  const values: string[] = []
  for (const match of text.matchAll(
    /^[ \t]*(import|export)\s+(type\s+)?([^'"]*?)\s*from\s+'([^']+)'/gm
  )) {
    const [, , typeOnly, names = '', specifier = ''] = match
    if (typeOnly) continue
    const list = /^\{([^}]*)\}$/.exec(names.trim())?.[1]
    const entries = list
      ?.split(',')
      .map((name) => name.trim())
      .filter(Boolean)
    if (entries && entries.length > 0 && entries.every((name) => name.startsWith('type '))) continue
    values.push(specifier)
  }
  for (const match of text.matchAll(/^[ \t]*import\s+'([^']+)'/gm)) values.push(match[1] ?? '')
  const dynamic = [...text.matchAll(/import\(\s*'([^']+)'\s*\)/g)].map((match) => match[1] ?? '')
  return { values, dynamic }
}

/** A relative specifier as a path from the root: './x.js' in src/a/b.ts → src/a/x.ts. */
function resolved(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined
  const path = relative(ROOT, resolve(ROOT, dirname(from), specifier.replace(/\.js$/, '.ts')))
  return path.replace(/\\/g, '/')
}

/** Every source module reached from `entry`; through import() too when `dynamic` is set. */
function reached(entry: string, dynamic: boolean): Set<string> {
  const seen = new Set<string>()
  const walk = (file: string): void => {
    if (seen.has(file) || !existsSync(join(ROOT, file))) return
    seen.add(file)
    const imports = importsOf(file)
    for (const specifier of [...imports.values, ...(dynamic ? imports.dynamic : [])]) {
      const next = resolved(file, specifier)
      if (next) walk(next)
    }
  }
  walk(entry)
  return seen
}

/** Needed only once the code is on screen (or for a refresh), and large or pulling in much. */
const LATER = [
  'src/flow/later-stages.ts',
  'src/oauth/poll.ts',
  'src/oauth/token.ts',
  'src/flow/identify.ts',
  'src/oauth/identity.ts',
  'src/oauth/id-token.ts',
  'src/flow/policy.ts',
  'src/policy/judge.ts',
  'src/policy/github-membership.ts',
  'src/flow/discard.ts',
  'src/oauth/revoke.ts',
  'src/flow/revocation-plan.ts',
  'src/flow/post-state.ts',
  'src/flow/store-refresh-token.ts',
  'src/secrets/github-secrets.ts',
  'src/secrets/seal.ts',
  'src/flow/refresh-token-expiry.ts',
  'src/runner/outputs.ts',
  'src/notify/delivery.ts',
  'src/notify/sender.ts',
  'src/notify/webhook-body.ts',
  'src/notify/slack.ts',
  'src/notify/teams.ts',
  'src/notify/discord.ts',
  'src/notify/generic-json.ts'
]

describe('what src/index.ts loads before the code', () => {
  const eager = reached('src/index.ts', false)

  it('reads the module graph (the walk is not empty)', () => {
    expect(eager.size).toBeGreaterThan(40)
  })

  it('holds none of the stages after the code', () => {
    expect(LATER.filter((file) => eager.has(file))).toEqual([])
  })

  it('holds the checks that must fail before any request, and the way to the code', () => {
    for (const file of [
      'src/inputs.ts',
      'src/policy/read-policy.ts',
      'src/secrets/target.ts',
      'src/notify/inputs.ts',
      'src/flow/device-code.ts',
      // failure.ts tells these apart with instanceof, whatever stage threw them.
      'src/flow/failure.ts',
      'src/flow/approval-refused.ts',
      'src/oauth/refresh-refused.ts',
      'src/oauth/client-auth.ts',
      'src/flow/load-later-stages.ts'
    ])
      expect([file, eager.has(file)]).toEqual([file, true])
  })

  it('still reaches every later stage, through import()', () => {
    const all = reached('src/index.ts', true)
    expect(LATER.filter((file) => !all.has(file))).toEqual([])
  })

  it('ignores type-only imports, which cost nothing at run time', () => {
    // src/flow/events.ts names the poll's and the policy's types only.
    expect(reached('src/flow/events.ts', false)).toEqual(new Set(['src/flow/events.ts']))
  })
})
