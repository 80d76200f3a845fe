/** Where inputs come from: the runner's INPUT_ variables, or a test's record. */
export interface InputSource {
  /** The input's value, trimmed; '' when not set. */
  getInput(name: string): string
  /** Registers a value to be masked in every later log line. */
  setSecret(value: string): void
  readonly env: Readonly<Record<string, string | undefined>>
}

/**
 * Everything the action does to the runner, as an interface: src/index.ts backs it with
 * @actions/core; tests back it with a recorder.
 */
export interface Runner extends InputSource {
  info(message: string): void
  debug(message: string): void
  /** An annotation on the run page, pushed while the step runs. */
  notice(message: string, title: string): void
  warning(message: string): void
  setOutput(name: string, value: string): void
  setFailed(message: string): void
  saveState(name: string, value: string): void
  /** Appends to the job summary file; the runner shows it when the step ends. */
  appendSummary(markdown: string): Promise<void>
}
