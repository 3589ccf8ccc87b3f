export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

export interface ManualClock extends Clock {
  set(time: Date | string): void
  advance(ms: number): void
}

/** A clock that only moves when told to, for tests and simulations. */
export function manualClock(start: Date | string = '2026-01-01T00:00:00Z'): ManualClock {
  let current = new Date(start).getTime()
  return {
    now: () => new Date(current),
    set: (time) => {
      current = new Date(time).getTime()
    },
    advance: (ms) => {
      current += ms
    },
  }
}
