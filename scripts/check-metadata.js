#!/usr/bin/env node
// @ts-check
/**
 * The action's metadata, checked the way the Marketplace and the runner will read it:
 * - action.yml and every workflow against the schemas of @action-validator/core (a branding icon
 *   the Marketplace does not offer, a misspelt key, a step without `uses` or `run`);
 * - .github/dependabot.yml keeps both the npm packages and the workflows' actions up to date;
 * - the tables of inputs and outputs are exactly what action.yml's descriptions make: whole in
 *   docs/inputs.md, each description's first sentence in the README.
 *
 *   node scripts/check-metadata.js           check (part of npm run lint)
 *   node scripts/check-metadata.js --write   regenerate the tables first (npm run docs)
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import * as prettier from 'prettier'
import YAML from 'yaml'

const require = createRequire(import.meta.url)
/** @type {{ validateAction(text: string): ValidationResult, validateWorkflow(text: string): ValidationResult }} */
const validator = require('@action-validator/core')

/**
 * @typedef {{ code: string, path: string, title: string, detail?: string, states?: Array<{ errors: ValidationError[] }> }} ValidationError
 * @typedef {{ errors: ValidationError[] }} ValidationResult
 */

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The runtime this action declares (see DESIGN.md: node20 was removed from runners). */
export const RUNTIME = 'node24'

/** What each schema error means for the person fixing it, where the schema's title is vague. */
const HINTS = /** @type {Record<string, string>} */ ({
  '/branding/icon':
    'branding.icon must be a Feather icon the Marketplace offers (for example lock or shield; key is not one)',
  '/branding/color': 'branding.color must be one of the Marketplace colours (for example blue)'
})

/** @param {ValidationError} error */
function describeError(error) {
  const hint = HINTS[error.path]
  if (hint) return `${error.path}: ${hint}`
  const nested = (error.states ?? []).flatMap((state) => state.errors.map(describeError))
  const own = `${error.path || '/'}: ${error.title}${error.detail ? ` (${error.detail})` : ''}`
  return nested.length > 0 ? `${own}: ${[...new Set(nested)].join('; ')}` : own
}

/**
 * Problems in action.yml. @action-validator/core 0.6.0's schema predates node24 and lists only
 * node12/16/20 for runs.using; so the runtime is checked here, and the rest of the file against
 * the schema with runs.using read as node20.
 * @param {string} text
 * @returns {string[]}
 */
export function actionProblems(text) {
  const doc = YAML.parseDocument(text)
  if (doc.errors.length > 0) return doc.errors.map((error) => `action.yml: ${error.message}`)
  const problems = []
  const using = doc.getIn(['runs', 'using'])
  if (using !== RUNTIME) problems.push(`action.yml: runs.using must be ${RUNTIME}, not ${using}`)
  else doc.setIn(['runs', 'using'], 'node20')
  for (const error of validator.validateAction(doc.toString()).errors)
    problems.push(`action.yml: ${describeError(error)}`)
  return problems
}

/**
 * @param {string} name
 * @param {string} text
 * @returns {string[]}
 */
export function workflowProblems(name, text) {
  return validator.validateWorkflow(text).errors.map((error) => `${name}: ${describeError(error)}`)
}

/**
 * @param {string} text
 * @returns {string[]}
 */
export function dependabotProblems(text) {
  const config = YAML.parse(text) ?? {}
  const problems = []
  if (config.version !== 2) problems.push('.github/dependabot.yml: version must be 2')
  const ecosystems = new Set(
    (config.updates ?? []).map((/** @type {any} */ u) => u['package-ecosystem'])
  )
  for (const ecosystem of ['npm', 'github-actions']) {
    if (!ecosystems.has(ecosystem))
      problems.push(`.github/dependabot.yml: no updates for package-ecosystem ${ecosystem}`)
  }
  return problems
}

/** @param {string} text */
function cell(text) {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim()
}

/**
 * A description's first sentence: up to the first full stop that a space and a capital, a
 * backtick or the end follow, outside parentheses. The README shows that much.
 * @param {string} text
 */
export function firstSentence(text) {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (char === '(') depth++
    else if (char === ')') depth = Math.max(0, depth - 1)
    else if (char === '.' && depth === 0 && /^(\s+[A-Z`]|\s*$)/.test(text.slice(i + 1)))
      return text.slice(0, i + 1)
  }
  return text
}

/**
 * The two tables, made from action.yml. An input's Default column is its `default`,
 * **required**, or the "Default: …" that ends its description; an output whose description
 * says "(masked)" is marked masked. `brief`: each description's first sentence only (the
 * README's; docs/inputs.md has them whole).
 * @param {string} actionText
 * @param {{ brief?: boolean }} [options]
 * @returns {Promise<{ inputs: string, outputs: string }>}
 */
export async function renderTables(actionText, { brief = false } = {}) {
  const shorten = (/** @type {string} */ text) => (brief ? firstSentence(text.trim()) : text)
  const action = YAML.parse(actionText)
  const inputRows = Object.entries(action.inputs ?? {}).map(([name, input]) => {
    let meaning = String(input.description ?? '')
    let fallback = ''
    const documented = /\s*Default: (.+?)\.?\s*$/.exec(meaning)
    if (documented) {
      fallback = documented[1] ?? ''
      meaning = meaning.slice(0, documented.index)
    }
    const shown =
      input.default !== undefined
        ? `\`${input.default}\``
        : input.required === true
          ? '**required**'
          : fallback
    return `| \`${name}\` | ${cell(shown)} | ${cell(shorten(meaning))} |`
  })
  const outputRows = Object.entries(action.outputs ?? {}).map(([name, output]) => {
    const description = String(output.description ?? '')
    const masked = /\s*\(masked\)/.test(description)
    return `| \`${name}\` | ${masked ? 'masked' : ''} | ${cell(shorten(description.replace(/\s*\(masked\)/, '')))} |`
  })
  const format = async (/** @type {string} */ markdown) =>
    (
      await prettier.format(markdown, {
        ...(await prettier.resolveConfig(join(ROOT, 'README.md'))),
        parser: 'markdown'
      })
    ).trimEnd()
  return {
    inputs: await format(
      ['| Input | Default | Meaning |', '| --- | --- | --- |', ...inputRows].join('\n')
    ),
    outputs: await format(
      ['| Output | Secret | Meaning |', '| --- | --- | --- |', ...outputRows].join('\n')
    )
  }
}

/** @param {'inputs' | 'outputs'} name */
function markers(name) {
  return {
    begin: `<!-- BEGIN ${name}: generated from action.yml by npm run docs -->`,
    end: `<!-- END ${name} -->`
  }
}

/**
 * The README with its tables replaced by `tables`, and the tables whose markers are missing.
 * @param {string} readme
 * @param {{ inputs: string, outputs: string }} tables
 * @returns {{ readme: string, missing: string[] }}
 */
export function withTables(readme, tables) {
  const missing = []
  let result = readme
  for (const name of /** @type {const} */ (['inputs', 'outputs'])) {
    const { begin, end } = markers(name)
    const start = result.indexOf(begin)
    const stop = result.indexOf(end, start)
    if (start < 0 || stop < 0) {
      missing.push(`README.md: the ${name} table's markers are missing (${begin} … ${end})`)
      continue
    }
    result = `${result.slice(0, start + begin.length)}\n\n${tables[name]}\n\n${result.slice(stop)}`
  }
  return { readme: result, missing }
}

/** Where the tables are: the README with first sentences, docs/inputs.md whole. */
export const TABLE_FILES = /** @type {const} */ ([
  { path: 'README.md', brief: true },
  { path: 'docs/inputs.md', brief: false }
])

/**
 * @param {string} readme the file's text
 * @param {string} actionText
 * @param {{ path?: string, brief?: boolean }} [file] README.md (brief) by default
 * @returns {Promise<string[]>}
 */
export async function readmeProblems(readme, actionText, file = TABLE_FILES[0]) {
  const path = file.path ?? 'README.md'
  const { readme: expected, missing } = withTables(
    readme,
    await renderTables(actionText, { brief: file.brief ?? true })
  )
  if (missing.length > 0) return missing.map((problem) => problem.replace('README.md', path))
  return expected === readme
    ? []
    : [
        `${path}: the inputs or outputs table differs from action.yml's descriptions. Edit action.yml, then run npm run docs.`
      ]
}

/**
 * Every problem in the repository's metadata.
 * @param {string} root
 * @returns {Promise<string[]>}
 */
export async function checkRepository(root = ROOT) {
  const read = (/** @type {string} */ path) => readFileSync(join(root, path), 'utf8')
  const actionText = read('action.yml')
  const workflows = readdirSync(join(root, '.github', 'workflows')).filter((f) =>
    /\.ya?ml$/.test(f)
  )
  return [
    ...actionProblems(actionText),
    ...workflows.flatMap((file) =>
      workflowProblems(`.github/workflows/${file}`, read(`.github/workflows/${file}`))
    ),
    ...dependabotProblems(read('.github/dependabot.yml')),
    ...(
      await Promise.all(
        TABLE_FILES.map((file) => readmeProblems(read(file.path), actionText, file))
      )
    ).flat()
  ]
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--write')) {
    for (const file of TABLE_FILES) {
      const path = join(ROOT, file.path)
      const tables = await renderTables(readFileSync(join(ROOT, 'action.yml'), 'utf8'), file)
      const { readme, missing } = withTables(readFileSync(path, 'utf8'), tables)
      if (missing.length === 0) writeFileSync(path, readme)
    }
  }
  const problems = await checkRepository()
  for (const problem of problems) console.error(problem)
  if (problems.length > 0) process.exit(1)
  console.log(
    'action.yml, workflows, dependabot.yml and the tables in README.md and docs/inputs.md: all good.'
  )
}
