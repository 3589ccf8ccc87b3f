import { createApp } from './app.ts'
import { sweepExpiredClaims } from './claims/expire.ts'
import { systemClock } from './clock.ts'
import { type Config, ConfigError, parseConfig } from './config.ts'
import { createVault } from './crypto/vault.ts'
import { createPostgresDb } from './db/postgres.ts'
import type { AppDeps } from './deps.ts'
import { createLogger } from './log/logger.ts'
import { memoryRateLimiter } from './page/rate-limit.ts'
import { buildRails } from './payouts/rail/rails.ts'
import { watchPayouts } from './payouts/watch.ts'
import { runPayoutBatch } from './payouts/worker.ts'
import { providerCache } from './providers/cache.ts'
import { fetchTransport } from './webhooks/transport.ts'
import { runWebhookBatch } from './webhooks/worker.ts'

export interface Env {
  HYPERDRIVE: Hyperdrive
  PUBLIC_URL?: string
  OPERATOR_TOKEN?: string
  REGISTRATION_TOKEN?: string
  RAIL?: string
  HELLO_CLEVER_API?: string
  SANDBOX_URL?: string
  SANDBOX_APP_ID?: string
  SANDBOX_SECRET_KEY?: string
  HELLO_CLEVER_BASE_URL?: string
  HELLO_CLEVER_APP_ID?: string
  HELLO_CLEVER_SECRET_KEY?: string
  ENCRYPTION_KEYS?: string
  HMAC_KEY?: string
  LOG_LEVEL?: string
}

/** Requests in one isolate share a limiter; isolates do not (a per-instance limit, as on Node). */
const isolateLimiter = memoryRateLimiter()
/** Likewise keys and claim contexts, for a few seconds (see providers/cache.ts). */
const isolateCache = providerCache()

/** Deps for one invocation: Postgres through Hyperdrive, closed by the caller. */
function workerDeps(env: Env): AppDeps | Response {
  const config = workerConfig(env)
  if (config instanceof Response) return config
  if (config.database.kind !== 'postgres') return misconfigured(['HYPERDRIVE: binding missing'])
  if (!config.keys) return misconfigured(['ENCRYPTION_KEYS and HMAC_KEY: required on Workers'])
  if (!config.testRail.baseUrl) {
    return misconfigured([
      'SANDBOX_URL: required on Workers (test mode pays through a sandbox, which cannot run inside one)',
    ])
  }
  const logger = createLogger({ level: config.logLevel, write: (line) => console.log(line) })
  const db = createPostgresDb({ url: config.database.url, poolMax: 1, logger })
  const rails = buildRails(config, {
    sandboxBaseUrl: config.testRail.baseUrl,
    fetch: (input, init) => fetch(input, init),
  })
  return {
    config: { ...config, clientIpSource: 'cloudflare' },
    db,
    clock: systemClock,
    logger,
    vault: createVault(config.keys),
    rails,
    limiter: isolateLimiter,
    cache: isolateCache,
    webhooks: fetchTransport({
      allowLoopback: config.allowLoopbackEndpoints,
      fetch: (input, init) => fetch(input, init),
    }),
  }
}

/**
 * Workers entry: parse the bindings, build the app for this request, serve it, and close the
 * connection once the response is out. The cron trigger runs the background sweeps.
 */
export default {
  async fetch(request, env, ctx) {
    const deps = workerDeps(env)
    if (deps instanceof Response) return deps
    try {
      return await createApp(deps).fetch(request, env, ctx)
    } finally {
      ctx.waitUntil(deps.db.destroy())
    }
  },
  async scheduled(_controller, env, ctx) {
    const deps = workerDeps(env)
    if (deps instanceof Response) return
    const work = Promise.all([
      sweepExpiredClaims({ deps }),
      watchPayouts(deps),
      runPayoutBatch({ deps, workerId: `worker:${crypto.randomUUID()}` }),
      runWebhookBatch({ deps, workerId: `worker:${crypto.randomUUID()}` }),
    ])
    ctx.waitUntil(work.finally(() => deps.db.destroy()))
  },
} satisfies ExportedHandler<Env>

function workerConfig(env: Env): Config | Response {
  if (!env.PUBLIC_URL) return misconfigured(['PUBLIC_URL: required on Workers'])
  try {
    return parseConfig({
      PUBLIC_URL: env.PUBLIC_URL,
      OPERATOR_TOKEN: env.OPERATOR_TOKEN,
      REGISTRATION_TOKEN: env.REGISTRATION_TOKEN,
      RAIL: env.RAIL,
      HELLO_CLEVER_API: env.HELLO_CLEVER_API,
      SANDBOX_URL: env.SANDBOX_URL,
      SANDBOX_APP_ID: env.SANDBOX_APP_ID,
      SANDBOX_SECRET_KEY: env.SANDBOX_SECRET_KEY,
      HELLO_CLEVER_BASE_URL: env.HELLO_CLEVER_BASE_URL,
      HELLO_CLEVER_APP_ID: env.HELLO_CLEVER_APP_ID,
      HELLO_CLEVER_SECRET_KEY: env.HELLO_CLEVER_SECRET_KEY,
      ENCRYPTION_KEYS: env.ENCRYPTION_KEYS,
      HMAC_KEY: env.HMAC_KEY,
      LOG_LEVEL: env.LOG_LEVEL,
      DATABASE_URL: env.HYPERDRIVE?.connectionString,
    })
  } catch (error) {
    if (error instanceof ConfigError) return misconfigured(error.problems)
    throw error
  }
}

function misconfigured(problems: string[]): Response {
  console.error(`Invalid configuration: ${problems.join('; ')}`)
  return Response.json(
    {
      message: 'Cashout is not configured correctly; the operator has been told.',
      code: 'internal_error',
      request_id: '',
    },
    { status: 500 },
  )
}
