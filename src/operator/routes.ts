import { createRoute, z } from '@hono/zod-openapi'
import { OPERATOR } from '../audit/record.ts'
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
import { resumeProvider, type Suspension, suspendProvider } from '../providers/suspend.ts'
import { asOperator } from './auth.ts'
import { OperatorProviderView, operatorProviderView } from './provider-view.ts'
import { reviewRoutes } from './reviews.ts'

const credit = createRoute({
  ...asOperator,
  method: 'post',
  path: '/operator/providers/{name}/credit',
  operationId: 'creditProviderFloat',
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
            .strictObject({
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
  operationId: 'issueProviderKey',
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

const SuspensionView = z
  .object({
    name: z.string(),
    suspended: z.boolean(),
    suspended_at: z.string().datetime().nullable(),
    reason: z.string().nullable().openapi({ description: 'Why it is suspended, while it is.' }),
    changed: z.boolean().openapi({
      description: 'False when the provider already was in that state: nothing was written.',
    }),
  })
  .openapi('Suspension')

function suspensionView(s: Suspension) {
  return {
    name: s.name,
    suspended: s.suspendedAt !== null,
    suspended_at: s.suspendedAt?.toISOString() ?? null,
    reason: s.reason,
    changed: s.changed,
  }
}

const suspend = createRoute({
  ...asOperator,
  method: 'post',
  path: '/operator/providers/{name}/suspend',
  operationId: 'suspendProvider',
  tags: ['Operator'],
  summary: 'Suspend a provider',
  description:
    'Refuses the provider’s generate with `provider_suspended` (403) and makes its open claim pages say the link is unavailable; claims already submitted are still paid. Suspending a suspended provider changes nothing (`changed: false`) and keeps the first reason.',
  request: {
    params: z.object({ name: text(40) }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .strictObject({
              reason: text(500, 5).openapi({ description: 'Why, for the audit log.' }),
            })
            .openapi('SuspendRequest'),
        },
      },
    },
  },
  responses: {
    200: json(SuspensionView, 'The provider’s suspension as it now stands.'),
    ...errorResponses(400, 401, 404, 415, 422),
  },
})

const resume = createRoute({
  ...asOperator,
  method: 'post',
  path: '/operator/providers/{name}/resume',
  operationId: 'resumeProvider',
  tags: ['Operator'],
  summary: 'Lift a provider’s suspension',
  description:
    'The provider can generate claims again. Resuming a provider that is not suspended changes nothing (`changed: false`). The body is optional.',
  request: {
    params: z.object({ name: text(40) }),
    body: {
      required: false,
      content: {
        'application/json': {
          schema: z
            .strictObject({
              reason: text(500).optional().openapi({ description: 'Why, for the audit log.' }),
            })
            .openapi('ResumeRequest'),
        },
      },
    },
  },
  responses: {
    200: json(SuspensionView, 'The provider’s suspension as it now stands.'),
    ...errorResponses(400, 401, 404, 415, 422),
  },
})

const provider = createRoute({
  ...asOperator,
  method: 'get',
  path: '/operator/providers/{name}',
  operationId: 'getOperatorProvider',
  tags: ['Operator'],
  summary: 'Read a provider',
  description:
    'What to review about a provider: its suspension, its display name and support contact (asked for, approved, shown) and the other providers registered with the same card, by name.',
  request: { params: z.object({ name: text(40) }) },
  responses: {
    200: json(OperatorProviderView, 'The provider.'),
    ...errorResponses(400, 401, 404, 422),
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
        actor: OPERATOR,
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
        actor: OPERATOR,
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
    .openapi(provider, async (c) => {
      const { name } = c.req.valid('param')
      return c.json(await operatorProviderView(c.var.deps.db, name), 200)
    })
    .openapi(suspend, async (c) => {
      const { name } = c.req.valid('param')
      const { reason } = c.req.valid('json')
      const done = await suspendProvider({ deps: c.var.deps, actor: OPERATOR, name, reason })
      c.get('logger').warn('provider suspended by the operator', {
        provider: name,
        changed: done.changed,
      })
      return c.json(suspensionView(done), 200)
    })
    .openapi(resume, async (c) => {
      const { name } = c.req.valid('param')
      const { reason } = c.req.valid('json')
      const done = await resumeProvider({ deps: c.var.deps, actor: OPERATOR, name, reason })
      c.get('logger').warn('provider resumed by the operator', {
        provider: name,
        changed: done.changed,
      })
      return c.json(suspensionView(done), 200)
    })
    .route('/', reviewRoutes('display_name'))
    .route('/', reviewRoutes('support_contact'))
}
