import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import YAML from 'yaml'
import {
  actionProblems,
  checkRepository,
  dependabotProblems,
  firstSentence,
  readmeProblems,
  renderTables,
  ROOT,
  workflowProblems
} from '../scripts/check-metadata.js'

const ACTION = readFileSync(join(ROOT, 'action.yml'), 'utf8')
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')
const INPUTS_PAGE = readFileSync(join(ROOT, 'docs', 'inputs.md'), 'utf8')

describe('the repository metadata (npm run lint runs the same check)', () => {
  it('has no problem: action.yml, the workflows, dependabot.yml and the README tables', async () => {
    await expect(checkRepository()).resolves.toEqual([])
  })
})

describe('action.yml against the Marketplace schema', () => {
  it('flags a branding icon the Marketplace does not offer (key)', () => {
    const problems = actionProblems(ACTION.replace("icon: 'lock'", "icon: 'key'"))
    expect(problems).toEqual([
      expect.stringContaining('/branding/icon: branding.icon must be a Feather icon')
    ])
  })

  it('accepts runs.using: node24, which the schema of @action-validator/core 0.6.0 predates', () => {
    expect(YAML.parse(ACTION).runs.using).toBe('node24')
    expect(actionProblems(ACTION)).toEqual([])
  })

  it('refuses another runtime', () => {
    expect(actionProblems(ACTION.replace("using: 'node24'", "using: 'node20'"))).toEqual([
      'action.yml: runs.using must be node24, not node20'
    ])
  })

  it('flags an input with a misspelt key', () => {
    const problems = actionProblems(ACTION.replace('    required: true', '    requierd: true'))
    expect(problems.join('\n')).toMatch(/inputs\/client-id/)
  })
})

describe('workflows and Dependabot', () => {
  it('flags a workflow step with neither uses nor run', () => {
    const workflow =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - name: nothing\n'
    expect(workflowProblems('bad.yml', workflow)).not.toEqual([])
  })

  it('asks for updates of both the npm packages and the actions', () => {
    expect(
      dependabotProblems('version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n')
    ).toEqual(['.github/dependabot.yml: no updates for package-ecosystem github-actions'])
  })
})

describe('README tables from action.yml', () => {
  it('makes a row per input and output, with defaults, required, documented defaults and masking', async () => {
    const { inputs, outputs } = await renderTables(ACTION)
    expect(inputs).toMatch(/^\| `client-id` +\| \*\*required\*\* +\| The OAuth client ID/m)
    expect(inputs).toMatch(/^\| `mode` +\| `auto` +\|/m)
    expect(inputs).toMatch(/^\| `on-refresh-failure` +\| `fail` +\|/m)
    expect(inputs).not.toContain('Default:')
    expect(outputs).toMatch(/^\| `access-token` +\| masked +\| The access token\. +\|/m)
    expect(outputs).toMatch(/^\| `scope` +\| +\|/m)
  })

  it('flags a README whose table says something action.yml does not', async () => {
    const edited = README.replace(
      'only after its signature and claims were verified',
      'when the provider returned one'
    )
    expect(edited).not.toBe(README)
    await expect(readmeProblems(edited, ACTION)).resolves.toEqual([
      expect.stringContaining('run npm run docs')
    ])
  })

  it('flags an input added to action.yml but not to the README', async () => {
    const added = ACTION.replace(
      'inputs:\n',
      "inputs:\n  new-input:\n    description: 'Something new.'\n    required: false\n"
    )
    await expect(readmeProblems(README, added)).resolves.not.toEqual([])
  })

  it('shows each description whole in docs/inputs.md, and its first sentence in the README', async () => {
    const whole = await renderTables(ACTION)
    const brief = await renderTables(ACTION, { brief: true })
    expect(whole.inputs).toContain('In a handoff')
    expect(brief.inputs).not.toContain('In a handoff')
    expect(brief.inputs).toMatch(
      /^\| `revoke` +\| `access-token` +\| What the post step revokes when the job ends: access-token, all or none\. +\|$/m
    )
    await expect(
      readmeProblems(INPUTS_PAGE, ACTION, { path: 'docs/inputs.md', brief: false })
    ).resolves.toEqual([])
    await expect(
      readmeProblems(README, ACTION, { path: 'docs/inputs.md', brief: false })
    ).resolves.toEqual([
      expect.stringContaining('docs/inputs.md: the inputs or outputs table differs')
    ])
  })
})

describe('firstSentence', () => {
  it.each([
    ['One. Two.', 'One.'],
    [
      'Uses `a` (RFC 7009 §2.1. Not a break) here. Then more.',
      'Uses `a` (RFC 7009 §2.1. Not a break) here.'
    ],
    ['A. `b` starts the next.', 'A.'],
    ['Version 1.2.3 stays whole. Next.', 'Version 1.2.3 stays whole.'],
    ['No full stop at all', 'No full stop at all']
  ])('cuts %j to %j', (text, sentence) => {
    expect(firstSentence(text)).toBe(sentence)
  })
})
