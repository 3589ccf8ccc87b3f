import { systemClock } from '../clock.ts'
import { ConfigError } from '../config.ts'
import { createLogger } from '../log/logger.ts'
import { createSandbox } from '../sandbox/app.ts'
import { parseSandboxConfig } from '../sandbox/config.ts'
import { serveSandbox } from '../sandbox/server.ts'
import { fileStore, memoryStore } from '../sandbox/store.ts'

/** `npm run sandbox`: the Hello Clever sandbox on its own port, with its own state. */
async function main() {
  let config: ReturnType<typeof parseSandboxConfig>
  try {
    config = parseSandboxConfig(process.env)
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`)
    process.exit(1)
  }
  const logger = createLogger({
    level: config.logLevel,
    write: (line) => process.stdout.write(`${line}\n`),
  })
  const store = config.stateFile
    ? fileStore(config.stateFile, config.balanceMinor)
    : memoryStore(config.balanceMinor)
  const sandbox = createSandbox({
    store,
    clock: systemClock,
    timeScale: config.timeScale,
    fetch: globalThis.fetch,
    logger,
    credentials: { appId: config.appId, secretKey: config.secretKey },
    cashbackMode: config.withdrawMode === 'cashback',
  })
  const loopback = ['127.0.0.1', '::1', 'localhost'].includes(config.host)
  if (!loopback && config.appId === 'sandbox-app-id') {
    logger.warn(
      'the sandbox listens beyond loopback with its default credentials; set SANDBOX_APP_ID and SANDBOX_SECRET_KEY',
    )
  }
  const running = await serveSandbox(sandbox, config.port, config.host)
  logger.info(`Hello Clever sandbox listening at ${running.baseUrl}`, {
    app_id: config.appId,
    time_scale: config.timeScale,
    state_file: config.stateFile ?? null,
  })
  const stop = async () => {
    await running.close()
    process.exit(0)
  }
  process.once('SIGTERM', () => void stop())
  process.once('SIGINT', () => void stop())
}

void main()
