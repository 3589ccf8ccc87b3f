import { readFile } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { type KyselyConfig, sql } from 'kysely'
import pg from 'pg'
import { inject } from 'vitest'
import { loadMigrationFiles } from '../../src/db/migration-files.ts'
import { migrate } from '../../src/db/migrator.ts'
import { kyselyOverPglite, pgliteOptions } from '../../src/db/pglite.ts'
import { createPostgresDb } from '../../src/db/postgres.ts'
import type { Db } from '../../src/db/schema.ts'
import { createLogger } from '../../src/log/logger.ts'
import { databaseUrl } from './pg-admin.ts'

export interface TestDb {
  db: Db
  kind: 'pglite' | 'postgres'
  /** Connection string of this database (Postgres only), for a second pool or process. */
  url?: string
  close(): Promise<void>
}

const silent = createLogger({ level: 'silent', write: () => {} })

/**
 * On PGlite a test file keeps one instance (loading one costs ~400 ms) and each test gets it
 * back with the schema dropped and migrated afresh (~50 ms), so no test sees another's rows.
 */
let idle: PGlite | undefined
let templateDump: Promise<Blob> | undefined

/** Empties a test database by dropping its schema and migrating it again. */
export async function resetDatabase(db: Db) {
  await sql`drop schema public cascade`.execute(db)
  await sql`create schema public`.execute(db)
  await migrate(db, await loadMigrationFiles())
}

async function freshPglite(dumpPath: string): Promise<PGlite> {
  const reused = idle
  idle = undefined
  if (reused && !reused.closed) {
    try {
      await resetDatabase(kyselyOverPglite(reused))
      return reused
    } catch {
      await reused.close().catch(() => {})
    }
  }
  templateDump ??= readFile(dumpPath).then((bytes) => new Blob([new Uint8Array(bytes)]))
  const pglite = new PGlite({ ...pgliteOptions, loadDataDir: await templateDump })
  await pglite.waitReady
  return pglite
}

/** Closes the file's PGlite; registered after all tests of a file (see setup-file.ts). */
export async function closeIdlePglite() {
  const instance = idle
  idle = undefined
  await instance?.close()
}

/** A freshly migrated database of its own, so no test sees another's rows. */
export async function createTestDb(options: { log?: KyselyConfig['log'] } = {}): Promise<TestDb> {
  const source = inject('testDb')
  if (source.kind === 'pglite') {
    const pglite = await freshPglite(source.dump)
    const db = kyselyOverPglite(pglite, options.log)
    return {
      db,
      kind: 'pglite',
      close: async () => {
        await sql`select 1`.execute(db).catch(() => {})
        if (idle) await pglite.close()
        else idle = pglite
      },
    }
  }
  const name = `cashout_test_${process.pid}_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`
  await adminQuery(source.adminUrl, `create database ${name} template ${source.template}`)
  const url = databaseUrl(source.adminUrl, name)
  const db = createPostgresDb({ url, poolMax: 20, logger: silent, log: options.log })
  return {
    db,
    kind: 'postgres',
    url,
    close: async () => {
      await db.destroy()
      await adminQuery(source.adminUrl, `drop database if exists ${name} with (force)`)
    },
  }
}

async function adminQuery(url: string, text: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}
