import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'

export class DirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `The data directory ${dir} is in use by another Cashout process (pid ${pid}). ` +
        'Stop that process, or set DATA_DIR to another directory. ' +
        `If no Cashout is running, delete ${join(dir, LOCK_NAME)}.`,
    )
    this.name = 'DirLockedError'
  }
}

const LOCK_NAME = 'cashout.lock'

export interface DirLock {
  release(): void
}

/**
 * Takes an exclusive lock on a directory by creating a pid file with O_EXCL. A lock left by
 * a process that no longer runs is taken over; one held by a live process is refused.
 */
export function lockDir(dir: string, pid: number = process.pid): DirLock {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const path = join(dir, LOCK_NAME)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600)
      writeSync(fd, `${pid}\n`)
      closeSync(fd)
      return {
        release: () => {
          if (readPid(path) === pid) unlinkSync(path)
        },
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = readPid(path)
      if (holder !== undefined && holder !== pid && isAlive(holder)) {
        throw new DirLockedError(dir, holder)
      }
      unlinkSync(path)
    }
  }
  throw new Error(`Could not lock ${dir}`)
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10)
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
