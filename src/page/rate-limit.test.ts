import { describe, expect, it } from 'vitest'
import { memoryRateLimiter } from './rate-limit.ts'

describe('memoryRateLimiter', () => {
  it('allows the limit in a window, then refuses with the wait, then allows again', () => {
    let t = 0
    const limiter = memoryRateLimiter(() => t)
    for (let i = 0; i < 3; i++) expect(limiter.take('ip', 3, 10_000).ok).toBe(true)
    expect(limiter.take('ip', 3, 10_000)).toEqual({ ok: false, retryAfterSeconds: 10 })
    expect(limiter.take('other', 3, 10_000).ok).toBe(true)
    t = 9_500
    expect(limiter.take('ip', 3, 10_000)).toEqual({ ok: false, retryAfterSeconds: 1 })
    t = 10_000
    expect(limiter.take('ip', 3, 10_000).ok).toBe(true)
  })

  it('never holds more than its key budget', () => {
    const limiter = memoryRateLimiter(() => 0, 10)
    for (let i = 0; i < 100; i++) limiter.take(`k${i}`, 1, 60_000)
    expect(limiter.take('k99', 1, 60_000).ok).toBe(false)
  })
})
