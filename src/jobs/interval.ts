import type { Logger } from '../log/logger.ts'

export interface RepeatingJob {
  /** Stops scheduling and waits for a run in progress to finish. */
  stop(): Promise<void>
}

/**
 * Runs `task` every `intervalMs`, never two runs at once; a failed run is logged and the next
 * one happens on schedule.
 */
export function repeat(
  name: string,
  intervalMs: number,
  task: () => Promise<unknown>,
  logger: Logger,
): RepeatingJob {
  let running: Promise<void> | undefined
  const tick = () => {
    if (running) return
    running = task()
      .then(
        () => undefined,
        (error: unknown) => logger.error(`${name} failed`, { error }),
      )
      .finally(() => {
        running = undefined
      })
  }
  const timer = setInterval(tick, intervalMs)
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
