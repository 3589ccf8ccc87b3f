import { describe, expect, it } from 'vitest'
import { isDomainError } from '../errors/domain-error.ts'
import { assertWithinCaps, capsView, priceClaim, type RuleTerms } from './quote.ts'

const base: RuleTerms = {
  version: 1,
  currency: 'AUD',
  rate_points: 1n,
  rate_cash_minor: 1n,
  min_points: 1n,
  max_points: null,
  step_points: 1n,
  fee_fixed_minor: 0n,
  fee_bps: 0,
  fee_payer: 'provider',
  cap_daily_minor: null,
  cap_30d_minor: null,
}

const rule = (overrides: Partial<RuleTerms>): RuleTerms => ({ ...base, ...overrides })

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    if (isDomainError(error)) return error.code
    throw error
  }
  return undefined
}

describe('priceClaim', () => {
  it.each([
    [
      'the default 1 point = 1 cent',
      base,
      100n,
      { gross: 100n, fee: 0n, net: 100n, reserved: 100n },
    ],
    [
      'a rate that divides evenly',
      rule({ rate_points: 100n, rate_cash_minor: 5n }),
      1000n,
      { gross: 50n, fee: 0n, net: 50n, reserved: 50n },
    ],
    [
      'floor rounding of the conversion',
      rule({ rate_points: 100n, rate_cash_minor: 1n }),
      150n,
      { gross: 1n, fee: 0n, net: 1n, reserved: 1n },
    ],
    [
      'a rate of 3 points a cent',
      rule({ rate_points: 3n }),
      10n,
      { gross: 3n, fee: 0n, net: 3n, reserved: 3n },
    ],
    [
      'a fee the provider pays',
      rule({ fee_fixed_minor: 50n, fee_bps: 100 }),
      10_000n,
      { gross: 10_000n, fee: 150n, net: 10_000n, reserved: 10_150n },
    ],
    [
      'the same fee the customer pays',
      rule({ fee_fixed_minor: 50n, fee_bps: 100, fee_payer: 'customer' }),
      10_000n,
      { gross: 10_000n, fee: 150n, net: 9850n, reserved: 10_000n },
    ],
    [
      'floor rounding of the percentage fee',
      rule({ fee_bps: 33 }),
      1000n,
      { gross: 1000n, fee: 3n, net: 1000n, reserved: 1003n },
    ],
    [
      'a fee of 100%',
      rule({ fee_bps: 10_000 }),
      7n,
      { gross: 7n, fee: 7n, net: 7n, reserved: 14n },
    ],
    [
      'the minimum itself',
      rule({ min_points: 500n }),
      500n,
      { gross: 500n, fee: 0n, net: 500n, reserved: 500n },
    ],
    [
      'the maximum itself',
      rule({ max_points: 500n }),
      500n,
      { gross: 500n, fee: 0n, net: 500n, reserved: 500n },
    ],
    [
      'a multiple of the step',
      rule({ step_points: 50n }),
      150n,
      { gross: 150n, fee: 0n, net: 150n, reserved: 150n },
    ],
    [
      'the largest exact amount',
      base,
      9_007_199_254_740_991n,
      {
        gross: 9_007_199_254_740_991n,
        fee: 0n,
        net: 9_007_199_254_740_991n,
        reserved: 9_007_199_254_740_991n,
      },
    ],
    [
      'a product far past 64 bits, computed exactly',
      rule({ rate_points: 1_000_000_000n, rate_cash_minor: 999_999_999n }),
      9_007_199_254_740_991n,
      {
        gross: 9_007_199_245_733_791n,
        fee: 0n,
        net: 9_007_199_245_733_791n,
        reserved: 9_007_199_245_733_791n,
      },
    ],
  ])('prices %s', (_name, terms, points, expected) => {
    const quote = priceClaim(terms, points)
    expect({
      gross: quote.gross_minor,
      fee: quote.fee_minor,
      net: quote.net_minor,
      reserved: quote.reserved_minor,
    }).toEqual(expected)
    expect(quote.reserved_minor).toBe(quote.net_minor + quote.fee_minor)
    expect(quote.rule_version).toBe(terms.version)
  })

  it.each([
    ['below the minimum', rule({ min_points: 100n }), 99n, 'amount_out_of_range'],
    ['above the maximum', rule({ max_points: 1000n }), 1001n, 'amount_out_of_range'],
    ['between steps', rule({ step_points: 50n }), 125n, 'amount_not_in_steps'],
    ['worth nothing after rounding', rule({ rate_points: 100n }), 99n, 'amount_too_small'],
    [
      'eaten by the customer-paid fee',
      rule({ fee_fixed_minor: 100n, fee_payer: 'customer' }),
      100n,
      'amount_too_small',
    ],
    [
      'over the exact JSON range once the fee is added',
      rule({ fee_fixed_minor: 1n }),
      9_007_199_254_740_991n,
      'amount_too_large',
    ],
    [
      'over the exact JSON range by its rate',
      rule({ rate_cash_minor: 2n }),
      9_007_199_254_740_991n,
      'amount_too_large',
    ],
  ])('refuses an amount %s', (_name, terms, points, code) => {
    expect(codeOf(() => priceClaim(terms, points))).toBe(code)
  })

  it('names the limits in its message', () => {
    expect(() => priceClaim(rule({ min_points: 10n, max_points: 20n }), 5n)).toThrow(
      'between 10 and 20 points',
    )
  })
})

describe('caps', () => {
  const capped = rule({ cap_daily_minor: 1000n, cap_30d_minor: 5000n })

  it('reports what is used and left, never below zero', () => {
    expect(capsView(capped, { daily_minor: 1200n, thirty_day_minor: 1200n })).toEqual({
      daily: { limit_minor: 1000n, used_minor: 1200n, remaining_minor: 0n },
      thirty_day: { limit_minor: 5000n, used_minor: 1200n, remaining_minor: 3800n },
    })
    expect(capsView(base, { daily_minor: 5n, thirty_day_minor: 5n })).toEqual({
      daily: null,
      thirty_day: null,
    })
  })

  it.each([
    ['exactly the daily remainder', { daily_minor: 600n, thirty_day_minor: 600n }, 400n, undefined],
    [
      'one cent over the daily cap',
      { daily_minor: 600n, thirty_day_minor: 600n },
      401n,
      'cap_exceeded',
    ],
    [
      'over the 30-day cap only',
      { daily_minor: 0n, thirty_day_minor: 4500n },
      600n,
      'cap_exceeded',
    ],
  ])('%s', (_name, usage, points, code) => {
    const quote = priceClaim(capped, points)
    expect(codeOf(() => assertWithinCaps(capped, usage, quote))).toBe(code)
  })
})
