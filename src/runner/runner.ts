import type { SafeText } from '../safe-text.js'

/** Where inputs come from: the runner's INPUT_ variables, or a test's record. */
export interface InputSource {
  /** The input's value, trimmed; '' when not set. */
  getInput(name: string): string
  /** Registers a value to be masked in every later log line. */
  setSecret(value: string): void
  readonly env: Readonly<Record<string, string | undefined>>
}

/**
 * Everything the action does to the runner, as an interface: src/index.ts backs it with the
 * runner's protocol (actions-runner.ts); tests back it with a recorder.
 *
 * Whatever reaches the log takes SafeText (src/text/safe-text.ts), so that no line can carry a
 * workflow command, a hidden line break or a bidi trick from foreign text: own literals are
 * written safe`…`, messages that quote the provider pass through safeText. A raw string here
 * does not compile. Outputs and state are data in files, not log lines: plain strings.
 */
export interface Runner extends InputSource {
  info(message: SafeText): void
  debug(message: SafeText): void
  /** An annotation on the run page, pushed while the step runs. */
  notice(message: SafeText, title: SafeText): void
  warning(message: SafeText): void
  setOutput(name: string, value: string): void
  setFailed(message: SafeText): void
  saveState(name: string, value: string): void
  /** Appends to the job summary file; the runner shows it when the step ends. */
  appendSummary(markdown: string): Promise<void>
}
