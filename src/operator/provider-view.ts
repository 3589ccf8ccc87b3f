import { z } from '@hono/zod-openapi'
import type { Db } from '../db/schema.ts'
import { DomainError } from '../errors/domain-error.ts'
import { providersSharingCard } from '../providers/repository.ts'
import { reviewColumns, reviewState, reviewView } from '../providers/review.ts'
import { DisplayNameReviewView, SupportContactReviewView } from './reviews.ts'

export const OperatorProviderView = z
  .object({
    name: z.string(),
    created_at: z.string().datetime(),
    suspended: z.boolean(),
    suspended_reason: z.string().nullable(),
    display_name: DisplayNameReviewView.omit({ name: true }),
    support_contact: SupportContactReviewView.omit({ name: true }),
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

/**
 * One provider as the operator reviews it: its display name, its support contact and who else
 * holds its card.
 */
export async function operatorProviderView(db: Db, name: string) {
  const row = await db
    .selectFrom('providers')
    .select(['id', 'created_at', 'suspended_at', 'suspended_reason', 'card_last4'])
    .select(['name', ...reviewColumns('display_name'), ...reviewColumns('support_contact')])
    .where('name', '=', name)
    .executeTakeFirst()
  if (!row) throw new DomainError('not_found', { message: `No provider is named ${name}.` })
  const shared = await providersSharingCard(db, row.id)
  const review = (field: 'display_name' | 'support_contact') => {
    const { name: _, ...view } = reviewView(field, row.name, reviewState(row, field))
    return view
  }
  return {
    name: row.name,
    created_at: row.created_at.toISOString(),
    suspended: row.suspended_at !== null,
    suspended_reason: row.suspended_reason,
    display_name: review('display_name'),
    support_contact: review('support_contact'),
    card: { last4: row.card_last4, shared_with: shared.names, shared_with_count: shared.count },
  }
}
