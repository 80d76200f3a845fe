/**
 * A model of how the GitHub runner finds workflow commands in a step's stdout (actions/runner,
 * src/Runner.Worker/ActionCommandManager.cs and src/Runner.Common/ActionCommand.cs), made a
 * little stricter than the runner so that a test passing here passes there:
 * - TryParseV2: the line, trimmed of .NET White_Space, starts with `::`;
 * - TryParse (legacy): `##[` found anywhere in the line (the runner then also wants a `]` and a
 *   registered command name; the model does not, so any `##[` counts).
 * The runner reads lines at LF, CR and CRLF; the model also splits at VT, FF, U+0085, U+2028 and
 * U+2029, which browsers and the summary treat as line breaks.
 */

/** Characters .NET's String.Trim removes (Char.IsWhiteSpace), plus U+FEFF and U+180E for older runtimes. */
const DOTNET_WHITE_SPACE =
  /^[\t\n\u000b\u000c\r \u0085\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+|[\t\n\u000b\u000c\r \u0085\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+$/g

export const MODEL_LINE_BREAK = /\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/

export interface SeenCommand {
  readonly syntax: '::' | '##['
  /** The command's name as the runner would read it. */
  readonly name: string
  readonly line: string
}

/** The workflow commands the runner would see in one line. */
export function commandsInLine(line: string): SeenCommand[] {
  const seen: SeenCommand[] = []
  const trimmed = line.replace(DOTNET_WHITE_SPACE, '')
  if (trimmed.startsWith('::')) {
    seen.push({ syntax: '::', name: /^::([^\s:]*)/.exec(trimmed)?.[1] ?? '', line })
  }
  let from = 0
  for (let at = line.indexOf('##[', from); at >= 0; at = line.indexOf('##[', from)) {
    seen.push({ syntax: '##[', name: /^##\[([^\s\]]*)/.exec(line.slice(at))?.[1] ?? '', line })
    from = at + 3
  }
  return seen
}

/** The workflow commands the runner would see in text printed to stdout (any number of lines). */
export function commandsIn(text: string): SeenCommand[] {
  return text.split(MODEL_LINE_BREAK).flatMap(commandsInLine)
}

/**
 * The commands @actions/core writes itself for this action. In stdout a line holding one of
 * these is the action's own (its data and properties escaped by core); anything else is foreign.
 */
export const OWN_COMMANDS = new Set(['add-mask', 'debug', 'notice', 'warning', 'error'])

/**
 * Commands in the action's stdout that the action did not mean to write. One exception to the
 * strict model: an `::add-mask::` line carries a secret as it is, which may hold `##[` (tokens are
 * any visible ASCII, RFC 6749 Appendix A); the runner reads such a line as add-mask (TryParseV2
 * comes first) and never looks for the legacy syntax in it.
 */
export function foreignCommandsIn(stdout: string): SeenCommand[] {
  return commandsIn(stdout).filter(
    (command) =>
      !(command.syntax === '##[' && command.line.startsWith('::add-mask::')) &&
      (command.syntax === '##[' || !OWN_COMMANDS.has(command.name))
  )
}
