import { createRouter } from '../../http/router.ts'
import type { OperatorConsoleEnv } from '../http.ts'

/** The operator's console: providers and their floats, payouts needing attention, activity. */
export function consoleOperatorRoutes() {
  return createRouter<OperatorConsoleEnv>()
}
