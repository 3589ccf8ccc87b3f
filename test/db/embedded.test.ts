import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { openEmbeddedDb } from '../../src/db/pglite.ts'

describe('embedded PGlite database', () => {
  it('keeps data across close and reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cashout-embedded-'))
    const first = await openEmbeddedDb(dir)
    try {
      await sql`create table notes (id int8 primary key, body text)`.execute(first.db)
      await sql`insert into notes values (1, 'kept')`.execute(first.db)
    } finally {
      await first.close()
    }

    const second = await openEmbeddedDb(dir)
    try {
      const rows = await sql<{ id: bigint; body: string }>`select * from notes`.execute(second.db)
      expect(rows.rows).toEqual([{ id: 1n, body: 'kept' }])
    } finally {
      await second.close()
    }
  })
})
