import { createRoute, z } from '@hono/zod-openapi'
import { sql } from 'kysely'
import { DomainError } from '../errors/domain-error.ts'
import { errorResponses, json } from '../http/openapi.ts'
import { createRouter } from '../http/router.ts'

const READY_TIMEOUT_MS = 2000

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['Health'],
  summary: 'Liveness',
  description: 'Answers while the process runs; does not touch the database.',
  responses: { 200: json(z.object({ status: z.literal('ok') }), 'The process is running.') },
})

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['Health'],
  summary: 'Readiness',
  description: 'Answers 200 when the database is reachable and the process is not shutting down.',
  responses: {
    200: json(z.object({ status: z.literal('ready') }), 'Ready to serve traffic.'),
    ...errorResponses(503),
  },
})

export function healthRoutes() {
  return createRouter()
    .openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200))
    .openapi(readyz, async (c) => {
      const { deps } = c.var
      if (deps.isDraining?.()) {
        throw new DomainError('not_ready', { message: 'The service is shutting down.' })
      }
      try {
        await withTimeout(sql`select 1`.execute(deps.db), READY_TIMEOUT_MS)
      } catch (error) {
        c.get('logger').warn('readiness check failed', { error })
        throw new DomainError('not_ready', { message: 'The database is not reachable.' })
      }
      return c.json({ status: 'ready' as const }, 200)
    })
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
