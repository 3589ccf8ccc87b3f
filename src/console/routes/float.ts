import { createRouter } from '../../http/router.ts'
import type { ConsoleEnv } from '../http.ts'

/** The float section of the store owner's console. */
export function consoleFloatRoutes() {
  return createRouter<ConsoleEnv>()
}
