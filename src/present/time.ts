/** Times and durations as the person reading the log wants them. */

/** "10:15:00 UTC" (with the date when it is not today's). */
export function formatUtc(ms: number, nowMs: number): string {
  const iso = new Date(ms).toISOString()
  const time = `${iso.slice(11, 19)} UTC`
  return iso.slice(0, 10) === new Date(nowMs).toISOString().slice(0, 10)
    ? time
    : `${iso.slice(0, 10)} ${time}`
}

/** "2026-11-24 10:15:00 UTC": with the date always, for a record read days later. */
export function formatDateTimeUtc(ms: number): string {
  const iso = new Date(ms).toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`
}

/** "14 min 30 s", "45 s", "2 h 5 min". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`
  if (minutes > 0) return seconds > 0 ? `${minutes} min ${seconds} s` : `${minutes} min`
  return `${seconds} s`
}

/** ISO 8601 without milliseconds: 2026-11-24T10:15:00Z. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}
