import type { RefreshTokenFate } from '../flow/events.js'
import { isoSeconds } from './time.js'

const DAY_MS = 24 * 3600 * 1000

/**
 * What a person is told about the refresh token later runs start from: one sentence or two, for
 * the log, the notice and the summary alike. `level` says how loud: a token that was not stored
 * breaks the next run, and is a warning wherever it is said.
 */
export interface RefreshTokenText {
  readonly level: 'info' | 'warning'
  /** A short title, for an annotation or a heading. */
  readonly title: string
  readonly text: string
}

export function refreshTokenText(fate: RefreshTokenFate, atMs: number): RefreshTokenText {
  switch (fate.kind) {
    case 'stored':
      return {
        level: 'info',
        title: 'Refresh token stored',
        text: `${fate.created ? 'Created' : 'Updated'} ${fate.where} with the new refresh token at ${isoSeconds(atMs)}.`
      }
    case 'unchanged':
      return {
        level: 'info',
        title: 'Refresh token unchanged',
        text: fate.handedOff
          ? `The handed-off refresh token was not rotated here, so ${fate.where} was not written.`
          : `The refresh token was not rotated: ${fate.where} still holds the one in use.`
      }
    case 'none-returned':
      return {
        level: 'warning',
        title: 'No refresh token to store',
        text: `The provider returned no refresh token, so ${fate.where} was not updated. Ask for a refresh token (often the offline_access scope), or remove store-refresh-token.`
      }
    case 'not-stored':
      return {
        level: 'warning',
        title: 'Refresh token not stored',
        text:
          fate.why === 'rotated'
            ? 'The provider rotated the refresh token: the one this step started from (your secret) no longer works, and the new one is in the refresh-token output only. Store it before the job ends, or the next run fails with invalid_grant: set store-refresh-token (and secrets-token) on this step, or write the refresh-token output into the secret in a later step of this job.'
            : 'The device flow returned a new refresh token, and it is in the refresh-token output only: the secret later runs refresh from still holds an older one, or none, so they will fail. Store it before the job ends: set store-refresh-token (and secrets-token) on this step, or write the refresh-token output into the secret in a later step of this job.'
      }
  }
}

/** The refresh token later runs use expires soon, or has: approve again before then. */
export function expiryText(expiresAtMs: number, nowMs: number): string {
  const leftMs = expiresAtMs - nowMs
  const when =
    leftMs <= 0
      ? 'has expired'
      : `expires at ${isoSeconds(expiresAtMs)}, in ${leftMs < DAY_MS ? 'less than a day' : `${Math.floor(leftMs / DAY_MS)} day${leftMs < 2 * DAY_MS ? '' : 's'}`}`
  return `The refresh token ${when}. Run the workflow with the device flow before then (on-refresh-failure: device, or without refresh-token) so that a person approves again and the new refresh token is stored; jobs that start from the old one will fail.`
}
