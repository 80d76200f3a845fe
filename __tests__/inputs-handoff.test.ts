import { describe, expect, it } from '@jest/globals'
import { InputError } from '../src/errors.js'
import { readConfig, type Config } from '../src/inputs.js'
import { POLICY_INPUTS } from '../src/policy/read-policy.js'
import { RecordingRunner } from '../test-support/fakes.js'

/**
 * handoff-key and handoff, read before any request: which job seals and which opens, and every
 * combination that could make a job meant to open a handoff ask a person instead, refused.
 */
const KEY = Buffer.from(new Uint8Array(32).map((_, i) => 255 - i * 3)).toString('base64')
const BASE = { 'client-id': 'release-bot', issuer: 'https://id.example.com', 'handoff-key': KEY }
const RUN_ENV = { GITHUB_REPOSITORY_ID: '123456789', GITHUB_RUN_ID: '4242' }
const SEALED = 'dfa-handoff-v1.123456789.4242.AAAA'

function configOf(inputs: Record<string, string>, env: Record<string, string> = RUN_ENV): Config {
  return readConfig(new RecordingRunner({ ...BASE, ...inputs }, env))
}

function errorOf(inputs: Record<string, string>, env: Record<string, string> = RUN_ENV) {
  try {
    configOf(inputs, env)
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error(`expected an InputError for ${JSON.stringify(inputs)}`)
}

describe('readConfig: handoff-key in the job that asks (it seals the handoff)', () => {
  it('masks the key before anything else, and keeps it as 32 bytes bound to this run', () => {
    const runner = new RecordingRunner({ ...BASE, mode: 'device' }, RUN_ENV)
    const config = readConfig(runner)
    expect(runner.events[0]).toBe(`mask:${KEY}`)
    expect(config.handoff?.key).toEqual(new Uint8Array(Buffer.from(KEY, 'base64')))
    expect(config.handoff?.binding).toEqual({ repositoryId: '123456789', runId: '4242' })
    expect(config.handoff?.sealed).toBeUndefined()
    expect(config.revoke).toBe('access-token')
  })

  it('masks the key even when it is refused', () => {
    const runner = new RecordingRunner({ ...BASE, 'handoff-key': 'too-short-a-key' }, RUN_ENV)
    expect(() => readConfig(runner)).toThrow(/Input 'handoff-key': must be 32 random bytes/)
    expect(runner.secrets).toContain('too-short-a-key')
  })

  it('refuses an empty handoff when nothing says the job asks a person: it may be a later job whose handoff did not arrive', () => {
    const error = errorOf({})
    expect(error.input).toBe('handoff')
    expect(error.message).toContain('In the job that asks, set mode: device')
    expect(error.message).toContain('needs.<job id>.outputs.handoff')
    expect(errorOf({ mode: 'auto' }).input).toBe('handoff')
  })

  it.each([
    ['mode: device', { mode: 'device' }],
    ['a stored refresh token', { 'refresh-token': 'stored-refresh-token-0123456789' }],
    ['mode: refresh', { mode: 'refresh', 'refresh-token': 'stored-refresh-token-0123456789' }],
    ['on-refresh-failure: device (a first run)', { 'on-refresh-failure': 'device' }]
  ])('seals after %s', (_, inputs) => {
    expect(configOf(inputs).handoff?.sealed).toBeUndefined()
  })

  it.each(['access-token', 'all'])(
    'refuses revoke: %s: its post step leaves the tokens to later jobs',
    (revoke) => {
      const error = errorOf({ mode: 'device', revoke })
      expect(error.input).toBe('revoke')
      expect(error.message).toContain('Set revoke in the last job that opens the handoff')
    }
  )

  it('takes revoke: none (nothing revoked even if the job fails before handing off)', () => {
    expect(configOf({ mode: 'device', revoke: 'none' }).revoke).toBe('none')
  })
})

describe('readConfig: handoff in a later job (it opens the handoff)', () => {
  it('keeps the value, and revokes nothing by default: other jobs may still use the tokens', () => {
    const config = configOf({ handoff: SEALED })
    expect(config.handoff?.sealed).toBe(SEALED)
    expect(config.revoke).toBe('none')
    expect(configOf({ handoff: SEALED, revoke: 'all' }).revoke).toBe('all')
  })

  it('does not mask the handoff: it is ciphertext, and a masked value could not be a job output', () => {
    const runner = new RecordingRunner({ ...BASE, handoff: SEALED }, RUN_ENV)
    readConfig(runner)
    expect(runner.secrets).not.toContain(SEALED)
  })

  it('needs handoff-key, and says that an empty secret is the likely cause', () => {
    const error = errorOf({ handoff: SEALED, 'handoff-key': '' })
    expect(error.input).toBe('handoff-key')
    expect(error.message).toContain('is required to open the handoff')
    expect(error.message).toContain('environment secret')
  })

  it.each([
    ['refresh-token', { 'refresh-token': 'stored-refresh-token-0123456789' }],
    ['mode', { mode: 'device' }],
    ['mode', { mode: 'refresh' }],
    ['mode', { mode: 'auto' }],
    ['on-refresh-failure', { 'on-refresh-failure': 'device' }],
    ['on-refresh-failure', { 'on-refresh-failure': 'fail' }]
  ])('refuses %s: a job that opens a handoff never asks a person (%j)', (input, inputs) => {
    const error = errorOf({ handoff: SEALED, ...inputs })
    expect(error.input).toBe(input)
    expect(error.message).toContain('this job opens a handoff')
  })

  it.each(POLICY_INPUTS.map((name) => [name]))(
    'refuses the policy input %s: the policy was applied where the person approved',
    (name) => {
      const error = errorOf({ handoff: SEALED, [name]: name === 'approvals' ? '2' : 'x' })
      expect(error.input).toBe(name)
      expect(error.message).toContain('approval policy was applied in the approving job')
    }
  )

  it('refuses a value longer than any handoff', () => {
    const error = errorOf({ handoff: `${SEALED}${'A'.repeat(100_000)}` })
    expect(error.input).toBe('handoff')
    expect(error.message).toContain('longer than any handoff')
  })
})

describe('readConfig: the run a handoff is bound to', () => {
  it.each([
    ['GITHUB_RUN_ID', { GITHUB_REPOSITORY_ID: '123456789' }, 'not set'],
    ['GITHUB_REPOSITORY_ID', { GITHUB_RUN_ID: '4242' }, 'not set'],
    ['GITHUB_RUN_ID', { ...RUN_ENV, GITHUB_RUN_ID: '42; rm' }, 'not a number']
  ])('needs %s, in both jobs', (name, env, problem) => {
    for (const inputs of [{ mode: 'device' }, { handoff: SEALED }] as Record<string, string>[]) {
      const error = errorOf(inputs, env)
      expect(error.input).toBe('handoff-key')
      expect(error.message).toContain(`${name} is ${problem}`)
    }
  })
})

describe('readConfig: without handoff-key', () => {
  it('knows nothing of a handoff, and revokes the access token by default', () => {
    const config = configOf({ 'handoff-key': '' })
    expect(config.handoff).toBeUndefined()
    expect(config.revoke).toBe('access-token')
  })
})
