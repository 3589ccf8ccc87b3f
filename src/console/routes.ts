import { createErrorHandler } from '../errors/handler.ts'
import { createRouter } from '../http/router.ts'
import type { Logger } from '../log/logger.ts'
import { consoleErrorHandler } from './http.ts'
import { consoleAuthRoutes } from './routes/auth.ts'
import { overviewRoutes } from './routes/overview.ts'

/**
 * The console: server-rendered pages for store owners (`/console`) and the operator
 * (`/console/operator`). Each section's routes call the same verbs as the API.
 */
export function consoleRoutes(logger: Logger) {
  const router = createRouter()
  // Set before the sections are added: Hono wraps each route with the handler it finds then.
  router.onError(consoleErrorHandler(createErrorHandler(logger)))
  return router.route('/', consoleAuthRoutes()).route('/', overviewRoutes())
}
