import { sql } from 'kysely'
import type { Db, Tx } from '../../src/db/schema.ts'

/**
 * Emptying a migrated database by truncating its tables takes ~30 ms on PGlite; dropping the
 * schema and migrating again takes ~230 ms, which over two thousand tests is minutes of CI.
 * Truncating is only the same thing while the schema is as migrations left it, so a snapshot
 * records the schema's fingerprint and any rows migrations seed; sequences owned by a column
 * restart with `restart identity` (the schema has none today: its keys are uuids). A reset checks the fingerprint first and reports false when a
 * test changed the schema (a migration test, a test adding a trigger), for a full reset instead.
 */
export interface Snapshot {
  fingerprint: string
  tables: string[]
  seeds: { table: string; rows: string }[]
}

/** Everything a test could change about the schema, and the migrations recorded as applied. */
async function fingerprint(db: Db | Tx): Promise<string> {
  const { rows } = await sql<{ print: string }>`
    select md5(coalesce(string_agg(x, E'\n' order by x), '')) as print from (
      select 'c ' || c.relname || ' ' || c.relkind::text as x
        from pg_class c where c.relnamespace = 'public'::regnamespace
      union all
      select 'a ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
          || ' ' || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
        from pg_attribute a
        join pg_class c on c.oid = a.attrelid and c.relnamespace = 'public'::regnamespace
        left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where a.attnum > 0 and not a.attisdropped
      union all
      select 'k ' || conname || ' ' || pg_get_constraintdef(oid)
        from pg_constraint where connamespace = 'public'::regnamespace
      union all
      select 'i ' || pg_get_indexdef(i.indexrelid)
        from pg_index i join pg_class c on c.oid = i.indexrelid
        where c.relnamespace = 'public'::regnamespace
      union all
      select 't ' || tgname || ' ' || tgrelid::regclass::text || ' ' || tgenabled::text
        from pg_trigger where not tgisinternal
      union all
      select 'f ' || proname || ' ' || md5(prosrc)
        from pg_proc where pronamespace = 'public'::regnamespace
      union all
      select 'e ' || t.typname || ' ' || e.enumlabel
        from pg_enum e join pg_type t on t.oid = e.enumtypid
        where t.typnamespace = 'public'::regnamespace
      union all
      select 'm ' || name from schema_migrations
    ) s`.execute(db)
  return rows[0]?.print ?? ''
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`

/** Taken right after migrating: what a reset brings the database back to. */
export async function takeSnapshot(db: Db): Promise<Snapshot> {
  const { rows: tables } = await sql<{ name: string }>`
    select tablename as name from pg_tables
    where schemaname = 'public' and tablename <> 'schema_migrations' order by tablename`.execute(db)
  const seeds: Snapshot['seeds'] = []
  for (const { name } of tables) {
    const { rows } = await sql<{ rows: string | null }>`
      select json_agg(t)::text as rows from ${sql.table(name)} t`.execute(db)
    if (rows[0]?.rows) seeds.push({ table: name, rows: rows[0].rows })
  }
  return {
    fingerprint: await fingerprint(db),
    tables: tables.map((t) => t.name),
    seeds,
  }
}

/**
 * Back to the snapshot by truncating, in one transaction that waits at most 5 s for a lock;
 * false (and nothing done) when the schema changed.
 */
export async function resetToSnapshot(db: Db, snapshot: Snapshot): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    await sql`set local lock_timeout = '5s'`.execute(tx)
    if ((await fingerprint(tx)) !== snapshot.fingerprint) return false
    if (snapshot.tables.length > 0) {
      await sql
        .raw(`truncate ${snapshot.tables.map(quoted).join(', ')} restart identity cascade`)
        .execute(tx)
    }
    for (const seed of snapshot.seeds) {
      await sql`insert into ${sql.table(seed.table)}
        select * from json_populate_recordset(null::${sql.table(seed.table)}, ${seed.rows}::json)`.execute(
        tx,
      )
    }
    return true
  })
}
