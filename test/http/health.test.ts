import { describe, expect } from 'vitest'
import { createPostgresDb } from '../../src/db/postgres.ts'
import { createLogger } from '../../src/log/logger.ts'
import { buildTestApp } from '../support/app.ts'
import { test } from '../support/fixtures.ts'

describe('health', () => {
  test('/healthz answers without touching the database', async ({ harness }) => {
    const res = await harness.app.request('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  test('/readyz is 200 when the database answers', async ({ harness }) => {
    const res = await harness.app.request('/readyz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ready' })
  })

  test('/readyz is 503 not_ready when the database is unreachable', async () => {
    const unreachable = createPostgresDb({
      url: 'postgres://nobody@127.0.0.1:1/none',
      poolMax: 1,
      logger: createLogger({ level: 'silent', write: () => {} }),
    })
    try {
      const { app } = buildTestApp(unreachable)
      const res = await app.request('/readyz')
      expect(res.status).toBe(503)
      const body = await res.json()
      expect(body).toMatchObject({ code: 'not_ready', message: 'The database is not reachable.' })
      expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/)
      const health = await app.request('/healthz')
      expect(health.status).toBe(200)
    } finally {
      await unreachable.destroy()
    }
  })

  test('/readyz is 503 while the process drains', async ({ db }) => {
    let draining = false
    const { app } = buildTestApp(db, { isDraining: () => draining })
    expect((await app.request('/readyz')).status).toBe(200)
    draining = true
    const res = await app.request('/readyz')
    expect(res.status).toBe(503)
    expect((await res.json()).code).toBe('not_ready')
  })
})
