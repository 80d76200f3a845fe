import { describe, expect, it } from '@jest/globals'
import { formatDuration, formatUtc, isoSeconds } from '../../src/present/time.js'

const NOW = Date.UTC(2026, 10, 24, 10, 0, 0)

describe('formatUtc', () => {
  it('shows only the time for a moment on the same UTC day', () => {
    expect(formatUtc(Date.UTC(2026, 10, 24, 10, 15, 0), NOW)).toBe('10:15:00 UTC')
    expect(formatUtc(Date.UTC(2026, 10, 24, 23, 59, 59), NOW)).toBe('23:59:59 UTC')
    expect(formatUtc(Date.UTC(2026, 10, 24, 0, 0, 0), NOW)).toBe('00:00:00 UTC')
  })

  it('adds the date for a moment on another UTC day', () => {
    expect(formatUtc(Date.UTC(2026, 10, 25, 0, 5, 0), NOW)).toBe('2026-11-25 00:05:00 UTC')
    expect(formatUtc(Date.UTC(2026, 10, 23, 23, 59, 0), NOW)).toBe('2026-11-23 23:59:00 UTC')
  })

  it('drops milliseconds', () => {
    expect(formatUtc(NOW + 1_999, NOW)).toBe('10:00:01 UTC')
  })
})

describe('formatDuration', () => {
  it.each([
    [45_000, '45 s'],
    [0, '0 s'],
    [60_000, '1 min'],
    [870_000, '14 min 30 s'],
    [3_600_000, '1 h'],
    [7_500_000, '2 h 5 min'],
    [7_530_000, '2 h 5 min'],
    [21_600_000, '6 h']
  ])('shows %d ms as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })

  it('rounds to the nearest second', () => {
    expect(formatDuration(44_400)).toBe('44 s')
    expect(formatDuration(44_600)).toBe('45 s')
  })

  it('shows a negative duration as 0 s', () => {
    expect(formatDuration(-5_000)).toBe('0 s')
  })
})

describe('isoSeconds', () => {
  it('writes ISO 8601 in UTC without milliseconds', () => {
    expect(isoSeconds(NOW)).toBe('2026-11-24T10:00:00Z')
  })

  it('drops (does not round) milliseconds', () => {
    expect(isoSeconds(NOW + 999)).toBe('2026-11-24T10:00:00Z')
    expect(isoSeconds(NOW + 3_600_500)).toBe('2026-11-24T11:00:00Z')
  })
})
