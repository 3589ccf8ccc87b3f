import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/open.ts'
import { captureLogger } from '../support/app.ts'

/** Every path under `dir` (itself included) with the permission bits others could use. */
function openToOthers(dir: string): string[] {
  const loose: string[] = []
  const visit = (path: string) => {
    const stat = lstatSync(path)
    if ((stat.mode & 0o077) !== 0) loose.push(`${path} ${(stat.mode & 0o777).toString(8)}`)
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name))
  }
  visit(dir)
  return loose
}

const modeOf = (path: string) => lstatSync(path).mode & 0o777

describe('the embedded data directory', () => {
  it('is created private: directories 0700, nothing readable by group or others', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'cashout-private-')), 'data')
    const { logger, logs } = captureLogger()
    const handle = await openDatabase({ kind: 'pglite', dataDir }, logger)
    try {
      expect(modeOf(dataDir)).toBe(0o700)
      expect(modeOf(join(dataDir, 'pgdata'))).toBe(0o700)
      expect(openToOthers(dataDir)).toEqual([])
      // The write-ahead log and tables it writes while running, holder names and amounts.
      await sql`create table holders (name text, amount int8)`.execute(handle.db)
      await sql`insert into holders values ('Jane Citizen', 2500)`.execute(handle.db)
    } finally {
      await handle.close()
    }
    expect(openToOthers(dataDir)).toEqual([])
    // A new directory is not a loosened one: nothing to warn about.
    expect(logs.entries().filter((e) => e.level === 'warn')).toEqual([])
  })

  it('tightens a directory left open by an earlier start, and says so', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cashout-loose-'))
    // What earlier versions left behind: PGlite's files 0644 in directories 0755.
    const earlier = new PGlite(join(dataDir, 'pgdata'))
    await earlier.waitReady
    await earlier.close()
    mkdirSync(join(dataDir, 'backups'), { mode: 0o755 })
    writeFileSync(join(dataDir, 'backups', 'notes.txt'), 'names', { mode: 0o644 })
    chmodSync(dataDir, 0o755)
    expect(openToOthers(dataDir).length).toBeGreaterThan(10)

    const { logger, logs } = captureLogger()
    const handle = await openDatabase({ kind: 'pglite', dataDir }, logger)
    try {
      expect(openToOthers(dataDir)).toEqual([])
    } finally {
      await handle.close()
    }
    expect(modeOf(join(dataDir, 'backups', 'notes.txt'))).toBe(0o600)
    const warnings = logs.entries().filter((e) => e.level === 'warn')
    expect(warnings).toEqual([
      expect.objectContaining({
        msg: expect.stringContaining(dataDir),
        path: dataDir,
        tightened: expect.any(Number),
      }),
    ])
  })
})
