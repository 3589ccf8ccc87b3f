import { rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { loadMigrationFiles } from '../../src/db/migration-files.ts'
import { migrate } from '../../src/db/migrator.ts'
import { kyselyOverPglite, pgliteOptions } from '../../src/db/pglite.ts'
import { createPostgresDb } from '../../src/db/postgres.ts'
import { createLogger } from '../../src/log/logger.ts'
import { servedDocument } from './app.ts'
import { buildDist } from './build.ts'
import type { ConformanceDocument } from './conformance.ts'
import { databaseUrl } from './pg-admin.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    testDb:
      | { kind: 'pglite'; dump: string }
      | { kind: 'postgres'; adminUrl: string; template: string }
    /** The app's OpenAPI document, that every test app's responses are checked against. */
    openapi: ConformanceDocument
  }
}

const silent = createLogger({ level: 'silent', write: () => {} })

/**
 * Migrates one template per run; every test then gets a fresh copy of it: a PGlite loaded from
 * a data-dir dump, or a Postgres database created from a template database.
 */
export async function setup(project: TestProject) {
  buildDist()
  const adminUrl = process.env.TEST_DATABASE_URL
  const migrations = await loadMigrationFiles()
  if (adminUrl) {
    const template = `cashout_test_tpl_${process.pid}`
    const admin = new pg.Client({ connectionString: adminUrl })
    await admin.connect()
    await admin.query(`drop database if exists ${template} with (force)`)
    await admin.query(`create database ${template}`)
    const db = createPostgresDb({
      url: databaseUrl(adminUrl, template),
      poolMax: 1,
      logger: silent,
    })
    await migrate(db, migrations)
    project.provide('openapi', await servedDocument(db))
    await db.destroy()
    project.provide('testDb', { kind: 'postgres', adminUrl, template })
    return async () => {
      const leftovers = await admin.query<{ datname: string }>(
        `select datname from pg_database where datname like $1`,
        [`cashout_test_${process.pid}_%`],
      )
      for (const { datname } of leftovers.rows) {
        await admin.query(`drop database if exists ${datname} with (force)`)
      }
      await admin.query(`drop database if exists ${template} with (force)`)
      await admin.end()
    }
  }
  const pglite = new PGlite(pgliteOptions)
  const db = kyselyOverPglite(pglite)
  await migrate(db, migrations)
  project.provide('openapi', await servedDocument(db))
  const dump = await pglite.dumpDataDir('none')
  await db.destroy()
  const path = join(tmpdir(), `cashout-test-template-${process.pid}.tar`)
  await writeFile(path, Buffer.from(await dump.arrayBuffer()))
  project.provide('testDb', { kind: 'pglite', dump: path })
  return () => rm(path, { force: true })
}
