import { type App, createApp } from '../app.ts'
import { sweepExpiredClaims } from '../claims/expire.ts'
import { sweepClaimReminders } from '../claims/remind.ts'
import { systemClock } from '../clock.ts'
import type { Config } from '../config.ts'
import { createVault } from '../crypto/vault.ts'
import { createPostgresDb } from '../db/postgres.ts'
import type { AppDeps } from '../deps.ts'
import { createLogger } from '../log/logger.ts'
import { memoryRateLimiter } from '../page/rate-limit.ts'
import { buildRails } from '../payouts/rail/rails.ts'
import { watchPayouts } from '../payouts/watch.ts'
import { runPayoutBatch } from '../payouts/worker.ts'
import { providerCache } from '../providers/cache.ts'
import { pruneDeliveries } from '../webhooks/prune.ts'
import { fetchTransport } from '../webhooks/transport.ts'
import { runWebhookBatch } from '../webhooks/worker.ts'
import { type Invocation, invocationScope } from './scope.ts'
import { corkedStream } from './socket.ts'

/** What an isolate builds once and keeps: the app, its deps, and the invocation scope. */
export interface Isolate {
  app: App
  deps: AppDeps
  /** Serves a request on its own connection, then starts the work it created. */
  fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response>
  /** The cron's run: the sweeps and a round of payouts and webhooks, each on its own connection. */
  scheduled(): Promise<void>
}

/**
 * Builds the app once per isolate (about 5 ms of CPU that a request no longer pays). Rate limits,
 * the key cache and the rail's circuit live per isolate too: see README, "Deploy to Cloudflare".
 */
export function buildIsolate(config: Config): Isolate {
  if (config.database.kind !== 'postgres' || !config.keys || !config.testRail.baseUrl) {
    throw new Error('the worker needs Hyperdrive, keys and a sandbox URL (see workerConfig)')
  }
  const url = config.database.url
  const logger = createLogger({ level: config.logLevel, write: (line) => console.log(line) })
  const scope = invocationScope()
  const connect = () => createPostgresDb({ url, poolMax: 1, logger, stream: corkedStream })
  const deps: AppDeps = {
    config,
    db: scope.db,
    clock: systemClock,
    logger,
    vault: createVault(config.keys),
    rails: buildRails(config, {
      sandboxBaseUrl: config.testRail.baseUrl,
      fetch: (input, init) => fetch(input, init),
    }),
    limiter: memoryRateLimiter(),
    cache: providerCache(),
    webhooks: fetchTransport({
      allowLoopback: config.allowLoopbackEndpoints,
      fetch: (input, init) => fetch(input, init),
    }),
    wakePayouts: () => {
      scope.current().wake.payouts = true
    },
    wakeWebhooks: () => {
      scope.current().wake.webhooks = true
    },
  }
  const app = createApp(deps)
  const workerId = () => `worker:${crypto.randomUUID()}`

  /** Runs `work` on a connection of its own, closed when it ends, however it ends. */
  async function invoke<T>(work: (invocation: Invocation) => Promise<T>): Promise<T> {
    const invocation: Invocation = { db: connect(), wake: { payouts: false, webhooks: false } }
    try {
      return await scope.run(invocation, () => work(invocation))
    } finally {
      await invocation.db.destroy()
    }
  }

  /**
   * What a request set moving, right after its response: a submit's rail call, a callback's or a
   * cancel's webhooks. A payout round may queue webhooks, so they go after it, in one invocation.
   * The cron still retries whatever this leaves (a lease that lapsed, a retry not yet due).
   */
  async function followUp(wake: Invocation['wake']) {
    await invoke(async (invocation) => {
      if (wake.payouts) await runPayoutBatch({ deps, workerId: workerId() })
      if (wake.webhooks || invocation.wake.webhooks) {
        await runWebhookBatch({ deps, workerId: workerId() })
      }
    })
  }

  return {
    app,
    deps,
    async fetch(request, env, ctx) {
      const invocation: Invocation = { db: connect(), wake: { payouts: false, webhooks: false } }
      let response: Response
      try {
        response = await scope.run(invocation, () => Promise.resolve(app.fetch(request, env, ctx)))
      } catch (error) {
        ctx.waitUntil(invocation.db.destroy())
        throw error
      }
      const close = async () => {
        await invocation.db.destroy()
        const { wake } = invocation
        if (wake.payouts || wake.webhooks) await followUp(wake)
      }
      return closeWhenSent(response, ctx, () =>
        close().catch((error) => logger.error('work after a response failed', { error })),
      )
    },
    async scheduled() {
      const rounds = [
        () => sweepExpiredClaims({ deps }),
        () => sweepClaimReminders({ deps }),
        () => pruneDeliveries({ deps }),
        () => watchPayouts(deps),
        () => runPayoutBatch({ deps, workerId: workerId() }),
        () => runWebhookBatch({ deps, workerId: workerId() }),
      ]
      // Each round on its own connection: one that fails cannot close another's under it.
      const runs = rounds.map((round) =>
        invoke(round).catch((error) => logger.error('a scheduled round failed', { error })),
      )
      await Promise.all(runs)
    },
  }
}

/**
 * A response body may still read the database as it streams (the CSV exports page through
 * claims), so the request's connection is closed once the body has been sent, not before.
 */
function closeWhenSent(response: Response, ctx: ExecutionContext, close: () => Promise<void>) {
  if (!response.body) {
    ctx.waitUntil(close())
    return response
  }
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>()
  ctx.waitUntil(
    response.body
      .pipeTo(writable)
      .catch(() => undefined)
      .then(close),
  )
  return new Response(readable, response)
}
