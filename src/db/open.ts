import type { DatabaseConfig } from '../config.ts'
import type { Logger } from '../log/logger.ts'
import type { DbHandle } from './pglite.ts'
import { createPostgresDb } from './postgres.ts'

export type { DbHandle }

/**
 * Opens the database the configuration names: Postgres over a pool, or embedded PGlite, whose
 * WebAssembly is loaded only when it is used.
 */
export async function openDatabase(config: DatabaseConfig, logger: Logger): Promise<DbHandle> {
  if (config.kind === 'pglite') {
    const { openEmbeddedDb } = await import('./pglite.ts')
    return openEmbeddedDb(config.dataDir, logger)
  }
  const db = createPostgresDb({ url: config.url, poolMax: config.poolMax, logger })
  return { db, close: () => db.destroy() }
}
