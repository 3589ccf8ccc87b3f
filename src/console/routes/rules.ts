import { createRouter } from '../../http/router.ts'
import type { ConsoleEnv } from '../http.ts'

/** The rules section of the store owner's console. */
export function consoleRulesRoutes() {
  return createRouter<ConsoleEnv>()
}
