import { afterAll } from 'vitest'
import { closeIdlePglite } from './db.ts'

afterAll(async () => {
  await closeIdlePglite()
})
