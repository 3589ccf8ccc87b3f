import { z } from '@hono/zod-openapi'
import type { Claim, Payout } from '../db/schema.ts'
import { pageLimit } from '../http/params.ts'
import { text } from '../http/text.ts'
import { jsonInt } from '../money.ts'
import { MaskedDestination } from '../payouts/masked.ts'
import { waitingReason } from '../payouts/waiting.ts'
import type { Quote } from '../rules/quote.ts'

const MAX_POINTS = Number.MAX_SAFE_INTEGER

const points = z
  .number({ error: 'Must be a whole number of points.' })
  .int('Must be a whole number of points.')
  .positive('Must be at least 1 point.')
  .max(MAX_POINTS, `Must be at most ${MAX_POINTS}.`)

/** The languages of the claim page (src/page/i18n). */
const ClaimLocaleSchema = z.enum(['en', 'ar', 'zh-Hans', 'vi'], {
  error: 'Must be one of en, ar, zh-Hans, vi.',
})

const reference = (what: string) => text(200).openapi({ description: what })

export const GenerateBody = z
  .strictObject({
    amount: points.openapi({ description: 'Points to cash out.', example: 2500 }),
    id: reference(
      'Your own reference for this cashout. Sending the same id and body again returns the same claim; the same id with a different body is refused.',
    ).openapi({ example: 'order-8812' }),
    customer_id: reference(
      'Your customer’s id; needed when your rule sets per-customer caps.',
    ).optional(),
    expires_in: z
      .number()
      .int('Must be a whole number of seconds.')
      .min(300, 'Must be at least 300 seconds.')
      .max(2_592_000, 'Must be at most 30 days (2592000 seconds).')
      .optional()
      .openapi({
        description: 'Seconds until the claim expires; defaults to your rule’s lifetime.',
      }),
    locale: ClaimLocaleSchema.optional().openapi({
      description:
        'The claim page’s language: `en`, `ar` (right to left), `zh-Hans` or `vi`. Without it the page follows the customer’s browser. The customer can still switch language on the page.',
    }),
  })
  .openapi('GenerateRequest')

export const QuoteBody = z
  .strictObject({
    points: points.openapi({ example: 2500 }),
    customer_id: reference('Include to see what remains of this customer’s caps.').optional(),
  })
  .openapi('QuoteRequest')

export const QuoteView = z
  .object({
    points: z.number().int(),
    currency: z.string().openapi({ example: 'AUD' }),
    gross_minor: z.number().int().openapi({ description: 'The points at the rule’s rate.' }),
    fee_minor: z.number().int(),
    fee_payer: z.enum(['provider', 'customer']),
    net_minor: z.number().int().openapi({ description: 'What reaches the customer.' }),
    float_debit_minor: z
      .number()
      .int()
      .openapi({ description: 'What your float gives up: net plus fee.' }),
    rule_version: z.number().int(),
  })
  .openapi('Quote')

export function quoteView(q: Quote): z.infer<typeof QuoteView> {
  return {
    points: jsonInt(q.points),
    currency: q.currency,
    gross_minor: jsonInt(q.gross_minor),
    fee_minor: jsonInt(q.fee_minor),
    fee_payer: q.fee_payer,
    net_minor: jsonInt(q.net_minor),
    float_debit_minor: jsonInt(q.reserved_minor),
    rule_version: q.rule_version,
  }
}

export const CLAIM_STATUSES = [
  'open',
  'submitted',
  'processing',
  'settled',
  'expired',
  'cancelled',
  'failed',
] as const

export const PayoutView = z
  .object({
    attempt: z.number().int(),
    status: z.enum(['pending', 'sent', 'processing', 'settled', 'failed', 'unknown', 'held']),
    waiting_on: z
      .enum(['rail_funds', 'rail_retry', 'rail_credentials', 'rail_confirmation', 'operator'])
      .nullable()
      .openapi({
        description:
          'Why a payout in flight is taking longer: the payment service’s balance (`rail_funds`), its answer (`rail_retry`), its credentials (`rail_credentials`), the bank’s confirmation (`rail_confirmation`), or a check by the operator (`operator`). None is the customer’s doing.',
      }),
    destination: MaskedDestination,
    failure_code: z.string().nullable(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi('Payout')

export function payoutView(p: Payout): z.infer<typeof PayoutView> {
  return {
    attempt: p.attempt,
    status: p.status,
    waiting_on: p.waiting_on,
    destination: p.destination_masked,
    failure_code: p.failure_code,
    created_at: p.created_at.toISOString(),
    updated_at: p.updated_at.toISOString(),
  }
}

export const ClaimView = z
  .object({
    uuid: z.string().uuid(),
    id: z.string().openapi({ description: 'Your reference.' }),
    livemode: z.boolean().openapi({
      description:
        'True for a live claim (real money); false for a test claim, paid through the sandbox (no money moves).',
    }),
    status: z.enum(CLAIM_STATUSES),
    status_reason: z.string().nullable(),
    customer_id: z.string().nullable(),
    locale: z
      .union([ClaimLocaleSchema, z.null()])
      .openapi({ description: 'The page language fixed at generate, if any.' }),
    url: z.string().url().openapi({ description: 'The page where the customer cashes out.' }),
    quote: QuoteView,
    // Not `PayoutView.nullable()`: the generator would make the Payout component itself nullable.
    payout: z
      .union([PayoutView, z.null()])
      .openapi({ description: 'The latest payout attempt, if any.' }),
    expires_at: z.string().datetime(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi('Claim')

export function claimUrl(publicUrl: string, claimId: string): string {
  return `${publicUrl}/c/${claimId}`
}

export function claimView(
  claim: Claim,
  publicUrl: string,
  payout?: Payout,
): z.infer<typeof ClaimView> {
  return {
    uuid: claim.id,
    id: claim.provider_ref,
    livemode: claim.livemode,
    status: claim.status,
    status_reason: claim.status_reason ?? waitingReason(payout) ?? null,
    customer_id: claim.customer_id,
    locale: claim.locale,
    url: claimUrl(publicUrl, claim.id),
    quote: quoteView({
      points: claim.points,
      currency: claim.currency,
      gross_minor: claim.gross_minor,
      fee_minor: claim.fee_minor,
      fee_payer: claim.fee_payer,
      net_minor: claim.net_minor,
      reserved_minor: claim.reserved_minor,
      rule_version: claim.rule_version,
    }),
    payout: payout ? payoutView(payout) : null,
    expires_at: claim.expires_at.toISOString(),
    created_at: claim.created_at.toISOString(),
    updated_at: claim.updated_at.toISOString(),
  }
}

export const GenerateResponse = ClaimView.extend({
  result: z.string().uuid().openapi({ description: 'The claim’s uuid (noebs field).' }),
}).openapi('GenerateResponse')

export const ClaimListQuery = z.object({
  status: z.enum(CLAIM_STATUSES).optional(),
  customer_id: text(200).optional(),
  created_after: z.iso.datetime({ offset: true }).optional(),
  created_before: z.iso.datetime({ offset: true }).optional(),
  cursor: text(500).optional(),
  limit: pageLimit(),
})

export const ClaimPage = z
  .object({
    claims: z.array(ClaimView),
    next_cursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
  })
  .openapi('ClaimPage')

export const ClaimParams = z.object({
  uuid: z.string().uuid('Must be a claim uuid.'),
})
