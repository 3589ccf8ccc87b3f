import { createRouter } from '../../http/router.ts'
import type { ConsoleEnv } from '../http.ts'

/** The settings section of the store owner's console. */
export function consoleSettingsRoutes() {
  return createRouter<ConsoleEnv>()
}
