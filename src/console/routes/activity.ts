import { createRouter } from '../../http/router.ts'
import type { ConsoleEnv } from '../http.ts'

/** The activity section of the store owner's console. */
export function consoleActivityRoutes() {
  return createRouter<ConsoleEnv>()
}
