import type { Runner } from './runner.js'

/**
 * Remembers every value the action masks, so that provider text quoted in a message can have
 * them cut out before it is escaped (src/oauth/exchange.ts): escaping can change a secret so that
 * the runner's mask no longer matches it.
 */
export class KnownSecrets {
  private readonly values = new Set<string>()
  /** The runner, with setSecret also remembering the value. */
  readonly runner: Runner
  constructor(inner: Runner) {
    const remember = (value: string): void => {
      this.values.add(value)
      inner.setSecret(value)
    }
    this.runner = {
      get env() {
        return inner.env
      },
      getInput: (name) => inner.getInput(name),
      setSecret: remember,
      info: (message) => inner.info(message),
      debug: (message) => inner.debug(message),
      notice: (message, title) => inner.notice(message, title),
      warning: (message) => inner.warning(message),
      setOutput: (name, value) => inner.setOutput(name, value),
      setFailed: (message) => inner.setFailed(message),
      saveState: (name, value) => inner.saveState(name, value),
      appendSummary: (markdown) => inner.appendSummary(markdown)
    }
  }
  /** Every value masked so far; private-key lines included. */
  all(): string[] {
    return [...this.values]
  }
}
