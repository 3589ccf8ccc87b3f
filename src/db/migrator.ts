import { sql } from 'kysely'
import { sha256Hex } from '../crypto/bytes.ts'
import type { Logger } from '../log/logger.ts'
import type { Db } from './schema.ts'
import { splitSqlStatements } from './sql-script.ts'

export interface Migration {
  name: string
  sql: string
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'MigrationError'
  }
}

/** Serialises migrators across processes sharing one Postgres. */
const MIGRATION_LOCK_KEY = 4_114_470_012

/**
 * Applies pending migrations in name order, each in its own transaction together with its
 * record in `schema_migrations`. Applied files are frozen: a changed checksum or a recorded
 * migration this code does not know stops the run.
 */
export async function migrate(
  db: Db,
  migrations: readonly Migration[],
  logger?: Logger,
): Promise<{ applied: string[] }> {
  const ordered = [...migrations].sort((a, b) => a.name.localeCompare(b.name))
  const known = new Set(ordered.map((m) => m.name))
  if (known.size !== ordered.length) throw new MigrationError('Two migrations share a name')

  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx)
    await sql`create table if not exists schema_migrations (
      name text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`.execute(trx)
  })

  const recorded = await db.selectFrom('schema_migrations').select(['name', 'checksum']).execute()
  const unknown = recorded.filter((row) => !known.has(row.name))
  if (unknown.length > 0) {
    throw new MigrationError(
      `The database has migrations this version does not know (${unknown.map((r) => r.name).join(', ')}); run a newer version of Cashout`,
    )
  }
  const checksums = new Map(recorded.map((row) => [row.name, row.checksum]))

  const applied: string[] = []
  for (const migration of ordered) {
    const checksum = await sha256Hex(migration.sql.replace(/\r\n/g, '\n'))
    const previous = checksums.get(migration.name)
    if (previous !== undefined) {
      assertUnchanged(migration.name, previous, checksum)
      continue
    }
    const ran = await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx)
      const row = await trx
        .selectFrom('schema_migrations')
        .select('checksum')
        .where('name', '=', migration.name)
        .executeTakeFirst()
      if (row) {
        assertUnchanged(migration.name, row.checksum, checksum)
        return false
      }
      try {
        for (const statement of splitSqlStatements(migration.sql)) {
          await sql.raw(statement).execute(trx)
        }
      } catch (error) {
        throw new MigrationError(`Migration ${migration.name} failed: ${messageOf(error)}`, {
          cause: error,
        })
      }
      await trx.insertInto('schema_migrations').values({ name: migration.name, checksum }).execute()
      return true
    })
    if (ran) {
      applied.push(migration.name)
      logger?.info('migration applied', { migration: migration.name })
    }
  }
  return { applied }
}

function assertUnchanged(name: string, recorded: string, current: string) {
  if (recorded !== current) {
    throw new MigrationError(
      `Migration ${name} was changed after it was applied; migrations are frozen, add a new one instead`,
    )
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
