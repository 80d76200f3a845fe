import { MESSAGE_MAX_LENGTH, redact, safeText } from '../safe-text.js'

/**
 * Everything the action does to the runner, as an interface: the entries back it with
 * @actions/core (ActionsRunner below); tests back it with a recording fake of @actions/core, so
 * that they go through the same adapter.
 */
export interface Runner {
  readonly env: Readonly<Record<string, string | undefined>>
  /** The input's value, trimmed; '' when not set. */
  getInput(name: string): string
  /** Registers a value to be masked in every later log line, and to be cut out of messages. */
  setSecret(value: string): void
  /** Every value masked so far (private-key lines included), to cut out of quoted provider text. */
  knownSecrets(): readonly string[]
  info(message: string): void
  debug(message: string): void
  /** An annotation on the run page, pushed while the step runs. */
  notice(message: string, title: string): void
  warning(message: string): void
  /** An error annotation, and the step fails. */
  setFailed(message: string): void
  setOutput(name: string, value: string): void
  saveState(name: string, value: string): void
  /** What the main step saved under `name` (the post step reads it), '' when nothing. */
  getState(name: string): string
  /** Appends HTML to the job summary; the runner shows it when the step ends. */
  appendSummary(html: string): Promise<void>
}

/**
 * The part of @actions/core the action uses. The module itself fits this type; a test passes a
 * fake that records the calls.
 */
export interface Core {
  getInput(name: string): string
  setSecret(secret: string): void
  info(message: string): void
  debug(message: string): void
  notice(message: string, properties?: { title?: string }): void
  warning(message: string): void
  setFailed(message: string): void
  setOutput(name: string, value: string): void
  saveState(name: string, value: string): void
  getState(name: string): string
  readonly summary: { addRaw(text: string, addEOL?: boolean): { write(): Promise<unknown> } }
}

/**
 * The Runner on @actions/core, and the one place where log safety is enforced. Every message,
 * title and failure is made safe here before @actions/core writes it, whoever composed it:
 * every masked value is cut out first (escaping could change a secret so that the runner's mask
 * no longer matches it), then one safeText pass leaves one line with no workflow command of
 * either syntax and no invisible or bidi trick (see src/safe-text.ts). Leading spaces are kept:
 * they are the layout of the prompt's findings, and no command can start after them once the
 * first visible character is made safe. The summary gets the masked values cut out too; its
 * HTML was escaped where it was composed (src/present/html.ts). Outputs and state are data in
 * files, not log lines: they go through as they are.
 */
export class ActionsRunner implements Runner {
  private readonly masked = new Set<string>()
  /** @actions/core's summary buffers until write(): one write at a time keeps them apart. */
  private summaryWrites: Promise<void> = Promise.resolve()

  constructor(
    private readonly core: Core,
    readonly env: Readonly<Record<string, string | undefined>> = process.env
  ) {}

  getInput(name: string): string {
    return this.core.getInput(name).trim()
  }
  setSecret(value: string): void {
    this.masked.add(value)
    this.core.setSecret(value)
  }
  knownSecrets(): readonly string[] {
    return [...this.masked]
  }
  info(message: string): void {
    this.core.info(this.logSafe(message))
  }
  debug(message: string): void {
    this.core.debug(this.logSafe(message))
  }
  notice(message: string, title: string): void {
    this.core.notice(this.logSafe(message), { title: this.logSafe(title) })
  }
  warning(message: string): void {
    this.core.warning(this.logSafe(message))
  }
  setFailed(message: string): void {
    this.core.setFailed(this.logSafe(message))
  }
  setOutput(name: string, value: string): void {
    this.core.setOutput(name, value)
  }
  saveState(name: string, value: string): void {
    this.core.saveState(name, value)
  }
  getState(name: string): string {
    return this.core.getState(name)
  }
  appendSummary(html: string): Promise<void> {
    const write = this.summaryWrites.then(async () => {
      if (!this.hasSummaryFile()) return
      await this.core.summary.addRaw(redact(html, this.masked), true).write()
    })
    this.summaryWrites = write.catch(() => undefined)
    return write
  }

  /** Outside Actions (no GITHUB_STEP_SUMMARY), there is no summary to write: not an error. */
  protected hasSummaryFile(): boolean {
    return Boolean(this.env['GITHUB_STEP_SUMMARY'])
  }

  /** The message as it may reach the log. */
  private logSafe(message: string): string {
    const indent = /^ */.exec(message)?.[0] ?? ''
    return (
      indent +
      safeText(message.slice(indent.length), { maxLength: MESSAGE_MAX_LENGTH, redact: this.masked })
    )
  }
}
