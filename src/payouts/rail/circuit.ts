import type { PayoutRail } from './rail.ts'

const FIRST_PAUSE_MS = 30_000
const LONGEST_PAUSE_MS = 5 * 60_000

export interface CircuitState {
  open: boolean
  since: Date | undefined
  reason: string | undefined
  /** When one payout may next be tried to see whether the credentials work again. */
  probeAt: Date | undefined
}

/**
 * Stops sending to a rail that refuses our credentials. While open, nothing is sent but one
 * probe after each pause (30 s, doubling to 5 minutes); the first call that gets through closes
 * it. Held in memory: each process learns on its own with one refused call, and a restart
 * (usually with corrected credentials) starts closed.
 */
export class Circuit {
  private openedAt: Date | undefined
  private reason: string | undefined
  private pauseMs = FIRST_PAUSE_MS
  private nextProbe: Date | undefined

  /** `closed`: send freely; `probe`: send one payout; `open`: send nothing now. */
  admits(now: Date): 'closed' | 'probe' | 'open' {
    if (!this.openedAt) return 'closed'
    return this.nextProbe && now >= this.nextProbe ? 'probe' : 'open'
  }

  /**
   * Opens, or after a failed probe keeps it open with a longer pause; calls refused while it
   * was already open and no probe was due (sent side by side with the first) change nothing.
   * True if newly opened.
   */
  trip(reason: string, now: Date): boolean {
    const fresh = this.openedAt === undefined
    if (fresh) {
      this.openedAt = now
      this.pauseMs = FIRST_PAUSE_MS
    } else if (this.nextProbe && now >= this.nextProbe) {
      this.pauseMs = Math.min(this.pauseMs * 2, LONGEST_PAUSE_MS)
    } else {
      return false
    }
    this.reason = reason
    this.nextProbe = new Date(now.getTime() + this.pauseMs)
    return fresh
  }

  /** A call got through: the credentials work. True if it had been open. */
  reset(): boolean {
    const wasOpen = this.openedAt !== undefined
    this.openedAt = undefined
    this.reason = undefined
    this.nextProbe = undefined
    this.pauseMs = FIRST_PAUSE_MS
    return wasOpen
  }

  state(): CircuitState {
    return {
      open: this.openedAt !== undefined,
      since: this.openedAt,
      reason: this.reason,
      probeAt: this.nextProbe,
    }
  }
}

/** One mode's way out: its rail (the sandbox for test, Hello Clever for live) and its circuit. */
export interface RailChannel {
  name: 'sandbox' | 'hello-clever'
  rail: PayoutRail
  circuit: Circuit
}

export interface Rails {
  test: RailChannel
  /** Absent where RAIL=sandbox: live keys are refused and live payouts never leave. */
  live: RailChannel | undefined
}

export function railChannel(name: RailChannel['name'], rail: PayoutRail): RailChannel {
  return { name, rail, circuit: new Circuit() }
}
