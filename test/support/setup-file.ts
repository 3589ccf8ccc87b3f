import { afterAll, afterEach } from 'vitest'
import { describeNonconformance } from './conformance.ts'
import { takeNonconformances } from './conformance-hook.ts'
import { closeIdlePglite, dropIdlePostgres } from './db.ts'

// A response that broke the OpenAPI document already failed its request; this fails the test
// too when that error was caught on the way (by a client that retries, a sandbox callback).
afterEach(({ task }) => {
  const found = takeNonconformances()
  if (found.length === 0 || task.result?.state === 'fail') return
  throw new Error(found.map(describeNonconformance).join('\n'))
})

afterAll(async () => {
  await closeIdlePglite()
  await dropIdlePostgres()
})
