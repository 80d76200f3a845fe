import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { describeTarget, parseSecretTarget } from '../../src/secrets/target.js'

function problemOf(value: string): string {
  try {
    parseSecretTarget(value)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('store-refresh-token')
    return (error as Error).message
  }
  throw new Error(`accepted ${value}`)
}

describe('parseSecretTarget (store-refresh-token)', () => {
  it('reads a bare name as a repository secret, as does repo/NAME', () => {
    expect(parseSecretTarget('OAUTH_REFRESH_TOKEN')).toEqual({
      scope: 'repository',
      name: 'OAUTH_REFRESH_TOKEN'
    })
    expect(parseSecretTarget('repo/rt')).toEqual({ scope: 'repository', name: 'rt' })
  })

  it('reads environment/ENVIRONMENT/NAME, the environment being all before the last slash', () => {
    expect(parseSecretTarget('environment/production/RT')).toEqual({
      scope: 'environment',
      environment: 'production',
      name: 'RT'
    })
    expect(parseSecretTarget('environment/eu west/prod/RT')).toMatchObject({
      environment: 'eu west/prod'
    })
  })

  it('reads org/NAME as an organization secret', () => {
    expect(parseSecretTarget('org/SHARED_RT')).toEqual({ scope: 'organization', name: 'SHARED_RT' })
  })

  it('refuses names GitHub refuses, and says which forms exist', () => {
    expect(problemOf('9LIVES')).toContain('not starting with a digit')
    expect(problemOf('MY-TOKEN')).toContain('letters, digits and _ only')
    expect(problemOf('GITHUB_TOKEN')).toContain('GITHUB_')
    expect(problemOf('environment/RT')).toContain('environment/ENVIRONMENT/NAME')
    expect(problemOf('environment/ /RT')).toContain('no usable environment')
    expect(problemOf('a/b/c')).toContain('NAME (a repository secret)')
  })

  it('describes each target for the log', () => {
    expect(describeTarget(parseSecretTarget('RT'), 'octo/app', 'octo')).toBe(
      'the repository secret RT of octo/app'
    )
    expect(describeTarget(parseSecretTarget('environment/prod/RT'), 'octo/app', 'octo')).toBe(
      'the secret RT of the environment "prod" of octo/app'
    )
    expect(describeTarget(parseSecretTarget('org/RT'), 'octo/app', 'octo')).toBe(
      'the organization secret RT of octo'
    )
  })
})
