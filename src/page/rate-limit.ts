export interface RateLimiter {
  /** Counts one use of `key`; refuses once `limit` uses fall within the current window. */
  take(
    key: string,
    limit: number,
    windowMs: number,
  ): { ok: true } | { ok: false; retryAfterSeconds: number }
}

/**
 * Fixed-window counters in this process's memory. Each instance limits on its own; behind a
 * load balancer the effective limit is per instance. At most `maxKeys` keys are held: a new
 * window moves its key to the back, so the front holds the stalest and is dropped first, in
 * constant time.
 */
export function memoryRateLimiter(now: () => number = Date.now, maxKeys = 100_000): RateLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>()
  return {
    take(key, limit, windowMs) {
      const t = now()
      let entry = windows.get(key)
      if (!entry || entry.resetAt <= t) {
        windows.delete(key)
        if (windows.size >= maxKeys) windows.delete(windows.keys().next().value as string)
        entry = { count: 0, resetAt: t + windowMs }
        windows.set(key, entry)
      }
      entry.count += 1
      if (entry.count <= limit) return { ok: true }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((entry.resetAt - t) / 1000)) }
    },
  }
}
