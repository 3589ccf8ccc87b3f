import type { ProviderEnv } from '../http/env.ts'
import { createRouter } from '../http/router.ts'

/** GET /cashout/claims.csv, the filtered claims as CSV. */
export function claimExportRoutes() {
  return createRouter<ProviderEnv>()
}
