import { createRoute, z } from '@hono/zod-openapi'
import type { ProviderEnv } from '../http/env.ts'
import { errorResponses, json } from '../http/openapi.ts'
import { createRouter } from '../http/router.ts'
import { asProvider } from '../keys/auth.ts'
import { jsonInt } from '../money.ts'
import { type Balance, providerBalance } from './balance.ts'

export const BalanceView = z
  .object({
    currency: z.string().openapi({ example: 'AUD' }),
    available_minor: z.number().int().openapi({ description: 'Free to back new claims.' }),
    reserved_minor: z.number().int().openapi({ description: 'Held for claims in progress.' }),
    credited_minor: z.number().int().openapi({ description: 'Funded so far, in total.' }),
    paid_out_minor: z.number().int().openapi({ description: 'Paid to customers, in total.' }),
    fees_minor: z.number().int().openapi({ description: 'Fees taken, in total.' }),
  })
  .openapi('Balance')

export function balanceView(b: Balance): z.infer<typeof BalanceView> {
  return {
    currency: b.currency,
    available_minor: jsonInt(b.available_minor),
    reserved_minor: jsonInt(b.reserved_minor),
    credited_minor: jsonInt(b.credited_minor),
    paid_out_minor: jsonInt(b.paid_out_minor),
    fees_minor: jsonInt(b.fees_minor),
  }
}

const balance = createRoute({
  ...asProvider,
  method: 'get',
  path: '/cashout/balance',
  tags: ['Float'],
  summary: 'Read your float',
  description: 'Integers in minor units (cents).',
  responses: { 200: json(BalanceView, 'Your float.'), ...errorResponses(401) },
})

export function balanceRoutes() {
  return createRouter<ProviderEnv>().openapi(balance, async (c) => {
    const result = await providerBalance(c.var.deps.db, c.var.provider.id, 'AUD')
    return c.json(balanceView(result), 200)
  })
}
