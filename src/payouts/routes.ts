import { createRoute, z } from '@hono/zod-openapi'
import { ClaimParams, ClaimView, claimView } from '../claims/schemas.ts'
import { DomainError } from '../errors/domain-error.ts'
import type { ProviderEnv } from '../http/env.ts'
import { errorResponses, json } from '../http/openapi.ts'
import { createRouter } from '../http/router.ts'
import { text } from '../http/text.ts'
import { asProvider } from '../keys/auth.ts'
import { applyRailCallback, authenticateCallback } from './callbacks.ts'
import { PAYID_TYPES } from './destination.ts'
import { submitClaim } from './submit.ts'

export const DestinationBody = z
  .object({
    type: z
      .enum(['payid', 'bank'])
      .openapi({ description: 'PayID or an Australian bank account.' }),
    payid_type: z
      .enum(PAYID_TYPES as [string, ...string[]])
      .optional()
      .openapi({ description: 'For a PayID: `email`, `mobile`, `abn` or `org_id`.' }),
    payid: text(320).optional().openapi({
      description: 'Emails are lower-cased; mobiles become `+61-4xxxxxxxx`.',
      example: 'jane@example.com',
    }),
    account_name: text(200).optional().openapi({
      description: 'For a bank account: letters, digits, spaces and apostrophes.',
      example: 'Jane Citizen',
    }),
    bsb: text(20).optional().openapi({ description: '`062-000` or `062000`.', example: '062-000' }),
    account_number: text(30)
      .optional()
      .openapi({ description: '4 to 9 digits.', example: '12345678' }),
  })
  .openapi('Destination')

const submit = createRoute({
  ...asProvider,
  method: 'post',
  path: '/cashout/claims/{uuid}/submit',
  tags: ['Claims'],
  summary: 'Cash out a claim to a PayID or bank account',
  description:
    'What the hosted page does for the customer, for providers who collect the destination themselves. The claim moves to `submitted` and the payout is sent; the result arrives by webhook and on the claim. A claim that is not open is refused.',
  request: {
    params: ClaimParams,
    body: { required: true, content: { 'application/json': { schema: DestinationBody } } },
  },
  responses: {
    200: json(ClaimView, 'The submitted claim.'),
    ...errorResponses(400, 401, 404, 409, 415, 422),
  },
})

const callback = createRoute({
  method: 'post',
  path: '/rail/hello-clever/callbacks/{payoutId}',
  tags: ['Rail'],
  summary: 'Hello Clever payout callback',
  description:
    'Called by Hello Clever with the token it was given for this payout as `Authorization`. Answers 200 to every authenticated callback, repeated or late ones included; 401 without the token; 400 for a body that is not JSON, so that it is sent again.',
  request: { params: z.object({ payoutId: z.string().max(100) }) },
  responses: {
    200: json(z.object({ received: z.literal(true) }), 'Received.'),
    ...errorResponses(400, 401),
  },
})

export function payoutRoutes() {
  return createRouter<ProviderEnv>()
    .openapi(submit, async (c) => {
      const { deps, provider } = c.var
      const { claim, payout } = await submitClaim({
        deps,
        claimId: c.req.valid('param').uuid,
        providerId: provider.id,
        input: c.req.valid('json'),
      })
      return c.json(claimView(claim, deps.config.publicUrl, payout), 200)
    })
    .openapi(callback, async (c) => {
      const { deps } = c.var
      const { payoutId } = c.req.valid('param')
      await authenticateCallback(deps, payoutId, c.req.header('Authorization'))
      let body: unknown
      try {
        body = JSON.parse(await c.req.text())
      } catch {
        c.get('logger').error('rail callback with a body that is not JSON', { payout_id: payoutId })
        throw new DomainError('invalid_json', {
          message: 'The callback body is not JSON; send it again.',
        })
      }
      const result = await applyRailCallback({ deps, payoutId, body })
      c.get('logger').info('rail callback', { payout_id: payoutId, result })
      return c.json({ received: true as const }, 200)
    })
}
