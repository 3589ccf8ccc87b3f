/** Seconds to wait after the n-th failed call (capped at the last), with ±20% jitter. */
const BACKOFF_SECONDS = [1, 2, 5, 15, 30, 60, 120, 300, 600]

export function backoffMs(calls: number, random: () => number = Math.random): number {
  const index = Math.min(Math.max(calls, 1), BACKOFF_SECONDS.length) - 1
  const base = (BACKOFF_SECONDS[index] ?? 600) * 1000
  return Math.round(base * (0.8 + 0.4 * random()))
}
