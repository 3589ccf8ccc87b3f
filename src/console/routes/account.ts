import { createRouter } from '../../http/router.ts'
import type { ConsoleEnv } from '../http.ts'

/** The account section of the store owner's console. */
export function consoleAccountRoutes() {
  return createRouter<ConsoleEnv>()
}
