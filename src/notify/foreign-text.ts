import { safeText } from '../safe-text.js'

/**
 * Text from outside the action (provider fields, claims, names from the environment) as a
 * message may carry it: the one safe-text rule of the log (one line, breaks and invisible
 * characters shown, no command syntax, bounded). Each format then escapes its own markup on top
 * (see slack.ts, teams.ts, discord.ts).
 */
export function plainText(text: string, maxLength = 200): string {
  return safeText(text, { maxLength })
}
