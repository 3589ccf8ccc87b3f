import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { PGlite, type PGliteOptions, types } from '@electric-sql/pglite'
import { Kysely, type KyselyConfig } from 'kysely'
import { PGliteDialect } from 'kysely-pglite-dialect'
import type { Logger } from '../log/logger.ts'
import { makeDirPrivate } from './data-dir.ts'
import { lockDir } from './dir-lock.ts'
import type { Database, Db } from './schema.ts'

export interface DbHandle {
  db: Db
  close(): Promise<void>
}

/**
 * The embedded database: PGlite persisted under `<dataDir>/pgdata`, guarded by a lock file so
 * a second process on the same directory fails clearly instead of diverging silently.
 *
 * The directory is private to the user Cashout runs as (the write-ahead log holds account
 * holder names and amounts): created 0700, and checked on every open, where anything left open
 * to group or others (by an earlier version, or by hand) is tightened with a warning. PGlite
 * writes its first files 0644, so they are tightened again once it is ready and when it closes.
 */
export async function openEmbeddedDb(dataDir: string, logger?: Logger): Promise<DbHandle> {
  const loosened = makeDirPrivate(dataDir)
  if (loosened > 0) {
    logger?.warn(
      `DATA_DIR ${dataDir} was open to other users; made it private (directories 0700, files 0600)`,
      { path: dataDir, tightened: loosened },
    )
  }
  const lock = lockDir(dataDir)
  try {
    const pgdata = join(dataDir, 'pgdata')
    mkdirSync(pgdata, { recursive: true, mode: 0o700 })
    const pglite = new PGlite(pgdata, pgliteOptions)
    await pglite.waitReady
    makeDirPrivate(dataDir)
    const db = kyselyOverPglite(pglite)
    return {
      db,
      close: async () => {
        try {
          await db.destroy()
          makeDirPrivate(dataDir)
        } finally {
          lock.release()
        }
      },
    }
  } catch (error) {
    lock.release()
    throw error
  }
}

/**
 * PGlite turns small `int8` values into numbers and large ones into bigints; money needs one
 * type, and `pg` is configured to match.
 */
export const pgliteOptions: PGliteOptions = {
  parsers: { [types.INT8]: (value: string) => BigInt(value) },
}

/** Kysely over an open PGlite; destroying the Kysely closes PGlite. */
export function kyselyOverPglite(pglite: PGlite, log?: KyselyConfig['log']): Db {
  return new Kysely<Database>({ dialect: new PGliteDialect(pglite), ...(log ? { log } : {}) })
}
