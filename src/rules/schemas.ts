import { z } from '@hono/zod-openapi'
import type { Rule } from '../db/schema.ts'
import { jsonInt } from '../money.ts'
import type { RuleFields } from './repository.ts'

const MAX_RATE = 1_000_000_000
const MAX_SAFE = Number.MAX_SAFE_INTEGER

const whole = (min: number, max: number) =>
  z
    .number()
    .int('Must be a whole number.')
    .min(min, `Must be at least ${min}.`)
    .max(max, `Must be at most ${max}.`)

export const RuleBody = z
  .strictObject({
    currency: z.literal('AUD', { error: 'Only AUD is supported.' }).default('AUD'),
    rate: z
      .strictObject({
        points: whole(1, MAX_RATE).openapi({ example: 100 }),
        cash_minor: whole(1, MAX_RATE).openapi({ example: 100 }),
      })
      .openapi({
        description:
          '`points` points are worth `cash_minor` minor units (cents). Conversion rounds down.',
      }),
    min_points: whole(1, MAX_SAFE).default(1),
    max_points: whole(1, MAX_SAFE).nullable().default(null),
    step_points: whole(1, MAX_SAFE)
      .default(1)
      .openapi({ description: 'Claims must be a multiple of this many points.' }),
    fee: z
      .strictObject({
        fixed_minor: whole(0, MAX_RATE).default(0),
        bps: whole(0, 10_000).default(0).openapi({ description: 'Basis points of the gross.' }),
        payer: z.enum(['provider', 'customer']).default('provider').openapi({
          description:
            '`provider`: the float pays the fee on top. `customer`: the fee comes out of the payout.',
        }),
      })
      .default({ fixed_minor: 0, bps: 0, payer: 'provider' }),
    caps: z
      .strictObject({
        daily_minor: whole(1, MAX_SAFE).nullable().default(null),
        thirty_day_minor: whole(1, MAX_SAFE).nullable().default(null),
      })
      .default({ daily_minor: null, thirty_day_minor: null })
      .openapi({ description: 'Per-customer limits on the net cash paid out, in minor units.' }),
    claim_lifetime_seconds: whole(300, 2_592_000)
      .default(604_800)
      .openapi({ description: 'How long a claim stays open: 5 minutes to 30 days.' }),
    expiry_reminder_seconds: whole(60, 2_591_999).nullable().default(null).openapi({
      description:
        'How long before a claim expires to send `claim.expiring`, once, while it is still open: from 60 seconds to less than `claim_lifetime_seconds`. Null (the default) sends no reminder. A claim whose own lifetime (`expires_in`) is not longer than this gets none.',
      example: 86_400,
    }),
  })
  .superRefine((rule, ctx) => {
    if (
      rule.expiry_reminder_seconds !== null &&
      rule.expiry_reminder_seconds >= rule.claim_lifetime_seconds
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['expiry_reminder_seconds'],
        message:
          'Must be less than claim_lifetime_seconds: a reminder that long before expiry would come before the claim was made.',
      })
    }
    if (rule.max_points !== null && rule.max_points < rule.min_points) {
      ctx.addIssue({
        code: 'custom',
        path: ['max_points'],
        message: 'Must not be less than min_points.',
      })
    }
  })
  .openapi('RuleUpdate')

export type RuleInput = z.infer<typeof RuleBody>

export function ruleFields(input: RuleInput): RuleFields {
  const big = (n: number | null) => (n === null ? null : BigInt(n))
  return {
    currency: input.currency,
    rate_points: BigInt(input.rate.points),
    rate_cash_minor: BigInt(input.rate.cash_minor),
    min_points: BigInt(input.min_points),
    max_points: big(input.max_points),
    step_points: BigInt(input.step_points),
    fee_fixed_minor: BigInt(input.fee.fixed_minor),
    fee_bps: input.fee.bps,
    fee_payer: input.fee.payer,
    cap_daily_minor: big(input.caps.daily_minor),
    cap_30d_minor: big(input.caps.thirty_day_minor),
    claim_lifetime_seconds: input.claim_lifetime_seconds,
    expiry_reminder_seconds: input.expiry_reminder_seconds,
  }
}

export const RuleView = z
  .object({
    version: z.number().int(),
    currency: z.string(),
    rate: z.object({ points: z.number().int(), cash_minor: z.number().int() }),
    min_points: z.number().int(),
    max_points: z.number().int().nullable(),
    step_points: z.number().int(),
    fee: z.object({
      fixed_minor: z.number().int(),
      bps: z.number().int(),
      payer: z.enum(['provider', 'customer']),
    }),
    caps: z.object({
      daily_minor: z.number().int().nullable(),
      thirty_day_minor: z.number().int().nullable(),
    }),
    claim_lifetime_seconds: z.number().int(),
    expiry_reminder_seconds: z.number().int().nullable().openapi({
      description: 'How long before a claim expires `claim.expiring` is sent; null for none.',
    }),
    created_at: z.string().datetime(),
    created_by: z.string().nullable().openapi({
      description:
        'Who made this version: a console member’s email or an API key’s prefix; null for versions made before this was recorded.',
    }),
  })
  .openapi('Rule')

export function ruleView(rule: Rule): z.infer<typeof RuleView> {
  const maybe = (n: bigint | null) => (n === null ? null : jsonInt(n))
  return {
    version: rule.version,
    currency: rule.currency,
    rate: { points: jsonInt(rule.rate_points), cash_minor: jsonInt(rule.rate_cash_minor) },
    min_points: jsonInt(rule.min_points),
    max_points: maybe(rule.max_points),
    step_points: jsonInt(rule.step_points),
    fee: {
      fixed_minor: jsonInt(rule.fee_fixed_minor),
      bps: rule.fee_bps,
      payer: rule.fee_payer,
    },
    caps: { daily_minor: maybe(rule.cap_daily_minor), thirty_day_minor: maybe(rule.cap_30d_minor) },
    claim_lifetime_seconds: rule.claim_lifetime_seconds,
    expiry_reminder_seconds: rule.expiry_reminder_seconds,
    created_at: rule.created_at.toISOString(),
    created_by: rule.created_by,
  }
}
