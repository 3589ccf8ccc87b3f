import { join } from 'node:path'
import type { Clock } from '../../clock.ts'
import type { Config } from '../../config.ts'
import type { Logger } from '../../log/logger.ts'
import { createSandbox } from '../../sandbox/app.ts'
import { serveSandbox } from '../../sandbox/server.ts'
import { fileStore } from '../../sandbox/store.ts'
import { helloCleverRail } from './hello-clever.ts'
import type { PayoutRail } from './rail.ts'

const SANDBOX_BALANCE_MINOR = 1_000_000_000

/**
 * The rail the configuration names. With `RAIL=sandbox` and no base URL, the Hello Clever
 * sandbox runs inside this process on a loopback port, its state kept in DATA_DIR, and the
 * client still talks to it over real HTTP.
 */
export async function startRail(
  config: Config,
  deps: { clock: Clock; logger: Logger },
): Promise<{ rail: PayoutRail; baseUrl: string; close(): Promise<void> }> {
  const rail = config.rail
  const connect = (baseUrl: string) =>
    helloCleverRail({
      baseUrl,
      appId: rail.appId,
      secretKey: rail.secretKey,
      timeoutMs: config.railTimeoutMs,
      fetch: globalThis.fetch,
    })
  if (rail.kind === 'hello-clever' || rail.baseUrl) {
    const baseUrl = rail.baseUrl ?? ''
    return { rail: connect(baseUrl), baseUrl, close: async () => {} }
  }
  const sandbox = createSandbox({
    store: fileStore(join(config.dataDir, 'sandbox-state.json'), SANDBOX_BALANCE_MINOR),
    clock: deps.clock,
    timeScale: rail.timeScale,
    fetch: globalThis.fetch,
    logger: deps.logger.child({ component: 'sandbox' }),
    credentials: { appId: rail.appId, secretKey: rail.secretKey },
  })
  const running = await serveSandbox(sandbox, 0)
  return { rail: connect(running.baseUrl), baseUrl: running.baseUrl, close: () => running.close() }
}
