import { OpenAPIHono } from '@hono/zod-openapi'
import { validationError } from '../errors/validation.ts'
import type { AppEnv } from './env.ts'

/**
 * Every router is built here so that all of them share the one validation hook: a failed
 * zod check becomes `validation_failed` through the one error handler, never a raw zod body.
 */
export function createRouter<E extends AppEnv = AppEnv>() {
  return new OpenAPIHono<E>({
    defaultHook: (result) => {
      if (result.success) return
      // @hono/zod-validator passes the raw input beside the error; it tells missing from wrong.
      const input = 'data' in result ? result.data : undefined
      throw validationError(result.error, input, result.target)
    },
  })
}

export type Router = ReturnType<typeof createRouter>
