/**
 * Text from outside the action (provider fields, claims, names from the environment) as a
 * message may carry it: one line, no control or invisible characters, bounded. Each format then
 * escapes its own markup on top (see slack.ts, teams.ts, discord.ts).
 *
 * TODO(issue 12): this is the webhook side of what src/text/safe-text.ts (branch safe-text) does
 * for the log; once that lands, this becomes `safeText(text, { maxLength })` and this file goes.
 */
const NOT_PLAIN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}]+/gu

export function plainText(text: string, maxLength = 200): string {
  const plain = text.replace(NOT_PLAIN, ' ').replace(/\s+/g, ' ').trim()
  const chars = [...plain]
  return chars.length <= maxLength ? plain : `${chars.slice(0, maxLength - 1).join('')}…`
}
