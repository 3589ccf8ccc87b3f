import { createRoute, z } from '@hono/zod-openapi'
import type { Delivery } from '../db/schema.ts'
import { DomainError } from '../errors/domain-error.ts'
import { decodeCursor, encodeCursor } from '../http/cursor.ts'
import { actorOf, type ProviderEnv, scopeOf } from '../http/env.ts'
import { noBody } from '../http/no-body.ts'
import { errorResponses, json } from '../http/openapi.ts'
import { pageLimit } from '../http/params.ts'
import { createRouter } from '../http/router.ts'
import { text } from '../http/text.ts'
import { asProvider, assertAccountKey } from '../keys/auth.ts'
import { replayDelivery, rotateSecret, sendTestEvent } from './manage.ts'
import {
  type Attempt,
  attemptsOf,
  findDelivery,
  listDeliveries,
  webhookState,
} from './repository.ts'

const MESSAGE_ID = /^msg_[0-9a-f]{32}$/

const AttemptView = z.object({
  attempt: z.number().int(),
  at: z.string().datetime(),
  status_code: z.number().int().nullable(),
  latency_ms: z.number().int(),
  error: z.string().nullable(),
})

const DeliveryView = z
  .object({
    id: z.string().openapi({ description: 'The `webhook-id`, the same on every attempt.' }),
    event: z.string().openapi({ example: 'claim.settled' }),
    claim: z.string().uuid().nullable(),
    livemode: z.boolean(),
    status: z.enum(['pending', 'delivered', 'exhausted']),
    attempts: z.array(AttemptView),
    next_attempt_at: z.string().datetime().nullable(),
    delivered_at: z.string().datetime().nullable(),
    last_status: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: z.string().datetime(),
    payload: z.record(z.string(), z.unknown()).openapi({ description: 'The body as sent.' }),
  })
  .openapi('Delivery')

function deliveryView(d: Delivery, attempts: Attempt[] = []): z.infer<typeof DeliveryView> {
  return {
    id: d.id,
    event: d.event_type,
    claim: d.claim_id,
    livemode: d.livemode,
    status: d.status,
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      at: a.attempted_at.toISOString(),
      status_code: a.status_code,
      latency_ms: a.latency_ms,
      error: a.error,
    })),
    next_attempt_at: d.status === 'pending' ? d.next_attempt_at.toISOString() : null,
    delivered_at: d.delivered_at?.toISOString() ?? null,
    last_status: d.last_status,
    last_error: d.last_error,
    created_at: d.created_at.toISOString(),
    payload: JSON.parse(d.payload) as Record<string, unknown>,
  }
}

const DeliveryParams = z.object({
  id: z.string().regex(MESSAGE_ID, 'Must be a delivery id (msg_…).'),
})

const settings = createRoute({
  ...asProvider,
  method: 'get',
  path: '/cashout/webhooks',
  operationId: 'getWebhookState',
  tags: ['Webhooks'],
  summary: 'Your webhook endpoint’s state',
  responses: {
    200: json(
      z
        .object({
          endpoint: z.string(),
          enabled: z.boolean(),
          disabled_at: z.string().datetime().nullable(),
          disabled_reason: z.string().nullable(),
          previous_secret_valid_until: z.string().datetime().nullable(),
          paused_until: z.string().datetime().nullable().openapi({
            description:
              'Set while the endpoint is paused after failing 32 attempts in a row over at least 30 s: when one message is tried again. Once one is delivered the rest follow; waiting spends none of their attempts.',
          }),
          failing_attempts: z.number().int().openapi({
            description: 'Failed attempts in a row to the endpoint; a delivered message resets it.',
          }),
          pending: z.number().int(),
          exhausted: z.number().int(),
        })
        .openapi('WebhookSettings'),
      'Endpoint, whether deliveries are on, and what is waiting.',
    ),
    ...errorResponses(401),
  },
})

const list = createRoute({
  ...asProvider,
  method: 'get',
  path: '/cashout/webhooks/deliveries',
  operationId: 'listDeliveries',
  tags: ['Webhooks'],
  summary: 'List deliveries',
  description: 'Newest first, with every attempt’s time, status code and latency.',
  request: {
    query: z.object({
      claim: z.string().uuid('Must be a claim uuid.').optional(),
      status: z.enum(['pending', 'delivered', 'exhausted']).optional(),
      cursor: text(500).optional(),
      limit: pageLimit(),
    }),
  },
  responses: {
    200: json(
      z.object({ deliveries: z.array(DeliveryView), next_cursor: z.string().nullable() }),
      'A page of deliveries.',
    ),
    ...errorResponses(401, 422),
  },
})

const one = createRoute({
  ...asProvider,
  method: 'get',
  path: '/cashout/webhooks/deliveries/{id}',
  operationId: 'getDelivery',
  tags: ['Webhooks'],
  summary: 'Read a delivery',
  request: { params: DeliveryParams },
  responses: { 200: json(DeliveryView, 'The delivery.'), ...errorResponses(401, 404, 422) },
})

const replay = createRoute({
  ...asProvider,
  middleware: [...asProvider.middleware, noBody],
  method: 'post',
  path: '/cashout/webhooks/deliveries/{id}/replay',
  operationId: 'replayDelivery',
  tags: ['Webhooks'],
  summary: 'Send a delivery again',
  description:
    'From the start of the retry schedule (ten attempts), with the same `webhook-id`. Each replay spends one of the provider’s on-demand sends, a budget shared with test events and endpoint changes (`WEBHOOK_SEND_BUDGET`, 20 per 10 minutes by default); past it, `429 rate_limited` with `Retry-After`.',
  request: { params: DeliveryParams },
  responses: {
    200: json(DeliveryView, 'Queued again.'),
    ...errorResponses(401, 404, 409, 422, 429),
  },
})

const test = createRoute({
  ...asProvider,
  middleware: [...asProvider.middleware, noBody],
  method: 'post',
  path: '/cashout/webhooks/test',
  operationId: 'sendTestEvent',
  tags: ['Webhooks'],
  summary: 'Send a test event',
  description:
    'A signed `webhook.test` message to your endpoint, delivered (and retried) like any other. Spends one of the provider’s on-demand sends, shared with replays and endpoint changes; past the budget, `429 rate_limited` with `Retry-After`.',
  responses: { 201: json(DeliveryView, 'Queued.'), ...errorResponses(401, 422, 429) },
})

const rotate = createRoute({
  ...asProvider,
  method: 'post',
  path: '/cashout/webhooks/secret/rotate',
  operationId: 'rotateWebhookSecret',
  tags: ['Webhooks'],
  summary: 'Rotate the signing secret',
  description:
    'The new secret is shown once. Until the overlap ends, each message is signed with the new secret and every old one still in its overlap (one signature each in `webhook-signature`, space-separated). At most three old secrets sign at once: a rotation with an overlap while three are still signing is refused (`409 webhook_secret_overlaps`, saying when the first ends); one with `overlap_seconds: 0` always works.',
  request: {
    body: {
      // Every field is optional, and so is the body itself.
      required: false,
      content: {
        'application/json': {
          schema: z
            .strictObject({
              overlap_seconds: z
                .number()
                .int('Must be a whole number of seconds.')
                .min(0)
                .max(604_800, 'Must be at most 7 days.')
                .default(86_400),
            })
            .openapi('RotateSecret'),
        },
      },
    },
  },
  responses: {
    200: json(
      z.object({
        webhook_secret: z.string().openapi({ description: 'Shown this once.' }),
        previous_secret_valid_until: z.string().datetime().nullable(),
      }),
      'The new secret.',
    ),
    ...errorResponses(400, 401, 403, 409, 415, 422),
  },
})

export function webhookRoutes() {
  return createRouter<ProviderEnv>()
    .openapi(settings, async (c) => {
      const { deps, provider } = c.var
      const state = await webhookState(deps.db, scopeOf(provider), deps.clock.now())
      return c.json(
        {
          endpoint: state.endpoint,
          enabled: state.disabled === null,
          disabled_at: state.disabled?.at.toISOString() ?? null,
          disabled_reason: state.disabled?.reason ?? null,
          previous_secret_valid_until: state.previousSecretValidUntil?.toISOString() ?? null,
          paused_until: state.pausedUntil?.toISOString() ?? null,
          failing_attempts: state.failing,
          pending: state.pending,
          exhausted: state.exhausted,
        },
        200,
      )
    })
    .openapi(list, async (c) => {
      const { deps, provider } = c.var
      const q = c.req.valid('query')
      const limit = q.limit ?? 50
      const rows = await listDeliveries(deps.db, {
        scope: scopeOf(provider),
        claimId: q.claim,
        status: q.status,
        after: q.cursor ? decodeCursor(q.cursor, MESSAGE_ID) : undefined,
        limit: limit + 1,
      })
      const page = rows.slice(0, limit)
      const attempts = await attemptsOf(
        deps.db,
        page.map((d) => d.id),
      )
      const last = page.at(-1)
      return c.json(
        {
          deliveries: page.map((d) => deliveryView(d, attempts.get(d.id))),
          next_cursor: rows.length > limit && last ? encodeCursor(last) : null,
        },
        200,
      )
    })
    .openapi(one, async (c) => {
      const { deps, provider } = c.var
      const delivery = await findDelivery(deps.db, scopeOf(provider), c.req.valid('param').id)
      if (!delivery)
        throw new DomainError('not_found', { message: 'You have no delivery with that id.' })
      const attempts = await attemptsOf(deps.db, [delivery.id])
      return c.json(deliveryView(delivery, attempts.get(delivery.id)), 200)
    })
    .openapi(replay, async (c) => {
      const { deps, provider } = c.var
      const delivery = await replayDelivery({
        deps,
        scope: scopeOf(provider),
        id: c.req.valid('param').id,
        actor: actorOf(provider),
      })
      const attempts = await attemptsOf(deps.db, [delivery.id])
      return c.json(deliveryView(delivery, attempts.get(delivery.id)), 200)
    })
    .openapi(test, async (c) => {
      const delivery = await sendTestEvent({
        deps: c.var.deps,
        scope: scopeOf(c.var.provider),
        actor: actorOf(c.var.provider),
      })
      return c.json(deliveryView(delivery), 201)
    })
    .openapi(rotate, async (c) => {
      await assertAccountKey(c.var.deps, c.var.provider)
      const result = await rotateSecret({
        deps: c.var.deps,
        providerId: c.var.provider.id,
        overlapSeconds: c.req.valid('json').overlap_seconds,
        actor: actorOf(c.var.provider),
      })
      return c.json(
        {
          webhook_secret: result.secret,
          previous_secret_valid_until: result.previousValidUntil?.toISOString() ?? null,
        },
        200,
      )
    })
}
