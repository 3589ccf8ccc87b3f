import { createRoute, z } from '@hono/zod-openapi'
import { errorResponses, json } from '../http/openapi.ts'
import { createRouter } from '../http/router.ts'
import { text } from '../http/text.ts'
import { providerBalance } from '../ledger/balance.ts'
import { creditFloat } from '../ledger/credit.ts'
import { BalanceView, balanceView } from '../ledger/routes.ts'
import { asOperator } from './auth.ts'

const credit = createRoute({
  ...asOperator,
  method: 'post',
  path: '/operator/providers/{name}/credit',
  tags: ['Operator'],
  summary: 'Fund a provider’s float',
  description:
    'Idempotent on `reference`: repeating a credit returns the original; the same reference with another amount is refused.',
  request: {
    params: z.object({ name: text(40) }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              amount_minor: z
                .number()
                .int('Must be a whole number of minor units.')
                .positive('Must be positive.')
                .max(Number.MAX_SAFE_INTEGER)
                .openapi({ example: 100000 }),
              reference: text(200).openapi({
                description: 'Your funding reference.',
                example: 'wire-2026-11-21-01',
              }),
            })
            .openapi('CreditRequest'),
        },
      },
    },
  },
  responses: {
    200: json(
      z
        .object({
          provider: z.string(),
          transfer_id: z.string().uuid(),
          amount_minor: z.number().int(),
          reference: z.string(),
          created_at: z.string().datetime(),
          replayed: z.boolean(),
          balance: BalanceView,
        })
        .openapi('Credit'),
      'The credit and the float after it.',
    ),
    ...errorResponses(400, 401, 404, 409, 415, 422),
  },
})

export function operatorRoutes() {
  return createRouter().openapi(credit, async (c) => {
    const { deps } = c.var
    const { name } = c.req.valid('param')
    const body = c.req.valid('json')
    const result = await creditFloat({
      deps,
      input: { name, amountMinor: BigInt(body.amount_minor), reference: body.reference },
    })
    const balance = await providerBalance(deps.db, result.providerId, 'AUD')
    return c.json(
      {
        provider: name,
        transfer_id: result.transferId,
        amount_minor: body.amount_minor,
        reference: result.reference,
        created_at: result.createdAt.toISOString(),
        replayed: result.replayed,
        balance: balanceView(balance),
      },
      200,
    )
  })
}
