import { z } from '@hono/zod-openapi'
import type { Db } from '../db/schema.ts'
import { DomainError } from '../errors/domain-error.ts'
import { text } from '../http/text.ts'
import { DISPLAY_NAME_COLUMNS, displayNameView } from '../providers/display-name.ts'
import { providersSharingCard } from '../providers/repository.ts'

export const DisplayNameReviewView = z
  .object({
    name: z.string().openapi({ example: 'acme-rewards' }),
    status: z.enum(['none', 'pending', 'approved', 'rejected']).openapi({
      description:
        '`pending`: waiting for you; `approved`: shown; `rejected`: refused until the provider asks for another; `none`: no display name.',
    }),
    requested: z.string().nullable().openapi({
      description: 'The display name the provider asked for.',
      example: 'Acme Rewards Club',
    }),
    approved: z.string().nullable().openapi({ description: 'The display name you approved.' }),
    shown: z.string().openapi({
      description:
        'What its claim pages show now: the approved display name, or the provider’s name as a title.',
      example: 'Acme Rewards',
    }),
    requested_at: z.string().datetime().nullable(),
    rejected_reason: z.string().nullable(),
  })
  .openapi('DisplayNameReview')

export const OperatorProviderView = z
  .object({
    name: z.string(),
    created_at: z.string().datetime(),
    suspended: z.boolean(),
    suspended_reason: z.string().nullable(),
    display_name: DisplayNameReviewView.omit({ name: true }),
    card: z.object({
      last4: z.string().openapi({ example: '1111' }),
      shared_with: z.array(z.string()).openapi({
        description:
          'Other providers registered with the same card (matched by the card number’s HMAC), by name, at most 50. The card number itself is never shown.',
      }),
      shared_with_count: z.number().int(),
    }),
  })
  .openapi('OperatorProvider')

/** One provider as the operator reviews it: its display name and who else holds its card. */
export async function operatorProviderView(db: Db, name: string) {
  const row = await db
    .selectFrom('providers')
    .select(['id', 'created_at', 'suspended_at', 'suspended_reason', 'card_last4'])
    .select(DISPLAY_NAME_COLUMNS)
    .where('name', '=', name)
    .executeTakeFirst()
  if (!row) throw new DomainError('not_found', { message: `No provider is named ${name}.` })
  const shared = await providersSharingCard(db, row.id)
  const { name: _, ...displayName } = displayNameView(row)
  return {
    name: row.name,
    created_at: row.created_at.toISOString(),
    suspended: row.suspended_at !== null,
    suspended_reason: row.suspended_reason,
    display_name: displayName,
    card: { last4: row.card_last4, shared_with: shared.names, shared_with_count: shared.count },
  }
}

export const DisplayNameDecision = z
  .strictObject({
    approve: z.boolean().openapi({ description: 'Required: `true` approves, `false` rejects.' }),
    display_name: text(200).openapi({
      description:
        'The display name you reviewed, exactly as listed. If the provider has asked for another since, nothing is decided (422).',
      example: 'Acme Rewards Club',
    }),
    reason: text(500, 5).optional().openapi({
      description: 'Why: required to reject (the provider reads it); kept in the audit log.',
    }),
  })
  .superRefine((body, ctx) => {
    if (!body.approve && body.reason === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: 'Required when rejecting: the provider reads it.',
      })
    }
  })
  .openapi('DisplayNameDecision')
