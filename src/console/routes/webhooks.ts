import { createRouter } from '../../http/router.ts'
import type { ConsoleEnv } from '../http.ts'

/** The webhooks section of the store owner's console. */
export function consoleWebhooksRoutes() {
  return createRouter<ConsoleEnv>()
}
