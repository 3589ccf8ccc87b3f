import { createRoute, z } from '@hono/zod-openapi'
import type { Payout } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import { errorResponses, json } from '../http/openapi.ts'
import { createRouter } from '../http/router.ts'
import { text } from '../http/text.ts'
import { jsonInt } from '../money.ts'
import { failPayout, settlePayout } from '../payouts/outcome.ts'
import { findPayout } from '../payouts/repository.ts'
import { asOperator } from './auth.ts'

const SILENT_AFTER_MS = 3600_000

const AttentionPayout = z
  .object({
    id: z.string().uuid(),
    claim: z.string().uuid(),
    provider: z.string(),
    status: z.string(),
    attempt: z.number().int(),
    rail_calls: z.number().int(),
    amount_minor: z.number().int(),
    withdrawal_id: z.string().nullable(),
    failure_reason: z.string().nullable(),
    destination: z.record(z.string(), z.string()),
    updated_at: z.string().datetime(),
  })
  .openapi('AttentionPayout')

/**
 * Payouts code cannot finish alone: accepted by the rail an hour ago with no callback since
 * (Hello Clever gives up after 45 minutes of failed callbacks and offers no status query), or a
 * call the rail refused after an earlier answer was lost.
 */
export async function payoutsNeedingAttention(deps: Pick<AppDeps, 'db' | 'clock'>) {
  const now = deps.clock.now()
  const silentSince = new Date(now.getTime() - SILENT_AFTER_MS)
  const heldBack = new Date(now.getTime() + 12 * SILENT_AFTER_MS)
  return deps.db
    .selectFrom('payouts')
    .innerJoin('providers', 'providers.id', 'payouts.provider_id')
    .selectAll('payouts')
    .select('providers.name as provider_name')
    .where((eb) =>
      eb.or([
        eb.and([
          eb('payouts.status', '=', 'processing'),
          eb('payouts.updated_at', '<', silentSince),
        ]),
        eb.and([
          eb('payouts.status', '=', 'unknown'),
          eb('payouts.next_attempt_at', '>', heldBack),
        ]),
        eb.and([
          eb('payouts.status', 'in', ['pending', 'unknown']),
          eb('payouts.rail_calls', '>=', 8),
        ]),
      ]),
    )
    .orderBy('payouts.updated_at')
    .limit(500)
    .execute()
}

const list = createRoute({
  ...asOperator,
  method: 'get',
  path: '/operator/payouts/attention',
  tags: ['Operator'],
  summary: 'Payouts that need a person',
  description:
    'Accepted by the rail over an hour ago with no callback, or refused on a retry after a lost answer. Check each with Hello Clever, then resolve it.',
  responses: {
    200: json(z.object({ payouts: z.array(AttentionPayout) }), 'Oldest first.'),
    ...errorResponses(401),
  },
})

const resolve = createRoute({
  ...asOperator,
  method: 'post',
  path: '/operator/payouts/{id}/resolve',
  tags: ['Operator'],
  summary: 'Record what the rail did with a payout',
  description:
    '`settled` pays the claim out of its reservation; `failed` re-opens the claim for another account (or, with `final`, fails it and releases the funds). Only a payout still in flight can be resolved.',
  request: {
    params: z.object({ id: z.string().uuid('Must be a payout id.') }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              status: z.enum(['settled', 'failed']),
              reason: text(500, 5),
              final: z.boolean().default(false),
            })
            .openapi('ResolvePayout'),
        },
      },
    },
  },
  responses: {
    200: json(AttentionPayout.omit({ provider: true }), 'The payout as it now stands.'),
    ...errorResponses(400, 401, 404, 409, 415, 422),
  },
})

function view(p: Payout) {
  return {
    id: p.id,
    claim: p.claim_id,
    status: p.status,
    attempt: p.attempt,
    rail_calls: p.rail_calls,
    amount_minor: jsonInt(p.amount_minor),
    withdrawal_id: p.withdrawal_id,
    failure_reason: p.failure_reason,
    destination: p.destination_masked,
    updated_at: p.updated_at.toISOString(),
  }
}

export function operatorPayoutRoutes() {
  return createRouter()
    .openapi(list, async (c) => {
      const rows = await payoutsNeedingAttention(c.var.deps)
      return c.json({ payouts: rows.map((r) => ({ ...view(r), provider: r.provider_name })) }, 200)
    })
    .openapi(resolve, async (c) => {
      const { deps } = c.var
      const { id } = c.req.valid('param')
      const body = c.req.valid('json')
      const now = deps.clock.now()
      const outcome = await withTx(deps.db, (tx) =>
        body.status === 'settled'
          ? settlePayout(tx, { payoutId: id, now, logger: deps.logger })
          : failPayout(tx, {
              payoutId: id,
              failure: { code: 'OPERATOR_FAILED', detail: body.reason, fixable: !body.final },
              attemptsAllowed: deps.config.payoutAttempts,
              now,
              logger: deps.logger,
            }),
      )
      if (!outcome.applied) {
        const payout = await findPayout(deps.db, id)
        if (!payout)
          throw new DomainError('not_found', { message: 'There is no payout with that id.' })
        throw new DomainError('payout_final', {
          message: `This payout is already ${payout.status}; only one in flight can be resolved.`,
        })
      }
      deps.wakeWebhooks?.()
      c.get('logger').warn('payout resolved by the operator', {
        payout_id: id,
        status: body.status,
        reason: body.reason,
      })

      return c.json(view(outcome.payout), 200)
    })
}
