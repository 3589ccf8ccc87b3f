import { createRoute, z } from '@hono/zod-openapi'
import { DomainError } from '../errors/domain-error.ts'
import { actorOf, type ProviderEnv, scopeOf } from '../http/env.ts'
import { errorResponses, json } from '../http/openapi.ts'
import { createRouter } from '../http/router.ts'
import { text } from '../http/text.ts'
import { asProvider } from '../keys/auth.ts'
import { jsonInt } from '../money.ts'
import { type Balance, providerBalance } from './balance.ts'
import { creditFloat } from './credit.ts'

export const BalanceView = z
  .object({
    livemode: z.boolean().openapi({ description: 'Which float this is: live money, or test.' }),
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
    livemode: b.livemode,
    currency: b.currency,
    available_minor: jsonInt(b.available_minor),
    reserved_minor: jsonInt(b.reserved_minor),
    credited_minor: jsonInt(b.credited_minor),
    paid_out_minor: jsonInt(b.paid_out_minor),
    fees_minor: jsonInt(b.fees_minor),
  }
}

export const CreditView = z
  .object({
    provider: z.string(),
    livemode: z.boolean(),
    transfer_id: z.string().uuid(),
    amount_minor: z.number().int(),
    reference: z.string(),
    created_at: z.string().datetime(),
    replayed: z.boolean(),
    balance: BalanceView,
  })
  .openapi('Credit')

/** The most a test key may add to its test float in one call: AUD 1,000,000. */
const TEST_FUND_MAX_MINOR = 100_000_000

const balance = createRoute({
  ...asProvider,
  method: 'get',
  path: '/cashout/balance',
  operationId: 'getBalance',
  tags: ['Float'],
  summary: 'Read your float',
  description:
    'The float of your key’s mode: a test key reads the test float, a live key the live one. Integers in minor units (cents).',
  responses: { 200: json(BalanceView, 'Your float.'), ...errorResponses(401, 403) },
})

const testFund = createRoute({
  ...asProvider,
  method: 'post',
  path: '/cashout/test/fund',
  operationId: 'fundTestFloat',
  tags: ['Float'],
  summary: 'Top up your test float',
  description:
    'Test keys only: adds play money to the test float, so test claims can be generated without the operator. Live floats are funded only by the operator. Idempotent on `reference` when you send one.',
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .strictObject({
              amount_minor: z
                .number()
                .int('Must be a whole number of minor units.')
                .positive('Must be positive.')
                .max(TEST_FUND_MAX_MINOR, `Must be at most ${TEST_FUND_MAX_MINOR} in one call.`)
                .openapi({ example: 100000 }),
              reference: text(200).optional().openapi({
                description: 'Your reference; repeating it returns the first top-up.',
              }),
            })
            .openapi('TestFundRequest'),
        },
      },
    },
  },
  responses: {
    200: json(CreditView, 'The top-up and the test float after it.'),
    ...errorResponses(400, 401, 403, 409, 415, 422),
  },
})

export function balanceRoutes() {
  return createRouter<ProviderEnv>()
    .openapi(balance, async (c) => {
      const result = await providerBalance(c.var.deps.db, scopeOf(c.var.provider), 'AUD')
      return c.json(balanceView(result), 200)
    })
    .openapi(testFund, async (c) => {
      const { deps, provider } = c.var
      if (provider.livemode) throw new DomainError('test_mode_only')
      const body = c.req.valid('json')
      const result = await creditFloat({
        deps,
        actor: actorOf(provider),
        input: {
          provider: { id: provider.id },
          livemode: false,
          amountMinor: BigInt(body.amount_minor),
          reference: body.reference ?? `test-fund-${crypto.randomUUID()}`,
        },
      })
      const after = await providerBalance(deps.db, scopeOf(provider), 'AUD')
      return c.json(creditView(provider.name, result, after), 200)
    })
}

export function creditView(
  name: string,
  result: Awaited<ReturnType<typeof creditFloat>>,
  after: Balance,
): z.infer<typeof CreditView> {
  return {
    provider: name,
    livemode: after.livemode,
    transfer_id: result.transferId,
    amount_minor: jsonInt(result.amountMinor),
    reference: result.reference,
    created_at: result.createdAt.toISOString(),
    replayed: result.replayed,
    balance: balanceView(after),
  }
}
