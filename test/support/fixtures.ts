import { test as base } from 'vitest'
import type { Db } from '../../src/db/schema.ts'
import { buildTestApp } from './app.ts'
import { createTestDb, type TestDb } from './db.ts'

interface Fixtures {
  testDb: TestDb
  db: Db
  harness: ReturnType<typeof buildTestApp>
}

/** `test` with a fresh database per test (`db`) and the app built over it (`harness`). */
export const test = base.extend<Fixtures>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
  testDb: async ({}, use) => {
    const testDb = await createTestDb()
    try {
      await use(testDb)
    } finally {
      await testDb.close()
    }
  },
  db: async ({ testDb }, use) => {
    await use(testDb.db)
  },
  harness: async ({ db }, use) => {
    await use(buildTestApp(db))
  },
})
