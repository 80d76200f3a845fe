import { InputError } from '../errors.js'

/** Where store-refresh-token writes: a secret of this repository, of one of its environments, or of its organization. */
export type SecretTarget =
  | { readonly scope: 'repository'; readonly name: string }
  | { readonly scope: 'environment'; readonly environment: string; readonly name: string }
  | { readonly scope: 'organization'; readonly name: string }

const INPUT = 'store-refresh-token'
const FORMS =
  'Write NAME (a repository secret), environment/ENVIRONMENT/NAME or org/NAME (a secret of the organization that owns the repository).'

/**
 * Reads store-refresh-token: `NAME`, `environment/ENVIRONMENT/NAME` or `org/NAME`. The
 * environment is named, because a job's environment is not in any variable the runner sets; it
 * is what lies between the prefix and the last slash (a secret name has no slash).
 */
export function parseSecretTarget(value: string): SecretTarget {
  const text = value.trim()
  const environment = /^environment\/(.+)\/([^/]*)$/.exec(text)
  if (environment) {
    const env = (environment[1] as string).trim()
    if (env === '' || /[\u0000-\u001F\u007F]/.test(env) || env.length > 255) {
      throw new InputError(INPUT, `"${shown(text)}" names no usable environment. ${FORMS}`)
    }
    return { scope: 'environment', environment: env, name: secretName(environment[2] as string) }
  }
  if (/^environment\//.test(text)) {
    throw new InputError(
      INPUT,
      `"${shown(text)}" needs the environment and the secret name. ${FORMS}`
    )
  }
  const org = /^org\/([^/]*)$/.exec(text)
  if (org) return { scope: 'organization', name: secretName(org[1] as string) }
  const repository = /^(?:repo\/)?([^/]*)$/.exec(text)
  if (repository) return { scope: 'repository', name: secretName(repository[1] as string) }
  throw new InputError(INPUT, `"${shown(text)}" is not a secret name. ${FORMS}`)
}

/**
 * GitHub's rules for secret names: letters, digits and underscores, not starting with a digit or
 * with GITHUB_ (https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions#naming-your-secrets).
 */
function secretName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,199}$/.test(name)) {
    throw new InputError(
      INPUT,
      `"${shown(name)}" is not a secret name GitHub accepts: letters, digits and _ only, not starting with a digit. ${FORMS}`
    )
  }
  if (/^GITHUB_/i.test(name)) {
    throw new InputError(INPUT, `"${name}": secret names may not start with GITHUB_.`)
  }
  return name
}

function shown(text: string): string {
  return text.replace(/[\u0000-\u001F\u007F]/g, ' ').slice(0, 100)
}

/** For messages: "the repository secret NAME of owner/repo". */
export function describeTarget(target: SecretTarget, repository: string, owner: string): string {
  switch (target.scope) {
    case 'repository':
      return `the repository secret ${target.name} of ${repository}`
    case 'environment':
      return `the secret ${target.name} of the environment "${target.environment}" of ${repository}`
    case 'organization':
      return `the organization secret ${target.name} of ${owner}`
  }
}
