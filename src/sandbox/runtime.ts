import type { Clock } from '../clock.ts'
import type { Logger } from '../log/logger.ts'
import type { CallbackJob } from './state.ts'
import type { SandboxStore } from './store.ts'

/** Real-time delays (ms) at time scale 1; a time scale of 0.001 makes 15 minutes 0.9 s. */
export const DELAYS = {
  settle: 2_000,
  late: 10 * 60_000,
  slowAnswer: 15_000,
  callbackRetry: 15 * 60_000,
}

const CALLBACK_ATTEMPTS = 4
const MAX_TIMER_MS = 2 ** 31 - 1
const CALLBACK_TIMEOUT_MS = 10_000
const KEPT_DELIVERIES = 5_000

export interface SandboxRuntimeOptions {
  store: SandboxStore
  /** Strict withdraw: each user_id must hold enough cashback (set with POST /sandbox/cashback). */
  cashbackMode?: boolean
  clock: Clock
  timeScale: number
  fetch: typeof fetch
  logger: Logger
}

/**
 * Timers, identifiers and outgoing callbacks. Callbacks are queued in the store first, so a
 * file-backed sandbox that restarts still sends them.
 */
export class SandboxRuntime {
  readonly store: SandboxStore
  readonly clock: Clock
  readonly timeScale: number
  readonly cashbackMode: boolean
  private readonly fetch: typeof fetch
  private readonly logger: Logger
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  private readonly inFlight = new Set<Promise<unknown>>()
  private readonly delivering = new Set<number>()
  private stopped = false
  /** Called whenever money arrives, so work waiting for funds can go on. */
  onTopUp: () => void = () => {}

  constructor(options: SandboxRuntimeOptions) {
    this.store = options.store
    this.clock = options.clock
    this.timeScale = options.timeScale
    this.cashbackMode = options.cashbackMode ?? false
    this.fetch = options.fetch
    this.logger = options.logger
  }

  get state() {
    return this.store.state
  }

  nextId(): number {
    this.state.seq += 1
    this.store.changed()
    return this.state.seq
  }

  /** Eight upper-case letters and digits, like Hello Clever's withdrawal ids. */
  shortId(): string {
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
    return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => alphabet[b % 32]).join('')
  }

  /** Counts a request to Hello Clever's API, by method and path. */
  count(route: string) {
    this.state.requests[route] = (this.state.requests[route] ?? 0) + 1
    this.store.changed()
  }

  nowIso(): string {
    return this.clock.now().toISOString()
  }

  scaled(ms: number): number {
    return Math.max(0, Math.round(ms * this.timeScale))
  }

  /** Adds money to the merchant balance and lets waiting work use it. */
  credit(minor: number) {
    this.state.balanceMinor += minor
    this.store.changed()
    this.onTopUp()
  }

  /**
   * Runs `task` after `ms` (already scaled), unless the sandbox stops first. Waits longer than
   * a timer can hold (about 24.8 days) are taken in steps.
   */
  later(ms: number, task: () => void | Promise<void>) {
    if (this.stopped) return
    const step = Math.min(ms, MAX_TIMER_MS)
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      if (ms > MAX_TIMER_MS) this.later(ms - MAX_TIMER_MS, task)
      else this.track(Promise.resolve().then(task))
    }, step)
    this.timers.add(timer)
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms))
  }

  /**
   * Queues a callback for delivery after `delayMs` (scaled by the caller); with `'caller'` the
   * caller makes the first attempt itself, at once.
   */
  enqueueCallback(
    input: { url: string; authorization: string; body: Record<string, unknown>; origin: string },
    delayMs: number | 'caller',
  ): CallbackJob {
    const wait = delayMs === 'caller' ? 0 : delayMs
    const job: CallbackJob = {
      id: this.nextId(),
      url: input.url,
      authorization: input.authorization,
      body: structuredClone(input.body),
      attempt: 1,
      dueAt: new Date(this.clock.now().getTime() + wait).toISOString(),
      origin: input.origin,
    }
    this.state.callbacks.push(job)
    this.store.changed()
    if (delayMs !== 'caller') this.later(wait, () => this.deliver(job.id))
    return job
  }

  /** Re-arms queued callbacks, e.g. after loading saved state. */
  resume() {
    for (const job of this.state.callbacks) {
      const wait = Math.max(0, new Date(job.dueAt).getTime() - this.clock.now().getTime())
      this.later(wait, () => this.deliver(job.id))
    }
  }

  /** One delivery attempt; only a 200 counts, anything else is retried 15 minutes later. */
  async deliver(jobId: number): Promise<void> {
    const job = this.state.callbacks.find((j) => j.id === jobId)
    if (!job || this.stopped || this.delivering.has(jobId)) return
    this.delivering.add(jobId)
    try {
      await this.attempt(job)
    } finally {
      this.delivering.delete(jobId)
    }
  }

  private async attempt(job: CallbackJob): Promise<void> {
    let status: number | null = null
    let error: string | null = null
    try {
      const res = await this.fetch(job.url, {
        method: 'POST',
        headers: { Authorization: job.authorization, 'Content-Type': 'application/json' },
        body: JSON.stringify(job.body),
        redirect: 'manual',
        signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
      })
      status = res.status
      await res.body?.cancel()
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause)
    }
    this.state.deliveries.push({
      jobId: job.id,
      url: job.url,
      attempt: job.attempt,
      status,
      error,
      at: this.nowIso(),
      origin: job.origin,
    })
    if (this.state.deliveries.length > KEPT_DELIVERIES) this.state.deliveries.shift()
    if (status === 200 || job.attempt >= CALLBACK_ATTEMPTS) {
      this.state.callbacks = this.state.callbacks.filter((j) => j.id !== job.id)
      if (status !== 200) {
        this.logger.warn('sandbox callback abandoned', { url: job.url, origin: job.origin, status })
      }
    } else {
      job.attempt += 1
      const wait = this.scaled(DELAYS.callbackRetry)
      job.dueAt = new Date(this.clock.now().getTime() + wait).toISOString()
      this.later(wait, () => this.deliver(job.id))
    }
    this.store.changed()
  }

  track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise)
    promise
      .catch((error: unknown) => this.logger.error('sandbox task failed', { error }))
      .finally(() => this.inFlight.delete(promise))
    return promise
  }

  async stop() {
    this.stopped = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    await Promise.allSettled([...this.inFlight])
    this.store.flush()
  }
}
