import { createRoute, z } from '@hono/zod-openapi'
import type { AuditEntry } from '../db/schema.ts'
import type { ProviderEnv } from '../http/env.ts'
import { errorResponses, json } from '../http/openapi.ts'
import { pageLimit } from '../http/params.ts'
import { createRouter } from '../http/router.ts'
import { text } from '../http/text.ts'
import { asProvider } from '../keys/auth.ts'
import { ACTION_FILTER, auditPage } from './record.ts'

const Change = z
  .record(z.string(), z.unknown())
  .nullable()
  .openapi({ description: 'The fields that changed, as an object; null when nothing applies.' })

export const AuditEntryView = z
  .object({
    id: z.string().uuid(),
    at: z.string().datetime(),
    actor: z.object({
      type: z.enum(['member', 'key', 'operator', 'system']).openapi({
        description:
          'A console member, an API key, the operator who runs Cashout, or Cashout itself.',
      }),
      label: z.string().openapi({
        description: 'A member’s email, a key’s prefix (`ck_test_…`), `operator` or `Cashout`.',
        example: 'ana@example.com',
      }),
    }),
    action: z.string().openapi({ example: 'rule.updated' }),
    target: z.string().nullable().openapi({
      description: 'What was changed: a claim’s uuid, a key’s prefix, a member’s email…',
    }),
    before: Change,
    after: Change,
    livemode: z.boolean().nullable().openapi({
      description: 'The mode the change belongs to; null for changes to the account itself.',
    }),
  })
  .openapi('AuditEntry')

export function auditEntryView(row: AuditEntry): z.infer<typeof AuditEntryView> {
  return {
    id: row.id,
    at: row.created_at.toISOString(),
    actor: { type: row.actor_type, label: row.actor_label },
    action: row.action,
    target: row.target,
    before: (row.before ?? null) as Record<string, unknown> | null,
    after: (row.after ?? null) as Record<string, unknown> | null,
    livemode: row.livemode,
  }
}

const list = createRoute({
  ...asProvider,
  method: 'get',
  path: '/cashout/audit',
  operationId: 'listAuditEntries',
  tags: ['Audit'],
  summary: 'Read the audit log',
  description:
    'Every change to your account, made from the console, with an API key, by the operator or by Cashout itself: who, what, before and after. Both modes, newest first; each entry says its mode.',
  request: {
    query: z.object({
      action: text(81)
        .regex(ACTION_FILTER, 'Must be an action or its first word, like rule or key.revoked.')
        .optional()
        .openapi({
          description: 'Only this action, or every action of this family (`member`, `rule`…).',
          example: 'member',
        }),
      cursor: text(500).optional(),
      limit: pageLimit(),
    }),
  },
  responses: {
    200: json(
      z
        .object({
          entries: z.array(AuditEntryView),
          next_cursor: z.string().nullable().openapi({
            description: 'Pass as `cursor` for the next page; null on the last page.',
          }),
        })
        .openapi('AuditPage'),
      'A page of the audit log.',
    ),
    ...errorResponses(401, 422),
  },
})

/** GET /cashout/audit, the provider's audit log. */
export function auditRoutes() {
  return createRouter<ProviderEnv>().openapi(list, async (c) => {
    const q = c.req.valid('query')
    const page = await auditPage(c.var.deps.db, {
      providerId: c.var.provider.id,
      action: q.action,
      cursor: q.cursor,
      limit: q.limit ?? 50,
    })
    return c.json({ entries: page.entries.map(auditEntryView), next_cursor: page.nextCursor }, 200)
  })
}
