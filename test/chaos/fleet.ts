import { appendFileSync } from 'node:fs'
import { freePort, type Service, startCommand, startService } from '../../src/bench/processes.ts'

/**
 * The Cashout processes under test, each on its own port with the same database and keys.
 * Slots are killed (SIGKILL: no shutdown, no flush), stopped (SIGTERM) and started again;
 * everything each process prints is appended to its log file.
 */
export async function cashoutFleet(options: {
  slots: number
  env: (port: number) => Record<string, string>
  logFile: (slot: number) => string
}) {
  const ports = await Promise.all(Array.from({ length: options.slots }, () => freePort()))
  const running: (Service | undefined)[] = ports.map(() => undefined)
  let kills = 0
  let starts = 0
  /** When each process was killed or stopped: a delivery late across one of them has its cause. */
  const downs: number[] = []
  /** Spans with no process running: what was due in one waits for the next process's start. */
  const gaps: [number, number][] = []
  let emptySince: number | undefined
  const down = () => {
    downs.push(Date.now())
    if (running.every((service) => service === undefined)) emptySince ??= Date.now()
  }
  const start = async (slot: number) => {
    if (running[slot]) return
    const port = ports[slot] as number
    const log = options.logFile(slot)
    starts++
    running[slot] = await startService({
      script: startCommand(),
      port,
      env: options.env(port),
      readyPath: '/readyz',
      onOutput: (chunk) => appendFileSync(log, chunk),
    })
    if (emptySince !== undefined) gaps.push([emptySince, Date.now()])
    emptySince = undefined
  }
  const stop = async (slot: number) => {
    const service = running[slot]
    running[slot] = undefined
    if (service) down()
    await service?.stop()
  }
  return {
    start,
    stop,
    async kill(slot: number) {
      const service = running[slot]
      if (!service) return
      running[slot] = undefined
      kills++
      down()
      service.child.kill('SIGKILL')
      await new Promise((resolve) => service.child.once('exit', resolve))
    },

    live: () => running.flatMap((service) => (service ? [service.url] : [])),
    isRunning: (slot: number) => running[slot] !== undefined,
    url: (slot: number) => `http://127.0.0.1:${ports[slot]}`,
    stats: () => ({ kills, starts }),
    downs: () => [...downs],
    gaps: () => [...gaps],
    /** The process ids of the processes running now: a webhook lease names its owner's pid. */
    pids: () => running.flatMap((service) => (service?.child.pid ? [service.child.pid] : [])),
    stopAll: () => Promise.all(running.map((_, slot) => stop(slot))),
  }
}

export type Fleet = Awaited<ReturnType<typeof cashoutFleet>>
