import type { ProviderEnv } from '../http/env.ts'
import { createRouter } from '../http/router.ts'

/** GET /cashout/audit, the provider's audit log. */
export function auditRoutes() {
  return createRouter<ProviderEnv>()
}
