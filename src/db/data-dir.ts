import { chmodSync, lstatSync, mkdirSync, readdirSync, type Stats, statSync } from 'node:fs'
import { join } from 'node:path'

export class DataDirError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(
      `Could not make ${path} private to the user Cashout runs as (${(cause as Error).message}). ` +
        'DATA_DIR holds the embedded database, whose write-ahead log has account holder names and amounts: ' +
        `run Cashout as the owner of ${path}, or remove group and other permissions yourself (chmod -R go-rwx).`,
      { cause },
    )
    this.name = 'DataDirError'
  }
}

/**
 * Creates `dir` (mode 0700) if missing and takes group and other permissions off it and
 * everything under it, returning how many entries were open. PGlite writes its initial files
 * 0644 whatever Postgres asks for, so the private directory is what keeps them from other
 * users, and this pass makes the files themselves 0600 as well. Symbolic links are left
 * alone: chmod would follow one out of the directory.
 */
export function makeDirPrivate(dir: string): number {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  let tightened = 0
  const visit = (path: string, stat: Stats | undefined) => {
    if (!stat || stat.isSymbolicLink()) return
    if ((stat.mode & 0o077) !== 0) {
      try {
        chmodSync(path, stat.mode & 0o7777 & ~0o077)
      } catch (error) {
        if (isGone(error)) return
        throw new DataDirError(path, error)
      }
      tightened++
    }
    if (!stat.isDirectory()) return
    for (const name of readdirOrNothing(path)) {
      const child = join(path, name)
      visit(child, lstatOrNothing(child))
    }
  }
  visit(dir, statSync(dir))
  return tightened
}

// The database may remove a file between listing and changing it; a file gone is no leak.
function isGone(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT'
}

function lstatOrNothing(path: string): Stats | undefined {
  try {
    return lstatSync(path)
  } catch (error) {
    if (isGone(error)) return undefined
    throw error
  }
}

function readdirOrNothing(path: string): string[] {
  try {
    return readdirSync(path)
  } catch (error) {
    if (isGone(error)) return []
    throw error
  }
}
