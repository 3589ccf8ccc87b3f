import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { sql } from 'kysely'
import { createPostgresDb } from '../db/postgres.ts'
import { createLogger } from '../log/logger.ts'

/**
 * The benchmark's yardsticks, run as a process of their own beside Cashout: A is a bare Hono
 * route answering JSON; B is a Hono route doing one INSERT through the same Kysely-over-pg pool
 * Cashout uses, sized the same.
 */
async function main() {
  const url = process.env.DATABASE_URL ?? ''
  const port = Number(process.env.PORT ?? 0)
  const poolMax = Number(process.env.DATABASE_POOL_MAX ?? 10)
  const logger = createLogger({ level: 'warn', write: (line) => process.stderr.write(`${line}\n`) })
  const db = createPostgresDb({ url, poolMax, logger })
  await sql`create table if not exists bench_baseline (
    id bigserial primary key, body jsonb not null, created_at timestamptz not null default now())`.execute(
    db,
  )
  const app = new Hono()
    .get('/a', (c) => c.json({ ok: true, at: Date.now() }))
    .post('/b', async (c) => {
      const body = await c.req.json()
      const row = await sql<{
        id: string
      }>`insert into bench_baseline (body) values (${JSON.stringify(body)}) returning id`.execute(
        db,
      )
      return c.json({ id: String(row.rows[0]?.id) })
    })
    .get('/readyz', (c) => c.json({ ready: true }))
  serve({ fetch: app.fetch, port, hostname: '127.0.0.1' })
  process.once('SIGTERM', async () => {
    await db.destroy()
    process.exit(0)
  })
}

void main()
