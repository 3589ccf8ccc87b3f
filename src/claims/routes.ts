import { createRoute, z } from '@hono/zod-openapi'
import { DomainError } from '../errors/domain-error.ts'
import { actorOf, type ProviderEnv, scopeOf } from '../http/env.ts'
import { noBody } from '../http/no-body.ts'
import { errorResponses, json } from '../http/openapi.ts'
import { createRouter } from '../http/router.ts'
import { text } from '../http/text.ts'
import { asProvider } from '../keys/auth.ts'
import { latestPayouts } from '../payouts/repository.ts'
import { cancelClaim } from './cancel.ts'
import { generateClaim } from './generate.ts'
import { getClaim, listProviderClaims } from './read.ts'
import {
  ClaimListQuery,
  ClaimPage,
  ClaimParams,
  ClaimView,
  claimView,
  GenerateBody,
  GenerateResponse,
} from './schemas.ts'

const generate = createRoute({
  ...asProvider,
  method: 'post',
  path: '/cashout/generate/{name}',
  operationId: 'generateClaim',
  tags: ['Claims'],
  summary: 'Generate a claim',
  description:
    'The noebs claim generation. Prices the points under your current rule, reserves the cash from your float and returns the claim with its link. Idempotent on `id`: the same body returns the same claim (with `Idempotent-Replayed: true`).',
  request: {
    params: z.object({ name: text(40).openapi({ example: 'acme-rewards' }) }),
    body: { required: true, content: { 'application/json': { schema: GenerateBody } } },
  },
  responses: {
    200: {
      ...json(GenerateResponse, 'The claim.'),
      headers: { 'Idempotent-Replayed': { $ref: '#/components/headers/Idempotent-Replayed' } },
    },
    ...errorResponses(400, 401, 403, 409, 413, 415, 422),
  },
})

const getOne = createRoute({
  ...asProvider,
  method: 'get',
  path: '/cashout/claims/{uuid}',
  operationId: 'getClaim',
  tags: ['Claims'],
  summary: 'Read a claim',
  request: { params: ClaimParams },
  responses: { 200: json(ClaimView, 'The claim.'), ...errorResponses(401, 404, 422) },
})

const list = createRoute({
  ...asProvider,
  method: 'get',
  path: '/cashout/claims',
  operationId: 'listClaims',
  tags: ['Claims'],
  summary: 'List claims',
  description: 'Newest first, 50 a page by default. Filter by status, customer and creation time.',
  request: { query: ClaimListQuery },
  responses: { 200: json(ClaimPage, 'A page of claims.'), ...errorResponses(401, 422) },
})

const cancel = createRoute({
  ...asProvider,
  middleware: [...asProvider.middleware, noBody],
  method: 'post',
  path: '/cashout/claims/{uuid}/cancel',
  operationId: 'cancelClaim',
  tags: ['Claims'],
  summary: 'Cancel an open claim',
  description: 'Releases the reserved cash back to your float and sends `claim.cancelled`.',
  request: { params: ClaimParams },
  responses: {
    200: json(ClaimView, 'The cancelled claim.'),
    ...errorResponses(401, 404, 409, 422),
  },
})

export function claimRoutes() {
  return createRouter<ProviderEnv>()
    .openapi(generate, async (c) => {
      const { provider, deps } = c.var
      const { name } = c.req.valid('param')
      if (name !== provider.name) {
        throw new DomainError('forbidden', {
          message: `This API key belongs to ${provider.name}; it cannot generate claims for ${name}.`,
        })
      }
      const { claim, replayed } = await generateClaim({
        deps,
        scope: scopeOf(provider),
        input: c.req.valid('json'),
        keyId: provider.keyId,
      })
      if (replayed) c.header('Idempotent-Replayed', 'true')
      return c.json({ result: claim.id, ...claimView(claim, deps.config.publicUrl) }, 200)
    })
    .openapi(getOne, async (c) => {
      const { provider, deps } = c.var
      const claim = await getClaim({
        deps,
        scope: scopeOf(provider),
        claimId: c.req.valid('param').uuid,
      })
      const payouts = await latestPayouts(deps.db, [claim.id])
      return c.json(claimView(claim, deps.config.publicUrl, payouts.get(claim.id)), 200)
    })
    .openapi(list, async (c) => {
      const { provider, deps } = c.var
      const q = c.req.valid('query')
      const page = await listProviderClaims({
        deps,
        scope: scopeOf(provider),
        query: {
          status: q.status,
          customerId: q.customer_id,
          createdAfter: q.created_after ? new Date(q.created_after) : undefined,
          createdBefore: q.created_before ? new Date(q.created_before) : undefined,
          cursor: q.cursor,
          limit: q.limit ?? 50,
        },
      })
      const payouts = await latestPayouts(
        deps.db,
        page.claims.map((claim) => claim.id),
      )
      return c.json(
        {
          claims: page.claims.map((claim) =>
            claimView(claim, deps.config.publicUrl, payouts.get(claim.id)),
          ),
          next_cursor: page.nextCursor,
        },
        200,
      )
    })
    .openapi(cancel, async (c) => {
      const { provider, deps } = c.var
      const claim = await cancelClaim({
        deps,
        scope: scopeOf(provider),
        claimId: c.req.valid('param').uuid,
        actor: actorOf(provider),
      })
      return c.json(claimView(claim, deps.config.publicUrl), 200)
    })
}
