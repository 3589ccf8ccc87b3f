import { createErrorHandler } from '../errors/handler.ts'
import { createRouter } from '../http/router.ts'
import type { Logger } from '../log/logger.ts'
import { consoleErrorHandler } from './http.ts'
import { consoleAccountRoutes } from './routes/account.ts'
import { consoleActivityRoutes } from './routes/activity.ts'
import { consoleAuthRoutes } from './routes/auth.ts'
import { consoleClaimsRoutes } from './routes/claims.ts'
import { consoleFloatRoutes } from './routes/float.ts'
import { consoleKeysRoutes } from './routes/keys.ts'
import { consoleOperatorRoutes } from './routes/operator.ts'
import { overviewRoutes } from './routes/overview.ts'
import { consoleRulesRoutes } from './routes/rules.ts'
import { consoleSettingsRoutes } from './routes/settings.ts'
import { consoleTeamRoutes } from './routes/team.ts'
import { consoleWebhooksRoutes } from './routes/webhooks.ts'

/**
 * The console: server-rendered pages for store owners (`/console`) and the operator
 * (`/console/operator`). Each section's routes call the same verbs as the API.
 */
export function consoleRoutes(logger: Logger) {
  const router = createRouter()
  // Set before the sections are added: Hono wraps each route with the handler it finds then.
  router.onError(consoleErrorHandler(createErrorHandler(logger)))
  return router
    .route('/', consoleAuthRoutes())
    .route('/', overviewRoutes())
    .route('/', consoleRulesRoutes())
    .route('/', consoleClaimsRoutes())
    .route('/', consoleFloatRoutes())
    .route('/', consoleWebhooksRoutes())
    .route('/', consoleKeysRoutes())
    .route('/', consoleTeamRoutes())
    .route('/', consoleSettingsRoutes())
    .route('/', consoleActivityRoutes())
    .route('/', consoleAccountRoutes())
    .route('/', consoleOperatorRoutes())
}
