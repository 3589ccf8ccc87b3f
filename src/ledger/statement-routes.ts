import type { ProviderEnv } from '../http/env.ts'
import { createRouter } from '../http/router.ts'

/** GET /cashout/statement.csv, every ledger transfer with a running balance. */
export function statementRoutes() {
  return createRouter<ProviderEnv>()
}
