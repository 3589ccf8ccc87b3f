import { createRouter } from '../../http/router.ts'
import type { ConsoleEnv } from '../http.ts'

/** The keys section of the store owner's console. */
export function consoleKeysRoutes() {
  return createRouter<ConsoleEnv>()
}
