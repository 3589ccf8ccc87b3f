import { createRoute, z } from '@hono/zod-openapi'
import { sql } from 'kysely'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import { errorResponses, json } from '../http/openapi.ts'
import { createRouter } from '../http/router.ts'

const READY_TIMEOUT_MS = 2000

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  security: [],
  operationId: 'checkLiveness',
  tags: ['Health'],
  summary: 'Liveness',
  description: 'Answers while the process runs; does not touch the database.',
  responses: { 200: json(z.object({ status: z.literal('ok') }), 'The process is running.') },
})

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  security: [],
  operationId: 'checkReadiness',
  tags: ['Health'],
  summary: 'Readiness',
  description:
    'Answers 200 when the database is reachable and the process is not shutting down: `ready`, or `degraded` with the problems when a rail refuses Cashout’s credentials (payouts wait; the API and pages still serve).',
  responses: {
    200: json(
      z.object({
        status: z.enum(['ready', 'degraded']),
        problems: z.array(z.string()).optional(),
      }),
      'Ready to serve traffic.',
    ),
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
      const problems = railProblems(deps.rails)
      if (problems.length > 0) return c.json({ status: 'degraded' as const, problems }, 200)
      return c.json({ status: 'ready' as const }, 200)
    })
}

/** A rail whose circuit is open still lets the service serve, but payouts of its mode wait. */
function railProblems(rails: AppDeps['rails']): string[] {
  const problems: string[] = []
  for (const [mode, channel] of [
    ['test', rails.test],
    ['live', rails.live],
  ] as const) {
    const state = channel?.circuit.state()
    if (state?.open) {
      problems.push(
        `The ${mode} rail (${channel?.name}) refuses Cashout’s credentials since ${state.since?.toISOString()}: payouts wait.`,
      )
    }
  }
  return problems
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
