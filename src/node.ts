import type { Server } from 'node:http'
import { hostname } from 'node:os'
import { serve } from '@hono/node-server'
import { createApp } from './app.ts'
import { sweepExpiredClaims } from './claims/expire.ts'
import { statementGroups } from './claims/groups.ts'
import { sweepClaimReminders } from './claims/remind.ts'
import { systemClock } from './clock.ts'
import { type Config, ConfigError, parseConfig } from './config.ts'
import { loadOrCreateLocalSecrets } from './crypto/key-file.ts'
import { createVault } from './crypto/vault.ts'
import { DataDirError } from './db/data-dir.ts'
import { DirLockedError } from './db/dir-lock.ts'
import { loadMigrationFiles } from './db/migration-files.ts'
import { MigrationError, migrate } from './db/migrator.ts'
import { type DbHandle, openDatabase } from './db/open.ts'
import { readyBanner } from './demo/banner.ts'
import { ensureDemoProvider } from './demo/provider.ts'
import type { AppDeps } from './deps.ts'
import { repeat } from './jobs/interval.ts'
import { startLoop } from './jobs/loop.ts'
import { createLogger, type Logger } from './log/logger.ts'
import { memoryRateLimiter } from './page/rate-limit.ts'
import { buildRails } from './payouts/rail/rails.ts'
import { watchPayouts } from './payouts/watch.ts'
import { runPayoutBatch } from './payouts/worker.ts'
import { providerCache } from './providers/cache.ts'
import { startEmbeddedSandbox } from './sandbox/embedded.ts'
import { nodeTransport } from './webhooks/node-transport.ts'
import { pruneDeliveries } from './webhooks/prune.ts'
import { webhookSender } from './webhooks/worker.ts'

async function main() {
  const parsed = loadConfig()
  const logger = createLogger({
    level: parsed.logLevel,
    write: (line) => process.stdout.write(`${line}\n`),
  })
  const { config, keyring, operatorTokenFile } = withLocalSecrets(parsed, logger)
  const vault = createVault(keyring)
  const handle = await openAndMigrate(config, logger)
  const sandbox = config.testRail.baseUrl
    ? undefined
    : await startEmbeddedSandbox(config, { clock: systemClock, logger })
  const sandboxBaseUrl = config.testRail.baseUrl ?? sandbox?.baseUrl ?? ''
  const rails = buildRails(config, { sandboxBaseUrl, fetch: globalThis.fetch })

  let draining = false
  const workerId = `${hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`
  const deps: AppDeps = {
    config,
    db: handle.db,
    clock: systemClock,
    logger,
    vault,
    rails,
    limiter: memoryRateLimiter(),
    webhooks: nodeTransport({ allowLoopback: config.allowLoopbackEndpoints }),
    cache: providerCache(),
    isDraining: () => draining,
    wakePayouts: () => payouts.wake(),
    wakeWebhooks: () => webhooks.wake(),
  }
  deps.groups = statementGroups(deps)
  const payouts = startLoop('payout worker', () => runPayoutBatch({ deps, workerId }), 1000, logger)
  // Sends run beside the loop, not inside a round: a slow endpoint holds its own slots only,
  // and the sender wakes the loop when a provider's lane runs low.
  const sender = webhookSender({ deps, workerId, wake: () => webhooks.wake() })
  const webhooks = startLoop('webhook worker', () => sender.round(), 1000, logger)
  const sweeper = repeat(
    'expiry sweep, reminders, payout watch and delivery pruning',
    config.sweepIntervalMs,
    async () => {
      const expired = await sweepExpiredClaims({ deps })
      if (expired > 0) logger.info('expired claims', { count: expired })
      const reminded = await sweepClaimReminders({ deps })
      if (reminded > 0) logger.info('sent expiry reminders', { count: reminded })
      await watchPayouts(deps)
      await pruneDeliveries({ deps })
    },
    logger,
  )
  const stopBackground = async () => {
    await Promise.all([sweeper.stop(), payouts.stop(), webhooks.stop().then(() => sender.drain())])
    await sandbox?.close()
    await handle.close()
  }

  const demo = config.demo ? await readyDemo(deps) : undefined
  const app = createApp(deps)
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }) as Server
  server.once('listening', () => {
    logger.info(
      `Cashout is ready at ${config.publicUrl} (API reference: ${config.publicUrl}/docs)`,
      {
        host: config.host,
        port: config.port,
        database: config.database.kind,
        live_rail: config.liveRail ? config.liveRail.baseUrl : 'none (test mode only)',
        test_rail: sandboxBaseUrl,
        hello_clever_api: config.helloCleverApi,
      },
    )
    if (config.demo) process.stderr.write(readyBanner(config.publicUrl, demo, operatorTokenFile))
  })
  server.once('error', async (error: NodeJS.ErrnoException) => {
    logger.error(
      error.code === 'EADDRINUSE'
        ? `Port ${config.port} is already in use; stop the other server or set PORT`
        : 'the HTTP server failed',
      { error },
    )
    await stopBackground()
    process.exit(1)
  })

  const shutdown = async (signal: string) => {
    if (draining) return
    draining = true
    logger.info('shutting down', { signal })
    try {
      await closeServer(server, config.shutdownGraceMs)
      await stopBackground()
    } catch (error) {
      logger.error('shutdown did not complete cleanly', { error })
      process.exit(1)
    }
    logger.info('stopped')
    process.exit(0)
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  process.once('SIGINT', () => void shutdown('SIGINT'))
}

/** A demo provider is a convenience: if it cannot be readied, the server still starts. */
async function readyDemo(deps: AppDeps) {
  try {
    return await ensureDemoProvider({ deps, dataDir: deps.config.dataDir })
  } catch (error) {
    deps.logger.warn('could not ready the demo provider', { error })
    return undefined
  }
}

/**
 * The embedded default keeps generated keys and an operator token in DATA_DIR; anything set in
 * the environment wins. (With DATABASE_URL the keys are required from the environment.)
 */
function withLocalSecrets(config: Config, logger: Logger) {
  if (config.keys && (config.operatorToken || config.database.kind === 'postgres')) {
    return { config, keyring: config.keys, operatorTokenFile: undefined }
  }
  const local = loadOrCreateLocalSecrets(config.dataDir)
  if (!config.operatorToken) {
    logger.info(`The operator token is in ${local.path} (set OPERATOR_TOKEN to choose your own)`)
  }
  return {
    config: { ...config, operatorToken: config.operatorToken ?? local.operatorToken },
    keyring: config.keys ?? local.keyring,
    operatorTokenFile: config.operatorToken ? undefined : local.path,
  }
}

function loadConfig(): Config {
  try {
    return parseConfig(process.env)
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(1)
    }
    throw error
  }
}

async function openAndMigrate(config: Config, logger: Logger): Promise<DbHandle> {
  let handle: DbHandle | undefined
  try {
    handle = await openDatabase(config.database, logger)
    await migrate(handle.db, await loadMigrationFiles(), logger)
    return handle
  } catch (error) {
    if (
      error instanceof DirLockedError ||
      error instanceof DataDirError ||
      error instanceof MigrationError
    ) {
      logger.error(error.message)
    } else {
      logger.error('could not open the database', { error })
    }
    await handle?.close()
    process.exit(1)
  }
}

/**
 * Stops accepting connections and waits for in-flight requests. Keep-alive sockets are closed
 * as soon as they go idle; anything still running after the grace period is cut off.
 */
function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 50)
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs)
    server.close(() => {
      clearInterval(sweep)
      clearTimeout(deadline)
      resolve()
    })
    server.closeIdleConnections()
  })
}

void main()
