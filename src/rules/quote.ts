import type { FeePayer } from '../db/schema.ts'
import { DomainError } from '../errors/domain-error.ts'
import { formatMoney, MAX_JSON_INT } from '../money.ts'

export interface RuleTerms {
  version: number
  currency: string
  rate_points: bigint
  rate_cash_minor: bigint
  min_points: bigint
  max_points: bigint | null
  step_points: bigint
  fee_fixed_minor: bigint
  fee_bps: number
  fee_payer: FeePayer
  cap_daily_minor: bigint | null
  cap_30d_minor: bigint | null
}

export interface Quote {
  points: bigint
  currency: string
  rule_version: number
  /** The points converted at the rule's rate. */
  gross_minor: bigint
  fee_minor: bigint
  fee_payer: FeePayer
  /** What reaches the customer's account. */
  net_minor: bigint
  /** What the provider's float gives up: the net plus the fee, whoever bears the fee. */
  reserved_minor: bigint
}

const BPS = 10_000n

/**
 * Prices `points` under a rule, in integers throughout; every division rounds down.
 *
 *   gross = floor(points × rate_cash_minor / rate_points)
 *   fee   = fee_fixed_minor + floor(gross × fee_bps / 10000)
 *   net   = gross − fee when the customer pays the fee, else gross
 *   reserved (taken from the float) = net + fee
 */
export function priceClaim(rule: RuleTerms, points: bigint): Quote {
  if (points < rule.min_points || (rule.max_points !== null && points > rule.max_points)) {
    const range =
      rule.max_points === null
        ? `at least ${rule.min_points}`
        : `between ${rule.min_points} and ${rule.max_points}`
    throw new DomainError('amount_out_of_range', {
      message: `The amount must be ${range} points under rule version ${rule.version}.`,
    })
  }
  if (points % rule.step_points !== 0n) {
    throw new DomainError('amount_not_in_steps', {
      message: `The amount must be a multiple of ${rule.step_points} points.`,
    })
  }
  const gross = (points * rule.rate_cash_minor) / rule.rate_points
  const fee = rule.fee_fixed_minor + (gross * BigInt(rule.fee_bps)) / BPS
  const net = rule.fee_payer === 'customer' ? gross - fee : gross
  if (net <= 0n) {
    throw new DomainError('amount_too_small', {
      message: `${points} points are worth ${formatMoney(gross, rule.currency)}, which leaves nothing for the customer after the ${formatMoney(fee, rule.currency)} fee.`,
    })
  }
  const reserved = net + fee
  if (reserved > MAX_JSON_INT) {
    throw new DomainError('amount_too_large')
  }
  return {
    points,
    currency: rule.currency,
    rule_version: rule.version,
    gross_minor: gross,
    fee_minor: fee,
    fee_payer: rule.fee_payer,
    net_minor: net,
    reserved_minor: reserved,
  }
}

export interface CapUsage {
  daily_minor: bigint
  thirty_day_minor: bigint
}

export interface CapView {
  limit_minor: bigint
  used_minor: bigint
  remaining_minor: bigint
}

export interface CapsView {
  daily: CapView | null
  thirty_day: CapView | null
}

export function hasCaps(rule: RuleTerms): boolean {
  return rule.cap_daily_minor !== null || rule.cap_30d_minor !== null
}

/** How much of each per-customer cap is used and left (never below zero). */
export function capsView(rule: RuleTerms, usage: CapUsage): CapsView {
  const view = (limit: bigint | null, used: bigint): CapView | null =>
    limit === null
      ? null
      : { limit_minor: limit, used_minor: used, remaining_minor: limit > used ? limit - used : 0n }
  return {
    daily: view(rule.cap_daily_minor, usage.daily_minor),
    thirty_day: view(rule.cap_30d_minor, usage.thirty_day_minor),
  }
}

/** Refuses a claim whose net amount would take the customer past a cap. */
export function assertWithinCaps(rule: RuleTerms, usage: CapUsage, quote: Quote): void {
  const caps = capsView(rule, usage)
  for (const [name, cap] of [
    ['daily', caps.daily],
    ['30-day', caps.thirty_day],
  ] as const) {
    if (cap && quote.net_minor > cap.remaining_minor) {
      throw new DomainError('cap_exceeded', {
        message: `This claim of ${formatMoney(quote.net_minor, quote.currency)} is over the customer's ${name} cap: ${formatMoney(cap.remaining_minor, quote.currency)} of ${formatMoney(cap.limit_minor, quote.currency)} remains.`,
      })
    }
  }
}
