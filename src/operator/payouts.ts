import { createRoute, z } from '@hono/zod-openapi'
import { OPERATOR } from '../audit/record.ts'
import type { Payout, PayoutStatus } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { errorResponses, json } from '../http/openapi.ts'
import { createRouter } from '../http/router.ts'
import { text } from '../http/text.ts'
import { jsonInt } from '../money.ts'
import { asOperator } from './auth.ts'
import { RESOLVABLE, resolvePayout } from './resolve.ts'

/** Calls after which a payout the rail keeps refusing or not answering is listed. */
const MANY_CALLS = 8

const LookUp = z
  .object({
    api: z.enum(['withdraw', 'payouts_v1']).nullable(),
    client_transaction_id: z.string().nullable(),
    withdrawal_id: z.string().nullable(),
    batch_external_id: z.string().nullable(),
    batch_uuid: z.string().nullable(),
    batch_line: z.number().int().nullable().openapi({
      description: 'The payout’s place among the batch’s lines, counting from 0.',
    }),
    transaction_id: z.string().nullable(),
  })
  .openapi('RailLookUp', {
    description:
      'What to search for in Hello Clever’s portal: a withdrawal by `client_transaction_id` (or `withdrawal_id`), or a v1 batch by `external_id` and its line by transaction id.',
  })

const AttentionPayout = z
  .object({
    id: z.string().uuid(),
    claim: z.string().uuid(),
    provider: z.string(),
    livemode: z.boolean(),
    status: z.string(),
    resolvable: z.boolean().openapi({
      description:
        'Whether `POST /operator/payouts/{id}/resolve` takes it: a payout the rail may have received (sent, processing, unknown) or held. One not yet sent (`pending`, waiting for the merchant balance or credentials) goes on its own once they are fixed.',
    }),
    waiting_on: z.string().nullable(),
    attempt: z.number().int(),
    rail_calls: z.number().int(),
    amount_minor: z.number().int(),
    withdrawal_id: z.string().nullable(),
    failure_code: z.string().nullable(),
    failure_reason: z.string().nullable(),
    rail_status: z.string().nullable().openapi({ description: 'What the rail last said.' }),
    destination: z.record(z.string(), z.string()),
    look_up: LookUp,
    updated_at: z.string().datetime(),
  })
  .openapi('AttentionPayout')

const CircuitView = z.object({
  rail: z.enum(['sandbox', 'hello-clever']),
  open: z.boolean(),
  since: z.string().datetime().nullable(),
  reason: z.string().nullable(),
  next_probe_at: z.string().datetime().nullable(),
})

/**
 * Payouts code cannot finish alone, or that wait on the operator's side: held for a person (an
 * amount or id that did not match, a failure nobody classified, a batch whose answer was lost),
 * accepted with no callback for RAIL_CONFIRMATION_ALERT_MINUTES, waiting for the merchant
 * balance or for working credentials, or refused or unanswered many times.
 */
export async function payoutsNeedingAttention(deps: Pick<AppDeps, 'db' | 'clock' | 'config'>) {
  const silentSince = new Date(deps.clock.now().getTime() - deps.config.confirmationAlertMs)
  const inFlight: PayoutStatus[] = ['pending', 'sent', 'processing', 'unknown']
  return deps.db
    .selectFrom('payouts')
    .innerJoin('providers', 'providers.id', 'payouts.provider_id')
    .leftJoin('payout_batches', 'payout_batches.id', 'payouts.batch_id')
    .selectAll('payouts')
    .select(['providers.name as provider_name', 'payout_batches.rail_batch_uuid'])
    .where((eb) =>
      eb.or([
        eb('payouts.status', '=', 'held'),
        eb.and([
          eb('payouts.status', '=', 'processing'),
          eb('payouts.updated_at', '<', silentSince),
        ]),
        eb.and([
          eb('payouts.status', 'in', inFlight),
          eb('payouts.waiting_on', 'in', ['rail_funds', 'rail_credentials']),
        ]),
        eb.and([
          eb('payouts.status', 'in', ['pending', 'unknown']),
          eb('payouts.rail_calls', '>=', MANY_CALLS),
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
  operationId: 'listPayoutsNeedingAttention',
  tags: ['Operator'],
  summary: 'Payouts that need a person',
  description:
    'Held payouts, payouts with no callback for `RAIL_CONFIRMATION_ALERT_MINUTES`, and payouts waiting for the merchant balance or working credentials, oldest first, each with what to look up in Hello Clever’s portal; and the state of each mode’s rail.',
  responses: {
    200: json(
      z.object({
        payouts: z.array(AttentionPayout),
        rails: z.object({ test: CircuitView, live: CircuitView.nullable() }),
      }),
      'Oldest first.',
    ),
    ...errorResponses(401),
  },
})

const resolve = createRoute({
  ...asOperator,
  method: 'post',
  path: '/operator/payouts/{id}/resolve',
  operationId: 'resolvePayout',
  tags: ['Operator'],
  summary: 'Record what the rail did with a payout',
  description:
    'After checking Hello Clever’s portal: `settled` pays the claim out of its reservation; `failed` re-opens the claim for another account (or, with `final`, fails it and releases the funds); `resend` records that the rail did not pay it (no such withdrawal or batch line, or one that failed through no fault of the account) and sends the same destination again under a new id. Only a payout the rail may have received (`sent`, `processing`, `unknown`) or one held can be resolved: one not yet sent is `409 payout_not_sent`, one already final `409 payout_final`.',
  request: {
    params: z.object({ id: z.string().uuid('Must be a payout id.') }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .strictObject({
              status: z.enum(['settled', 'failed', 'resend'], {
                error: 'Must be settled, failed or resend.',
              }),
              reason: text(500, 5).openapi({ description: 'What you found, for the record.' }),
              final: z.boolean().optional().openapi({
                description: 'With `failed`: no other account may be tried; the claim fails.',
              }),
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

/** A payout as the operator reads it, with what to search for in Hello Clever’s portal. */
export function attentionView(p: Payout & { rail_batch_uuid?: string | null }) {
  const v1 = p.rail_api === 'payouts_v1'
  return {
    id: p.id,
    claim: p.claim_id,
    livemode: p.livemode,
    status: p.status,
    resolvable: RESOLVABLE.includes(p.status),
    waiting_on: p.waiting_on,
    attempt: p.attempt,
    rail_calls: p.rail_calls,
    amount_minor: jsonInt(p.amount_minor),
    withdrawal_id: p.withdrawal_id,
    failure_code: p.failure_code,
    failure_reason: p.failure_reason,
    rail_status: p.rail_status,
    destination: p.destination_masked,
    look_up: {
      api: p.rail_api,
      client_transaction_id: p.rail_api === 'withdraw' ? p.id : null,
      withdrawal_id: p.withdrawal_id,
      batch_external_id: v1 ? p.batch_id : null,
      batch_uuid: v1 ? (p.rail_batch_uuid ?? null) : null,
      batch_line: v1 ? p.batch_line : null,
      transaction_id: p.rail_transaction_id,
    },
    updated_at: p.updated_at.toISOString(),
  }
}

export function circuitView(channel: AppDeps['rails']['test']) {
  const state = channel.circuit.state()
  return {
    rail: channel.name,
    open: state.open,
    since: state.since?.toISOString() ?? null,
    reason: state.reason ?? null,
    next_probe_at: state.probeAt?.toISOString() ?? null,
  }
}

export function operatorPayoutRoutes() {
  return createRouter()
    .openapi(list, async (c) => {
      const { deps } = c.var
      const rows = await payoutsNeedingAttention(deps)
      return c.json(
        {
          payouts: rows.map((r) => ({ ...attentionView(r), provider: r.provider_name })),
          rails: {
            test: circuitView(deps.rails.test),
            live: deps.rails.live ? circuitView(deps.rails.live) : null,
          },
        },
        200,
      )
    })
    .openapi(resolve, async (c) => {
      const { id } = c.req.valid('param')
      const body = c.req.valid('json')
      const changed = await resolvePayout({
        deps: c.var.deps,
        actor: OPERATOR,
        payoutId: id,
        resolution: { status: body.status, reason: body.reason, final: body.final === true },
      })
      c.get('logger').warn('payout resolved by the operator', {
        payout_id: id,
        status: body.status,
        reason: body.reason,
      })
      return c.json(attentionView(changed), 200)
    })
}
