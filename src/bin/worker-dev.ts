import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { base64url } from 'jose'
import pg from 'pg'
import { startWorkerDev } from '../bench/wrangler.ts'
import { systemClock } from '../clock.ts'
import { randomBytes } from '../crypto/bytes.ts'
import { loadMigrationFiles } from '../db/migration-files.ts'
import { migrate } from '../db/migrator.ts'
import { createPostgresDb } from '../db/postgres.ts'
import { createLogger } from '../log/logger.ts'
import { createSandbox } from '../sandbox/app.ts'
import { serveSandbox } from '../sandbox/server.ts'
import { memoryStore } from '../sandbox/store.ts'

const DEV_VARS = '.dev.vars'
const key = () => base64url.encode(randomBytes(32))

/**
 * `npm run worker:dev`: Cashout in workerd on this machine, as it runs on Cloudflare. It
 * creates and migrates the database in DATABASE_URL, writes `.dev.vars` with fresh secrets the
 * first time, starts a sandbox rail if `.dev.vars` points at one on loopback that is not
 * running, then `wrangler dev` on PORT (8787).
 */
async function main() {
  const logger = createLogger({ level: 'info', write: (line) => process.stdout.write(`${line}\n`) })
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cashout'
  const port = Number(process.env.PORT ?? 8787)
  await createDatabaseIfMissing(databaseUrl)
  const db = createPostgresDb({ url: databaseUrl, poolMax: 1, logger })
  try {
    await migrate(db, await loadMigrationFiles(), logger)
  } finally {
    await db.destroy()
  }

  if (!existsSync(DEV_VARS)) {
    writeFileSync(DEV_VARS, devVars(port), { mode: 0o600 })
    logger.info(`wrote ${DEV_VARS} with fresh keys and an operator token (kept out of git)`)
  }
  chmodSync(DEV_VARS, 0o600)
  const vars = readDevVars(readFileSync(DEV_VARS, 'utf8'))
  const sandbox = await sandboxFor(vars.SANDBOX_URL, logger)

  const worker = await startWorkerDev({
    port,
    databaseUrl,
    timeoutMs: 120_000,
    echo: true,
    env: process.env,
  })
  logger.info(`Cashout (Workers, local) is ready at ${worker.url}`, {
    database: databaseUrl.replace(/\/\/[^@]*@/, '//'),
    sandbox: vars.SANDBOX_URL ?? null,
    secrets: `in ${DEV_VARS}`,
  })
  const stop = async () => {
    await worker.stop()
    await sandbox?.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
}

function devVars(port: number): string {
  return [
    '# Secrets and settings for `npm run worker:dev` (wrangler reads this file). Not committed.',
    `PUBLIC_URL=http://127.0.0.1:${port}`,
    'RAIL=sandbox',
    'REGISTRATION_OPEN=true',
    'SANDBOX_URL=http://127.0.0.1:4010/api',
    'ALLOW_LOOPBACK_ENDPOINTS=true',
    `ENCRYPTION_KEYS=dev:${key()}`,
    `HMAC_KEY=${key()}`,
    `OPERATOR_TOKEN=${key()}`,
    '',
  ].join('\n')
}

/** `NAME=value` lines, as wrangler reads them; comments and blank lines skipped. */
function readDevVars(text: string): Record<string, string> {
  const vars: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line)
    if (match?.[1]) vars[match[1]] = (match[2] ?? '').replace(/^"(.*)"$/, '$1')
  }
  return vars
}

/** A sandbox on the loopback port SANDBOX_URL names, unless one already answers there. */
async function sandboxFor(url: string | undefined, logger: ReturnType<typeof createLogger>) {
  if (!url) return undefined
  const target = new URL(url)
  if (!['127.0.0.1', 'localhost'].includes(target.hostname)) return undefined
  const answering = await fetch(`${target.origin}/sandbox/magic`).then(
    () => true,
    () => false,
  )
  if (answering) return undefined
  const sandbox = createSandbox({
    store: memoryStore(100_000_000_000),
    clock: systemClock,
    timeScale: 1,
    fetch: globalThis.fetch,
    logger,
    credentials: { appId: 'sandbox-app-id', secretKey: 'sandbox-secret-key' },
  })
  const running = await serveSandbox(sandbox, Number(target.port || 80), '127.0.0.1')
  logger.info(`Hello Clever sandbox listening at ${running.baseUrl}`)
  return running
}

async function createDatabaseIfMissing(url: string) {
  const name = new URL(url).pathname.slice(1)
  const adminUrl = new URL(url)
  adminUrl.pathname = '/postgres'
  const admin = new pg.Client({ connectionString: adminUrl.toString() })
  await admin.connect()
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [name])
    if (found.rowCount === 0) await admin.query(`create database "${name.replaceAll('"', '""')}"`)
  } finally {
    await admin.end()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
