import { OpenAPIHono } from '@hono/zod-openapi'
import { validationError } from '../errors/validation.ts'
import type { AppEnv } from './env.ts'
import { strictUtf8Json } from './strict-utf8.ts'

/**
 * Every router is built here so that all of them share the one validation hook: a failed
 * zod check becomes `validation_failed` through the one error handler, never a raw zod body.
 * Every OpenAPI route also decodes a JSON body as strict UTF-8, after the route's own
 * middleware (authentication) and before its validators parse it.
 *
 * Every JSON body a route defines is a `z.strictObject` at every level, so a field the request
 * does not have is refused (named by `fieldErrors`) rather than dropped, and the document says
 * `additionalProperties: false`; test/http/unknown-fields.test.ts holds every route to it.
 */
export function createRouter<E extends AppEnv = AppEnv>() {
  const router = new OpenAPIHono<E>({
    defaultHook: (result) => {
      if (result.success) return
      // @hono/zod-validator passes the raw input beside the error; it tells missing from wrong.
      const input = 'data' in result ? result.data : undefined
      throw validationError(result.error, input, result.target)
    },
  })
  const openapi = router.openapi
  router.openapi = ((route, handler, hook) =>
    openapi(
      { ...route, middleware: [route.middleware ?? [], strictUtf8Json].flat() },
      handler,
      hook,
    )) as typeof openapi
  return router
}

export type Router = ReturnType<typeof createRouter>
