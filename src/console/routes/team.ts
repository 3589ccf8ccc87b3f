import { createRouter } from '../../http/router.ts'
import type { ConsoleEnv } from '../http.ts'

/** The team section of the store owner's console. */
export function consoleTeamRoutes() {
  return createRouter<ConsoleEnv>()
}
