import { createRoute, z } from '@hono/zod-openapi'
import { quoteClaim } from '../claims/quote.ts'
import { QuoteBody, QuoteView, quoteView } from '../claims/schemas.ts'
import { actorOf, type ProviderEnv, scopeOf } from '../http/env.ts'
import { errorResponses, json } from '../http/openapi.ts'
import { wholeNumberParam } from '../http/params.ts'
import { createRouter } from '../http/router.ts'
import { asProvider } from '../keys/auth.ts'
import { jsonInt } from '../money.ts'
import { type CapUsage, capsView, type RuleTerms } from './quote.ts'
import { currentRule, listRuleVersions, ruleVersion } from './repository.ts'
import { RuleBody, RuleView, ruleFields, ruleView } from './schemas.ts'
import { setRule } from './set.ts'

const getRule = createRoute({
  ...asProvider,
  method: 'get',
  path: '/cashout/rules',
  operationId: 'getRule',
  tags: ['Rules'],
  summary: 'Read the current conversion rule',
  responses: { 200: json(RuleView, 'The rule new claims use.'), ...errorResponses(401) },
})

const putRule = createRoute({
  ...asProvider,
  method: 'put',
  path: '/cashout/rules',
  operationId: 'setRule',
  tags: ['Rules'],
  summary: 'Set the conversion rule',
  description:
    'Creates the next version. Existing claims keep the version and quote they were made with.',
  request: { body: { required: true, content: { 'application/json': { schema: RuleBody } } } },
  responses: {
    200: json(RuleView, 'The new version.'),
    ...errorResponses(400, 401, 415, 422),
  },
})

const listVersions = createRoute({
  ...asProvider,
  method: 'get',
  path: '/cashout/rules/versions',
  operationId: 'listRuleVersions',
  tags: ['Rules'],
  summary: 'List every version of the rule',
  responses: {
    200: json(z.object({ rules: z.array(RuleView) }), 'Newest first.'),
    ...errorResponses(401),
  },
})

const getVersion = createRoute({
  ...asProvider,
  method: 'get',
  path: '/cashout/rules/versions/{version}',
  operationId: 'getRuleVersion',
  tags: ['Rules'],
  summary: 'Read one version of the rule',
  request: {
    params: z.object({
      version: wholeNumberParam(1, 999_999_999, 'Must be a version number (1 or more).'),
    }),
  },
  responses: { 200: json(RuleView, 'That version.'), ...errorResponses(401, 404, 422) },
})

const CapView = z.object({
  limit_minor: z.number().int(),
  used_minor: z.number().int().nullable(),
  remaining_minor: z.number().int().nullable(),
})

const quote = createRoute({
  ...asProvider,
  method: 'post',
  path: '/cashout/quote',
  operationId: 'quotePoints',
  tags: ['Rules'],
  summary: 'Price points without creating a claim',
  request: { body: { required: true, content: { 'application/json': { schema: QuoteBody } } } },
  responses: {
    200: json(
      QuoteView.extend({
        caps: z.object({ daily: CapView.nullable(), thirty_day: CapView.nullable() }),
      }).openapi('QuoteResponse'),
      'The breakdown.',
    ),
    ...errorResponses(400, 401, 415, 422),
  },
})

function capsResponse(rule: RuleTerms, usage: CapUsage | undefined) {
  const caps = capsView(rule, usage ?? { daily_minor: 0n, thirty_day_minor: 0n })
  const one = (cap: (typeof caps)['daily']) =>
    cap && {
      limit_minor: jsonInt(cap.limit_minor),
      used_minor: usage ? jsonInt(cap.used_minor) : null,
      remaining_minor: usage ? jsonInt(cap.remaining_minor) : null,
    }
  return { daily: one(caps.daily), thirty_day: one(caps.thirty_day) }
}

export function ruleRoutes() {
  return createRouter<ProviderEnv>()
    .openapi(getRule, async (c) => {
      return c.json(ruleView(await currentRule(c.var.deps.db, scopeOf(c.var.provider))), 200)
    })
    .openapi(putRule, async (c) => {
      const { deps, provider } = c.var
      const rule = await setRule({
        deps,
        scope: scopeOf(provider),
        fields: ruleFields(c.req.valid('json')),
        actor: actorOf(provider),
      })
      return c.json(ruleView(rule), 200)
    })
    .openapi(listVersions, async (c) => {
      const rules = await listRuleVersions(c.var.deps.db, scopeOf(c.var.provider))
      return c.json({ rules: rules.map(ruleView) }, 200)
    })
    .openapi(getVersion, async (c) => {
      const rule = await ruleVersion(
        c.var.deps.db,
        scopeOf(c.var.provider),
        c.req.valid('param').version,
      )
      return c.json(ruleView(rule), 200)
    })
    .openapi(quote, async (c) => {
      const body = c.req.valid('json')
      const result = await quoteClaim({
        deps: c.var.deps,
        scope: scopeOf(c.var.provider),
        points: body.points,
        customerId: body.customer_id,
      })
      return c.json(
        { ...quoteView(result.quote), caps: capsResponse(result.rule, result.usage) },
        200,
      )
    })
}
