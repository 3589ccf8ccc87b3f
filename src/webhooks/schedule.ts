/** Waits after the 1st, 2nd, … failed attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h. */
export const RETRY_DELAYS_MS = [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400].map(
  (s) => s * 1000,
)

/** Ten attempts in all: the first, then one after each delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1

const DAY_MS = 86_400_000

/** The wait after `failedAttempts` failures, ±20% jitter; undefined once attempts are used up. */
export function retryDelayMs(
  failedAttempts: number,
  random: () => number = Math.random,
): number | undefined {
  const base = RETRY_DELAYS_MS[failedAttempts - 1]
  if (base === undefined) return undefined
  return Math.round(base * (0.8 + 0.4 * random()))
}

/** `Retry-After` as seconds or an HTTP date, bounded to a day; undefined if absent or garbled. */
export function retryAfterMs(header: string | null | undefined, now: Date): number | undefined {
  if (!header) return undefined
  const trimmed = header.trim()
  let ms: number
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000
  else {
    const at = Date.parse(trimmed)
    if (Number.isNaN(at)) return undefined
    ms = at - now.getTime()
  }
  return Math.min(Math.max(ms, 1000), DAY_MS)
}

/**
 * An endpoint is paused once it has failed this many attempts in a row over at least
 * `ENDPOINT_FAILING_BEFORE_PAUSE_MS`: two rounds of its open sends, and longer than a restart or
 * a deploy, so a receiver's brief outage does not pause it, while one that stays down, or an
 * address that is no receiver at all, stops drawing a request per message.
 */
export const ENDPOINT_FAILURES_BEFORE_PAUSE = 32
export const ENDPOINT_FAILING_BEFORE_PAUSE_MS = 30_000
/** A paused endpoint gets one probe after this, then after twice as long, up to the maximum. */
export const FIRST_PAUSE_SECONDS = 30
export const MAX_PAUSE_SECONDS = 600
