import { join } from 'node:path'
import { PGlite, type PGliteOptions, types } from '@electric-sql/pglite'
import { Kysely, type KyselyConfig } from 'kysely'
import { PGliteDialect } from 'kysely-pglite-dialect'
import { lockDir } from './dir-lock.ts'
import type { Database, Db } from './schema.ts'

export interface DbHandle {
  db: Db
  close(): Promise<void>
}

/**
 * The embedded database: PGlite persisted under `<dataDir>/pgdata`, guarded by a lock file so
 * a second process on the same directory fails clearly instead of diverging silently.
 */
export async function openEmbeddedDb(dataDir: string): Promise<DbHandle> {
  const lock = lockDir(dataDir)
  try {
    const pglite = new PGlite(join(dataDir, 'pgdata'), pgliteOptions)
    await pglite.waitReady
    const db = kyselyOverPglite(pglite)
    return {
      db,
      close: async () => {
        try {
          await db.destroy()
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
