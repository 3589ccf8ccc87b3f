import type { Logger } from '../log/logger.ts'

export interface WorkerLoop {
  /** Runs the next round now instead of after the idle wait. */
  wake(): void
  /** Finishes the round in progress, then stops. */
  stop(): Promise<void>
}

/**
 * Runs `round` again and again: at once while it finds work, otherwise after `idleMs` or when
 * woken. A failed round is logged and retried after the idle wait.
 */
export function startLoop(
  name: string,
  round: () => Promise<number>,
  idleMs: number,
  logger: Logger,
): WorkerLoop {
  let stopped = false
  let wakeUp: (() => void) | undefined
  let pendingWake = false
  const idle = () =>
    new Promise<void>((resolve) => {
      if (pendingWake || stopped) {
        pendingWake = false
        resolve()
        return
      }
      const timer = setTimeout(done, idleMs)
      function done() {
        clearTimeout(timer)
        wakeUp = undefined
        resolve()
      }
      wakeUp = done
    })
  const running = (async () => {
    while (!stopped) {
      let found = 0
      try {
        found = await round()
      } catch (error) {
        logger.error(`${name} failed`, { error })
      }
      if (found === 0 && !stopped) await idle()
    }
  })()
  return {
    wake() {
      if (wakeUp) wakeUp()
      else pendingWake = true
    },
    async stop() {
      stopped = true
      wakeUp?.()
      await running
    },
  }
}
