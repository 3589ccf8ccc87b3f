import { sql } from 'kysely'
import type { Db } from '../../src/db/schema.ts'

/**
 * Every row of every table, but for when a key was last used (any authenticated call may touch
 * it): compared before and after a refused request, it shows that nothing was stored or changed.
 */
export async function everything(db: Db): Promise<Record<string, unknown>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'schema_migrations'
    order by table_name`.execute(db)
  const all: Record<string, unknown> = {}
  for (const { name } of tables.rows) {
    const rows = await sql<{ rows: string }>`
      select coalesce(jsonb_agg(to_jsonb(t) - 'last_used_at' order by to_jsonb(t)::text), '[]')::text
        as rows from ${sql.table(name)} t`.execute(db)
    all[name] = JSON.parse(rows.rows[0]?.rows ?? '[]')
  }
  return all
}
