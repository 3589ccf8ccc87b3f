import type { MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import type { Logger } from '../log/logger.ts'
import type { AppEnv } from './env.ts'

const QUIET_ROUTES = new Set(['/healthz', '/readyz'])

/**
 * Gives each request a child logger carrying its id, and writes one access line when it ends.
 * The route pattern is logged, not the raw path: claim links carry bearer ids.
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const requestLogger = logger.child({ request_id: c.get('requestId') })
    c.set('logger', requestLogger)
    const started = performance.now()
    await next()
    const route = routePath(c, -1) || c.req.routePath
    const fields = {
      method: c.req.method,
      route,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
    }
    if (QUIET_ROUTES.has(route)) requestLogger.debug('request', fields)
    else requestLogger.info('request', fields)
  }
}
