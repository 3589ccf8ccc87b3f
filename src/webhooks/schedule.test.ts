import { describe, expect, it } from 'vitest'
import { MAX_ATTEMPTS, RETRY_DELAYS_MS, retryAfterMs, retryDelayMs } from './schedule.ts'

describe('retry schedule', () => {
  it('is 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h: ten attempts in all', () => {
    expect(RETRY_DELAYS_MS.map((ms) => ms / 1000)).toEqual([
      5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400,
    ])
    expect(MAX_ATTEMPTS).toBe(10)
  })

  it.each(RETRY_DELAYS_MS.map((ms, i) => [i + 1, ms]))(
    'after failure %i waits %i ms ±20%',
    (n, base) => {
      expect(retryDelayMs(n, () => 0)).toBe(Math.round(base * 0.8))
      expect(retryDelayMs(n, () => 1)).toBe(Math.round(base * 1.2))
      const jittered = retryDelayMs(n) ?? 0
      expect(jittered).toBeGreaterThanOrEqual(base * 0.8)
      expect(jittered).toBeLessThanOrEqual(base * 1.2)
    },
  )

  it('has nothing after the last, nor before the first', () => {
    expect(retryDelayMs(MAX_ATTEMPTS)).toBeUndefined()
    expect(retryDelayMs(MAX_ATTEMPTS + 1, () => 0.5)).toBeUndefined()
    expect(retryDelayMs(0, () => 0.5)).toBeUndefined()
  })

  it('spreads waits evenly across the jitter window', () => {
    const base = RETRY_DELAYS_MS[1] ?? 0
    expect(retryDelayMs(2, () => 0.5)).toBe(base)
    expect(retryDelayMs(2, () => 0.25)).toBe(Math.round(base * 0.9))
  })

  const now = new Date('2026-11-21T10:00:00Z')
  it.each([
    ['120', 120_000],
    ['0', 1000],
    ['999999', 86_400_000],
    ['Sat, 21 Nov 2026 10:02:00 GMT', 120_000],
    [' 120 ', 120_000],
    ['  Sat, 21 Nov 2026 10:02:00 GMT\t', 120_000],
    ['Sat, 21 Nov 2026 09:00:00 GMT', 1000],
    ['Mon, 23 Nov 2026 10:00:00 GMT', 86_400_000],
    ['soon', undefined],
    ['120s', undefined],
    ['PT120', undefined],
    ['1e3', undefined],
    ['0x10', undefined],
    ['', undefined],
    [null, undefined],
  ])('reads Retry-After %j', (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms)
  })
})
