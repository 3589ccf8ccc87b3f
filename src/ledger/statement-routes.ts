import { createRoute, z } from '@hono/zod-openapi'
import { csvHeaders } from '../http/csv.ts'
import { actorOf, type ProviderEnv, scopeOf } from '../http/env.ts'
import { errorResponses, json } from '../http/openapi.ts'
import { createRouter } from '../http/router.ts'
import { asProvider } from '../keys/auth.ts'
import { jsonInt, MAX_JSON_INT } from '../money.ts'
import { providerBalance } from './balance.ts'
import { readFloatAlert, setFloatThreshold } from './float-alert.ts'
import { STATEMENT_HEADER, statementCsv, statementFilename } from './statement.ts'

const CURRENCY = 'AUD'

const FloatAlertView = z
  .object({
    livemode: z.boolean(),
    currency: z.string().openapi({ example: 'AUD' }),
    threshold_minor: z.number().int().nullable().openapi({
      description: 'Alert when the available float falls under this; null when no alert is set.',
      example: 50000,
    }),
    below: z.boolean().openapi({
      description: 'Whether the float is under the threshold now (`float.low` was sent for it).',
    }),
    available_minor: z.number().int().openapi({ description: 'The available float now.' }),
  })
  .openapi('FloatAlert')

const FloatAlertBody = z
  .strictObject({
    threshold_minor: z
      .number()
      .int('Must be a whole number of minor units.')
      .min(0, 'Must be 0 or more.')
      .max(Number(MAX_JSON_INT), `Must be at most ${MAX_JSON_INT}.`)
      .nullable()
      .openapi({ example: 50000, description: 'Minor units (cents); null removes the alert.' }),
  })
  .openapi('FloatAlertRequest')

const getAlert = createRoute({
  ...asProvider,
  method: 'get',
  path: '/cashout/float/alert',
  operationId: 'getFloatAlert',
  tags: ['Float'],
  summary: 'Read the low-float alert',
  description: 'The threshold of your key’s mode, and whether the float is under it.',
  responses: { 200: json(FloatAlertView, 'The alert.'), ...errorResponses(401, 403) },
})

const putAlert = createRoute({
  ...asProvider,
  method: 'put',
  path: '/cashout/float/alert',
  operationId: 'setFloatAlert',
  tags: ['Float'],
  summary: 'Set the low-float alert',
  description:
    'A `float.low` webhook goes out once each time the available float of your key’s mode falls from at or above `threshold_minor` to under it; it is sent again only after the float has been back at or above it. Setting a threshold above the float now sends it at once. `null` removes the alert.',
  request: {
    body: { required: true, content: { 'application/json': { schema: FloatAlertBody } } },
  },
  responses: {
    200: json(FloatAlertView, 'The alert as set.'),
    ...errorResponses(400, 401, 403, 415, 422),
  },
})

const statement = createRoute({
  ...asProvider,
  method: 'get',
  path: '/cashout/statement.csv',
  operationId: 'exportStatement',
  tags: ['Float'],
  summary: 'Export the float statement as CSV',
  description: `Every transfer into or out of the available float of your key’s mode, oldest first, each with the float just after it (\`running_balance\`; the last row’s is your available float now). An RFC 4180 file streamed in pages, any number of rows. Columns: ${STATEMENT_HEADER.map((h) => `\`${h}\``).join(', ')}. \`kind\` is \`credit\` (in), \`reserve\` (out, for a claim) or \`release\` (in, a claim's reservation returned); \`direction\` is \`in\` or \`out\`; amounts are exact decimal dollars (\`12.34\`), never negative; times ISO 8601 UTC. A text cell starting with \`=\`, \`+\`, \`-\` or \`@\` is prefixed with \`'\`.`,
  responses: {
    200: {
      description: 'The statement as CSV (`Content-Disposition: attachment`).',
      content: { 'text/csv': { schema: z.string() } },
    },
    ...errorResponses(401, 403),
  },
})

export function floatAlertView(a: {
  livemode: boolean
  currency: string
  threshold_minor: bigint | null
  below: boolean
  available_minor: bigint
}): z.infer<typeof FloatAlertView> {
  return {
    livemode: a.livemode,
    currency: a.currency,
    threshold_minor: a.threshold_minor === null ? null : jsonInt(a.threshold_minor),
    below: a.below,
    available_minor: jsonInt(a.available_minor),
  }
}

/** The float's alert and its statement, for machines (API key, the key's mode). */
export function statementRoutes() {
  return createRouter<ProviderEnv>()
    .openapi(getAlert, async (c) => {
      const { deps, provider } = c.var
      const scope = scopeOf(provider)
      const balance = await providerBalance(deps.db, scope, CURRENCY)
      const alert = await readFloatAlert(deps.db, scope)
      return c.json(floatAlertView({ ...balance, ...alert }), 200)
    })
    .openapi(putAlert, async (c) => {
      const { deps, provider } = c.var
      const body = c.req.valid('json')
      const result = await setFloatThreshold({
        deps,
        scope: scopeOf(provider),
        thresholdMinor: body.threshold_minor === null ? null : BigInt(body.threshold_minor),
        actor: actorOf(provider),
      })
      return c.json(floatAlertView({ ...result, livemode: provider.livemode }), 200)
    })
    .openapi(statement, async (c) => {
      const { deps, provider } = c.var
      const scope = scopeOf(provider)
      const body = statementCsv(deps.db, scope, { currency: CURRENCY })
      return c.body(body, 200, csvHeaders(statementFilename(scope, deps.clock.now())))
    })
}
