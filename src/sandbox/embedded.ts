import { join } from 'node:path'
import type { Clock } from '../clock.ts'
import type { Config } from '../config.ts'
import type { Logger } from '../log/logger.ts'
import { createSandbox } from './app.ts'
import { serveSandbox } from './server.ts'
import { fileStore } from './store.ts'

const SANDBOX_BALANCE_MINOR = 1_000_000_000

/**
 * The sandbox test mode pays through when SANDBOX_URL is unset: served inside this process on
 * a loopback port, its state kept in DATA_DIR, and still reached over real HTTP.
 */
export async function startEmbeddedSandbox(
  config: Pick<Config, 'dataDir' | 'testRail'>,
  deps: { clock: Clock; logger: Logger },
): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const sandbox = createSandbox({
    store: fileStore(join(config.dataDir, 'sandbox-state.json'), SANDBOX_BALANCE_MINOR),
    clock: deps.clock,
    timeScale: config.testRail.timeScale,
    fetch: globalThis.fetch,
    logger: deps.logger.child({ component: 'sandbox' }),
    credentials: { appId: config.testRail.appId, secretKey: config.testRail.secretKey },
  })
  return serveSandbox(sandbox, 0)
}
