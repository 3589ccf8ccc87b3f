import { sql } from 'kysely'
import { describe, expect, inject } from 'vitest'
import { loadMigrationFiles } from '../../src/db/migration-files.ts'
import { type Migration, MigrationError, migrate } from '../../src/db/migrator.ts'
import { createPostgresDb } from '../../src/db/postgres.ts'
import type { Db } from '../../src/db/schema.ts'
import { createLogger } from '../../src/log/logger.ts'
import { test } from '../support/fixtures.ts'

/** The project's own migrations followed by test ones, as a later release would add them. */
async function withProject(...extra: Migration[]): Promise<Migration[]> {
  return [...(await loadMigrationFiles()), ...extra]
}

const createWidgets: Migration = {
  name: '9999-01-01_a_widgets.sql',
  sql: `
    create table widgets (id int8 primary key, label text not null default 'x;y');
    -- a comment; with a semicolon
    create function widget_count() returns int8 language plpgsql as $$
      begin return (select count(*) from widgets); end;
    $$;
    insert into widgets (id) values (1), (2);
  `,
}

const addColour: Migration = {
  name: '9999-01-02_b_colour.sql',
  sql: 'alter table widgets add column colour text',
}

const tableExists = async (db: Db, name: string) =>
  (await sql<{ found: string | null }>`select to_regclass(${name}) as found`.execute(db)).rows[0]
    ?.found !== null

const recorded = async (db: Db) =>
  (await db.selectFrom('schema_migrations').select('name').orderBy('name').execute()).map(
    (r) => r.name,
  )

describe('migrate', () => {
  test('applies pending migrations in name order, each recorded once', async ({ db }) => {
    const result = await migrate(db, await withProject(addColour, createWidgets))
    expect(result.applied).toEqual([createWidgets.name, addColour.name])
    const count = await sql<{ n: bigint }>`select widget_count() as n`.execute(db)
    expect(count.rows[0]?.n).toBe(2n)
    const again = await migrate(db, await withProject(createWidgets, addColour))
    expect(again.applied).toEqual([])
    expect(await recorded(db)).toEqual(expect.arrayContaining([createWidgets.name, addColour.name]))
  })

  test('a failing migration leaves nothing behind and is named', async ({ db }) => {
    const broken: Migration = {
      name: '9999-01-03_c_broken.sql',
      sql: 'create table gadgets (id int primary key); insert into no_such_table values (1);',
    }
    const run = migrate(db, await withProject(createWidgets, broken))
    await expect(run).rejects.toThrow(MigrationError)
    await expect(run).rejects.toThrow(/9999-01-03_c_broken\.sql/)
    expect(await tableExists(db, 'gadgets')).toBe(false)
    expect(await tableExists(db, 'widgets')).toBe(true)
    expect(await recorded(db)).not.toContain(broken.name)
  })

  test('refuses a migration edited after it was applied', async ({ db }) => {
    await migrate(db, await withProject(createWidgets))
    const edited = { ...createWidgets, sql: `${createWidgets.sql}\nselect 1;` }
    await expect(migrate(db, await withProject(edited))).rejects.toThrow(/was changed after/)
  })

  test('does not count line-ending changes as edits', async ({ db }) => {
    await migrate(db, await withProject(createWidgets))
    const crlf = { ...createWidgets, sql: createWidgets.sql.replace(/\n/g, '\r\n') }
    await expect(migrate(db, await withProject(crlf))).resolves.toEqual({ applied: [] })
  })

  test('refuses to run older code against a newer database', async ({ db }) => {
    await migrate(db, await withProject(createWidgets, addColour))
    await expect(migrate(db, await withProject(createWidgets))).rejects.toThrow(
      /does not know \(9999-01-02_b_colour\.sql\)/,
    )
  })

  test('logs each migration it applies', async ({ db }) => {
    const lines: string[] = []
    const logger = createLogger({ level: 'info', write: (l) => lines.push(l) })
    await migrate(db, await withProject(createWidgets), logger)
    expect(lines.map((l) => JSON.parse(l))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: 'migration applied', migration: createWidgets.name }),
      ]),
    )
  })
})

if (inject('testDb').kind === 'postgres') {
  describe('migrate on shared Postgres', () => {
    test('concurrent migrators apply each migration exactly once', async ({ testDb }) => {
      const silent = createLogger({ level: 'silent', write: () => {} })
      const pools = Array.from({ length: 4 }, () =>
        createPostgresDb({ url: testDb.url ?? '', poolMax: 2, logger: silent }),
      )
      try {
        const migrations = await withProject(createWidgets, addColour)
        const results = await Promise.all(pools.map((db) => migrate(db, migrations)))
        expect(results.flatMap((r) => r.applied).sort()).toEqual(
          [createWidgets.name, addColour.name].sort(),
        )
        const count = await sql<{ n: bigint }>`select widget_count() as n`.execute(testDb.db)
        expect(count.rows[0]?.n).toBe(2n)
      } finally {
        await Promise.all(pools.map((db) => db.destroy()))
      }
    })
  })
}
