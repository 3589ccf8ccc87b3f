import { type RawBuilder, sql } from 'kysely'
import { describe, expect } from 'vitest'
import { registerProvider } from '../support/client.ts'
import { resetToSnapshot, takeSnapshot } from '../support/fast-reset.ts'
import { test } from '../support/fixtures.ts'

// Every test's database is emptied this way between tests on PGlite: it must leave no row
// behind, and must refuse (for a full reset) once a test has changed the schema.
describe('resetting a test database by truncation', () => {
  test('empties every table and keeps the schema', async ({ harness, db }) => {
    const snapshot = await takeSnapshot(db)
    await registerProvider(harness.app)
    expect(
      Number(
        (await sql<{ n: string }>`select count(*) as n from providers`.execute(db)).rows[0]?.n,
      ),
    ).toBe(1)
    expect(await resetToSnapshot(db, snapshot)).toBe(true)
    for (const table of snapshot.tables) {
      const { rows } = await sql<{
        n: string
      }>`select count(*) as n from ${sql.table(table)}`.execute(db)
      expect([table, Number(rows[0]?.n)]).toEqual([table, 0])
    }
    expect(snapshot.tables).toContain('claims')
    // And the app works on it afterwards.
    await registerProvider(harness.app)
  })

  test.for<{ what: string; changes: RawBuilder<unknown>[] }>([
    { what: 'a column', changes: [sql`alter table providers add column extra text`] },
    {
      what: 'a trigger',
      changes: [
        sql`create function noop() returns trigger language plpgsql as $$ begin return new; end $$`,
        sql`create trigger noop before insert on claims for each row execute function noop()`,
      ],
    },
    { what: 'an index', changes: [sql`create index extra_index on claims (points)`] },
    {
      what: 'a migration row',
      changes: [
        sql`delete from schema_migrations where name = (select max(name) from schema_migrations)`,
      ],
    },
  ])('refuses after a test changed the schema: $what', async ({ changes }, { db }) => {
    const snapshot = await takeSnapshot(db)
    for (const change of changes) await change.execute(db)
    expect(await resetToSnapshot(db, snapshot)).toBe(false)
  })
})
