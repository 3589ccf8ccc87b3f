import { createRoute, z } from '@hono/zod-openapi'
import { ClaimParams, ClaimView, claimView } from '../claims/schemas.ts'
import { DomainError } from '../errors/domain-error.ts'
import { type ProviderEnv, scopeOf } from '../http/env.ts'
import { errorResponses, json } from '../http/openapi.ts'
import { createRouter } from '../http/router.ts'
import { asProvider } from '../keys/auth.ts'
import type { Logger } from '../log/logger.ts'
import {
  applyBatchCallback,
  applyRailCallback,
  authenticateBatchCallback,
  authenticateCallback,
} from './callbacks.ts'
import { DestinationSchema } from './destination.ts'
import { submitClaim } from './submit.ts'

const submit = createRoute({
  ...asProvider,
  method: 'post',
  path: '/cashout/claims/{uuid}/submit',
  operationId: 'submitClaim',
  tags: ['Claims'],
  summary: 'Cash out a claim to a PayID or bank account',
  description:
    'What the hosted page does for the customer, for providers who collect the destination themselves. The claim moves to `submitted` and the payout is sent (a test claim through the sandbox: no money moves); the result arrives by webhook and on the claim. A claim that is not open is refused, and so is a destination that mixes PayID and bank fields.',
  request: {
    params: ClaimParams,
    body: { required: true, content: { 'application/json': { schema: DestinationSchema } } },
  },
  responses: {
    200: json(ClaimView, 'The submitted claim.'),
    ...errorResponses(400, 401, 404, 409, 415, 422),
  },
})

const callback = createRoute({
  method: 'post',
  path: '/rail/hello-clever/callbacks/{payoutId}',
  security: [{ railCallbackToken: [] }],
  operationId: 'receiveHelloCleverCallback',
  tags: ['Rail'],
  summary: 'Hello Clever payout callback',
  description:
    'Called by Hello Clever about one withdrawal, with the token it was given for this payout as `Authorization`. Answers 200 to every authenticated callback, repeated or late ones included; 401 without the token; 400 for a body that is not JSON, so that it is sent again.',
  request: { params: z.object({ payoutId: z.string().max(100) }) },
  responses: {
    200: json(z.object({ received: z.literal(true) }), 'Received.'),
    ...errorResponses(400, 401, 422),
  },
})

const batchCallback = createRoute({
  method: 'post',
  path: '/rail/hello-clever/batches/{batchId}',
  security: [{ railCallbackToken: [] }],
  operationId: 'receiveHelloCleverBatchCallback',
  tags: ['Rail'],
  summary: 'Hello Clever v1 batch callback',
  description:
    'Called by Hello Clever with a v1 batch’s payout object whenever its status changes, with the token it was given for this batch as `Authorization`. Same answers as the withdrawal callback.',
  request: { params: z.object({ batchId: z.string().max(100) }) },
  responses: {
    200: json(z.object({ received: z.literal(true) }), 'Received.'),
    ...errorResponses(400, 401, 422),
  },
})

/**
 * A callback's body, parsed only once its token has been checked. It is Hello Clever's body,
 * not one we define, so unlike ours it does not refuse a field it does not know: the documented
 * callback carries many fields we do not read (merchant_name, payout_method_params, …), and a
 * field the rail adds one day must not turn news about real money into a refusal.
 */
function callbackBody(text: string, logger: Logger, what: Record<string, string>): unknown {
  try {
    return JSON.parse(text)
  } catch {
    logger.error('rail callback with a body that is not JSON', what)
    throw new DomainError('invalid_json', {
      message: 'The callback body is not JSON; send it again.',
    })
  }
}

export function payoutRoutes() {
  return createRouter<ProviderEnv>()
    .openapi(submit, async (c) => {
      const { deps, provider } = c.var
      const { claim, payout } = await submitClaim({
        deps,
        claimId: c.req.valid('param').uuid,
        scope: scopeOf(provider),
        destination: c.req.valid('json'),
      })
      return c.json(claimView(claim, deps.config.publicUrl, payout), 200)
    })
    .openapi(callback, async (c) => {
      const { deps } = c.var
      const { payoutId } = c.req.valid('param')
      const payout = await authenticateCallback(deps, payoutId, c.req.header('Authorization'))
      const body = callbackBody(await c.req.text(), c.get('logger'), { payout_id: payoutId })
      const result = await applyRailCallback({ deps, payoutId, body, payout })
      c.get('logger').info('rail callback', { payout_id: payoutId, result })
      if (result !== 'ignored') deps.wakeWebhooks?.()
      return c.json({ received: true as const }, 200)
    })
    .openapi(batchCallback, async (c) => {
      const { deps } = c.var
      const { batchId } = c.req.valid('param')
      await authenticateBatchCallback(deps, batchId, c.req.header('Authorization'))
      const body = callbackBody(await c.req.text(), c.get('logger'), { batch_id: batchId })
      const result = await applyBatchCallback({ deps, batchId, body })
      c.get('logger').info('rail batch callback', {
        batch_id: batchId,
        ...(result === 'ignored' ? { result } : result),
      })
      if (result !== 'ignored' && result.applied > 0) deps.wakeWebhooks?.()
      return c.json({ received: true as const }, 200)
    })
}
