import { createRouter } from '../../http/router.ts'
import type { ConsoleEnv } from '../http.ts'

/** The claims section of the store owner's console. */
export function consoleClaimsRoutes() {
  return createRouter<ConsoleEnv>()
}
