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
import { resetToSnapshot, type Snapshot, takeSnapshot } from './fast-reset.ts'
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
 * back emptied: its tables truncated (~40 ms), or, when a test changed the schema, the schema
 * dropped and migrated afresh (~230 ms). No test sees another's rows.
 */
let idle: PGlite | undefined
let templateDump: Promise<Blob> | undefined
/** What each database (by the PGlite instance or pool behind it) is emptied back to. */
const snapshots = new WeakMap<object, Snapshot>()

/** Empties a test database by dropping its schema and migrating it again. */
export async function resetDatabase(db: Db) {
  await sql`drop schema public cascade`.execute(db)
  await sql`create schema public`.execute(db)
  await migrate(db, await loadMigrationFiles())
}

/**
 * Empties a test database: by truncation once a snapshot of it is known, else (and when a test
 * changed the schema) by migrating it afresh and taking one. `key` is what the snapshot is kept
 * under: the PGlite instance between tests, the database itself between a property's cases.
 */
export async function emptyDatabase(db: Db, key: object = db) {
  const snapshot = snapshots.get(key)
  if (snapshot && (await resetToSnapshot(db, snapshot))) return
  await resetDatabase(db)
  snapshots.set(key, await takeSnapshot(db))
}

async function freshPglite(dumpPath: string): Promise<PGlite> {
  const reused = idle
  idle = undefined
  if (reused && !reused.closed) {
    try {
      await emptyDatabase(kyselyOverPglite(reused), reused)
      return reused
    } catch {
      await reused.close().catch(() => {})
    }
  }
  templateDump ??= readFile(dumpPath).then((bytes) => new Blob([new Uint8Array(bytes)]))
  const pglite = new PGlite({ ...pgliteOptions, loadDataDir: await templateDump })
  await pglite.waitReady
  snapshots.set(pglite, await takeSnapshot(kyselyOverPglite(pglite)))
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
  return postgresTestDb(source.adminUrl, source.template, options.log)
}

/**
 * On Postgres a worker keeps one database copied from the template (~150 ms to create and drop)
 * and each test gets it back truncated, as on PGlite. Connections a test left open (a second
 * pool, a child process) are ended first, as dropping the database would; a database that
 * cannot be truncated in time, or whose schema a test changed, is dropped for a fresh copy.
 */
let idlePostgres: { name: string; snapshot: Snapshot } | undefined

async function postgresTestDb(
  adminUrl: string,
  template: string,
  log: KyselyConfig['log'],
): Promise<TestDb> {
  const open = (name: string) => {
    const url = databaseUrl(adminUrl, name)
    return { url, db: createPostgresDb({ url, poolMax: 20, logger: silent, log }) }
  }
  const reuse = async (kept: { name: string; snapshot: Snapshot }) => {
    await adminQuery(
      adminUrl,
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${kept.name}'`,
    )
    const opened = open(kept.name)
    if (await resetToSnapshot(opened.db, kept.snapshot).catch(() => false)) return opened
    await opened.db.destroy()
    await adminQuery(adminUrl, `drop database if exists ${kept.name} with (force)`)
    return undefined
  }
  const previous = idlePostgres
  idlePostgres = undefined
  let kept = previous
  let opened = previous ? await reuse(previous) : undefined
  if (!kept || !opened) {
    const name = `cashout_test_${process.pid}_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`
    await adminQuery(adminUrl, `create database ${name} template ${template}`)
    opened = open(name)
    kept = { name, snapshot: await takeSnapshot(opened.db) }
  }
  const { db, url } = opened
  const mine = kept
  return {
    db,
    kind: 'postgres',
    url,
    close: async () => {
      await db.destroy()
      if (idlePostgres) {
        await adminQuery(adminUrl, `drop database if exists ${mine.name} with (force)`)
      } else {
        idlePostgres = mine
      }
    },
  }
}

/** Drops the worker's database; registered after all tests of a file (see setup-file.ts). */
export async function dropIdlePostgres() {
  const kept = idlePostgres
  idlePostgres = undefined
  const source = inject('testDb')
  if (kept && source.kind === 'postgres') {
    await adminQuery(source.adminUrl, `drop database if exists ${kept.name} with (force)`)
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
