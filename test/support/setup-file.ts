import { afterAll } from 'vitest'
import { closeIdlePglite, dropIdlePostgres } from './db.ts'

afterAll(async () => {
  await closeIdlePglite()
  await dropIdlePostgres()
})
