import { createRoute, z } from '@hono/zod-openapi'
import { DomainError } from '../errors/domain-error.ts'
import { errorResponses, json } from '../http/openapi.ts'
import { createRouter } from '../http/router.ts'
import { text } from '../http/text.ts'
import { issueKey } from '../keys/issue.ts'
import { KeyView, keyView } from '../keys/routes.ts'
import { providerBalance } from '../ledger/balance.ts'
import { creditFloat } from '../ledger/credit.ts'
import { CreditView, creditView } from '../ledger/routes.ts'
import { findProviderByName } from '../providers/repository.ts'
import { asOperator } from './auth.ts'

const credit = createRoute({
  ...asOperator,
  method: 'post',
  path: '/operator/providers/{name}/credit',
  tags: ['Operator'],
  summary: 'Fund a provider’s float',
  description:
    'Funds the live float (`livemode: true`: money you hold for this provider) or its test float. Idempotent on `reference` within a mode: repeating a credit returns the original; the same reference with another amount is refused.',
  request: {
    params: z.object({ name: text(40) }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              livemode: z.boolean().openapi({
                description:
                  'Required: `true` credits the live float (real money), `false` the test float.',
              }),
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
    200: json(CreditView, 'The credit and the float after it.'),
    ...errorResponses(400, 401, 404, 409, 415, 422),
  },
})

const issue = createRoute({
  ...asOperator,
  method: 'post',
  path: '/operator/providers/{name}/keys',
  tags: ['Operator'],
  summary: 'Issue a key to a provider',
  description:
    'Mints a test or live key for a provider, shown this once: for instance a live key for a provider that registered before this deployment paid through Hello Clever. A live key is refused where no live rail is configured.',
  request: {
    params: z.object({ name: text(40) }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .strictObject({
              livemode: z.boolean().openapi({ description: 'Required: a live or a test key.' }),
              label: text(100).optional(),
            })
            .openapi('IssueKeyRequest'),
        },
      },
    },
  },
  responses: {
    201: json(
      KeyView.extend({ key: z.string().openapi({ description: 'Shown this once.' }) }),
      'The key.',
    ),
    ...errorResponses(400, 401, 403, 404, 415, 422),
  },
})

export function operatorRoutes() {
  return createRouter()
    .openapi(issue, async (c) => {
      const { deps } = c.var
      const { name } = c.req.valid('param')
      const body = c.req.valid('json')
      const provider = await findProviderByName(deps.db, name)
      if (!provider)
        throw new DomainError('not_found', { message: `No provider is named ${name}.` })
      const issued = await issueKey({
        deps,
        providerId: provider.id,
        livemode: body.livemode,
        label: body.label ?? null,
      })
      c.get('logger').warn('key issued by the operator', {
        provider: name,
        livemode: body.livemode,
        prefix: issued.prefix,
      })
      return c.json({ ...keyView(issued), key: issued.token }, 201)
    })
    .openapi(credit, async (c) => {
      const { deps } = c.var
      const { name } = c.req.valid('param')
      const body = c.req.valid('json')
      const result = await creditFloat({
        deps,
        input: {
          provider: { name },
          livemode: body.livemode,
          amountMinor: BigInt(body.amount_minor),
          reference: body.reference,
        },
      })
      const balance = await providerBalance(
        deps.db,
        { providerId: result.providerId, livemode: body.livemode },
        'AUD',
      )
      c.get('logger').info('float credited by the operator', {
        provider: name,
        livemode: body.livemode,
        amount_minor: body.amount_minor,
        replayed: result.replayed,
      })
      return c.json(creditView(name, result, balance), 200)
    })
}
