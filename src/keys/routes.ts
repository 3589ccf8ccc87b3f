import { createRoute, z } from '@hono/zod-openapi'
import { actorOf, type ProviderEnv } from '../http/env.ts'
import { noBody } from '../http/no-body.ts'
import { errorResponses, json } from '../http/openapi.ts'
import { createRouter } from '../http/router.ts'
import { text } from '../http/text.ts'
import { asProvider } from './auth.ts'
import { issueKey } from './issue.ts'
import { listApiKeys } from './repository.ts'
import { revokeKey } from './revoke.ts'

export const KeyView = z
  .object({
    id: z.string().uuid(),
    prefix: z.string().openapi({ example: 'abcdefghijkl' }),
    livemode: z
      .boolean()
      .openapi({ description: 'A live key moves real money; a test key never does.' }),
    label: z.string().nullable(),
    created_at: z.string().datetime(),
    last_used_at: z.string().datetime().nullable(),
    revoked_at: z.string().datetime().nullable(),
  })
  .openapi('ApiKey')

type KeyRow = Awaited<ReturnType<typeof listApiKeys>>[number]

export const keyView = (row: KeyRow): z.infer<typeof KeyView> => ({
  id: row.id,
  prefix: row.prefix,
  livemode: row.livemode,
  label: row.label,
  created_at: row.created_at.toISOString(),
  last_used_at: row.last_used_at?.toISOString() ?? null,
  revoked_at: row.revoked_at?.toISOString() ?? null,
})

const createKey = createRoute({
  ...asProvider,
  method: 'post',
  path: '/cashout/keys',
  operationId: 'createApiKey',
  tags: ['Keys'],
  summary: 'Create an API key',
  description:
    'The new key is of the same mode as the key that asks (a test key makes test keys). It is shown once. Several keys may be active at a time, for rotation.',
  request: {
    body: {
      // Every field is optional, and so is the body itself.
      required: false,
      content: {
        'application/json': {
          schema: z.strictObject({ label: text(100).optional() }).openapi('NewApiKey'),
        },
      },
    },
  },
  responses: {
    201: json(
      KeyView.extend({ key: z.string().openapi({ description: 'Shown this once.' }) }),
      'The key.',
    ),
    ...errorResponses(401, 422),
  },
})

const listKeys = createRoute({
  ...asProvider,
  method: 'get',
  path: '/cashout/keys',
  operationId: 'listApiKeys',
  tags: ['Keys'],
  summary: 'List API keys',
  description:
    'The keys of the calling key’s mode, prefixes only; the secret part of a key is never shown again.',
  responses: {
    200: json(z.object({ keys: z.array(KeyView) }), 'Your keys, newest first.'),
    ...errorResponses(401),
  },
})

const revokeRoute = createRoute({
  ...asProvider,
  middleware: [...asProvider.middleware, noBody],
  method: 'delete',
  path: '/cashout/keys/{id}',
  operationId: 'revokeApiKey',
  tags: ['Keys'],
  summary: 'Revoke an API key',
  description:
    'A revoked key fails with 401 from then on. The last active key of a mode cannot be revoked, and a key can revoke only keys of its own mode.',
  request: { params: z.object({ id: z.string().uuid('Must be a key id (a UUID).') }) },
  responses: {
    200: json(KeyView, 'The revoked key.'),
    ...errorResponses(401, 404, 409, 422),
  },
})

export function keyRoutes() {
  return createRouter<ProviderEnv>()
    .openapi(createKey, async (c) => {
      const issued = await issueKey({
        deps: c.var.deps,
        providerId: c.var.provider.id,
        livemode: c.var.provider.livemode,
        label: c.req.valid('json').label ?? null,
        actor: actorOf(c.var.provider),
      })
      return c.json({ ...keyView(issued), key: issued.token }, 201)
    })
    .openapi(listKeys, async (c) => {
      const rows = await listApiKeys(c.var.deps.db, c.var.provider.id, c.var.provider.livemode)
      return c.json({ keys: rows.map(keyView) }, 200)
    })
    .openapi(revokeRoute, async (c) => {
      const revoked = await revokeKey({
        deps: c.var.deps,
        providerId: c.var.provider.id,
        livemode: c.var.provider.livemode,
        keyId: c.req.valid('param').id,
        actor: actorOf(c.var.provider),
      })
      return c.json(keyView(revoked), 200)
    })
}
