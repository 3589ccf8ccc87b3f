import { createRoute, z } from '@hono/zod-openapi'
import type { ProviderEnv } from '../http/env.ts'
import { errorResponses, json } from '../http/openapi.ts'
import { createRouter } from '../http/router.ts'
import { text } from '../http/text.ts'
import { mintApiKey } from './api-key.ts'
import { asProvider } from './auth.ts'
import { insertApiKey, listApiKeys } from './repository.ts'
import { revokeKey } from './revoke.ts'

const KeyView = z
  .object({
    id: z.string().uuid(),
    prefix: z.string().openapi({ example: 'abcdefghijkl' }),
    label: z.string().nullable(),
    created_at: z.string().datetime(),
    last_used_at: z.string().datetime().nullable(),
    revoked_at: z.string().datetime().nullable(),
  })
  .openapi('ApiKey')

type KeyRow = Awaited<ReturnType<typeof listApiKeys>>[number]

const keyView = (row: KeyRow): z.infer<typeof KeyView> => ({
  id: row.id,
  prefix: row.prefix,
  label: row.label,
  created_at: row.created_at.toISOString(),
  last_used_at: row.last_used_at?.toISOString() ?? null,
  revoked_at: row.revoked_at?.toISOString() ?? null,
})

const createKey = createRoute({
  ...asProvider,
  method: 'post',
  path: '/cashout/keys',
  tags: ['Keys'],
  summary: 'Create an API key',
  description: 'The new key is shown once. Several keys may be active at a time, for rotation.',
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({ label: text(100).optional() }).openapi('NewApiKey'),
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
  tags: ['Keys'],
  summary: 'List API keys',
  description: 'Prefixes only; the secret part of a key is never shown again.',
  responses: {
    200: json(z.object({ keys: z.array(KeyView) }), 'Your keys, newest first.'),
    ...errorResponses(401),
  },
})

const revokeRoute = createRoute({
  ...asProvider,
  method: 'delete',
  path: '/cashout/keys/{id}',
  tags: ['Keys'],
  summary: 'Revoke an API key',
  description: 'A revoked key fails with 401 from then on. The last active key cannot be revoked.',
  request: { params: z.object({ id: z.string().uuid('Must be a key id (a UUID).') }) },
  responses: {
    200: json(KeyView, 'The revoked key.'),
    ...errorResponses(401, 404, 409, 422),
  },
})

export function keyRoutes() {
  return createRouter<ProviderEnv>()
    .openapi(createKey, async (c) => {
      const { db, clock } = c.var.deps
      const minted = await mintApiKey()
      const row = await insertApiKey(db, {
        providerId: c.var.provider.id,
        prefix: minted.prefix,
        secretSha256: minted.secretSha256,
        label: c.req.valid('json').label ?? null,
        now: clock.now(),
      })
      return c.json(
        { ...keyView({ ...row, last_used_at: null, revoked_at: null }), key: minted.token },
        201,
      )
    })
    .openapi(listKeys, async (c) => {
      const rows = await listApiKeys(c.var.deps.db, c.var.provider.id)
      return c.json({ keys: rows.map(keyView) }, 200)
    })
    .openapi(revokeRoute, async (c) => {
      const revoked = await revokeKey({
        deps: c.var.deps,
        providerId: c.var.provider.id,
        keyId: c.req.valid('param').id,
      })
      return c.json(keyView(revoked), 200)
    })
}
